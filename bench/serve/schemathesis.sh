#!/usr/bin/env bash
# Property-based API test of `launcher serve` against its own OpenAPI document (/openapi.json) with
# schemathesis from PyPI, on 127.0.0.1. Bounded: --max-examples per operation (default 30).
# Usage: bash bench/serve/schemathesis.sh [--max-examples N]
set -euo pipefail
cd "$(dirname "$0")/../.."
max_examples=30
if [ "${1:-}" = "--max-examples" ]; then max_examples="$2"; fi
swift build --product launcher
bash bench/setup-venv.sh schemathesis
launcher="$(swift build --product launcher --show-bin-path)/launcher"
work=bench/work/serve-schemathesis
rm -rf "$work"; mkdir -p "$work"
"$launcher" run price-prediction --recipe ridge --out "$work/runs" --quiet
bundle="$(ls -d "$work"/runs/price-prediction/*/bundle | head -1)"
port=$(bench/.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$launcher" serve --model "price=$bundle" --port "$port" --request-timeout 5 2>"$work/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
# The model name in paths is fixed to the served one so the scoring operations are exercised, not only 404s.
printf '[parameters]\n"path.name" = "price"\n' > "$work/schemathesis.toml"
# positive_data_acceptance is left out: the document cannot say which columns each served model needs (that is
# in GET /v1/models/{name}), so schema-valid rows naming other columns are rightly a 400.
bench/.venv/bin/schemathesis --config-file "$work/schemathesis.toml" run "http://127.0.0.1:$port/openapi.json" --checks all --exclude-checks positive_data_acceptance \
  --max-examples "$max_examples" --request-timeout 10 \
  --report junit --report-dir "$work" "${@:3}"
