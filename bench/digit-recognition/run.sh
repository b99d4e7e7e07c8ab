#!/usr/bin/env bash
# Digit-recognition benchmark: SolutionKit's `cnn` and `cnn-deep` against the same architectures in PyTorch
# (CPU, 2 threads), same data, batch size 128, Adam 1e-3, same epochs, in one run. Writes RESULTS.md here.
#
# Usage: bench/digit-recognition/run.sh [EPOCHS] [TRAIN_IMAGES]   (defaults 2 and 20000: the first TRAIN_IMAGES
# MNIST training images, so one run stays within a few minutes on 2 cores; time per epoch scales linearly).
# Needs bench/.venv with torch: bash bench/setup-venv.sh torch
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
epochs="${1:-2}"
limit="${2:-20000}"
mnist="$root/../shared/datasets/mnist"
python="$root/bench/.venv/bin/python"
[ -x "$python" ] || python="/work/main/bench/.venv/bin/python"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
launcher="${LAUNCHER:-$root/.build/release/launcher}"
[ -n "${LAUNCHER:-}" ] || swift build -c release --product launcher >/dev/null

# The training subset as an IDX folder the launcher reads like MNIST's own (test files unchanged).
"$python" "$here/make_subset.py" "$mnist" "$work/mnist" "$limit"

export OPENBLAS_NUM_THREADS=2
for arch in cnn cnn-deep; do
  "$launcher" run digit-recognition --data "$work/mnist" --recipe "$arch" --set epochs="$epochs" --threads 2 \
    --seed 1 --out "$work/runs" --quiet >/dev/null
  cp "$(ls -d "$work"/runs/digit-recognition/*-"$arch" | tail -1)/tables/timing.json" "$work/swift-$arch.json"
  cp "$(ls -d "$work"/runs/digit-recognition/*-"$arch" | tail -1)/metrics.json" "$work/swift-$arch-metrics.json"
  "$python" "$here/torch_bench.py" "$work/mnist" "$arch" "$epochs" "$limit" > "$work/torch-$arch.json"
done

"$python" - "$work" "$here/RESULTS.md" "$epochs" "$limit" <<'PY'
import json, platform, statistics, sys
work, out, epochs, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rows = []
for arch in ["cnn", "cnn-deep"]:
    s = json.load(open(f"{work}/swift-{arch}.json"))
    metrics = json.load(open(f"{work}/swift-{arch}-metrics.json"))
    t = json.load(open(f"{work}/torch-{arch}.json"))
    s_epoch = statistics.median(s["epoch_seconds"])
    s_ips = s["inference_images"] / s["inference_seconds"]
    accuracy = next(v["value"] for v in metrics["metrics"] if v["name"] == "accuracy")
    rows.append((arch, s_epoch, t["median_epoch_seconds"], s_ips, t["inference_images_per_second"], accuracy, t["test_accuracy"], t["library"]))
with open(out, "w") as f:
    f.write("# digit-recognition benchmark: SolutionKit against PyTorch (CPU)\n\n")
    f.write(f"MNIST, first {limit:,} training images, official 10,000 test images; batch 128, Adam lr 1e-3, {epochs} epochs; "
            f"2 threads each; one run of `bench/digit-recognition/run.sh {epochs} {limit}`. {rows[0][7]}, {platform.processor() or platform.machine()}.\n\n")
    f.write("Training time is the median seconds per epoch; inference is images per second at batch 256 over the 10,000 test images "
            "(PyTorch: median of 3 passes after a warm-up; SolutionKit: the single timed pass of its evaluation). "
            "Ratio < 1 in time and > 1 in throughput means SolutionKit is faster. The machine is shared, so the figures are noisy.\n\n")
    f.write("| architecture | SolutionKit s/epoch | PyTorch s/epoch | time ratio | SolutionKit img/s | PyTorch img/s | throughput ratio | SolutionKit test acc | PyTorch test acc |\n")
    f.write("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    for arch, se, te, si, ti, sa, ta, _ in rows:
        f.write(f"| {arch} | {se:.2f} | {te:.2f} | {se / te:.2f} | {si:,.0f} | {ti:,.0f} | {si / ti:.2f} | {sa:.4f} | {ta:.4f} |\n")
print(open(out).read())
PY
