"""kfp-kubernetes CreatePVC / DeletePVC: tasks KFP's backend performs itself (their images are
stubs), and a mount of the PVC they create. Kiln does not manage PVCs, so this is refused."""
from kfp import dsl, kubernetes


@dsl.component(base_image="python:3.11-slim")
def use_volume():
    print("using /data")


@dsl.pipeline(name="k8s-create-pvc")
def k8s_create_pvc():
    pvc = kubernetes.CreatePVC(pvc_name_suffix="-scratch", access_modes=["ReadWriteOnce"], size="1Gi")
    task = use_volume()
    kubernetes.mount_pvc(task, pvc_name=pvc.outputs["name"], mount_path="/data")
    kubernetes.DeletePVC(pvc_name=pvc.outputs["name"]).after(task)


PIPELINE = k8s_create_pvc
