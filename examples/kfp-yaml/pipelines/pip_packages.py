"""packages_to_install and pip_index_urls: the component's pip bootstrap installs them (before
KFP itself) from the given index."""
from kfp import dsl


@dsl.component(
    base_image="python:3.11-slim",
    packages_to_install=["six==1.17.0"],
    pip_index_urls=["https://pypi.org/simple"],
)
def uses_six() -> str:
    import six

    return six.__version__


@dsl.pipeline(name="pip-packages")
def pip_packages() -> str:
    return uses_six().output


PIPELINE = pip_packages
