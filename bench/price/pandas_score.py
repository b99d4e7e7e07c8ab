#!/usr/bin/env python3
"""The reference side of the `launcher score` comparisons in bench/run.sh: pandas read_csv + predict + to_csv of a
large California file (make_big_csv.py), timed in-process (interpreter start and model fitting excluded).
One process = one sample, one JSON line on stdout.

Usage: pandas_score.py --model ridge|gbdt --input BIG.csv --output OUT.csv
  ridge: scikit-learn Ridge(alpha=1) with the kit's preprocessing (bench_price.preprocessing);
  gbdt:  LightGBM, 100 trees of 31 leaves, ocean_proximity categorical, 2 threads.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench_price import DATA, TARGET, preprocessing  # noqa: E402
from thread_report import thread_report  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=["ridge", "gbdt"], required=True)
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    frame = pd.read_csv(DATA)
    train = frame[np.arange(len(frame)) % 5 != 0]
    x, y = train.drop(columns=[TARGET]), train[TARGET].to_numpy()
    numeric = [c for c in x.columns if pd.api.types.is_numeric_dtype(x[c])]
    categorical = [c for c in x.columns if c not in numeric]
    if args.model == "ridge":
        from sklearn.linear_model import Ridge
        from sklearn.pipeline import Pipeline
        model = Pipeline([("prep", preprocessing(numeric, categorical)), ("ridge", Ridge(alpha=1.0))]).fit(x, y)
        library = "scikit-learn Ridge + pandas"

        def predict(batch):
            return model.predict(batch)
    else:
        import lightgbm as lgb
        levels = sorted(set(x[categorical[0]]))

        def encode(batch):
            batch = batch.copy()
            for c in categorical:
                batch[c] = pd.Categorical(batch[c], categories=levels)
            return batch
        booster = lgb.train(dict(objective="regression", num_leaves=31, learning_rate=0.1, num_threads=2, verbose=-1,
                                 seed=0), lgb.Dataset(encode(x), y), num_boost_round=100)
        library = f"LightGBM {lgb.__version__} + pandas"

        def predict(batch):
            return booster.predict(encode(batch), num_threads=2)
    started = time.perf_counter()
    batch = pd.read_csv(args.input)
    out = pd.DataFrame({"id": batch["id"], "prediction": predict(batch.drop(columns=["id"]))})
    out.to_csv(args.output, index=False)
    seconds = time.perf_counter() - started
    size = os.path.getsize(args.input)
    print(json.dumps({"seconds": seconds, "rows": len(out), "input_mb_per_second": size / 1e6 / seconds,
                      "rows_per_second": len(out) / seconds, "threads": thread_report(), "library": library},
                     sort_keys=True))


if __name__ == "__main__":
    main()
