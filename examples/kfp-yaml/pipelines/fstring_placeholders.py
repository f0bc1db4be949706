"""Placeholders inside f-strings in a container's arguments: each becomes a concatenation."""
from kfp import dsl
from kfp.dsl import Dataset, Output


@dsl.container_component
def export(table: str, rows: int, data: Output[Dataset]):
    return dsl.ContainerSpec(
        image="alpine:3.20",
        command=["sh", "-c", 'echo "$0 $1"; mkdir -p "$(dirname "$2")"; echo "$0" > "$2"'],
        args=[f"--table={table}", f"--limit={rows}rows", f"{data.path}"],
    )


@dsl.pipeline(name="fstring-placeholders")
def fstring_placeholders(table: str = "iris", rows: int = 10):
    export(table=table, rows=rows)


PIPELINE = fstring_placeholders
