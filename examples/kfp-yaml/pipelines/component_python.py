"""A lightweight Python component compiled on its own to component YAML (what
kfp.components.load_component_from_file reads), with an artifact input and a default."""
from kfp import dsl
from kfp.dsl import Dataset, Input, Model, Output


@dsl.component(base_image="python:3.11-slim", packages_to_install=["six==1.17.0"])
def fit(data: Input[Dataset], model: Output[Model], rounds: int = 3) -> float:
    with open(model.path, "w") as f:
        f.write(f"{rounds} rounds on {data.uri}")
    return 0.5


PIPELINE = fit
