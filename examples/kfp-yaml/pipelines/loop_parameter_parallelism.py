"""dsl.ParallelFor over a list pipeline parameter, at most two iterations at a time."""
from typing import List

from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def process(shard: str) -> str:
    return shard.upper()


@dsl.pipeline(name="loop-parameter-parallelism")
def loop_parameter_parallelism(shards: List[str] = ["a", "b", "c", "d"]):
    with dsl.ParallelFor(shards, parallelism=2) as shard:
        process(shard=shard)


PIPELINE = loop_parameter_parallelism
