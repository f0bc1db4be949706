"""dsl.PipelineConfig: a deadline for the whole run and how long finished pods are kept."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def step():
    print("step")


@dsl.pipeline(
    name="pipeline-config",
    pipeline_config=dsl.PipelineConfig(active_deadline_seconds=3600, ttl_seconds_after_finished=600),
)
def pipeline_config():
    step()


PIPELINE = pipeline_config
