"""kfp-kubernetes: an existing PVC mounted into two tasks, and an in-memory emptyDir."""
from kfp import dsl, kubernetes


@dsl.component(base_image="python:3.11-slim")
def write_shared(text: str):
    with open("/data/shared.txt", "w") as f:
        f.write(text)


@dsl.component(base_image="python:3.11-slim")
def read_shared() -> str:
    return open("/data/shared.txt").read()


@dsl.pipeline(name="k8s-volumes")
def k8s_volumes(text: str = "hello volume") -> str:
    w = write_shared(text=text)
    kubernetes.mount_pvc(w, pvc_name="shared-data", mount_path="/data")
    kubernetes.empty_dir_mount(w, volume_name="scratch", mount_path="/scratch", medium="Memory", size_limit="512Mi")
    r = read_shared().after(w)
    kubernetes.mount_pvc(r, pvc_name="shared-data", mount_path="/data")
    return r.output


PIPELINE = k8s_volumes
