#!/usr/bin/env bash
# The generalization suite (see run.py): builds the launcher in release mode, makes bench/.venv with scikit-learn and
# statsmodels (or uses BENCH_VENV, an existing venv that has them), runs every dataset. Takes about 10-30 minutes on
# 2 cores.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${BENCH_VENV:-}"
if [ -z "$venv" ]; then
  "$root/bench/setup-venv.sh" statsmodels
  venv="$root/bench/.venv"
fi
(cd "$root" && swift build -c release --product launcher)
exec "$venv/bin/python" "$here/run.py" "$@"
