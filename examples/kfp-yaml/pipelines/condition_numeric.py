"""Conditions on numbers: an int output against an int, a float output against a float
parameter, an int against a float (KFP casts with int() and double()), and != on an int."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def measure(n: int) -> int:
    return n


@dsl.component(base_image="python:3.11-slim")
def ratio(n: int) -> float:
    return n / 10


@dsl.component(base_image="python:3.11-slim")
def say(text: str):
    print(text)


@dsl.pipeline(name="condition-numeric")
def condition_numeric(n: int = 7, threshold: float = 0.5):
    m = measure(n=n)
    r = ratio(n=n)
    with dsl.If(m.output > 5):
        say(text="more than five")
    with dsl.If(r.output >= threshold):
        say(text="ratio at or above the threshold")
    with dsl.If(m.output < 7.5):
        say(text="below seven and a half")
    with dsl.If(m.output != 3):
        say(text="not three")


PIPELINE = condition_numeric
