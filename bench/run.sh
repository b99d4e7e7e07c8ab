#!/usr/bin/env bash
# Runs every benchmark against its reference library: builds the kit in release, installs the references into
# bench/.venv (git-ignored) and writes bench/<plugin>/RESULTS.md. Needs ../shared/datasets.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
swift build -c release --product launcher
bash bench/setup-venv.sh
for script in bench/*/bench_*.py; do
  echo "== $script"
  bench/.venv/bin/python "$script" "$@"
done
