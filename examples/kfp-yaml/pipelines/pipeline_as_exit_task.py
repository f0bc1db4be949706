"""The exit task of an exit handler is itself a pipeline (a graph component) that takes the
final status and branches on it."""
from kfp import dsl
from kfp.dsl import PipelineTaskFinalStatus


@dsl.component(base_image="python:3.11-slim")
def work():
    print("working")


@dsl.component(base_image="python:3.11-slim")
def log_status(status: dict) -> str:
    # Inside the exit pipeline the final status arrives as a plain dict (KFP passes the struct).
    return status["state"]


@dsl.component(base_image="python:3.11-slim")
def archive(state: str):
    print("archived after", state)


@dsl.pipeline(name="teardown")
def teardown(status: PipelineTaskFinalStatus):
    s = log_status(status=status)
    with dsl.If(s.output == "FAILED"):
        archive(state=s.output)


@dsl.pipeline(name="pipeline-as-exit-task")
def pipeline_as_exit_task():
    t = teardown()
    with dsl.ExitHandler(t):
        work()


PIPELINE = pipeline_as_exit_task
