"""dsl.OneOf returned as the pipeline's output."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def pick(flag: bool) -> bool:
    return flag


@dsl.component(base_image="python:3.11-slim")
def say(text: str) -> str:
    return text


@dsl.pipeline(name="oneof-pipeline-output")
def oneof_pipeline_output(flag: bool = True) -> str:
    p = pick(flag=flag)
    with dsl.If(p.output == True):
        yes = say(text="yes")
    with dsl.Else():
        no = say(text="no")
    return dsl.OneOf(yes.output, no.output)


PIPELINE = oneof_pipeline_output
