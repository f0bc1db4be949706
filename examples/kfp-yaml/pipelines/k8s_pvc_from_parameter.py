"""kfp-kubernetes mount_pvc with the claim name from a pipeline parameter: Kiln's volumes are
fixed at compile time, so this is refused."""
from kfp import dsl, kubernetes


@dsl.component(base_image="python:3.11-slim")
def use_data():
    print("using /data")


@dsl.pipeline(name="k8s-pvc-from-parameter")
def k8s_pvc_from_parameter(claim: str = "datasets"):
    task = use_data()
    kubernetes.mount_pvc(task, pvc_name=claim, mount_path="/data")


PIPELINE = k8s_pvc_from_parameter
