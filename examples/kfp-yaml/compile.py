"""Compiles every KFP pipeline of this corpus to YAML with the pinned KFP SDK.

    python compile.py <out-dir> [name ...]

Each pipelines/<name>.py defines PIPELINE (a @dsl.pipeline function, or a
component for the files that show a component YAML); this writes
<out-dir>/<name>.yaml with kfp.compiler and prints one JSON line per file:
{"name": ..., "yaml": ...} or {"name": ..., "error": ...}. The exit status is 0
even when a file fails to compile, so the caller sees every failure at once.
"""

import importlib.util
import json
import pathlib
import sys
import traceback
import warnings

from kfp import compiler

HERE = pathlib.Path(__file__).resolve().parent


def compile_one(path: pathlib.Path, out_dir: pathlib.Path) -> dict:
    name = path.stem
    try:
        spec = importlib.util.spec_from_file_location(f"kfp_corpus_{name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        target = out_dir / f"{name}.yaml"
        compiler.Compiler().compile(module.PIPELINE, str(target))
        return {"name": name, "yaml": str(target)}
    except Exception:  # report every failure, keep compiling the rest
        return {"name": name, "error": traceback.format_exc(limit=3)}


def main() -> None:
    out_dir = pathlib.Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = set(sys.argv[2:])
    # The SDK warns that its default base image will change; every corpus component names its image.
    warnings.simplefilter("ignore", FutureWarning)
    for path in sorted((HERE / "pipelines").glob("*.py")):
        if path.stem.startswith("_") or (wanted and path.stem not in wanted):
            continue
        print(json.dumps(compile_one(path, out_dir)), flush=True)


if __name__ == "__main__":
    main()
