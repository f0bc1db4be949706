"""dsl.ExitHandler: the exit task runs after the guarded tasks whatever happens, and reads
their final status through PipelineTaskFinalStatus."""
from kfp import dsl
from kfp.dsl import PipelineTaskFinalStatus


@dsl.component(base_image="python:3.11-slim")
def work(text: str) -> str:
    print(text)
    return text


@dsl.component(base_image="python:3.11-slim")
def notify(status: PipelineTaskFinalStatus, channel: str):
    print(f"[{channel}] {status.pipeline_task_name}: {status.state}")


@dsl.pipeline(name="exit-handler")
def exit_handler(channel: str = "#ml"):
    done = notify(channel=channel)
    with dsl.ExitHandler(done, name="guarded"):
        first = work(text="one")
        work(text="two").after(first)


PIPELINE = exit_handler
