#!/usr/bin/env bash
# Regenerates samples/ from ../shared/datasets (only data whose licence allows redistribution).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${SOLUTIONKIT_DATASETS:-$root/../shared/datasets}"

# Price prediction: every tenth row of California housing (Apache-2.0 copy; see samples/price-prediction/README.md).
awk 'NR == 1 || (NR - 2) % 10 == 0' "$shared/california-housing/housing.csv" \
  > "$root/samples/price-prediction/housing-sample.csv"
