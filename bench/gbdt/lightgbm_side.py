#!/usr/bin/env python3
"""LightGBM's side of one `bench/run.sh` GBDT comparison: one process = one sample, one JSON line on stdout.

Same data, split and settings as `SolutionKitBench side gbdt` (lightgbm_bench.py's SAME): trains once (timed),
predicts --predict-rows rows (the test rows repeated, timed once after a warm-up on 10,000 rows).
Usage: lightgbm_side.py --dataset california|credit --trees N [--predict-rows R] [--threads T]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import lightgbm as lgb
from sklearn.metrics import roc_auc_score

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lightgbm_bench import SAME, california, credit  # noqa: E402
from thread_report import thread_report  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", choices=["california", "credit"], required=True)
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument("--predict-rows", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    xtr, ytr, xte, yte, cat = california() if args.dataset == "california" else credit()
    params = dict(SAME, num_threads=args.threads, objective="regression" if args.dataset == "california" else "binary")
    ds = lgb.Dataset(xtr, ytr, categorical_feature=cat, free_raw_data=False,
                     params={"max_bin": params["max_bin"], "verbose": -1})
    t0 = time.perf_counter()
    booster = lgb.train(params, ds, num_boost_round=args.trees)
    train_seconds = time.perf_counter() - t0
    reps = -(-args.predict_rows // len(xte))
    big = np.ascontiguousarray(np.tile(xte, (reps, 1))[:args.predict_rows])
    booster.predict(big[:10000], num_threads=args.threads)
    t0 = time.perf_counter()
    booster.predict(big, num_threads=args.threads)
    predict_seconds = time.perf_counter() - t0
    one = np.ascontiguousarray(xte[:1])
    singles = []
    for _ in range(2000):
        t = time.perf_counter()
        booster.predict(one, num_threads=1)
        singles.append(time.perf_counter() - t)
    pred = booster.predict(xte, num_threads=args.threads)
    metric = ({"rmse": float(np.sqrt(np.mean((pred - yte) ** 2)))} if args.dataset == "california"
              else {"auc": float(roc_auc_score(yte, pred))})
    print(json.dumps({
        "train_seconds": train_seconds, "predict_seconds": predict_seconds, "predict_rows": args.predict_rows,
        "rows_per_second": args.predict_rows / predict_seconds,
        "single_row_microseconds": float(np.median(singles)) * 1e6, "metric": metric,
        "threads": dict(thread_report(), lightgbm_num_threads=args.threads), "library": f"lightgbm {lgb.__version__}",
    }, sort_keys=True))


if __name__ == "__main__":
    main()
