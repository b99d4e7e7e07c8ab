#!/usr/bin/env bash
# Credit-risk benchmark: SolutionKit against scikit-learn and LightGBM on the PROTOCOL splits, one invocation.
# Usage: bash bench/credit-risk/run.sh   (from anywhere; needs ../shared/datasets beside the package root)
# Writes bench/credit-risk/RESULTS.md. Python side: bench/.venv (created with bench/setup-venv.sh lightgbm).
# BENCH_ONLY=scoring runs only the cs-test.csv scoring comparison (it trains the GMSC gbdt bundle and the LightGBM
# reference it needs) and rewrites only that section of RESULTS.md. BENCH_RUNS sets the timed runs (default 5).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
data="$root/../shared/datasets"
work="$root/bench/work/credit-risk"
mkdir -p "$work"
python="${BENCH_PYTHON:-bench/.venv/bin/python}"
if [ ! -x "$python" ]; then bash bench/setup-venv.sh lightgbm; fi
if [ -z "${LAUNCHER:-}" ]; then swift build -c release --product launcher >/dev/null; fi
launcher="${LAUNCHER:-$root/.build/release/launcher}"
runs="${BENCH_RUNS:-5}"

only="${BENCH_ONLY:-}"

# German credit: every recipe on the five PROTOCOL folds (fold = row_index % 5).
if [ "$only" != scoring ]; then
: > "$work/german-ours.jsonl"
for recipe in scorecard logistic gbdt mlp; do
  for fold in 0 1 2 3 4; do
    out="$work/german-$recipe-$fold"
    rm -rf "$out"
    "$launcher" run credit-risk --dataset german --option fold=$fold --recipe $recipe --quiet --out "$out" >/dev/null
    metrics=$(find "$out" -name metrics.json | head -1)
    "$python" -c "import json,sys; m=json.load(open('$metrics')); v={x['name']:x['value'] for x in m['metrics']}; print(json.dumps({'recipe':'$recipe','fold':$fold,'auc':v['roc_auc'],'cost':v['expected_cost']}))" >> "$work/german-ours.jsonl"
  done
done
"$python" bench/credit-risk/german_reference.py "$data/german-credit/german.data" > "$work/german-reference.jsonl"
fi

# Give Me Some Credit: PROTOCOL split (test = id % 5 == 0).
recipes="gbdt scorecard"
if [ "$only" = scoring ]; then recipes=gbdt; else : > "$work/gmsc-ours.jsonl"; fi
for recipe in $recipes; do
  out="$work/gmsc-$recipe"
  rm -rf "$out"
  start=$(date +%s.%N)
  "$launcher" run credit-risk --dataset give-me-some-credit --recipe $recipe --quiet --out "$out" >/dev/null
  end=$(date +%s.%N)
  metrics=$(find "$out" -name metrics.json | head -1)
  if [ "$only" != scoring ]; then
    "$python" -c "import json; m=json.load(open('$metrics')); v={x['name']:x['value'] for x in m['metrics']}; print(json.dumps({'recipe':'$recipe','auc':v['roc_auc'],'run_seconds':$end-$start}))" >> "$work/gmsc-ours.jsonl"
  fi
done
bundle=$(dirname "$(find "$work/gmsc-gbdt" -name manifest.json | head -1)")

# Scoring throughput over cs-test.csv: ours (reasons for declined applicants, and for all) against pandas + LightGBM.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
"$python" bench/credit-risk/gmsc_reference.py "$data/give-me-some-credit" "$work" > "$work/gmsc-reference.jsonl"
time_score() {  # median seconds of $runs runs after one warm-up
  local reasons=$1 times=()
  "$launcher" score --model "$bundle" --input "$data/give-me-some-credit/cs-test.csv" --output "$work/ours-$reasons.csv" --option id= --option reasons=$reasons --quiet
  for _ in $(seq "$runs"); do
    local s=$(date +%s.%N)
    "$launcher" score --model "$bundle" --input "$data/give-me-some-credit/cs-test.csv" --output "$work/ours-$reasons.csv" --option id= --option reasons=$reasons --quiet
    local e=$(date +%s.%N)
    times+=("$(echo "$e - $s" | bc)")
  done
  # bc prints ".37" for times under a second; awk gives JSON a leading zero.
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p" | awk '{printf "%.6f\n", $1}'
}
declined=$(time_score declined)
all=$(time_score all)
none=$(time_score none)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "{\"declined\": $declined, \"all\": $all, \"none\": $none, \"load_before\": \"$load_before\", \"load_after\": \"$load_after\"}" > "$work/score-ours.json"

BENCH_ONLY="$only" "$python" bench/credit-risk/write_results.py "$work" bench/credit-risk/RESULTS.md
cat bench/credit-risk/RESULTS.md
