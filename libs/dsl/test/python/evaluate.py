"""A KFP author's component, kept as it was: decorator, annotations, OutputPath."""
from kfp import dsl
from kfp.dsl import Input, Model, OutputPath


@dsl.component(base_image="python:3.11-slim")
def evaluate(model: Input[Model], min_accuracy: float, decision: OutputPath(str)):
    with open(decision, "w") as f:
        f.write("yes" if min_accuracy < 0.9 else "no")
