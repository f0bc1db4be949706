"""A dsl.If inside a dsl.If, the inner one testing a pipeline parameter and an upstream output."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def roll(value: int) -> int:
    return value


@dsl.component(base_image="python:3.11-slim")
def say(text: str):
    print(text)


@dsl.pipeline(name="nested-conditions")
def nested_conditions(value: int = 4, verbose: bool = True):
    r = roll(value=value)
    with dsl.If(r.output > 2):
        say(text="big")
        with dsl.If(verbose == True):
            say(text="and verbose")
            with dsl.If(r.output == 4):
                say(text="exactly four")


PIPELINE = nested_conditions
