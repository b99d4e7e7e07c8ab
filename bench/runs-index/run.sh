#!/usr/bin/env bash
# How long `launcher runs` takes to list and sort a history of many runs (acceptance: under 0.2 s for 1,000).
#
#   bash bench/runs-index/run.sh [COUNT] [REPEATS]      # defaults 1000 and 20
#
# Makes COUNT run folders (copies of one real price-prediction ridge run with different metrics, seeds and
# hyperparameters), indexes them with `launcher runs --rebuild`, then times whole launcher processes (start-up
# included) for the table sorted by rmse, the JSON listing and `runs best`, each REPEATS times after a warm-up.
# Prints the median and the slowest, with the load average before and after: quote it only from a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-1000}
repeats=${2:-20}

# shellcheck source=scripts/find-launcher.sh
source scripts/find-launcher.sh .build/release/launcher .build-release-tests/release/launcher

work=$(mktemp -d "${TMPDIR:-/tmp}/runs-index-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
template=$("$launcher" run price-prediction --recipe ridge --out "$work/template" --quiet | sed -n 's/^run folder: //p')

python3 - "$template" "$work/runs" "$count" <<'PY'
import json, pathlib, random, shutil, sys
template, root, count = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
plugin = root / "price-prediction"
plugin.mkdir(parents=True)
for i in range(count):
    folder = plugin / f"2026{1 + i // 28 % 12:02d}{1 + i % 28:02d}-{i // 100:02d}{i % 100:02d}00-ridge"
    shutil.copytree(template, folder, ignore=shutil.ignore_patterns("charts", "report.*", "tables"))
    metrics = json.loads((folder / "metrics.json").read_text())
    for m in metrics["metrics"]:
        m["value"] = m["value"] * rng.uniform(0.8, 1.2)
    metrics["seed"] = i
    metrics["createdAt"] = f"2026-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}T{i // 100 % 24:02d}:{i % 60:02d}:00Z"
    (folder / "metrics.json").write_text(json.dumps(metrics))
    hyper = json.loads((folder / "hyperparameters.json").read_text())
    hyper["values"]["alpha"] = round(rng.uniform(0.01, 100), 4)
    (folder / "hyperparameters.json").write_text(json.dumps(hyper))
PY

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$launcher" "$work/runs" "$count" <<'PY'
import subprocess, sys, time
started = time.perf_counter()
subprocess.run([sys.argv[1], "runs", "--rebuild", "--runs-folder", sys.argv[2], "--limit", "1"], check=True,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(f"rebuild of {sys.argv[3]} run folders: {time.perf_counter() - started:.2f} s")
PY

python3 - "$launcher" "$work/runs" "$repeats" "$count" <<'PY'
import statistics, subprocess, sys, time
launcher, root, repeats, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
commands = {
    "runs --sort rmse (table)": [launcher, "runs", "--runs-folder", root, "--sort", "rmse"],
    "runs --format json": [launcher, "runs", "--runs-folder", root, "--format", "json"],
    "runs best": [launcher, "runs", "best", "--plugin", "price-prediction", "--dataset", "sample", "--runs-folder", root],
}
for name, command in commands.items():
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout   # warm-up
    if name.startswith("runs --sort"):
        assert f"{count} runs" in output, output[-200:]
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    print(f"{name}: median {statistics.median(times):.3f} s, slowest {max(times):.3f} s over {repeats} runs ({count} run folders)")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
