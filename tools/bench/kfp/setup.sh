#!/usr/bin/env bash
# Idempotent: creates (once) a virtualenv with the pinned KFP SDK and its kfp-kubernetes extension
# (same version), cached outside the repo, and prints the path of its python interpreter on stdout
# (everything else goes to stderr).
#
#   PY=$(tools/bench/kfp/setup.sh) && "$PY" tools/bench/kfp/compile_bench.py
#
# Env: KILN_CACHE_DIR (default ~/.cache/kiln), KFP_VERSION (default 2.17.3, also the kfp-kubernetes
# version), PYTHON (default python3).
set -euo pipefail

KFP_VERSION="${KFP_VERSION:-2.17.3}"
CACHE_DIR="${KILN_CACHE_DIR:-$HOME/.cache/kiln}"
VENV="$CACHE_DIR/venvs/kfp-$KFP_VERSION"
PY="$VENV/bin/python"
# The stamp names both packages, so a venv made before kfp-kubernetes was added is rebuilt once.
STAMP="$VENV/.kiln-kfp-$KFP_VERSION-kubernetes.ok"
PYTHON="${PYTHON:-python3}"

if [[ -f "$STAMP" && -x "$PY" ]] && "$PY" -c "import kfp, kfp.kubernetes, sys; sys.exit(kfp.__version__ != '$KFP_VERSION')" 2>/dev/null; then
  echo "$PY"
  exit 0
fi

mkdir -p "$CACHE_DIR/venvs"
# Build into a temporary directory and rename, so an interrupted run never leaves a half venv behind.
TMP="$VENV.tmp.$$"
trap 'rm -rf "$TMP"' EXIT
rm -rf "$TMP"
echo "setup.sh: creating $VENV (kfp==$KFP_VERSION, kfp-kubernetes==$KFP_VERSION)" >&2
"$PYTHON" -m venv "$TMP" >&2
"$TMP/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
"$TMP/bin/python" -m pip install --quiet --disable-pip-version-check "kfp==$KFP_VERSION" "kfp-kubernetes==$KFP_VERSION" >&2
"$TMP/bin/python" -c "import kfp, kfp.kubernetes; print('kfp', kfp.__version__, 'with kfp.kubernetes')" >&2
rm -rf "$VENV"
mv "$TMP" "$VENV"
trap - EXIT
# venv scripts embed absolute paths; fix them after the rename (python itself works regardless).
grep -rl "$TMP" "$VENV/bin" 2>/dev/null | xargs -r sed -i "s|$TMP|$VENV|g"
touch "$STAMP"
echo "$PY"
