#!/usr/bin/env bash
# The kit's side of a CNN comparison in bench/run.sh: one `launcher run digit-recognition` (2 threads), then its
# timing table (per-epoch seconds, inference at batch 256) as one JSON line, like torch_bench.py's.
# Usage: kit_side.sh LAUNCHER MNIST_FOLDER ARCH EPOCHS
set -euo pipefail
launcher="$1" mnist="$2" arch="$3" epochs="$4"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$launcher" run digit-recognition --data "$mnist" --recipe "$arch" --set epochs="$epochs" --threads 2 \
  --seed 1 --out "$work/runs" --quiet >/dev/null
folder="$(ls -d "$work"/runs/digit-recognition/*-"$arch" | tail -1)"
python3 - "$folder" "$arch" <<'PY'
import json, os, statistics, sys
folder, arch = sys.argv[1], sys.argv[2]
timing = json.load(open(f"{folder}/tables/timing.json"))
metrics = json.load(open(f"{folder}/metrics.json"))
print(json.dumps({"arch": arch, "epoch_seconds": timing["epoch_seconds"],
                  "median_epoch_seconds": statistics.median(timing["epoch_seconds"]),
                  "inference_images_per_second": timing["inference_images"] / timing["inference_seconds"],
                  "test_accuracy": next(m["value"] for m in metrics["metrics"] if m["name"] == "accuracy"),
                  "threads": {"kit_workers": metrics.get("threads", "2 (--threads 2)"),
                              "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "unset"),
                              "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "unset")}}))
PY
