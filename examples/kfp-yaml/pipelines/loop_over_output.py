"""dsl.ParallelFor over the list an upstream task returns."""
from typing import List

from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def make_batches(count: int) -> List[int]:
    return list(range(count))


@dsl.component(base_image="python:3.11-slim")
def handle(batch: int) -> str:
    return f"batch {batch}"


@dsl.pipeline(name="loop-over-output")
def loop_over_output(count: int = 3):
    batches = make_batches(count=count)
    with dsl.ParallelFor(batches.output) as batch:
        handle(batch=batch)


PIPELINE = loop_over_output
