#!/usr/bin/env bash
# Property-based API test of `launcher serve` against its own OpenAPI document (/openapi.json) with
# schemathesis from PyPI, on 127.0.0.1. Bounded: --max-examples per operation (default 30).
# Usage: bash bench/serve/schemathesis.sh [--max-examples N] [--model price|digits]
# (digits serves an image model, so the multipart/form-data and image/png bodies reach a model that reads them).
set -euo pipefail
cd "$(dirname "$0")/../.."
max_examples=30
model=price
while [ $# -gt 0 ]; do
  case "$1" in
    --max-examples) max_examples="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    *) break ;;
  esac
done
case "$model" in
  price) train=(run price-prediction --recipe ridge); plugin=price-prediction ;;
  digits) train=(run digit-recognition --recipe mlp --set epochs=1); plugin=digit-recognition ;;
  *) echo "--model is price or digits" >&2; exit 2 ;;
esac
swift build --product launcher
bash bench/setup-venv.sh schemathesis
launcher="$(swift build --product launcher --show-bin-path)/launcher"
work=bench/work/serve-schemathesis-$model
rm -rf "$work"; mkdir -p "$work"
"$launcher" "${train[@]}" --out "$work/runs" --quiet
bundle="$(ls -d "$work"/runs/$plugin/*/bundle | head -1)"
port=$(bench/.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$launcher" serve --model "$model=$bundle" --port "$port" --request-timeout 5 2>"$work/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
# The model name in paths is fixed to the served one so the scoring operations are exercised, not only 404s.
printf '[parameters]\n"path.name" = "%s"\n' "$model" > "$work/schemathesis.toml"
# positive_data_acceptance is left out: the document cannot say which columns each served model needs (that is
# in GET /v1/models/{name}), so schema-valid rows naming other columns are rightly a 400.
bench/.venv/bin/schemathesis --config-file "$work/schemathesis.toml" run "http://127.0.0.1:$port/openapi.json" --checks all --exclude-checks positive_data_acceptance \
  --max-examples "$max_examples" --request-timeout 10 \
  --report junit --report-dir "$work" "$@"
