"""dsl.ParallelFor over a list of artifacts (collected from a first loop): each iteration
gets one artifact."""
from typing import List

from kfp import dsl
from kfp.dsl import Dataset, Input, Output


@dsl.component(base_image="python:3.11-slim")
def make(index: int, data: Output[Dataset]):
    with open(data.path, "w") as f:
        f.write(str(index))


@dsl.component(base_image="python:3.11-slim")
def size(data: Input[Dataset]) -> int:
    return len(open(data.path).read())


@dsl.pipeline(name="inner-makes")
def inner_makes() -> List[Dataset]:
    with dsl.ParallelFor([1, 22, 333]) as i:
        m = make(index=i)
    return dsl.Collected(m.outputs["data"])


@dsl.pipeline(name="loop-over-artifacts")
def loop_over_artifacts():
    made = inner_makes()
    with dsl.ParallelFor(made.output) as data:
        size(data=data)


PIPELINE = loop_over_artifacts
