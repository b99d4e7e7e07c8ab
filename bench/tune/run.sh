#!/usr/bin/env bash
# tune against Optuna + LightGBM on California (see run.py). Needs ../shared/datasets/california-housing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
"$root/bench/setup-venv.sh" lightgbm optuna
(cd "$root" && swift build -c release --product launcher)
exec "$root/bench/.venv/bin/python" "$here/run.py" "$@"
