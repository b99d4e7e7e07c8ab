#!/usr/bin/env bash
# bench/serve: `launcher serve` with wrk on 127.0.0.1 beside FastAPI + LightGBM for the same model, soak with
# malformed requests, reload under load and SIGTERM drain. Usage: bash bench/serve/run.sh [--seconds N]
# [--soak-seconds 600] [--parts single,batch,soak,reload]. Speed figures are only meaningful on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
swift build -c release --product launcher
bash bench/setup-venv.sh lightgbm fastapi uvicorn
bench/.venv/bin/python bench/serve/bench_serve.py --python bench/.venv/bin/python "$@"
