#!/usr/bin/env bash
# The kit's side of the `launcher score` comparisons in bench/run.sh: one `launcher score` process, timed from its
# start to its exit (process start and model load included), then its output checked for every row.
# Prints one JSON line. Usage: kit_score.sh LAUNCHER BUNDLE INPUT.csv OUTPUT.csv
set -euo pipefail
launcher="$1" bundle="$2" input="$3" output="$4"
start=$(date +%s%N)
"$launcher" score --model "$bundle" --input "$input" --output "$output" 2>/dev/null
end=$(date +%s%N)
rows_in=$(($(wc -l < "$input") - 1))
rows_out=$(($(wc -l < "$output") - 1))
if [ "$rows_in" != "$rows_out" ]; then
  echo "launcher score wrote $rows_out rows for $rows_in" >&2
  exit 1
fi
size=$(stat -c %s "$input")
awk -v ns="$((end - start))" -v rows="$rows_out" -v size="$size" -v cores="$(nproc)" \
  -v blas="${OPENBLAS_NUM_THREADS:-unset}" -v wait="${OMP_WAIT_POLICY:-unset}" 'BEGIN {
  s = ns / 1e9
  printf "{\"seconds\": %.6f, \"rows\": %d, \"input_mb_per_second\": %.3f, \"rows_per_second\": %.1f, ", s, rows, size / 1e6 / s, rows / s
  printf "\"threads\": {\"kit_workers\": \"%d (all cores: score has no --threads)\", \"OPENBLAS_NUM_THREADS\": \"%s\", \"OMP_WAIT_POLICY\": \"%s\"}}\n", cores, blas, wait
}'
