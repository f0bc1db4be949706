"""kfp-kubernetes use_field_path_as_env (the Kubernetes downward API): Kiln has no setting for
it, so the translation is refused."""
from kfp import dsl, kubernetes


@dsl.component(base_image="python:3.11-slim")
def whereami() -> str:
    import os

    return os.environ["POD_NAME"]


@dsl.pipeline(name="k8s-field-path-env")
def k8s_field_path_env():
    task = whereami()
    kubernetes.use_field_path_as_env(task, env_name="POD_NAME", field_path="metadata.name")


PIPELINE = k8s_field_path_env
