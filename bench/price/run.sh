#!/usr/bin/env bash
# Price-prediction benchmark: SolutionKit against scikit-learn and pandas (writes bench/price/RESULTS.md).
# Usage: bash bench/price/run.sh [--runs N] [--rows N]   (from anywhere; needs ../shared/datasets)
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product launcher
bash bench/setup-venv.sh
bench/.venv/bin/python bench/price/bench_price.py "$@"
