"""dsl.Collected of artifacts straight out of two nested loops. Kiln collects artifacts one loop
level at a time, so this is refused (collect inside the outer loop, as nested_loops_collected
does for parameters, or return the inner list from a sub-pipeline)."""
from typing import List

from kfp import dsl
from kfp.dsl import Dataset, Input, Output


@dsl.component(base_image="python:3.11-slim")
def make(a: int, b: int, data: Output[Dataset]):
    with open(data.path, "w") as f:
        f.write(f"{a}x{b}")


@dsl.component(base_image="python:3.11-slim")
def count(parts: Input[List[Dataset]]) -> int:
    return len(parts)


@dsl.pipeline(name="nested-loops-collected-artifacts")
def nested_loops_collected_artifacts():
    with dsl.ParallelFor([1, 2]) as a:
        with dsl.ParallelFor([3, 4]) as b:
            m = make(a=a, b=b)
    count(parts=dsl.Collected(m.outputs["data"]))


PIPELINE = nested_loops_collected_artifacts
