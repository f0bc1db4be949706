"""Optional inputs: a parameter with None as its default and an optional artifact, left unbound
by one task and bound by another."""
from typing import Optional

from kfp import dsl
from kfp.dsl import Dataset, Input, Output


@dsl.component(base_image="python:3.11-slim")
def make(data: Output[Dataset]):
    with open(data.path, "w") as f:
        f.write("rows")


@dsl.component(base_image="python:3.11-slim")
def summarize(label: Optional[str] = None, data: Optional[Input[Dataset]] = None) -> str:
    return f"{label or 'no label'} / {'data' if data is not None else 'no data'}"


@dsl.pipeline(name="optional-inputs")
def optional_inputs():
    summarize()
    m = make()
    summarize(label="labelled", data=m.outputs["data"])


PIPELINE = optional_inputs
