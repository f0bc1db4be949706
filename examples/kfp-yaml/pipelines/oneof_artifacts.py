"""dsl.OneOf of artifacts: each branch writes a Dataset, the consumer gets the one that exists."""
from kfp import dsl
from kfp.dsl import Dataset, Input, Output


@dsl.component(base_image="python:3.11-slim")
def choose(mode: str) -> str:
    return mode


@dsl.component(base_image="python:3.11-slim")
def write(text: str, data: Output[Dataset]):
    with open(data.path, "w") as f:
        f.write(text)


@dsl.component(base_image="python:3.11-slim")
def read(data: Input[Dataset]) -> str:
    return open(data.path).read()


@dsl.pipeline(name="oneof-artifacts")
def oneof_artifacts(mode: str = "full") -> str:
    c = choose(mode=mode)
    with dsl.If(c.output == "full"):
        full = write(text="all rows")
    with dsl.Else():
        sample = write(text="a sample")
    return read(data=dsl.OneOf(full.outputs["data"], sample.outputs["data"])).output


PIPELINE = oneof_artifacts
