#!/usr/bin/env bash
# Pod-path benchmark (issue 5): Kiln's Kubernetes executor vs creating and watching the same
# number of pods by hand, interleaved; writes tools/bench/results/pods.jsonl and pods.md (which compares it with
# the earlier runs kept as tools/bench/results/pods-before-*.jsonl).
#
#   tools/bench/pods/run.sh                  # 5 runs of a 20-step chain per variant
#   RUNS=3 CHAIN=10 tools/bench/pods/run.sh  # quicker
#   VARIANTS=floor,temporal-floor,one-process-static tools/bench/pods/run.sh  # some variants only
#
# Uses tools/testenv's servers (Temporal, MinIO, kube-apiserver + node agent); starts any that are
# missing, like the tests do. Starts and stops its own Kiln worker process.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$ROOT"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
node --import tsx tools/bench/pods/bench.ts --runs "${RUNS:-5}" --chain "${CHAIN:-20}" ${VARIANTS:+--variants "$VARIANTS"} --out tools/bench/results/pods.jsonl
# Earlier runs kept for comparison (tools/bench/results/pods-before-*.jsonl) get a "before and after" section.
shopt -s nullglob
node --import tsx tools/bench/pods/report.ts tools/bench/results/pods.jsonl "$LOAD_BEFORE" tools/bench/results/pods-before-*.jsonl > tools/bench/results/pods.md
echo "wrote tools/bench/results/pods.md" >&2
