#!/usr/bin/env bash
# Runs every benchmark (bench/<plugin>/run.sh) against its reference library; each writes its RESULTS.md.
# The reference libraries go into bench/.venv (git-ignored), never into the kit. Needs ../shared/datasets.
set -euo pipefail
cd "$(dirname "$0")/.."
for script in bench/*/run.sh; do
  echo "== $script"
  bash "$script"
done
