"""An exit handler around a task that fails: the exit task still runs and sees FAILED; the
task after the failing one does not run."""
from kfp import dsl
from kfp.dsl import PipelineTaskFinalStatus


@dsl.component(base_image="python:3.11-slim")
def fail(message: str):
    import sys

    print(message)
    sys.exit(1)


@dsl.component(base_image="python:3.11-slim")
def never(text: str):
    print(text)


@dsl.component(base_image="python:3.11-slim")
def report(status: PipelineTaskFinalStatus) -> str:
    print(status.state, status.error_message)
    return status.state


@dsl.pipeline(name="exit-handler-failure")
def exit_handler_failure():
    r = report()
    with dsl.ExitHandler(r):
        f = fail(message="boom")
        never(text="skipped").after(f)


PIPELINE = exit_handler_failure
