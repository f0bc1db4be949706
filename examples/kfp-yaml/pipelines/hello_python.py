"""A lightweight Python component: one parameter in, one returned, the pipeline's output."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def greet(name: str) -> str:
    message = f"Hello, {name}!"
    print(message)
    return message


@dsl.pipeline(name="hello-python", description="One lightweight Python component.")
def hello_python(name: str = "Kiln") -> str:
    return greet(name=name).output


PIPELINE = hello_python
