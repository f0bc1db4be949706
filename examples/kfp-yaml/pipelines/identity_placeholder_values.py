"""An identity placeholder passed as an input value (KFP's driver substitutes it at run time).
Kiln substitutes identity placeholders in commands only, so this is refused."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def log_run(job: str, task: str):
    print(job, task)


@dsl.pipeline(name="identity-placeholder-values")
def identity_placeholder_values():
    log_run(job=dsl.PIPELINE_JOB_NAME_PLACEHOLDER, task=dsl.PIPELINE_TASK_NAME_PLACEHOLDER)


PIPELINE = identity_placeholder_values
