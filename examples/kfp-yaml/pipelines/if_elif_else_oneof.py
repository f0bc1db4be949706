"""dsl.If / dsl.Elif / dsl.Else on one value, each branch returning a string; dsl.OneOf
passes whichever branch ran to the next task."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def grade(score: int) -> int:
    return score


@dsl.component(base_image="python:3.11-slim")
def label(text: str) -> str:
    return text


@dsl.component(base_image="python:3.11-slim")
def announce(text: str) -> str:
    print(f"grade: {text}")
    return text


@dsl.pipeline(name="if-elif-else-oneof")
def if_elif_else_oneof(score: int = 72) -> str:
    g = grade(score=score)
    with dsl.If(g.output >= 90):
        a = label(text="A")
    with dsl.Elif(g.output >= 70):
        b = label(text="B")
    with dsl.Elif(g.output >= 50):
        c = label(text="C")
    with dsl.Else():
        f = label(text="F")
    return announce(text=dsl.OneOf(a.output, b.output, c.output, f.output)).output


PIPELINE = if_elif_else_oneof
