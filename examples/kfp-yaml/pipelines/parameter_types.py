"""Every parameter type: str, int, float, bool, list and dict, as pipeline parameters with
defaults, as component inputs and as returned values."""
from typing import Dict, List, NamedTuple

from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def describe(
    text: str, count: int, ratio: float, flag: bool, items: List[int], options: Dict[str, str]
) -> NamedTuple("Described", [("text", str), ("count", int), ("ratio", float), ("flag", bool), ("items", list), ("options", dict)]):
    from collections import namedtuple

    described = namedtuple("Described", ["text", "count", "ratio", "flag", "items", "options"])
    return described(text.upper(), count * 2, ratio / 2, not flag, items + [count], {**options, "seen": "yes"})


@dsl.component(base_image="python:3.11-slim")
def show(text: str, count: int, ratio: float, flag: bool, items: List[int], options: Dict[str, str]) -> str:
    line = f"{text} {count} {ratio} {flag} {items} {sorted(options.items())}"
    print(line)
    return line


@dsl.pipeline(name="parameter-types")
def parameter_types(
    text: str = "kiln",
    count: int = 3,
    ratio: float = 0.5,
    flag: bool = True,
    items: List[int] = [1, 2],
    options: Dict[str, str] = {"mode": "fast"},
) -> str:
    d = describe(text=text, count=count, ratio=ratio, flag=flag, items=items, options=options)
    return show(
        text=d.outputs["text"],
        count=d.outputs["count"],
        ratio=d.outputs["ratio"],
        flag=d.outputs["flag"],
        items=d.outputs["items"],
        options=d.outputs["options"],
    ).output


PIPELINE = parameter_types
