#!/usr/bin/env python3
"""Compile-time and IR-size benchmark for the KFP SDK: the peer side of Kiln's compile benchmark.

Run it with the interpreter that tools/bench/kfp/setup.sh prints:

    PY=$(tools/bench/kfp/setup.sh)
    "$PY" tools/bench/kfp/compile_bench.py --sizes 100,1000,10000 --runs 5 --max-seconds 120

Shapes (N = total number of tasks in the pipeline, including source and sink):
  chain    step-1 takes the pipeline parameter `seed`; step-i takes step-(i-1)'s string output.
  fanout   one `source` task; N-2 `consumer-i` tasks each take source's output; one `sink` task that
           takes source's output and runs `.after()` every consumer (a task input per consumer is not
           expressible for a single KFP component without N-2 declared inputs, so the fan-in is a
           dependency-only edge). Kiln's side must build the same graph: sink depends on all consumers.

Each task uses the same tiny component: one string input `text`, one string output `out`.
  --component container  (default) a container component: image + `sh -c` command, placeholders only.
  --component python     a lightweight @dsl.component: KFP embeds the function source and a pip-install
                         preamble in every executor, so the IR is much larger per task.

What one run measures (time.perf_counter, wall clock, one process; --warmup runs are untimed):
  define   applying @dsl.pipeline: KFP traces the function AND builds the whole pipeline_spec proto
           here (GraphComponent), so most of KFP's compile work lands in this part;
  compile  Compiler().compile(): serialises that spec to YAML in a temporary file.
median_ms is the median of define+compile. IR size = bytes of the compiled YAML file.
KFP 2.17.3 is quadratic in the task count (per-task scans over all sibling task names in
pipeline_spec_builder and utils.make_name_unique_by_adding_index), so 10,000 tasks take minutes:
use --max-seconds to cap the repetitions.

Output: one JSON line per (shape, N) on stdout:
  {"tool": "kfp", "version", "shape", "tasks", "component", "runs", "median_ms", "min_ms",
   "median_define_ms", "median_compile_ms", "ir_bytes", "capped"}
`runs` is the number of timed runs actually done; with --max-seconds, repetition stops once the time
spent on that (shape, N) exceeds the budget (at least one run is always done, so "capped": true
means fewer than --runs runs were done).
"""

# No `from __future__ import annotations`: KFP reads component annotations as real objects.

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time

import kfp
from kfp import compiler, dsl

IMAGE = 'python:3.11-slim'


def make_component(kind: str):
    """A fresh component object: one string in, one string out."""
    if kind == 'container':

        @dsl.container_component
        def step(text: str, out: dsl.OutputPath(str)):
            return dsl.ContainerSpec(
                image=IMAGE,
                command=['sh', '-c', 'mkdir -p "$(dirname "$1")" && printf "%s+" "$0" > "$1"'],
                args=[text, out],
            )

        return step
    if kind == 'python':

        @dsl.component(base_image=IMAGE)
        def step(text: str) -> str:
            return text + '+'

        return step
    raise ValueError(f'unknown component kind {kind!r}')


def output_of(task):
    # container component: named output `out`; python component: the single return value `Output`.
    return task.outputs['out'] if 'out' in task.outputs else task.output


def define_pipeline(shape: str, n: int, component):
    """Builds (traces) the pipeline; returns the GraphComponent."""
    if n < 3:
        raise ValueError('N must be >= 3')

    if shape == 'chain':

        def body(seed: str = 'x'):
            prev = component(text=seed).set_display_name('step-1')
            for i in range(2, n + 1):
                prev = component(text=output_of(prev)).set_display_name(f'step-{i}')

    elif shape == 'fanout':

        def body(seed: str = 'x'):
            source = component(text=seed).set_display_name('source')
            src_out = output_of(source)
            consumers = [
                component(text=src_out).set_display_name(f'consumer-{i}')
                for i in range(1, n - 1)
            ]
            component(text=src_out).set_display_name('sink').after(*consumers)

    else:
        raise ValueError(f'unknown shape {shape!r}')

    body.__name__ = f'bench_{shape}_{n}'
    return dsl.pipeline(name=f'bench-{shape}-{n}')(body)


def one_run(shape: str, n: int, kind: str, path: str) -> tuple[float, float, int]:
    component = make_component(kind)
    t0 = time.perf_counter()
    pipeline_func = define_pipeline(shape, n, component)
    t1 = time.perf_counter()
    compiler.Compiler().compile(pipeline_func=pipeline_func, package_path=path)
    t2 = time.perf_counter()
    return (t1 - t0) * 1000.0, (t2 - t1) * 1000.0, os.path.getsize(path)


def bench(shape: str, n: int, kind: str, runs: int, warmup: int, max_seconds: float | None,
          keep_dir: str | None) -> dict:
    with tempfile.TemporaryDirectory(prefix='kfp-bench-') as tmp:
        path = os.path.join(keep_dir or tmp, f'kfp-{shape}-{n}-{kind}.yaml')
        for _ in range(warmup):
            one_run(shape, n, kind, path)
        totals, defines, compiles, sizes = [], [], [], set()
        started = time.perf_counter()
        for _ in range(runs):
            gc.collect()
            d_ms, c_ms, size = one_run(shape, n, kind, path)
            defines.append(d_ms)
            compiles.append(c_ms)
            totals.append(d_ms + c_ms)
            sizes.add(size)
            if max_seconds is not None and time.perf_counter() - started > max_seconds:
                break
    if len(sizes) != 1:
        print(f'warning: IR size varied between runs: {sorted(sizes)}', file=sys.stderr)
    return {
        'tool': 'kfp',
        'version': kfp.__version__,
        'shape': shape,
        'tasks': n,
        'component': kind,
        'runs': len(totals),
        'median_ms': round(statistics.median(totals), 1),
        'min_ms': round(min(totals), 1),
        'median_define_ms': round(statistics.median(defines), 1),
        'median_compile_ms': round(statistics.median(compiles), 1),
        'ir_bytes': max(sizes),
        'capped': len(totals) < runs,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--sizes', default='100,1000,10000',
                    help='comma-separated task counts (default 100,1000,10000)')
    ap.add_argument('--shapes', default='chain,fanout', help='comma-separated: chain,fanout')
    ap.add_argument('--component', default='container', choices=['container', 'python'])
    ap.add_argument('--runs', type=int, default=5, help='timed runs per (shape, N); median reported')
    ap.add_argument('--warmup', type=int, default=0, help='untimed runs first (default 0)')
    ap.add_argument('--max-seconds', type=float, default=None,
                    help='stop repeating a (shape, N) once this many seconds were spent on it')
    ap.add_argument('--keep-dir', default=None, help='write the compiled YAML here instead of a temp dir')
    args = ap.parse_args(argv)

    if args.keep_dir:
        os.makedirs(args.keep_dir, exist_ok=True)
    for shape in [s.strip() for s in args.shapes.split(',') if s.strip()]:
        for n in [int(s) for s in args.sizes.split(',') if s.strip()]:
            result = bench(shape, n, args.component, args.runs, args.warmup, args.max_seconds,
                           args.keep_dir)
            print(json.dumps(result), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
