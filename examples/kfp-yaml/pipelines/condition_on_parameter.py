"""Conditions on pipeline parameters (bool and string), with the legacy dsl.Condition too."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def say(text: str):
    print(text)


@dsl.pipeline(name="condition-on-parameter")
def condition_on_parameter(deploy: bool = False, env: str = "staging"):
    with dsl.If(deploy == True):
        say(text="deploying")
    with dsl.Condition(env == "prod"):
        say(text="production")
    with dsl.If(env != "prod"):
        say(text="not production")


PIPELINE = condition_on_parameter
