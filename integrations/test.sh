#!/usr/bin/env bash
# `make test-integrations`: Spark (local[2]) and Ray (2 local workers) score through the travelling launcher and
# must give exactly what `launcher score` gives on the same file; a scorer killed mid-partition must be retried
# with every row exactly once; a distributed tune (Ray tasks, Spark tasks) must give the local leaderboard.
# Everything runs locally, on 127.0.0.1.
#
# Not part of `make test`: pyspark + ray are about 1.1 GB in the venv and took 10 minutes to install here.
# Makes: Java 17 (apt-get, when missing), integrations/.venv (git-ignored), the dist tarball (scripts/dist.sh),
# a gbdt bundle trained on the shipped sample. SK_ROWS sets the input size (default 60,000 rows).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

if ! java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then
  echo "test-integrations: installing openjdk-17-jre-headless"
  sudo_cmd=(); if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends openjdk-17-jre-headless
fi

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/pip" install -q "pyspark>=4.0,<5" "ray[data]>=2.40,<3" pandas pyarrow numpy

work="$(mktemp -d /tmp/solutionkit-integrations-XXXXXX)"
trap 'rm -rf "$work"' EXIT

# The launcher the engines run: the dist tarball, checked against its sha256 and unpacked, unless one is given.
if [ -z "${SOLUTIONKIT_LAUNCHER:-}" ]; then
  bash scripts/dist.sh
  tarball="$(ls -t dist/solutionkit-launcher-*.tar.gz | head -1)"
  (cd dist && sha256sum -c "$(basename "$tarball").sha256")
  tar -xzf "$tarball" -C "$work"
  SOLUTIONKIT_LAUNCHER="$(ls -d "$work"/solutionkit-launcher-*/bin/launcher)"
fi
export SOLUTIONKIT_LAUNCHER
"$SOLUTIONKIT_LAUNCHER" --version

"$SOLUTIONKIT_LAUNCHER" run price-prediction --recipe gbdt --out "$work/runs" --quiet --threads 2 >/dev/null
export SK_BUNDLE="$(ls -d "$work"/runs/price-prediction/*/bundle | head -1)"

# The tune tests name datasets; workers run from the tests folder, so say where the data is.
export SOLUTIONKIT_SAMPLES="${SOLUTIONKIT_SAMPLES:-$root/samples}"
export SOLUTIONKIT_DATASETS="${SOLUTIONKIT_DATASETS:-$(cd "$root/.." && pwd)/shared/datasets}"
cd "$here/tests"
"$venv/bin/python" test_engines.py
"$venv/bin/python" test_tune.py
