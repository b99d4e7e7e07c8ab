#!/usr/bin/env bash
# libFuzzer on one of SolutionKit's readers: bash scripts/fuzz.sh TARGET SECONDS [JOBS]
# TARGET: csv number idx png json ratings bundle (or `all`, each for SECONDS). Builds Fuzz/ (a package of its
# own) with -sanitize=fuzzer,address; seeds from Fuzz/corpus/TARGET (in git), the growing corpus and any crash
# under .build-fuzz/ (git-ignored). A crash is printed with the file that reproduces it; make it a
# regression test. Ends with exec/s and corpus size for the note. Linux only (libFuzzer ships with swiftc).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: scripts/fuzz.sh TARGET SECONDS [JOBS]}"
seconds="${2:-30}"
jobs="${3:-1}"
scratch="$PWD/.build-fuzz"
targets=(csv number idx png json ratings bundle)
if [ "$target" = all ]; then
    for t in "${targets[@]}"; do bash "$0" "$t" "$seconds" "$jobs"; done
    exit 0
fi
[[ " ${targets[*]} " == *" $target "* ]] || { echo "unknown target $target; known: ${targets[*]}" >&2; exit 1; }

# SwiftPM passes `-sanitize=fuzzer -sanitize=address` to swiftc as two options and the last one wins, which leaves
# Swift code without coverage counters (libFuzzer then reports "no interesting inputs"): the combined option
# after them restores the instrumentation.
swift build --package-path Fuzz --scratch-path "$scratch" -c debug --sanitize fuzzer --sanitize address \
    -Xswiftc -sanitize=fuzzer,address \
    --disable-dead-strip -Xswiftc -parse-as-library -Xswiftc -enable-testing --product SolutionKitFuzz >&2
binary="$scratch/debug/SolutionKitFuzz"

corpus="$scratch/corpus/$target"
artifacts="$scratch/artifacts/$target"
mkdir -p "$corpus" "$artifacts"
seeds="$PWD/Fuzz/corpus/$target"
if [ "$target" = bundle ]; then
    # Seed bundles: one small bundle of each kind, trained on the shipped samples with the launcher.
    export FUZZ_BUNDLES="$scratch/bundles"
    if [ ! -d "$FUZZ_BUNDLES" ]; then
        bash scripts/fuzz-bundles.sh "$FUZZ_BUNDLES"
    fi
    seeds="$scratch/bundle-seeds"
    mkdir -p "$seeds"
    # Seed i is selector byte i + the i-th file (sorted kind/file), matching BundleFuzzing's order.
    python3 - "$FUZZ_BUNDLES" "$seeds" <<'PY'
import os, sys
root, out = sys.argv[1], sys.argv[2]
files = [(k, f) for k in sorted(os.listdir(root)) for f in sorted(os.listdir(os.path.join(root, k)))]
for i, (k, f) in enumerate(files):
    data = open(os.path.join(root, k, f), 'rb').read()
    if len(data) <= 1 << 20:
        open(os.path.join(out, f"{i:03d}-{k}-{f}"), 'wb').write(bytes([i]) + data)
PY
fi
export FUZZ_TARGET="$target"
# One execution must end within this many seconds. A bundle input decodes a whole model (the CNN one has 2.7 MB
# of weights) in a debug build under ASan on a shared machine, so it gets more.
per_input=10
[ "$target" = bundle ] && per_input=30
log="$scratch/$target.log"
# -jobs makes libFuzzer fork workers that log to fuzz-N.log in the current folder, so only for JOBS > 1 and from
# a folder of this target's own (two targets at once would otherwise write the same fuzz-0.log).
parallel=()
if [ "$jobs" -gt 1 ]; then
    parallel=(-jobs="$jobs" -workers="$jobs")
    mkdir -p "$scratch/jobs-$target"
fi
set +e
( [ "$jobs" -gt 1 ] && cd "$scratch/jobs-$target"; ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" "$binary" "$corpus" "$seeds" \
    -max_total_time="$seconds" -timeout="$per_input" -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=65536 \
    "${parallel[@]}" -artifact_prefix="$artifacts/" -print_final_stats=1 ) 2>&1 | tee "$log" | tail -n 25
status=${PIPESTATUS[0]}
set -e
if [ "$jobs" -gt 1 ]; then cat "$scratch/jobs-$target"/fuzz-*.log >> "$log" 2>/dev/null; rm -rf "$scratch/jobs-$target"; fi
execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s+=$2} END {print s+0}')
files=$(ls "$corpus" | wc -l)
echo "fuzz $target: ${seconds}s, exit $status, executions $execs ($((execs / seconds)) exec/s), corpus $files files, $(du -sk "$corpus" | cut -f1) KiB; crashes: $(ls "$artifacts" | wc -l)"
exit "$status"
