"""An artifact type Kiln has no type of its own for (SlicedClassificationMetrics) and a generic
Artifact input taking a Model: the KFP schema title travels in the container's kfp block."""
from kfp import dsl
from kfp.dsl import Artifact, Input, Model, Output, SlicedClassificationMetrics


@dsl.component(base_image="python:3.11-slim")
def evaluate(slices: Output[SlicedClassificationMetrics], model: Output[Model]):
    slices.load_confusion_matrix("all", ["a", "b"], [[3, 1], [0, 4]])
    with open(model.path, "w") as f:
        f.write("m")


@dsl.component(base_image="python:3.11-slim")
def inspect_any(thing: Input[Artifact]) -> str:
    return thing.uri


@dsl.pipeline(name="sliced-metrics")
def sliced_metrics() -> str:
    e = evaluate()
    inspect_any(thing=e.outputs["slices"])
    return inspect_any(thing=e.outputs["model"]).output


PIPELINE = sliced_metrics
