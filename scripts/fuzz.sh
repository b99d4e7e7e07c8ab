#!/usr/bin/env bash
# libFuzzer on SolutionKit's readers: bash scripts/fuzz.sh TARGET SECONDS [WORKERS]
# TARGET: csv number idx png json ratings bundle, or `all` (each in turn for SECONDS). WORKERS > 1 runs that many
# fuzzing processes on one shared corpus (libFuzzer's -jobs=N -workers=N). Builds Fuzz/ (a package of its own) with
# -sanitize=fuzzer,address, leak detection on; seeds from Fuzz/corpus/TARGET (in git), the growing corpus and any
# crash under .build-fuzz/ (git-ignored; FUZZ_SCRATCH=FOLDER for another). A crash, leak, timeout or out-of-memory
# is printed with the file that reproduces it (make it a regression test) and makes the script fail, after every
# target has run. Ends with one line per target: executions, exec/s, corpus size, findings. Linux only (libFuzzer
# and the sanitizer runtimes ship with the Swift toolchain: usr/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: scripts/fuzz.sh TARGET|all SECONDS [WORKERS]}"
seconds="${2:-30}"
workers="${3:-1}"
scratch="${FUZZ_SCRATCH:-$PWD/.build-fuzz}"
scratch="$(mkdir -p "$scratch" && cd "$scratch" && pwd)"
targets=(csv number idx png json ratings bundle)
if [ "$target" != all ] && [[ " ${targets[*]} " != *" $target "* ]]; then
    echo "unknown target $target; known: ${targets[*]} all" >&2
    exit 1
fi

# SwiftPM passes `-sanitize=fuzzer -sanitize=address` to swiftc as two options and the last one wins, which leaves
# Swift code without coverage counters (libFuzzer then reports "no interesting inputs"): the combined option
# after them restores the instrumentation. Only the fuzz product is built (the core, the plugins and Yams).
build_started=$(date +%s)
swift build --package-path Fuzz --scratch-path "$scratch" -c debug --sanitize fuzzer --sanitize address \
    -Xswiftc -sanitize=fuzzer,address \
    --disable-dead-strip -Xswiftc -parse-as-library -Xswiftc -enable-testing --product SolutionKitFuzz >&2
echo "fuzz: build $(( $(date +%s) - build_started )) s" >&2
binary="$scratch/debug/SolutionKitFuzz"
summary=()
failed=()

# Fuzzes one target; prints its summary line and returns non-zero on any finding.
fuzz_target() {
    local name="$1"
    local corpus="$scratch/corpus/$name" artifacts="$scratch/artifacts/$name" seeds="$PWD/Fuzz/corpus/$name"
    local log="$scratch/$name.log" stamp="$scratch/started-$name"
    mkdir -p "$corpus" "$artifacts"
    local environment=(FUZZ_TARGET="$name")
    # One execution must end within this many seconds. A bundle input decodes a whole model (the CNN one has
    # 2.7 MB of weights) in a debug build under ASan on a shared machine, so it gets more.
    local per_input=10 max_len=65536
    if [ "$name" = bundle ]; then
        environment+=(FUZZ_BUNDLES="$scratch/bundles")
        seeds="$scratch/bundle-seeds"
        local seeding_started
        seeding_started=$(date +%s)
        if ! env "${environment[@]}" FUZZ_SEED_INPUTS="$seeds" ASAN_OPTIONS=detect_leaks=0 "$binary" >&2; then
            summary+=("fuzz $name: the seed bundles could not be made")
            return 1
        fi
        echo "fuzz: bundle seeds $(( $(date +%s) - seeding_started )) s" >&2
        per_input=30
        # Room for the weights of the seed bundles but the CNN's (BundleFuzzing.maximumInputLength).
        max_len=1048576
    fi
    local options=(-max_total_time="$seconds" -timeout="$per_input" -rss_limit_mb=2048 -malloc_limit_mb=2048
                   -max_len="$max_len" -artifact_prefix="$artifacts/" -print_final_stats=1)
    # With -jobs, libFuzzer runs the workers as whole sessions that each log to fuzz-K.log in the current folder and
    # copies that log to its own output when the worker ends: so they run from a folder of this target's own.
    local folder="$PWD"
    if [ "$workers" -gt 1 ]; then
        options+=(-jobs="$workers" -workers="$workers")
        folder="$scratch/jobs-$name"
        rm -rf "$folder" && mkdir -p "$folder"
    fi
    local files_before status load_before
    files_before=$(find "$corpus" -type f | wc -l)
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    touch "$stamp"
    set +e
    ( cd "$folder" && env "${environment[@]}" ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
        "$binary" "$corpus" "$seeds" "${options[@]}" ) > "$log" 2>&1
    status=$?
    set -e
    if [ "$workers" -gt 1 ]; then rm -rf "$folder"; fi
    tail -n 20 "$log" >&2

    local executions rss coverage files crashes leaks timeouts ooms
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
    rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | awk '$2 > m {m = $2} END {print m + 0}')
    # Edges covered when the run ended (the most any worker reached).
    coverage=$(grep -o 'DONE *cov: *[0-9]*' "$log" | awk '$3 > m {m = $3} END {print m + 0}')
    files=$(find "$corpus" -type f | wc -l)
    crashes=$(find "$artifacts" -maxdepth 1 -type f -name 'crash-*' -newer "$stamp" | wc -l)
    # A leak found after an input leaves a leak-* file; one LeakSanitizer finds at exit leaves only the report.
    leaks=$(grep -c 'ERROR: LeakSanitizer' "$log" || true)
    timeouts=$(grep -c 'ERROR: libFuzzer: timeout' "$log" || true)
    ooms=$(grep -c 'ERROR: libFuzzer: out-of-memory' "$log" || true)
    local line="fuzz $name: ${seconds} s x $workers workers, exit $status, executions $executions"
    line+=" ($(( executions / seconds )) exec/s), corpus $files_before -> $files files"
    line+=" ($(du -sk "$corpus" | cut -f1) KiB), coverage $coverage, peak RSS $rss MB per worker; crashes $crashes, leaks $leaks,"
    line+=" timeouts $timeouts, out-of-memory $ooms; load $load_before -> $(cut -d' ' -f1 /proc/loadavg)"
    echo "$line" >&2
    summary+=("$line")
    local finding
    while read -r finding; do
        echo "  reproduce: ${environment[*]} $binary $finding" >&2
    done < <(find "$artifacts" -maxdepth 1 -type f -newer "$stamp" ! -name 'slow-unit-*')
    [ "$status" -eq 0 ] && [ $(( crashes + leaks + timeouts + ooms )) -eq 0 ]
}

if [ "$target" = all ]; then selected=("${targets[@]}"); else selected=("$target"); fi
for name in "${selected[@]}"; do
    fuzz_target "$name" || failed+=("$name")
done
# The lines again, together, when several targets ran.
if [ "${#selected[@]}" -gt 1 ]; then printf '%s\n' "${summary[@]}"; fi
if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]} (logs: $scratch/<target>.log)" >&2
    exit 1
fi
