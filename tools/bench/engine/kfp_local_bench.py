#!/usr/bin/env python3
"""KFP peer of the engine benchmark: a chain of no-op steps and a ParallelFor loop of no-op steps
through kfp.local.SubprocessRunner(use_venv=False). Called once per repetition by bench.ts so the
KFP runs interleave with Kiln's in one benchmark run.

    PY=$(tools/bench/kfp/setup.sh)
    "$PY" tools/bench/engine/kfp_local_bench.py --shape chain --n 50
    "$PY" tools/bench/engine/kfp_local_bench.py --shape loop --n 1000

The step is a lightweight Python component whose body is `pass` with install_kfp_package=False
(no pip preamble): SubprocessRunner refuses container components, so a `true` container step is not
possible; each KFP step is therefore a Python process that imports the KFP executor.
Times only the pipeline call (not this interpreter's start or kfp import). Prints one JSON line.
"""

import argparse
import contextlib
import json
import sys
import tempfile
import time

import kfp
from kfp import dsl, local


@dsl.component(base_image='python:3.11-slim', install_kfp_package=False)
def noop():
    pass


def chain(n: int):
    @dsl.pipeline(name=f'bench-chain-{n}')
    def p():
        prev = None
        for _ in range(n):
            t = noop()
            if prev is not None:
                t.after(prev)
            prev = t
    return p


def loop(n: int):
    @dsl.pipeline(name=f'bench-loop-{n}')
    def p():
        with dsl.ParallelFor(list(range(n))):
            noop()
    return p


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--shape', choices=['chain', 'loop'], required=True)
    ap.add_argument('--n', type=int, required=True)
    args = ap.parse_args()
    root = tempfile.mkdtemp(prefix='kfp-engine-bench-')
    local.init(runner=local.SubprocessRunner(use_venv=False), pipeline_root=root, raise_on_error=True)
    pipe = (chain if args.shape == 'chain' else loop)(args.n)
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):  # kfp.local logs each step on stdout
        pipe()
    wall_ms = (time.perf_counter() - t0) * 1000.0
    print(json.dumps({'tool': 'kfp-local', 'kfp': kfp.__version__, 'shape': args.shape, 'n': args.n,
                      'wall_ms': round(wall_ms, 1), 'pipeline_root': root}), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
