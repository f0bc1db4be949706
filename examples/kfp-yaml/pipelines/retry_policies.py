"""task.set_retry: retries with the default backoff, and with backoff, factor and maximum."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def unstable(attempts_needed: int) -> str:
    return f"needs {attempts_needed}"


@dsl.pipeline(name="retry-policies")
def retry_policies():
    unstable(attempts_needed=1).set_retry(num_retries=3)
    unstable(attempts_needed=2).set_retry(
        num_retries=2, backoff_duration="5s", backoff_factor=3, backoff_max_duration="60s"
    )
    unstable(attempts_needed=0)


PIPELINE = retry_policies
