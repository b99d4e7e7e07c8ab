#!/usr/bin/env bash
# `make bench`: every comparison of the kit against its reference library, run the same way by bench/ab.py:
# reference and kit alternated A B A B in one invocation, a warm-up pair then N pairs, medians with min-max, the
# load average before and after each pair, the thread counts each side reports. Writes bench/RESULTS.md (dated).
#
#   BENCH_QUICK=1   a subset that takes about 5 minutes on 2 cores: GBDT on both datasets (100 trees),
#                   `launcher score` with ridge and GBDT bundles on 1,000,000 rows, and, if torch is installed,
#                   `cnn` for one epoch on 10,000 images.
#   BENCH_RUNS=N    timed pairs per comparison (default 3 quick, 5 full; CNN full runs use 3).
#   BENCH_PYTHON=…  a Python that already has the reference libraries (else bench/.venv is created).
# Needs ../shared/datasets. The per-plugin scripts (bench/<plugin>/run.sh) still write their own detailed
# RESULTS.md; the recommendation benchmark (bench/recommendation/run.sh) is not alternated yet.
set -euo pipefail
cd "$(dirname "$0")/.."
quick="${BENCH_QUICK:-0}"
datasets="${BENCH_DATASETS:-$(cd ../shared/datasets && pwd)}"
if [ "$quick" = 1 ]; then runs="${BENCH_RUNS:-3}"; mode=quick; else runs="${BENCH_RUNS:-5}"; mode=full; fi

swift build -c release --product launcher
swift build -c release --product SolutionKitBench
python="${BENCH_PYTHON:-}"
if [ -z "$python" ]; then
  bash bench/setup-venv.sh lightgbm threadpoolctl
  # PyTorch's CPU wheels (the default wheel brings CUDA); only the full run needs it.
  if [ "$quick" != 1 ]; then
    bench/.venv/bin/pip install -q --extra-index-url https://download.pytorch.org/whl/cpu torch
  fi
  python=bench/.venv/bin/python
fi

# Both sides get the same thread settings; OpenMP threads sleep instead of spinning when idle.
export OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 MKL_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE
work="$PWD/bench/work/run"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
launcher="$PWD/.build/release/launcher"
kitbench="$PWD/.build/release/SolutionKitBench"

# Scoring inputs and bundles (not timed): 1,000,000 California rows, a ridge and a 100-tree GBDT price model.
"$python" bench/price/make_big_csv.py "$datasets/california-housing/housing.csv" "$work/big.csv" 1000000
"$launcher" run price-prediction --dataset california --recipe ridge --set log_skewed_features=false \
  --quiet --out "$work/ridge" >/dev/null
"$launcher" run price-prediction --dataset california --recipe gbdt --set num_iterations=100 \
  --set early_stopping_rounds=0 --quiet --out "$work/gbdt" >/dev/null
ridge_bundle="$(ls -d "$work"/ridge/price-prediction/*/bundle | tail -1)"
gbdt_bundle="$(ls -d "$work"/gbdt/price-prediction/*/bundle | tail -1)"
has_torch=0
"$python" -c "import torch" 2>/dev/null && has_torch=1
if [ "$has_torch" = 1 ]; then
  "$python" bench/digit-recognition/make_subset.py "$datasets/mnist" "$work/mnist-10k" 10000
fi

"$python" - "$work/suite.json" <<PY
import json, sys
quick, runs, py, kit, launcher, work, datasets = $([ "$quick" = 1 ] && echo True || echo False), $runs, "$python", "$kitbench", "$launcher", "$work", "$datasets"
has_torch = $([ "$has_torch" = 1 ] && echo True || echo False)
comparisons = []
gbdt_metrics = [
    dict(label="predict rows/s (1M rows)", reference="rows_per_second", kit="rows_per_second"),
    dict(label="train s", reference="train_seconds", kit="train_seconds"),
    dict(label="single-row µs (in-process)", reference="single_row_microseconds", kit="single_row_microseconds"),
    dict(label="predict s, kit's previous CompactTreePredictor", reference="predict_seconds", kit="compact_predict_seconds"),
]
for dataset in ["california", "credit"]:
    for trees in ([100] if quick else [100, 1000]):
        comparisons.append(dict(
            name=f"gbdt {dataset} {trees} trees",
            description=f"PROTOCOL split, {trees} trees of 31 leaves, 255 bins, lr 0.1, 2 threads: training on the train "
                        "rows, then batch prediction of 1,000,000 rows (the test rows repeated), then 2,000 single-row calls.",
            reference=[py, "bench/gbdt/lightgbm_side.py", "--dataset", dataset, "--trees", str(trees)],
            kit=[kit, "side", "gbdt", "--dataset", dataset, "--trees", str(trees), "--datasets", datasets],
            metrics=gbdt_metrics))
score_metrics = [
    dict(label="end-to-end s", reference="seconds", kit="seconds"),
    dict(label="input MB/s", reference="input_mb_per_second", kit="input_mb_per_second"),
    dict(label="rows/s", reference="rows_per_second", kit="rows_per_second"),
]
for model in ["ridge", "gbdt"]:
    bundle = "$ridge_bundle" if model == "ridge" else "$gbdt_bundle"
    comparisons.append(dict(
        name=f"score {model} 1M rows",
        description=f"1,000,000 California rows (69 MB CSV): \`launcher score\` with a {model} bundle, process start included, "
                    "against pandas read_csv + predict + to_csv in-process (same model family fitted on the same rows).",
        reference=[py, "bench/price/pandas_score.py", "--model", model, "--input", f"{work}/big.csv",
                   "--output", f"{work}/ref-{model}.csv"],
        kit=["bash", "bench/price/kit_score.sh", launcher, bundle, f"{work}/big.csv", f"{work}/kit-{model}.csv"],
        metrics=score_metrics))
if has_torch:
    cnn_metrics = [
        dict(label="s/epoch", reference="median_epoch_seconds", kit="median_epoch_seconds"),
        dict(label="inference img/s (batch 256)", reference="inference_images_per_second", kit="inference_images_per_second"),
        dict(label="test accuracy", reference="test_accuracy", kit="test_accuracy"),
    ]
    plan = [("cnn", 1, f"{work}/mnist-10k", 10000)] if quick else [(a, 2, f"{datasets}/mnist", 60000) for a in ("cnn", "cnn-deep")]
    for arch, epochs, folder, images in plan:
        comparisons.append(dict(
            name=f"{arch} MNIST {images // 1000}k x {epochs} epochs",
            description=f"the same architecture in PyTorch (CPU) and the kit, {images:,} training images, batch 128, Adam 1e-3, "
                        f"{epochs} epoch(s), 2 threads each; inference over the 10,000 test images at batch 256.",
            reference=[py, "bench/digit-recognition/torch_bench.py", folder, arch, str(epochs), str(images)],
            kit=["bash", "bench/digit-recognition/kit_side.sh", launcher, folder, arch, str(epochs)],
            metrics=cnn_metrics, runs=runs if quick else min(runs, 3)))
json.dump(dict(mode="quick" if quick else "full", runs=runs, comparisons=comparisons,
               command=("BENCH_QUICK=1 " if quick else "") + "make bench"), open(sys.argv[1], "w"), indent=1)
PY
[ "$has_torch" = 1 ] || echo "note: torch is not installed in $python: the CNN comparisons are skipped"
"$python" bench/ab.py "$work/suite.json"
