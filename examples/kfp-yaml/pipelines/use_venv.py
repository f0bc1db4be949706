"""@dsl.component(use_venv=True): the bootstrap installs KFP into a fresh virtualenv."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim", use_venv=True)
def in_venv() -> str:
    import sys

    return sys.prefix


@dsl.pipeline(name="use-venv")
def use_venv() -> str:
    return in_venv().output


PIPELINE = use_venv
