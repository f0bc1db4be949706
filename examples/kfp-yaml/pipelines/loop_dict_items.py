"""dsl.ParallelFor over a literal list of dicts: the body reads fields of the item. (KFP types
every field like the first one, so both are strings here.)"""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def train(model: str, depth: str) -> str:
    return f"{model}:{depth}"


@dsl.pipeline(name="loop-dict-items")
def loop_dict_items():
    with dsl.ParallelFor([{"model": "tree", "depth": "3"}, {"model": "forest", "depth": "8"}]) as cfg:
        train(model=cfg.model, depth=cfg.depth)


PIPELINE = loop_dict_items
