#!/usr/bin/env bash
# Trains one small bundle of each kind on the shipped samples, for the bundle fuzz target's seeds:
# bash scripts/fuzz-bundles.sh OUT_FOLDER   (OUT_FOLDER/<plugin>-<recipe>/ = the bundle's files)
set -euo pipefail
cd "$(dirname "$0")/.."
out="$1"
swift build --product launcher >&2
launcher="$(swift build --show-bin-path)/launcher"
runs="$(mktemp -d)"
trap 'rm -rf "$runs"' EXIT
mkdir -p "$out"
while read -r plugin recipe sets; do
    # shellcheck disable=SC2086
    "$launcher" run "$plugin" --recipe "$recipe" $sets --out "$runs" --quiet >/dev/null
    bundle=$(ls -d "$runs/$plugin"/*-"$recipe"/bundle | tail -n 1)
    cp -r "$bundle" "$out/$plugin-$recipe"
done <<'LIST'
price-prediction ridge
price-prediction gbdt --set num_iterations=20
credit-risk scorecard
recommendation baseline
recommendation item-knn
digit-recognition cnn --set epochs=1
LIST
