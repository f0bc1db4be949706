"""A container component: any image and command; a parameter in, an OutputPath(str) parameter out."""
from kfp import dsl
from kfp.dsl import OutputPath


@dsl.container_component
def shout(text: str, loud: OutputPath(str)):
    return dsl.ContainerSpec(
        image="alpine:3.20",
        command=["sh", "-c", 'mkdir -p "$(dirname "$1")" && echo "$0" | tr a-z A-Z > "$1"'],
        args=[text, loud],
    )


@dsl.container_component
def show(text: str):
    return dsl.ContainerSpec(image="alpine:3.20", command=["echo"], args=[text])


@dsl.pipeline(name="container-component")
def container_component(text: str = "quiet please"):
    s = shout(text=text)
    show(text=s.outputs["loud"])


PIPELINE = container_component
