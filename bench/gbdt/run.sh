#!/usr/bin/env bash
# GBDT benchmark: LightGBM and SolutionKit on the PROTOCOL splits, same settings, one invocation.
# Usage: bash bench/gbdt/run.sh      (from the package root; BENCH_RUNS=5 by default)
# Writes bench/work/lightgbm.json and bench/work/solutionkit.json, then prints the ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
export BENCH_RUNS="${BENCH_RUNS:-5}"
if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
    bench/.venv/bin/pip install -q lightgbm pandas numpy scikit-learn
fi
bench/.venv/bin/python bench/gbdt/lightgbm_bench.py
BOOSTING_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter BoostingBenchmark
bench/.venv/bin/python - <<'PY'
import json
l = json.load(open("bench/work/lightgbm.json")); s = json.load(open("bench/work/solutionkit.json"))
for name, metric in (("california", "rmse"), ("credit", "auc")):
    print(f"{name}: {metric} lightgbm {l[name][metric]:.6g} solutionkit {s[name][metric]:.6g}; "
          f"train time ratio (ours/lightgbm) {s[name]['train_seconds'] / l[name]['train_seconds']:.2f}; "
          f"predict throughput ratio {s[name]['predict_rows_per_second'] / l[name]['predict_rows_per_second']:.2f}")
PY
