"""Two exit handlers in one pipeline, each with its own exit task; the second group depends on
data from before both."""
from kfp import dsl
from kfp.dsl import PipelineTaskFinalStatus


@dsl.component(base_image="python:3.11-slim")
def prepare() -> str:
    return "prepared"


@dsl.component(base_image="python:3.11-slim")
def step(text: str):
    print(text)


@dsl.component(base_image="python:3.11-slim")
def cleanup(status: PipelineTaskFinalStatus, which: str):
    print(which, status.state)


@dsl.pipeline(name="multiple-exit-handlers")
def multiple_exit_handlers():
    p = prepare()
    first_exit = cleanup(which="first")
    with dsl.ExitHandler(first_exit):
        step(text="in the first group")
    second_exit = cleanup(which="second")
    with dsl.ExitHandler(second_exit):
        step(text=p.output)


PIPELINE = multiple_exit_handlers
