"""dsl.Collected from an inner loop: a list per outer iteration, then collected over the
outer loop; and dsl.Collected of the inner task straight from outside both loops (a list per
outer iteration of the inner values)."""
from typing import List

from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def times(a: int, b: int) -> int:
    return a * b


@dsl.component(base_image="python:3.11-slim")
def row_sum(xs: List[int]) -> int:
    return sum(xs)


@dsl.component(base_image="python:3.11-slim")
def grand_total(xs: List[int]) -> int:
    return sum(xs)


@dsl.component(base_image="python:3.11-slim")
def show(xs: List[List[int]]) -> str:
    return str(xs)


@dsl.pipeline(name="nested-loops-collected")
def nested_loops_collected():
    with dsl.ParallelFor([1, 2, 3]) as a:
        with dsl.ParallelFor([10, 20]) as b:
            t = times(a=a, b=b)
        r = row_sum(xs=dsl.Collected(t.output))
    grand_total(xs=dsl.Collected(r.output))
    show(xs=dsl.Collected(t.output))


PIPELINE = nested_loops_collected
