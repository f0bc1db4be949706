"""A condition inside a loop body, and dsl.Collected of the conditional task's output: only
iterations where it ran contribute."""
from typing import List

from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def keep(x: int) -> int:
    return x


@dsl.component(base_image="python:3.11-slim")
def show(xs: List[int]) -> str:
    return str(xs)


@dsl.pipeline(name="loop-condition-collected")
def loop_condition_collected(values: List[int] = [1, 5, 2, 8]) -> str:
    with dsl.ParallelFor(values) as v:
        with dsl.If(v > 3):
            k = keep(x=v)
    return show(xs=dsl.Collected(k.output)).output


PIPELINE = loop_condition_collected
