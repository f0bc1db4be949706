"""task.set_env_variable: environment variables of a step."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def show_env() -> str:
    import os

    return f"{os.environ['STAGE']}:{os.environ['LOG_LEVEL']}"


@dsl.pipeline(name="env-variables")
def env_variables() -> str:
    return show_env().set_env_variable("STAGE", "test").set_env_variable("LOG_LEVEL", "debug").output


PIPELINE = env_variables
