#!/usr/bin/env python3
"""LightGBM side of the GBDT benchmark: PROTOCOL splits, same settings as the Swift side.

Writes bench/work/lightgbm.json with RMSE / AUC, median training time over several runs (after one
warm-up) and prediction throughput on 1,000,000 rows. Run through bench/gbdt/run.sh, which creates the
virtualenv (bench/.venv) with lightgbm, pandas and numpy.
"""
import json, os, statistics, sys, time
import numpy as np
import pandas as pd
import lightgbm as lgb
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
DATA = os.path.abspath(os.path.join(ROOT, "..", "shared", "datasets"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))

SAME = dict(num_leaves=31, max_bin=255, learning_rate=0.1, min_data_in_leaf=20, num_threads=2,
            verbose=-1, seed=0, deterministic=True, force_col_wise=True)


def california():
    df = pd.read_csv(os.path.join(DATA, "california-housing", "housing.csv"))
    # Same codes as the kit's TabularPreprocessor: categories numbered in sorted order. (LightGBM's bins do not
    # depend on the codes, but its most_freq_bin rule looks at the bin of code 0.)
    order = sorted(set(df["ocean_proximity"]))
    df["ocean_proximity"] = df["ocean_proximity"].map({c: i for i, c in enumerate(order)}).astype(float)
    y = df.pop("median_house_value").to_numpy(float)
    x = df.to_numpy(np.float32)
    test = np.arange(len(df)) % 5 == 0
    return x[~test], y[~test], x[test], y[test], [df.columns.get_loc("ocean_proximity")]


def credit():
    df = pd.read_csv(os.path.join(DATA, "give-me-some-credit", "cs-training.csv"))
    ids = df.iloc[:, 0].to_numpy()
    y = df.pop("SeriousDlqin2yrs").to_numpy(float)
    x = df.iloc[:, 1:].to_numpy(np.float32)
    test = ids % 5 == 0
    return x[~test], y[~test], x[test], y[test], []


def timed_train(params, x, y, cat, rounds):
    times, booster = [], None
    for run in range(RUNS + 1):
        ds = lgb.Dataset(x, y, categorical_feature=cat, free_raw_data=False,
                         params={"max_bin": params["max_bin"], "verbose": -1})
        t0 = time.perf_counter()
        booster = lgb.train(params, ds, num_boost_round=rounds)
        if run > 0:  # the first run is the warm-up
            times.append(time.perf_counter() - t0)
    return booster, statistics.median(times)


def throughput(booster, x):
    reps = -(-1_000_000 // len(x))
    big = np.ascontiguousarray(np.tile(x, (reps, 1))[:1_000_000])
    booster.predict(big[:10000], num_threads=2)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        booster.predict(big, num_threads=2)
        times.append(time.perf_counter() - t0)
    return 1_000_000 / statistics.median(times)


def main():
    out = {"lightgbm_version": lgb.__version__, "runs": RUNS}
    xtr, ytr, xte, yte, cat = california()
    booster, t = timed_train(dict(SAME, objective="regression"), xtr, ytr, cat, 100)
    pred = booster.predict(xte, num_threads=2)
    out["california"] = dict(rmse=float(np.sqrt(np.mean((pred - yte) ** 2))), train_seconds=t,
                             predict_rows_per_second=throughput(booster, xte))
    xtr, ytr, xte, yte, cat = credit()
    booster, t = timed_train(dict(SAME, objective="binary"), xtr, ytr, cat, 100)
    pred = booster.predict(xte, num_threads=2)
    out["credit"] = dict(auc=float(roc_auc_score(yte, pred)), train_seconds=t,
                         predict_rows_per_second=throughput(booster, xte))
    os.makedirs(os.path.join(ROOT, "bench", "work"), exist_ok=True)
    path = os.path.join(ROOT, "bench", "work", "lightgbm.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    sys.exit(main())
