"""Every artifact type KFP has a class for, written with metadata by one component and read by
the next: Artifact, Dataset, Model, Metrics, ClassificationMetrics, HTML, Markdown."""
from kfp import dsl
from kfp.dsl import HTML, Artifact, ClassificationMetrics, Dataset, Input, Markdown, Metrics, Model, Output


@dsl.component(base_image="python:3.11-slim")
def produce(
    raw: Output[Artifact],
    table: Output[Dataset],
    model: Output[Model],
    scores: Output[Metrics],
    confusion: Output[ClassificationMetrics],
    page: Output[HTML],
    notes: Output[Markdown],
):
    with open(raw.path, "w") as f:
        f.write("raw bytes")
    raw.metadata["origin"] = "produce"
    with open(table.path, "w") as f:
        f.write("x,y\n1,2\n")
    table.metadata["rows"] = 1
    with open(model.path, "w") as f:
        f.write("weights")
    model.metadata["framework"] = "none"
    scores.log_metric("accuracy", 0.9)
    confusion.log_confusion_matrix(["cat", "dog"], [[8, 2], [1, 9]])
    confusion.log_roc_curve([0.0, 0.5, 1.0], [0.0, 0.8, 1.0], [1.0, 0.5, 0.0])
    with open(page.path, "w") as f:
        f.write("<h1>report</h1>")
    with open(notes.path, "w") as f:
        f.write("# notes")


@dsl.component(base_image="python:3.11-slim")
def consume(
    raw: Input[Artifact],
    table: Input[Dataset],
    model: Input[Model],
    scores: Input[Metrics],
    confusion: Input[ClassificationMetrics],
    page: Input[HTML],
    notes: Input[Markdown],
) -> str:
    return ",".join(
        [
            open(raw.path).read(),
            str(table.metadata["rows"]),
            model.metadata["framework"],
            str(scores.metadata["accuracy"]),
            str(confusion.metadata["confusionMatrix"]["rows"][0]["row"]),
            open(page.path).read(),
            open(notes.path).read(),
        ]
    )


@dsl.pipeline(name="artifact-types")
def artifact_types() -> str:
    p = produce()
    return consume(
        raw=p.outputs["raw"],
        table=p.outputs["table"],
        model=p.outputs["model"],
        scores=p.outputs["scores"],
        confusion=p.outputs["confusion"],
        page=p.outputs["page"],
        notes=p.outputs["notes"],
    ).output


PIPELINE = artifact_types
