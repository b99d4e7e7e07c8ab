#!/usr/bin/env bash
# How the credit-risk gbdt defaults were checked without looking at the test rows.
# Usage: bash bench/credit-risk/tune_gbdt.sh   (from anywhere; needs ../shared/datasets beside the package root)
#
# Inner validation: only PROTOCOL training rows of Give Me Some Credit (id % 5 != 0) are used. Four inner folds hold
# out the rows with id % 5 == k, k = 1..4: each file renumbers ids (id - k) so that the plugin's generic CSV
# split=id rule (test = id % 5 == 0) picks exactly those rows. (The features and settings themselves were chosen with
# LightGBM on the same folds: feature_selection/.) Each setting is one `launcher run` per inner fold; the mean
# inner AUC is printed. Then the chosen defaults are run on the PROTOCOL test rows with several seeds, to show the
# seed-to-seed spread of the figure quoted in RESULTS.md. Output: bench/work/credit-risk/tune-gbdt.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
data="$root/../shared/datasets/give-me-some-credit/cs-training.csv"
work="$root/bench/work/credit-risk/tune"
mkdir -p "$work"
if [ -z "${LAUNCHER:-}" ]; then swift build -c release --product launcher >/dev/null; fi
launcher="${LAUNCHER:-$root/.build/release/launcher}"
log="$root/bench/work/credit-risk/tune-gbdt.txt"
: > "$log"

for k in 1 2 3 4; do
  awk -F, -v k=$k 'NR == 1 { print; next } $1 % 5 != 0 { $1 = $1 - k; print }' OFS=, "$data" > "$work/inner$k.csv"
done

auc_of() { grep -A1 '"roc_auc"' "$(find "$1" -name metrics.json | head -1)" | sed -n 's/.*"value" : \([0-9.e-]*\).*/\1/p'; }

inner() {  # inner LABEL [--set k=v ...]
  local label=$1; shift
  local a=()
  for k in 1 2 3 4; do
    rm -rf "$work/run"
    "$launcher" run credit-risk --data "$work/inner$k.csv" --target SeriousDlqin2yrs --option split=id --recipe gbdt --quiet --out "$work/run" "$@" >/dev/null
    a+=("$(auc_of "$work/run")")
  done
  printf '%-40s inner AUC %s %s %s %s mean %s\n' "$label" "${a[0]}" "${a[1]}" "${a[2]}" "${a[3]}" \
    "$(echo "scale=6; (${a[0]} + ${a[1]} + ${a[2]} + ${a[3]}) / 4" | bc)" | tee -a "$log"
}

inner "defaults"
inner "credit_features=none" --set credit_features=none
inner "lambda_l1=0" --set lambda_l1=0
inner "previous defaults (none, lambda_l1=0)" --set credit_features=none --set lambda_l1=0
inner "learning_rate=0.015 x800" --set learning_rate=0.015 --set rounds=800
inner "min_data_in_leaf=300" --set min_data_in_leaf=300
inner "bags=3" --set bags=3

for seed in 42 1 2 3 4 5; do
  rm -rf "$work/run"
  "$launcher" run credit-risk --dataset give-me-some-credit --recipe gbdt --seed $seed --quiet --out "$work/run" >/dev/null
  printf 'PROTOCOL test, defaults, seed %-3s AUC %s\n' "$seed" "$(auc_of "$work/run")" | tee -a "$log"
done
