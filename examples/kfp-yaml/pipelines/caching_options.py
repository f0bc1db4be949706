"""task.set_caching_options: caching on (KFP's default), off, and on with a cache key."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def compute(x: int) -> int:
    return x + 1


@dsl.pipeline(name="caching-options")
def caching_options():
    compute(x=1)
    compute(x=2).set_caching_options(False)
    compute(x=3).set_caching_options(True, cache_key="v2")


PIPELINE = caching_options
