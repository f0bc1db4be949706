"""Runs a compiled KFP pipeline YAML under kfp.local.SubprocessRunner and times it.

    python kfp_local_run.py <pipeline.yaml> <pipeline-root>

The YAML is loaded with kfp.components.load_component_from_file and called with its defaults
inside kfp.local (SubprocessRunner, use_venv=False: steps run this interpreter, whose venv has
kfp, so each step's `pip install kfp==...` bootstrap finds it already installed). Prints one JSON
line: {"seconds": wall time of the pipeline call, "output": its output}.
"""
import json
import sys
import time

from kfp import components, local


def main():
    path, root = sys.argv[1], sys.argv[2]
    local.init(runner=local.SubprocessRunner(use_venv=False), pipeline_root=root, raise_on_error=True)
    pipeline = components.load_component_from_file(path)
    t0 = time.perf_counter()
    task = pipeline()
    seconds = time.perf_counter() - t0
    output = task.output if hasattr(task, "output") else None
    print(json.dumps({"seconds": seconds, "output": output}))


if __name__ == "__main__":
    main()
