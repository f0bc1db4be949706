"""A pipeline used as a component inside a dsl.ParallelFor body, collected after the loop."""
from typing import List

from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def square(x: int) -> int:
    return x * x


@dsl.component(base_image="python:3.11-slim")
def total(xs: List[int]) -> int:
    return sum(xs)


@dsl.pipeline(name="square-it")
def square_it(x: int) -> int:
    return square(x=x).output


@dsl.pipeline(name="pipeline-in-loop")
def pipeline_in_loop(xs: List[int] = [1, 2, 3]) -> int:
    with dsl.ParallelFor(xs) as x:
        s = square_it(x=x)
    return total(xs=dsl.Collected(s.output)).output


PIPELINE = pipeline_in_loop
