"""dsl.PipelineConfig(workspace=...): a volume shared by every task of the run (KFP ≥ 2.14).
Kiln has no pipeline workspace, so this is refused."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def write(path: str):
    with open(path, "w") as f:
        f.write("hi")


@dsl.pipeline(
    name="pipeline-workspace",
    pipeline_config=dsl.PipelineConfig(workspace=dsl.WorkspaceConfig(size="1Gi")),
)
def pipeline_workspace():
    write(path=dsl.WORKSPACE_PATH_PLACEHOLDER + "/hello.txt")


PIPELINE = pipeline_workspace
