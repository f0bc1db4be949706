"""An f-string of pipeline channels as an input value (KFP's driver interpolates it at run
time): Kiln has no string interpolation of upstream values, so this is refused."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def make_name(base: str) -> str:
    return base


@dsl.component(base_image="python:3.11-slim")
def say(text: str):
    print(text)


@dsl.pipeline(name="fstring-input-values")
def fstring_input_values(user: str = "ada"):
    n = make_name(base="model")
    say(text=f"{n.output} trained for {user}")


PIPELINE = fstring_input_values
