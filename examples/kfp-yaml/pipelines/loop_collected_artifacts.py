"""dsl.Collected of artifacts: each iteration writes a Dataset; a task after the loop gets the
list (Input[List[Dataset]])."""
from typing import List

from kfp import dsl
from kfp.dsl import Dataset, Input, Output


@dsl.component(base_image="python:3.11-slim")
def make_part(index: int, part: Output[Dataset]):
    with open(part.path, "w") as f:
        f.write(f"part {index}")
    part.metadata["index"] = index


@dsl.component(base_image="python:3.11-slim")
def merge(parts: Input[List[Dataset]]) -> str:
    return "|".join(open(p.path).read() for p in parts)


@dsl.pipeline(name="loop-collected-artifacts")
def loop_collected_artifacts() -> str:
    with dsl.ParallelFor([0, 1, 2]) as i:
        p = make_part(index=i)
    return merge(parts=dsl.Collected(p.outputs["part"])).output


PIPELINE = loop_collected_artifacts
