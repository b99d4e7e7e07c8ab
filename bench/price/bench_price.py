"""Price prediction: SolutionKit against scikit-learn and pandas, on the PROTOCOL split, in one run.

Compares, on California housing (test = row_index % 5 == 0):
  - ridge: training time and RMSE against sklearn Ridge(alpha=1) with the same preprocessing
    (median imputation + missing indicator, standardisation, one-hot);
  - mlp: training time and RMSE against sklearn MLPRegressor(64, 64), solver adam, early stopping;
    SolutionKit's mlp recipe runs with its defaults, and time per epoch is compared too;
  - batch scoring of 1,000,000 rows: `launcher score` end to end (process start included) against
    pandas read_csv + Pipeline.predict + to_csv (in-process, interpreter start excluded), same ridge model,
    with the launcher's peak resident memory.
Writes bench/price/RESULTS.md. Usage: bench/price/bench_price.py [--runs N] [--rows N]
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import MissingIndicator, SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
DATA = os.path.abspath(os.path.join(ROOT, "..", "shared", "datasets", "california-housing", "housing.csv"))
LAUNCHER = os.path.join(ROOT, ".build", "release", "launcher")
TARGET = "median_house_value"


def median_seconds(fn, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def preprocessing(numeric, categorical):
    # The kit's preprocessing: median imputation, standardisation of the imputed values, a 0/1 indicator for
    # columns with missing training values (not standardised), one-hot categories.
    return ColumnTransformer([
        ("numeric", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), numeric),
        ("missing", MissingIndicator(features="missing-only"), numeric),
        ("onehot", OneHotEncoder(handle_unknown="ignore"), categorical),
    ])


def rmse(a, b):
    return float(np.sqrt(np.mean((np.asarray(a) - np.asarray(b)) ** 2)))


def launcher_run(recipe, settings, out):
    args = [LAUNCHER, "run", "price-prediction", "--dataset", "california", "--recipe", recipe, "--quiet", "--out", out]
    for s in settings:
        args += ["--set", s]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    folders = sorted(os.listdir(os.path.join(out, "price-prediction")))
    folder = os.path.join(out, "price-prediction", folders[-1])
    with open(os.path.join(folder, "metrics.json")) as f:
        metrics = json.load(f)
    history = None
    if os.path.exists(os.path.join(folder, "history.json")):
        with open(os.path.join(folder, "history.json")) as f:
            history = json.load(f)
    values = {m["name"]: m["value"] for m in metrics["metrics"]}
    return values, metrics["timings"]["trainingSeconds"], history, os.path.join(folder, "bundle")


def kit_training(recipe, settings, runs, work):
    results = [launcher_run(recipe, settings, os.path.join(work, f"{recipe}-{i}")) for i in range(runs + 1)][1:]
    return results[-1][0], statistics.median(r[1] for r in results), results[-1][2], results[-1][3]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
    work = tempfile.mkdtemp(prefix="bench-price-")

    frame = pd.read_csv(DATA)
    test = np.arange(len(frame)) % 5 == 0
    features = frame.drop(columns=[TARGET])
    numeric = [c for c in features.columns if pd.api.types.is_numeric_dtype(features[c])]
    categorical = [c for c in features.columns if not pd.api.types.is_numeric_dtype(features[c])]
    x_train, x_test = features[~test], features[test]
    y_train, y_test = frame[TARGET][~test].to_numpy(), frame[TARGET][test].to_numpy()
    rows = []

    # Ridge, same preprocessing (the kit's skew compression off, as scikit-learn has none).
    ridge = Pipeline([("prep", preprocessing(numeric, categorical)), ("ridge", Ridge(alpha=1.0))])
    sk_ridge_time = median_seconds(lambda: ridge.fit(x_train, y_train), args.runs)
    sk_ridge_rmse = rmse(ridge.predict(x_test), y_test)
    kit_ridge, kit_ridge_time, _, ridge_bundle = kit_training("ridge", ["log_skewed_features=false"], args.runs, work)
    rows.append(("ridge (same preprocessing)", kit_ridge["rmse"], sk_ridge_rmse, kit_ridge_time, sk_ridge_time))

    # MLP 64-64, adam, early stopping.
    mlp = Pipeline([("prep", preprocessing(numeric, categorical)),
                    ("mlp", MLPRegressor(hidden_layer_sizes=(64, 64), solver="adam", early_stopping=True,
                                         random_state=0))])
    sk_mlp_times = []
    for _ in range(max(1, args.runs // 2)):
        start = time.perf_counter()
        mlp.fit(x_train, y_train)
        sk_mlp_times.append(time.perf_counter() - start)
    sk_mlp_time = statistics.median(sk_mlp_times)
    sk_epochs = mlp.named_steps["mlp"].n_iter_
    sk_mlp_rmse = rmse(mlp.predict(x_test), y_test)
    kit_mlp, kit_mlp_time, history, _ = kit_training("mlp", [], args.runs, work)
    kit_epochs = len(history["series"][0]["values"]) if history else 0
    rows.append(("mlp 64-64 (each with its defaults)", kit_mlp["rmse"], sk_mlp_rmse, kit_mlp_time, sk_mlp_time))

    # Batch scoring of a large file with the ridge model.
    big = os.path.join(work, "big.csv")
    subprocess.run([sys.executable, os.path.join(HERE, "make_big_csv.py"), DATA, big, str(args.rows)], check=True)
    out_kit = os.path.join(work, "scored-kit.csv")
    out_pd = os.path.join(work, "scored-pandas.csv")

    def score_kit():
        subprocess.run([LAUNCHER, "score", "--model", ridge_bundle, "--input", big, "--output", out_kit],
                       check=True, stderr=subprocess.DEVNULL)

    def score_pandas():
        batch = pd.read_csv(big)
        pd.DataFrame({"id": batch["id"], "prediction": ridge.predict(batch.drop(columns=["id"]))}).to_csv(out_pd, index=False)

    score_runs = max(3, args.runs // 2)
    kit_score = median_seconds(score_kit, score_runs)
    pd_score = median_seconds(score_pandas, score_runs)
    timed = subprocess.run(["/usr/bin/time", "-f", "%M", LAUNCHER, "score", "--model", ridge_bundle, "--input", big,
                            "--output", out_kit], check=True, stderr=subprocess.PIPE, text=True)
    peak_mb = int(timed.stderr.strip().splitlines()[-1]) / 1024
    agree = rmse(pd.read_csv(out_kit)["prediction"], pd.read_csv(out_pd)["prediction"])
    pipe = subprocess.run(f"cat {big} | {LAUNCHER} score --model {ridge_bundle} --input - --output - | wc -l",
                          shell=True, check=True, capture_output=True, text=True)

    lines = [
        "# Price prediction: SolutionKit against scikit-learn and pandas",
        "",
        f"California housing, PROTOCOL split (test = row_index % 5 == 0: {len(y_train)} train / {len(y_test)} test rows).",
        f"Machine: {os.cpu_count()} cores, {platform.platform()}; scikit-learn {sklearn.__version__}, pandas {pd.__version__}, numpy {np.__version__}.",
        f"Release build; times are medians of {args.runs} runs after one warm-up (MLPRegressor: {len(sk_mlp_times)} runs);"
        " the kit's training time is the `trainingSeconds` its run records. Reproduce: `bash bench/price/run.sh`.",
        "",
        "| model | SolutionKit RMSE | scikit-learn RMSE | SolutionKit train s | scikit-learn train s | speed-up |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, kr, sr, kt, st in rows:
        lines.append(f"| {name} | {kr:,.0f} | {sr:,.0f} | {kt:.3f} | {st:.3f} | {st / kt:.1f}× |")
    lines += [
        "",
        f"- Ridge RMSE difference: {100 * (kit_ridge['rmse'] - sk_ridge_rmse) / sk_ridge_rmse:+.3f}%.",
        f"- MLP epochs: SolutionKit {kit_epochs} (cosine schedule, AdamW, batch 128, best epoch kept), "
        f"scikit-learn {sk_epochs} (adam, batch 200, early stopping). Per epoch: SolutionKit {kit_mlp_time / max(kit_epochs, 1) * 1000:.1f} ms, "
        f"scikit-learn {sk_mlp_time / max(sk_epochs, 1) * 1000:.1f} ms ({(sk_mlp_time / sk_epochs) / (kit_mlp_time / max(kit_epochs, 1)):.1f}×).",
        "",
        f"## Batch scoring, {args.rows:,} rows (California rows repeated, `id` first), ridge model",
        "",
        "| pipeline | seconds | rows/s |",
        "|---|---:|---:|",
        f"| `launcher score` (process start included) | {kit_score:.2f} | {args.rows / kit_score:,.0f} |",
        f"| pandas read_csv + Pipeline.predict + to_csv (in-process) | {pd_score:.2f} | {args.rows / pd_score:,.0f} |",
        "",
        f"- Speed-up: {pd_score / kit_score:.1f}×. Peak resident memory of `launcher score`: {peak_mb:.0f} MB.",
        f"- RMS difference between the two programs' predictions: {agree:.4f} (same model family, fitted separately).",
        f"- `cat big.csv | launcher score --input - --output - | wc -l` printed {pipe.stdout.strip()} (rows + 1 = {args.rows + 1}).",
        "",
    ]
    with open(os.path.join(HERE, "RESULTS.md"), "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
