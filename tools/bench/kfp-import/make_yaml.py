"""Writes the KFP YAML the kfp-import benchmark reads, with the pinned KFP SDK.

    python make_yaml.py <out-dir> [--sizes 1000,10000] [--steps 5]

- chain-<N>.yaml: the compile benchmark's `chain` shape (tools/bench/kfp/compile_bench.py) with its
  lightweight Python component, N tasks. The SDK compiles up to --sdk-max tasks itself (default
  1000); the compile benchmark found it does not finish 10,000 in 600 s, so larger N are the SDK's
  --sdk-max-task YAML extended task by task exactly as the SDK names them (comp-step-K,
  exec-step-K, task step-K taking step-(K-1)'s Output).
- steps.yaml: a chain of --steps lightweight Python components (text in, text + "+" out), for
  the per-step overhead on Kiln's local executor and under kfp.local.SubprocessRunner.

Prints one JSON line: {"chains": {N: path}, "steps": path, "stepsCount": n}.
"""
import argparse
import copy
import json
import os
import sys

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kfp"))
import compile_bench  # noqa: E402


class NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def extend_chain(doc, n_from, n_to):
    """Adds tasks n_from+1..n_to to a chain the SDK compiled with n_from tasks."""
    comps = doc["components"]
    execs = doc["deploymentSpec"]["executors"]
    tasks = doc["root"]["dag"]["tasks"]
    last = f"step-{n_from}"
    for k in range(n_from + 1, n_to + 1):
        name = f"step-{k}"
        comps[f"comp-{name}"] = dict(copy.deepcopy(comps[f"comp-{last}"]), executorLabel=f"exec-{name}")
        execs[f"exec-{name}"] = copy.deepcopy(execs[f"exec-{last}"])
        task = copy.deepcopy(tasks[last])
        task["componentRef"]["name"] = f"comp-{name}"
        task["dependentTasks"] = [f"step-{k - 1}"]
        task["inputs"]["parameters"]["text"]["taskOutputParameter"]["producerTask"] = f"step-{k - 1}"
        task["taskInfo"]["name"] = name
        tasks[name] = task
    return doc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--sdk-max", type=int, default=1000)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    chains = {}
    for n in [int(s) for s in args.sizes.split(",")]:
        path = os.path.join(args.out, f"chain-{n}.yaml")
        if n <= args.sdk_max:
            compile_bench.one_run("chain", n, "python", path)
        else:
            base = os.path.join(args.out, f"chain-{args.sdk_max}.yaml")
            if not os.path.exists(base):
                compile_bench.one_run("chain", args.sdk_max, "python", base)
            with open(base) as f:
                doc = yaml.safe_load(f)
            doc["pipelineInfo"]["name"] = f"bench-chain-{n}"
            with open(path, "w") as f:
                # No anchors or aliases: KFP never writes them, and Kiln's reader refuses them.
                yaml.dump(extend_chain(doc, args.sdk_max, n), f, Dumper=NoAliasDumper, sort_keys=True)
        chains[n] = path
    steps = os.path.join(args.out, "steps.yaml")
    compile_bench.one_run("chain", args.steps, "python", steps)
    print(json.dumps({"chains": chains, "steps": steps, "stepsCount": args.steps}))


if __name__ == "__main__":
    main()
