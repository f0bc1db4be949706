"""dsl.Collected: the outputs of every iteration, as one list, fed to a task after the loop
and returned by the pipeline."""
from typing import List

from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def double(x: int) -> int:
    return 2 * x


@dsl.component(base_image="python:3.11-slim")
def add_all(xs: List[int]) -> int:
    return sum(xs)


@dsl.pipeline(name="loop-collected-parameters")
def loop_collected_parameters(xs: List[int] = [1, 2, 3]) -> List[int]:
    with dsl.ParallelFor(xs) as x:
        d = double(x=x)
    add_all(xs=dsl.Collected(d.output))
    return dsl.Collected(d.output)


PIPELINE = loop_collected_parameters
