"""dsl.If on an upstream string output: the body runs only when it holds."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def flip(outcome: str) -> str:
    # Deterministic stand-in for a coin: returns what it is given.
    return outcome


@dsl.component(base_image="python:3.11-slim")
def say(text: str):
    print(text)


@dsl.pipeline(name="condition-if")
def condition_if(outcome: str = "heads"):
    f = flip(outcome=outcome)
    with dsl.If(f.output == "heads", name="on-heads"):
        say(text="it was heads")
    say(text="done").after(f)


PIPELINE = condition_if
