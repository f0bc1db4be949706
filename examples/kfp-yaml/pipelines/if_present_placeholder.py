"""dsl.IfPresentPlaceholder: an optional input adds arguments only when it is given; one task
gives it, one does not."""
from typing import Optional

from kfp import dsl
from kfp.dsl import IfPresentPlaceholder


@dsl.container_component
def greet(name: str, greeting: Optional[str] = None):
    return dsl.ContainerSpec(
        image="alpine:3.20",
        command=["echo"],
        args=[
            IfPresentPlaceholder(input_name="greeting", then=[greeting], else_=["Hello"]),
            name,
        ],
    )


@dsl.pipeline(name="if-present-placeholder")
def if_present_placeholder(name: str = "Kiln"):
    greet(name=name).set_display_name("default greeting")
    greet(name=name, greeting="Howdy").set_display_name("custom greeting")


PIPELINE = if_present_placeholder
