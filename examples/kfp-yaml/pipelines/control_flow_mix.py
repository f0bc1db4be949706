"""Groups inside groups: a loop and an if/elif/else inside an exit handler, a condition on a
collected value's consumer, and a sub-pipeline inside a condition."""
from typing import List

from kfp import dsl
from kfp.dsl import PipelineTaskFinalStatus


@dsl.component(base_image="python:3.11-slim")
def number(n: int) -> int:
    return n


@dsl.component(base_image="python:3.11-slim")
def total(xs: List[int]) -> int:
    return sum(xs)


@dsl.component(base_image="python:3.11-slim")
def say(text: str) -> str:
    print(text)
    return text


@dsl.component(base_image="python:3.11-slim")
def finish(status: PipelineTaskFinalStatus):
    print(status.state)


@dsl.pipeline(name="report")
def report(value: int) -> str:
    return say(text="big total").output


@dsl.pipeline(name="control-flow-mix")
def control_flow_mix(items: List[int] = [1, 2, 3]):
    f = finish()
    with dsl.ExitHandler(f):
        with dsl.ParallelFor(items) as item:
            n = number(n=item)
        t = total(xs=dsl.Collected(n.output))
        with dsl.If(t.output > 5):
            report(value=t.output)
        with dsl.Elif(t.output > 2):
            say(text="medium total")
        with dsl.Else():
            say(text="small total")


PIPELINE = control_flow_mix
