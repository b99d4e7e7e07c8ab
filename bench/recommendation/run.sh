#!/usr/bin/env bash
# Recommendation benchmark: SolutionKit against Surprise and implicit on the MovieLens 100K folds
# (writes bench/recommendation/RESULTS.md). Needs ../shared/datasets.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product RecommendationBench --scratch-path .build-release
bash bench/setup-venv.sh scikit-surprise implicit
bench/.venv/bin/python bench/recommendation/run.py "$@"
