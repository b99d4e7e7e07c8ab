#!/usr/bin/env bash
# Load-independent comparison of the two tree scorers: instructions and simulated branch mispredictions per row
# (valgrind's callgrind with --branch-sim=yes): CompactTreePredictor (previous), ForestScorer (current) and
# FastTreeSHAP's cell tables without explanations (`tables`, what credit-risk scored with).
# Each scorer runs on one thread over R and 2R rows (the test rows repeated) after the same set-up; the difference
# of the two totals is the cost of R rows, so loading and building cancel out.
# Usage: bash bench/gbdt/callgrind_predictors.sh [california|credit] [TREES] [R]   (defaults california 100 20000)
set -euo pipefail
cd "$(dirname "$0")/../.."
dataset="${1:-california}" trees="${2:-100}" rows="${3:-20000}"
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
[ "${BENCH_NO_BUILD:-0}" = 1 ] || swift build -c release --product SolutionKitBench >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# valgrind cannot read the DWARF Swift writes ("possibly corrupted debuginfo"): count on a copy without it.
bin="$work/SolutionKitBench"
cp .build/release/SolutionKitBench "$bin"
strip --strip-debug "$bin"
"$bin" side save --dataset "$dataset" --trees "$trees" --threads 1 --out "$work/model.json"

# Prints "instructions conditional-branches mispredicted-conditional-branches" for one run.
count() {
  valgrind --tool=callgrind --branch-sim=yes --callgrind-out-file="$work/out" \
    "$bin" side predict --model "$work/model.json" --dataset "$dataset" --rows "$1" --predictor "$2" --threads 1 \
    >/dev/null 2>"$work/log"
  # "Collected : Ir Bc Bcm Bi Bim"
  awk '/Collected :/ { print $4, $5, $6; exit }' "$work/log"
}

echo "dataset $dataset, $trees trees, per row over $rows rows (difference of $((2 * rows)) and $rows rows), one thread"
printf "%-8s %14s %14s %16s\n" scorer instructions "cond. branches" "mispredicted"
for predictor in compact forest tables; do
  read -r i1 b1 m1 < <(count "$rows" "$predictor")
  read -r i2 b2 m2 < <(count "$((2 * rows))" "$predictor")
  awk -v p="$predictor" -v i="$((i2 - i1))" -v b="$((b2 - b1))" -v m="$((m2 - m1))" -v r="$rows" \
    'BEGIN { printf "%-8s %14.1f %14.1f %16.2f\n", p, i / r, b / r, m / r }'
done
