"""dsl.importer metadata built from pipeline parameters at run time: Kiln's importer metadata is
fixed when the pipeline is compiled, so this is refused."""
from kfp import dsl
from kfp.dsl import Dataset


@dsl.pipeline(name="importer-dynamic-metadata")
def importer_dynamic_metadata(owner: str = "data-team"):
    dsl.importer(artifact_uri="gs://b/data.csv", artifact_class=Dataset, metadata={"owner": owner})


PIPELINE = importer_dynamic_metadata
