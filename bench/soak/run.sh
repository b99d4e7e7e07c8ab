#!/usr/bin/env bash
# Soak test of `launcher score`: SOAK_ROWS rows (default 10,000,000) with 1% corrupt rows of every kind, piped
# through standard input, killed at a random point SOAK_KILLS times (default 20), each kill followed by a full
# rerun. Checks every time: a killed run exits 143 and leaves no temporary file and no output; a completed run has
# rows read = scored + rejected = the rows written (counted in the files, not only in its summary). Records peak RSS.
# Usage: bash bench/soak/run.sh        (SOAK_ROWS=200000 SOAK_KILLS=5 for a short run; LAUNCHER=path to reuse a build)
# Writes bench/soak/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
rows="${SOAK_ROWS:-10000000}"
kills="${SOAK_KILLS:-20}"
seed="${SOAK_SEED:-7}"
work="${SOAK_WORK:-bench/work/soak}"
mkdir -p "$work"
if [ -z "${LAUNCHER:-}" ]; then
    swift build -c release --product launcher >&2
    LAUNCHER=.build/release/launcher
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# A ridge price model on the shipped sample (fast to score, so the test is about the pipe and the kills).
if [ ! -d "$work/runs" ]; then
    "$LAUNCHER" run price-prediction --recipe ridge --out "$work/runs" --quiet >/dev/null
fi
bundle=$(ls -d "$work"/runs/price-prediction/*-ridge/bundle | tail -n 1)
input="$work/input.csv"
if [ ! -f "$input" ] || [ "$(cat "$work/input.rows" 2>/dev/null)" != "$rows $seed" ]; then
    python3 bench/soak/make_rows.py "$rows" "$seed" > "$input" 2> "$work/corruptions.txt"
    echo "$rows $seed" > "$work/input.rows"
fi
out="$work/out"
mkdir -p "$out"

# Peak RSS of a scoring process, polled from /proc (VmHWM) until it exits; the largest is kept in $peak_file.
peak_file="$work/peak-kib"
echo 0 > "$peak_file"
watch_peak() {
    local pid=$1 peak=0 hwm
    while kill -0 "$pid" 2>/dev/null; do
        hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        [ -n "$hwm" ] && [ "$hwm" -gt "$peak" ] && peak=$hwm
        sleep 0.2
    done
    local old; old=$(cat "$peak_file")
    [ "$peak" -gt "$old" ] && echo "$peak" > "$peak_file"
    return 0
}
expected_rejects() { grep -o 'must be rejected [0-9]*' "$work/corruptions.txt" | grep -o '[0-9]*$'; }
leftovers() { find "$out" -name '.*partial*' | wc -l; }

completed=0; killed=0; failures=0
started=$(date +%s)
for attempt in $(seq 1 "$kills"); do
    rm -f "$out"/scored.csv "$out"/rejects.csv
    # The kill point: a random share of a full run's time (measured by the first completed run, else 10 s).
    full="${full_seconds:-10}"
    delay=$(python3 -c "import random; random.seed($seed * 1000 + $attempt); print(round(random.uniform(0.05, 0.95) * $full, 2))")
    cat "$input" | "$LAUNCHER" score --model "$bundle" --input - --output "$out/scored.csv" --rejects "$out/rejects.csv" \
        --quiet 2>"$out/stderr.txt" &
    pid=$!
    watch_peak "$pid" &
    sleep "$delay"
    kill -TERM "$pid" 2>/dev/null || true
    set +e; wait "$pid"; status=$?; set -e
    wait 2>/dev/null || true
    if [ "$status" -eq 143 ]; then
        killed=$((killed + 1))
        if [ "$(leftovers)" -ne 0 ] || [ -e "$out/scored.csv" ] || [ -e "$out/rejects.csv" ]; then
            echo "kill $attempt: left files behind" >&2; ls -la "$out" >&2; failures=$((failures + 1))
        fi
    elif [ "$status" -ne 0 ]; then
        echo "kill $attempt: exit $status" >&2; cat "$out/stderr.txt" >&2; failures=$((failures + 1))
    fi
    # Resume: the whole file again, to completion (the scorer has no partial state to resume from: a killed run
    # leaves nothing, so rerunning is the resumption).
    t0=$(date +%s.%N)
    cat "$input" | "$LAUNCHER" score --model "$bundle" --input - --output "$out/scored.csv" --rejects "$out/rejects.csv" \
        2>"$out/stderr.txt" &
    pid=$!
    watch_peak "$pid" &
    set +e; wait "$pid"; status=$?; set -e
    wait 2>/dev/null || true
    full_seconds=$(python3 -c "print(round($(date +%s.%N) - $t0, 2))")
    summary=$(grep -o 'rows read [0-9]* = scored [0-9]* + rejected [0-9]*' "$out/stderr.txt" || true)
    scored=$(($(wc -l < "$out/scored.csv") - 1))
    rejected=$(($(wc -l < "$out/rejects.csv") - 1))
    if [ "$status" -ne 0 ] || [ "$summary" != "rows read $rows = scored $scored + rejected $rejected" ] \
        || [ $((scored + rejected)) -ne "$rows" ] || [ "$rejected" -ne "$(expected_rejects)" ] || [ "$(leftovers)" -ne 0 ]; then
        echo "rerun $attempt: exit $status, '$summary', files $scored + $rejected" >&2; failures=$((failures + 1))
    else
        completed=$((completed + 1))
    fi
done
elapsed=$(( $(date +%s) - started ))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
peak=$(cat "$peak_file")
result="rows $rows, rejected $rejected ($(cat "$work/corruptions.txt")), kills $kills (exit 143: $killed, the rest finished first), completed reruns $completed/$kills with read = scored + rejected = $rows, leftovers 0 checked after every run, failures $failures, peak RSS $((peak / 1024)) MiB, last full run ${full_seconds}s, total ${elapsed}s; load average before $load_before, after $load_after (shared machine)"
echo "$result"
{
    echo "# Soak test of launcher score"
    echo
    echo "Command: \`SOAK_ROWS=$rows SOAK_KILLS=$kills LAUNCHER=$LAUNCHER bash bench/soak/run.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores."
    echo
    echo "- $result"
} > bench/soak/RESULTS.md
[ "$failures" -eq 0 ]
