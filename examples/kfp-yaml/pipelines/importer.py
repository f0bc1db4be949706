"""dsl.importer: bring an existing URI in as an artifact, with metadata, re-imported each run."""
from kfp import dsl
from kfp.dsl import Dataset, Input


@dsl.component(base_image="python:3.11-slim")
def peek(data: Input[Dataset]) -> str:
    return f"{data.uri} {data.metadata.get('source')}"


@dsl.pipeline(name="importer")
def importer() -> str:
    imported = dsl.importer(
        artifact_uri="gs://ml-public/iris/iris.csv",
        artifact_class=Dataset,
        reimport=True,
        metadata={"source": "uci", "rows": 150},
    )
    return peek(data=imported.output).output


PIPELINE = importer
