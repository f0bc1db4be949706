"""ignore_upstream_failure(): a task that runs after its upstream even when it failed (its
input has a default for when the upstream produced nothing)."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def flaky(should_fail: bool) -> str:
    if should_fail:
        raise RuntimeError("failed on purpose")
    return "ok"


@dsl.component(base_image="python:3.11-slim")
def always(upstream: str = "no result"):
    print("upstream said:", upstream)


@dsl.pipeline(name="ignore-upstream-failure")
def ignore_upstream_failure(should_fail: bool = True):
    f = flaky(should_fail=should_fail)
    always(upstream=f.output).ignore_upstream_failure()


PIPELINE = ignore_upstream_failure
