"""dsl.importer whose URI is a pipeline parameter."""
from kfp import dsl
from kfp.dsl import Input, Model


@dsl.component(base_image="python:3.11-slim")
def describe(model: Input[Model]) -> str:
    return model.uri


@dsl.pipeline(name="importer-parameter")
def importer_parameter(model_uri: str = "s3://models/forest/1") -> str:
    imported = dsl.importer(artifact_uri=model_uri, artifact_class=Model, reimport=False)
    return describe(model=imported.output).output


PIPELINE = importer_parameter
