"""Nested dsl.ParallelFor: an inner loop over a parameter inside an outer loop over a literal;
the inner body uses both items."""
from typing import List

from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def pair(a: str, b: int) -> str:
    return f"{a}{b}"


@dsl.pipeline(name="nested-loops")
def nested_loops(numbers: List[int] = [1, 2]):
    with dsl.ParallelFor(["x", "y"]) as letter:
        with dsl.ParallelFor(numbers) as number:
            pair(a=letter, b=number)


PIPELINE = nested_loops
