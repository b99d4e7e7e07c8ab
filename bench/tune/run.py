#!/usr/bin/env python3
"""`launcher tune price-prediction --dataset california --recipe gbdt --budget 40` against Optuna (TPE) + LightGBM's
lgb.cv with the same 40 trials, 5 folds of the PROTOCOL training part (row_index % 5 != 0), 2 threads, the same search
space (bench/tune/space.json mirrors the recipe's, see `launcher describe price-prediction`). Both pick boosting rounds
by CV early stopping. Reported: wall time of each search (+ final fit and test), the best CV RMSE and the test RMSE.
Runs are alternated A B A B after a warm-up when --repeats > 1; the load average is written before and after.

Usage: bench/tune/run.sh [--repeats 1] [--budget 40]
"""
import argparse
import json
import os
import subprocess
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = os.environ.get("LAUNCHER", str(ROOT / ".build/release/launcher"))
DATA = Path(os.environ.get("SHARED_DATASETS", ROOT.parent / "shared/datasets")) / "california-housing/housing.csv"
SPACE = json.loads(Path(__file__).with_name("space.json").read_text())


def optuna_search(budget, threads, seed):
    import lightgbm as lgb
    import optuna
    frame = pd.read_csv(DATA)
    frame["ocean_proximity"] = frame["ocean_proximity"].astype("category")
    test = np.arange(len(frame)) % 5 == 0
    y = frame.pop("median_house_value").to_numpy()
    train_set = lgb.Dataset(frame[~test], y[~test], free_raw_data=False)
    base = dict(objective="regression", metric="rmse", verbosity=-1, num_threads=threads, bagging_freq=1, seed=seed,
                max_bin=255)
    best_rounds = {}

    def objective(trial):
        params = dict(base)
        for key, spec in SPACE.items():
            if spec["type"] == "int":
                params[key] = trial.suggest_int(key, spec["low"], spec["high"], log=spec["log"])
            else:
                params[key] = trial.suggest_float(key, spec["low"], spec["high"], log=spec["log"])
        cv = lgb.cv(params, train_set, num_boost_round=1500, nfold=5, stratified=False, seed=seed,
                    callbacks=[lgb.early_stopping(100, verbose=False)])
        scores = cv["valid rmse-mean"]
        best_rounds[trial.number] = len(scores)
        return scores[-1]

    started = time.time()
    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed))
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study.optimize(objective, n_trials=budget)
    search = time.time() - started
    params = dict(base, **study.best_params)
    model = lgb.train(params, train_set, num_boost_round=best_rounds[study.best_trial.number])
    rmse = float(np.sqrt(np.mean((model.predict(frame[test]) - y[test]) ** 2)))
    return dict(seconds=time.time() - started, search_seconds=search, cv_rmse=study.best_value, test_rmse=rmse)


def kit_search(budget, threads, seed, out):
    started = time.time()
    done = subprocess.run([LAUNCHER, "tune", "price-prediction", "--dataset", "california", "--recipe", "gbdt",
                           "--budget", str(budget), "--folds", "5", "--threads", str(threads), "--seed", str(seed),
                           "--out", str(out), "--quiet"], capture_output=True, text=True, check=True)
    seconds = time.time() - started
    folder = Path(done.stdout.strip().split("tune folder: ")[-1].strip())
    board = json.loads((folder / "leaderboard.json").read_text())
    metrics = json.loads((folder / "run/metrics.json").read_text())
    best = min(t["estimate"]["mean"] for t in board["trials"]
               if t.get("estimate") and len(t["estimate"]["values"]) == board["folds"])
    test = {m["name"]: m["value"] for m in metrics["metrics"]}["rmse"]
    return dict(seconds=seconds, cv_rmse=best, test_rmse=test, folder=str(folder))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--budget", type=int, default=40)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    out = ROOT / "bench/work/tune"
    out.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    rows = []
    for r in range(args.repeats):
        rows.append(("SolutionKit tune (successive halving over folds)", kit_search(args.budget, 2, args.seed, out)))
        rows.append(("Optuna TPE + lgb.cv", optuna_search(args.budget, 2, args.seed)))
    load_after = os.getloadavg()
    lines = [f"# tune: California gbdt, {args.budget} trials, 5 folds, 2 threads", "",
             f"Load average (1, 5, 15 min) before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}; "
             f"after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}. "
             + ("Measured under load: not a result." if max(load_before[0], load_after[0]) > 1.5 else ""), "",
             "| search | wall seconds | best CV RMSE | test RMSE |", "|---|---:|---:|---:|"]
    for name, row in rows:
        lines.append(f"| {name} | {row['seconds']:.1f} | {row['cv_rmse']:.1f} | {row['test_rmse']:.1f} |")
    kit = [r for n, r in rows if n.startswith("SolutionKit")]
    ref = [r for n, r in rows if n.startswith("Optuna")]
    lines += ["", f"Wall-time ratio (kit / Optuna, medians): "
                  f"{np.median([k['seconds'] for k in kit]) / np.median([o['seconds'] for o in ref]):.3f}"]
    Path(__file__).with_name("RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
