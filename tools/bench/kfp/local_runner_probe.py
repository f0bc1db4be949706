#!/usr/bin/env python3
"""Probe: can KFP's local SubprocessRunner run pipelines here (no Docker), and how fast?

    PY=$(tools/bench/kfp/setup.sh)
    "$PY" tools/bench/kfp/local_runner_probe.py                      # no pip at all (install_kfp_package=False)
    "$PY" tools/bench/kfp/local_runner_probe.py --install default    # KFP's default preamble: pip install kfp==<ver> --no-deps
    "$PY" tools/bench/kfp/local_runner_probe.py --use-venv           # SubprocessRunner(use_venv=True): fresh venv per task
    "$PY" tools/bench/kfp/local_runner_probe.py --control-flow       # also try a condition and a ParallelFor

Output: JSON lines on stdout; kfp.local's own logs (and the steps' output) go to stderr.

Runs a 3-step chain of lightweight Python components (a -> b -> c, each appends to a string) as a
pipeline with kfp.local, prints one JSON line per scenario with wall time and the result, and the
per-step overhead (total / 3). With use_venv=False the steps run under this interpreter
(sys.executable), so the kfp venv made by setup.sh is where any pip install lands.

--install:
  none     @dsl.component(install_kfp_package=False): the step command has no pip preamble.
           Works offline because kfp is already importable by sys.executable.
  default  KFP's default: each step first runs `pip install kfp==<this version> --no-deps`
           (a no-op "already satisfied" when the venv has it; needs PyPI only if it does not).
  path     @dsl.component(kfp_package_path=<path>): pip installs kfp from a local path/wheel
           (--kfp-package-path), the offline way to satisfy the preamble in a fresh venv.
"""

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
import traceback

import kfp
from kfp import dsl, local


def make_components(install: str, kfp_package_path: str | None):
    opts = {'base_image': 'python:3.11-slim'}
    if install == 'none':
        opts['install_kfp_package'] = False
    elif install == 'path':
        opts['kfp_package_path'] = kfp_package_path

    @dsl.component(**opts)
    def step(text: str, suffix: str) -> str:
        return text + suffix

    @dsl.component(**opts)
    def coin(value: str) -> str:
        return value

    return step, coin


def chain_pipeline(step):

    @dsl.pipeline(name='probe-chain')
    def chain(seed: str = 'x') -> str:
        a = step(text=seed, suffix='-a')
        b = step(text=a.output, suffix='-b')
        c = step(text=b.output, suffix='-c')
        return c.output

    return chain


def control_flow_pipelines(step, coin):

    @dsl.pipeline(name='probe-condition')
    def with_condition(value: str = 'heads') -> str:
        f = coin(value=value)
        with dsl.If(f.output == 'heads'):
            t1 = step(text='took', suffix='-heads')
        with dsl.Else():
            t2 = step(text='took', suffix='-tails')
        return dsl.OneOf(t1.output, t2.output)

    @dsl.pipeline(name='probe-loop')
    def with_loop() -> list:
        with dsl.ParallelFor(['1', '2', '3']) as item:
            t = step(text=item, suffix='!')
        return dsl.Collected(t.output)

    @dsl.pipeline(name='probe-exit-handler')
    def with_exit_handler() -> None:
        exit_task = step(text='exit', suffix='-ran')
        with dsl.ExitHandler(exit_task):
            step(text='body', suffix='-ran')

    return [('condition', with_condition), ('parallel_for', with_loop),
            ('exit_handler', with_exit_handler)]


def run(name: str, fn, **kwargs) -> dict:
    t0 = time.perf_counter()
    try:
        # kfp.local prints the steps' logs on stdout; keep stdout for our JSON lines.
        with contextlib.redirect_stdout(sys.stderr):
            task = fn(**kwargs)
        output = getattr(task, 'output', None)
        ok, err = True, None
    except Exception as e:  # noqa: BLE001 - the probe reports any failure
        output, ok = None, False
        err = f'{type(e).__name__}: {e}'.splitlines()[0][:300]
        if os.environ.get('PROBE_TRACE'):
            traceback.print_exc()
    ms = (time.perf_counter() - t0) * 1000.0
    return {'scenario': name, 'ok': ok, 'ms': round(ms, 1), 'output': output, 'error': err}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--install', choices=['none', 'default', 'path'], default='none')
    ap.add_argument('--kfp-package-path', default=None, help='for --install path: wheel, sdist or dir')
    ap.add_argument('--use-venv', action='store_true', help='SubprocessRunner(use_venv=True)')
    ap.add_argument('--control-flow', action='store_true', help='also try If/Else+OneOf, ParallelFor+Collected, ExitHandler')
    ap.add_argument('--repeat', type=int, default=2, help='chain runs (first one includes any cold start)')
    args = ap.parse_args()
    if args.install == 'path' and not args.kfp_package_path:
        ap.error('--install path needs --kfp-package-path')

    root = tempfile.mkdtemp(prefix='kfp-local-probe-')
    local.init(runner=local.SubprocessRunner(use_venv=args.use_venv), pipeline_root=root,
               raise_on_error=True)
    step, coin = make_components(args.install, args.kfp_package_path)
    common = {'kfp': kfp.__version__, 'python': sys.executable, 'install': args.install,
              'use_venv': args.use_venv}

    chain = chain_pipeline(step)
    for i in range(args.repeat):
        r = run(f'chain3#{i + 1}', chain)
        r['ms_per_step'] = round(r['ms'] / 3, 1)
        print(json.dumps({**common, **r}), flush=True)

    # a single task outside a pipeline (kfp.local runs components directly too)
    print(json.dumps({**common, **run('single_task', step, text='x', suffix='-1')}), flush=True)

    if args.control_flow:
        for name, fn in control_flow_pipelines(step, coin):
            print(json.dumps({**common, **run(name, fn)}), flush=True)
    print(json.dumps({'pipeline_root': root}), file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
