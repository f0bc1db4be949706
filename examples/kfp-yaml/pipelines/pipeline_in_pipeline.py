"""A pipeline used as a component: its own inputs, tasks and returned output."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def add(a: int, b: int) -> int:
    return a + b


@dsl.pipeline(name="add-three")
def add_three(x: int) -> int:
    first = add(a=x, b=1)
    return add(a=first.output, b=2).output


@dsl.pipeline(name="pipeline-in-pipeline")
def pipeline_in_pipeline(x: int = 10) -> int:
    inner = add_three(x=x)
    return add(a=inner.output, b=100).output


PIPELINE = pipeline_in_pipeline
