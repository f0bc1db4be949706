#!/usr/bin/env bash
# Kiln vs KFP compile benchmark, side by side in one run; writes tools/bench/results/compile.md.
#
#   tools/bench/compile/run.sh                  # sizes 100,1000,10000; 5 runs each
#   SIZES=100,1000 RUNS=3 tools/bench/compile/run.sh
#
# Env: SIZES, SHAPES (chain,fanout), RUNS (5), KFP_TIMEOUT (seconds for one KFP 10,000-task run,
# default 600), KFP_MAX_SECONDS (repetition budget per KFP (shape, N) below 10,000, default 120).
# KFP sizes >= 10,000 get ONE run each under `timeout $KFP_TIMEOUT`; if it does not finish the
# table says so. KFP comes from tools/bench/kfp/setup.sh (cached venv, kfp 2.17.3).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$ROOT"
SIZES="${SIZES:-100,1000,10000}"
SHAPES="${SHAPES:-chain,fanout}"
RUNS="${RUNS:-5}"
KFP_TIMEOUT="${KFP_TIMEOUT:-600}"
KFP_MAX_SECONDS="${KFP_MAX_SECONDS:-120}"
OUT_DIR="$ROOT/tools/bench/results"
RAW="$OUT_DIR/compile.jsonl"
mkdir -p "$OUT_DIR"
: > "$RAW"
STARTED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "kiln: sizes $SIZES shapes $SHAPES runs $RUNS" >&2
node --expose-gc --import tsx tools/bench/compile/bench.ts --sizes "$SIZES" --shapes "$SHAPES" --runs "$RUNS" --warmup 1 | tee -a "$RAW"

PY="$(tools/bench/kfp/setup.sh)" || { echo "KFP setup failed" >&2; exit 1; }
IFS=, read -ra shapes <<<"$SHAPES"
IFS=, read -ra sizes <<<"$SIZES"
for shape in "${shapes[@]}"; do
  for n in "${sizes[@]}"; do
    if (( n >= 10000 )); then
      echo "kfp: $shape $n (one run, timeout ${KFP_TIMEOUT}s)" >&2
      t0=$(date +%s)
      line="$(timeout "$KFP_TIMEOUT" "$PY" tools/bench/kfp/compile_bench.py --sizes "$n" --shapes "$shape" --runs 1)"
      rc=$?
      if (( rc == 0 )) && [[ -n "$line" ]]; then
        echo "$line" | tee -a "$RAW"
      else
        elapsed=$(( $(date +%s) - t0 ))
        printf '{"tool":"kfp","shape":"%s","tasks":%d,"runs":0,"did_not_finish_s":%d,"exit":%d}\n' "$shape" "$n" "$elapsed" "$rc" | tee -a "$RAW"
      fi
    else
      echo "kfp: $shape $n" >&2
      "$PY" tools/bench/kfp/compile_bench.py --sizes "$n" --shapes "$shape" --runs "$RUNS" --max-seconds "$KFP_MAX_SECONDS" | tee -a "$RAW"
    fi
  done
done

node --import tsx tools/bench/compile/report.ts "$RAW" "$STARTED" "$LOAD_BEFORE" > "$OUT_DIR/compile.md"
echo "wrote $OUT_DIR/compile.md" >&2
