"""dsl.ParallelFor over a literal list: the body runs once per item."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def square(x: int) -> int:
    return x * x


@dsl.pipeline(name="loop-literal")
def loop_literal():
    with dsl.ParallelFor([1, 2, 3]) as x:
        square(x=x)


PIPELINE = loop_literal
