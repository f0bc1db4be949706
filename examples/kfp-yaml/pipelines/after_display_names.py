"""task.after(): ordering without data; set_display_name(): a task's display name."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def step(text: str):
    print(text)


@dsl.pipeline(name="after-display-names")
def after_display_names():
    a = step(text="first").set_display_name("Step A")
    b = step(text="second").set_display_name("Step B")
    step(text="last").after(a, b)


PIPELINE = after_display_names
