"""KFP's identity placeholders in a container's arguments: job name, job id, task name."""
from kfp import dsl


@dsl.container_component
def whoami():
    return dsl.ContainerSpec(
        image="alpine:3.20",
        command=["echo"],
        args=[
            "job",
            dsl.PIPELINE_JOB_NAME_PLACEHOLDER,
            "id",
            dsl.PIPELINE_JOB_ID_PLACEHOLDER,
            "task",
            dsl.PIPELINE_TASK_NAME_PLACEHOLDER,
            f"run={dsl.PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER}",
        ],
    )


@dsl.pipeline(name="identity-placeholders")
def identity_placeholders():
    whoami()


PIPELINE = identity_placeholders
