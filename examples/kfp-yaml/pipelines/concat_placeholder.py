"""dsl.ConcatPlaceholder: one argument built from text, an input value and an output's URI."""
from kfp import dsl
from kfp.dsl import Artifact, ConcatPlaceholder, Output


@dsl.container_component
def label(name: str, version: int, marker: Output[Artifact]):
    return dsl.ContainerSpec(
        image="alpine:3.20",
        command=["sh", "-c", 'mkdir -p "$(dirname "$1")" && echo "$0" | tee "$1"'],
        args=[ConcatPlaceholder(["model-", name, "-v", version, "@", marker.uri]), marker.path],
    )


@dsl.pipeline(name="concat-placeholder")
def concat_placeholder(name: str = "forest", version: int = 2):
    label(name=name, version=version)


PIPELINE = concat_placeholder
