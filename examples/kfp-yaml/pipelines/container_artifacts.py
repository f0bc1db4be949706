"""Container components passing an artifact: the producer writes Output[Dataset] at its path,
the consumer gets the input's path, URI and metadata as arguments."""
from kfp import dsl
from kfp.dsl import Dataset, Input, Output


@dsl.container_component
def write_rows(rows: int, table: Output[Dataset]):
    return dsl.ContainerSpec(
        image="alpine:3.20",
        command=["sh", "-c", 'mkdir -p "$(dirname "$1")" && seq 1 "$0" > "$1"'],
        args=[rows, table.path],
    )


@dsl.container_component
def count_rows(table: Input[Dataset]):
    return dsl.ContainerSpec(
        image="alpine:3.20",
        command=["sh", "-c", 'wc -l < "$0"; echo "from $1"; echo "metadata $2"'],
        args=[table.path, table.uri, table.metadata],
    )


@dsl.pipeline(name="container-artifacts")
def container_artifacts(rows: int = 5):
    w = write_rows(rows=rows)
    count_rows(table=w.outputs["table"])


PIPELINE = container_artifacts
