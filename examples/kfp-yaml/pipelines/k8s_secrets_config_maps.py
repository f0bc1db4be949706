"""kfp-kubernetes: a secret as environment variables and as files, a config map likewise."""
from kfp import dsl, kubernetes


@dsl.component(base_image="python:3.11-slim")
def connect() -> str:
    import os

    return f"{os.environ['DB_USER']}@{os.environ['DB_HOST']} {sorted(os.listdir('/etc/tls'))}"


@dsl.pipeline(name="k8s-secrets-config-maps")
def k8s_secrets_config_maps() -> str:
    task = connect()
    kubernetes.use_secret_as_env(task, secret_name="db-credentials", secret_key_to_env={"username": "DB_USER"})
    kubernetes.use_secret_as_volume(task, secret_name="tls-cert", mount_path="/etc/tls")
    kubernetes.use_config_map_as_env(task, config_map_name="db-config", config_map_key_to_env={"host": "DB_HOST"})
    kubernetes.use_config_map_as_volume(task, config_map_name="app-config", mount_path="/etc/app")
    return task.output


PIPELINE = k8s_secrets_config_maps
