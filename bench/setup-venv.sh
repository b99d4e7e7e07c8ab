#!/usr/bin/env bash
# Creates bench/.venv (git-ignored) with the reference libraries the benchmarks compare against.
# They are never a dependency of the kit: only bench/ uses them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --upgrade pip >/dev/null
"$venv/bin/pip" install -q numpy pandas scikit-learn "$@"
