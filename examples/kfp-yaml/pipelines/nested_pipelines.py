"""Pipelines inside pipelines, two levels deep, passing an artifact out of the inner ones."""
from kfp import dsl
from kfp.dsl import Dataset, Input, Output


@dsl.component(base_image="python:3.11-slim")
def write(text: str, out: Output[Dataset]):
    with open(out.path, "w") as f:
        f.write(text)


@dsl.component(base_image="python:3.11-slim")
def read(data: Input[Dataset]) -> str:
    return open(data.path).read()


@dsl.pipeline(name="innermost")
def innermost(text: str) -> Dataset:
    return write(text=text).outputs["out"]


@dsl.pipeline(name="middle")
def middle(text: str) -> Dataset:
    return innermost(text=text).output


@dsl.pipeline(name="nested-pipelines")
def nested_pipelines(text: str = "deep") -> str:
    m = middle(text=text)
    return read(data=m.output).output


PIPELINE = nested_pipelines
