"""CPU and memory requests and limits, and an accelerator: nvidia.com/gpu with a count is a
resource in the pod's limits."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def train(epochs: int) -> int:
    return epochs


@dsl.pipeline(name="resources-accelerators")
def resources_accelerators():
    (
        train(epochs=1)
        .set_cpu_request("500m")
        .set_cpu_limit("2")
        .set_memory_request("1Gi")
        .set_memory_limit("4Gi")
    )
    train(epochs=2).set_accelerator_type("nvidia.com/gpu").set_accelerator_limit(2)


PIPELINE = resources_accelerators
