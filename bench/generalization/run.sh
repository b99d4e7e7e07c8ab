#!/usr/bin/env bash
# The generalization suite (see run.py): builds the launcher in release mode, makes bench/.venv with scikit-learn and
# statsmodels, runs every dataset. Takes about 10-30 minutes on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
"$root/bench/setup-venv.sh" statsmodels
(cd "$root" && swift build -c release --product launcher)
exec "$root/bench/.venv/bin/python" "$here/run.py" "$@"
