"""InputPath / OutputPath in a lightweight Python component: the function gets file paths."""
from kfp import dsl
from kfp.dsl import InputPath, OutputPath


@dsl.component(base_image="python:3.11-slim")
def write_numbers(count: int, numbers: OutputPath("Dataset")):
    with open(numbers, "w") as f:
        f.write("\n".join(str(i) for i in range(1, count + 1)))


@dsl.component(base_image="python:3.11-slim")
def total(numbers: InputPath("Dataset"), result: OutputPath(int)):
    with open(numbers) as f:
        value = sum(int(line) for line in f if line.strip())
    with open(result, "w") as f:
        f.write(str(value))


@dsl.pipeline(name="input-output-path")
def input_output_path(count: int = 4) -> int:
    w = write_numbers(count=count)
    return total(numbers=w.outputs["numbers"]).outputs["result"]


PIPELINE = input_output_path
