"""kfp-kubernetes scheduling and pod settings: node selector, toleration, node affinity, pod
labels and annotations, image pull policy and secrets, and a timeout."""
from kfp import dsl, kubernetes


@dsl.component(base_image="python:3.11-slim")
def train() -> str:
    return "trained"


@dsl.pipeline(name="k8s-scheduling")
def k8s_scheduling():
    task = train()
    kubernetes.add_node_selector(task, label_key="cloud.google.com/gke-nodepool", label_value="gpu-pool")
    kubernetes.add_toleration(task, key="nvidia.com/gpu", operator="Exists", effect="NoSchedule")
    kubernetes.add_node_affinity(
        task, match_expressions=[{"key": "topology.kubernetes.io/zone", "operator": "In", "values": ["a", "b"]}]
    )
    kubernetes.add_node_affinity(
        task, match_expressions=[{"key": "disktype", "operator": "In", "values": ["ssd"]}], weight=50
    )
    kubernetes.add_pod_label(task, label_key="team", label_value="ml")
    kubernetes.add_pod_annotation(task, annotation_key="owner", annotation_value="alice")
    kubernetes.set_image_pull_policy(task, "IfNotPresent")
    kubernetes.set_image_pull_secrets(task, ["registry-credentials"])
    kubernetes.set_timeout(task, 600)


PIPELINE = k8s_scheduling
