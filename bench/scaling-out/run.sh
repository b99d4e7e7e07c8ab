#!/usr/bin/env bash
# The issue's 5,000,000-row check: Spark local[2] and Ray (2 workers) through the integrations give the same scored
# rows and rejects as `launcher score` on the same file; prints rows/s of each and the load average before/after.
# The machine may be shared: a figure measured under load is written with that load, never as a result.
#   bash bench/scaling-out/run.sh [ROWS]        (default 5,000,000; uses integrations/test.sh's venv and dist)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rows="${1:-5000000}"
venv="$root/integrations/.venv"
[ -x "$venv/bin/python" ] || { echo "run integrations/test.sh (or make test-integrations) first: it makes $venv" >&2; exit 1; }
launcher="${SOLUTIONKIT_LAUNCHER:-}"
work="$(mktemp -d /tmp/solutionkit-scaling-XXXXXX)"
trap 'rm -rf "$work"' EXIT
if [ -z "$launcher" ]; then
  bash "$root/scripts/dist.sh" >/dev/null
  tar -xzf "$(ls -t "$root"/dist/solutionkit-launcher-*.tar.gz | head -1)" -C "$work"
  launcher="$(ls -d "$work"/solutionkit-launcher-*/bin/launcher)"
fi
"$launcher" run price-prediction --recipe gbdt --out "$work/runs" --quiet --threads 2 >/dev/null
bundle="$(ls -d "$work"/runs/price-prediction/*/bundle | head -1)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
SOLUTIONKIT_LAUNCHER="$launcher" SK_BUNDLE="$bundle" SK_ROWS="$rows" SK_WORK="$work" \
  "$venv/bin/python" "$here/compare.py"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
