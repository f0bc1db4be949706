"""A component returning several named outputs (a NamedTuple) next to an output artifact."""
from typing import NamedTuple

from kfp import dsl
from kfp.dsl import Dataset, Input, Output


@dsl.component(base_image="python:3.11-slim")
def split(text: str, words: Output[Dataset]) -> NamedTuple("Split", [("first", str), ("count", int)]):
    parts = text.split()
    with open(words.path, "w") as f:
        f.write("\n".join(parts))
    from collections import namedtuple

    return namedtuple("Split", ["first", "count"])(parts[0], len(parts))


@dsl.component(base_image="python:3.11-slim")
def report(first: str, count: int, words: Input[Dataset]) -> str:
    with open(words.path) as f:
        lines = f.read().splitlines()
    return f"{count} words, first {first}, last {lines[-1]}"


@dsl.pipeline(name="named-tuple-outputs")
def named_tuple_outputs(text: str = "one two three") -> str:
    s = split(text=text)
    return report(first=s.outputs["first"], count=s.outputs["count"], words=s.outputs["words"]).output


PIPELINE = named_tuple_outputs
