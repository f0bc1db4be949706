"""A container component compiled on its own to component YAML."""
from kfp import dsl
from kfp.dsl import Dataset, Output, OutputPath


@dsl.container_component
def download(url: str, data: Output[Dataset], size: OutputPath(int)):
    return dsl.ContainerSpec(
        image="curlimages/curl:8.10.1",
        command=["sh", "-c", 'curl -sSfo "$1" "$0" && wc -c < "$1" > "$2"'],
        args=[url, data.path, size],
    )


PIPELINE = download
