#!/usr/bin/env python3
"""Generalization suite: the kit's defaults and `--recipe auto` against scikit-learn models selected by CV, on public
datasets that ship inside PyPI packages (scikit-learn's bundled datasets, statsmodels' datasets). None of them is one of
the four shared datasets the kit's defaults were tuned on.

Protocol, per dataset: 5 outer folds (KFold / StratifiedKFold, shuffled, random_state=0). In each outer fold the kit
gets the training part as --data and the test part as --test, and selects (auto) by its own inner CV on the training
part only; the references select by their own inner CV (RidgeCV's LOO, LogisticRegressionCV's 5 folds,
HistGradientBoosting's early stopping on a training share). Reported: mean and sd of the test metric over the outer
folds (RMSE for regression, ROC AUC for binary), one row per dataset and model.

Usage: bench/generalization/run.sh [--folds 5] [--datasets name,...] [--budget N]
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.linear_model import LogisticRegressionCV, RidgeCV
from sklearn.metrics import mean_squared_error, roc_auc_score
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = os.environ.get("LAUNCHER", str(ROOT / ".build/release/launcher"))
WORK = ROOT / "bench/work/generalization"


def load_datasets():
    """(name, kind, frame, target): kind is 'regression' (price-prediction) or 'binary' (credit-risk)."""
    from sklearn import datasets as skd
    import statsmodels.api as sm
    out = []
    d = skd.load_diabetes(as_frame=True)
    out.append(("sklearn-diabetes", "regression", d.frame, "target"))
    g = sm.datasets.grunfeld.load_pandas().data
    g["firm"] = g["firm"].astype(str)
    out.append(("statsmodels-grunfeld", "regression", g, "invest"))
    s = sm.datasets.star98.load_pandas().data
    # star98: share of students above the national median in maths, from school and district covariates.
    s = s.assign(share=s["NABOVE"] / (s["NABOVE"] + s["NBELOW"])).drop(columns=["NABOVE", "NBELOW"])
    out.append(("statsmodels-star98", "regression", s, "share"))
    b = skd.load_breast_cancer(as_frame=True)
    frame = b.frame.copy()
    frame["target"] = 1 - frame["target"]  # malignant (0 in sklearn) is the positive class
    out.append(("sklearn-breast-cancer", "binary", frame, "target"))
    f = sm.datasets.fair.load_pandas().data
    f = f.assign(affair=(f["affairs"] > 0).astype(int)).drop(columns=["affairs"])
    out.append(("statsmodels-fair", "binary", f, "affair"))
    a = sm.datasets.anes96.load_pandas().data
    a = a.drop(columns=["popul", "TVnews", "PID"], errors="ignore")
    out.append(("statsmodels-anes96", "binary", a, "vote"))
    return out


def split_columns(x):
    categorical = [c for c in x.columns if x[c].dtype == object or str(x[c].dtype) in ("category", "string", "str")]
    numeric = [c for c in x.columns if c not in categorical]
    return numeric, categorical


def preprocessing(x):
    numeric, categorical = split_columns(x)
    return ColumnTransformer([("num", StandardScaler(), numeric),
                              ("cat", OneHotEncoder(handle_unknown="ignore"), categorical)])


def references(kind, x):
    if kind == "regression":
        return {"RidgeCV": Pipeline([("prep", preprocessing(x)), ("m", RidgeCV(alphas=np.logspace(-3, 5, 33)))]),
                "HistGradientBoosting": Pipeline([("prep", ColumnTransformer(
                    [("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), split_columns(x)[1])],
                    remainder="passthrough")), ("m", HistGradientBoostingRegressor(random_state=0))])}
    return {"LogisticRegressionCV": Pipeline([("prep", preprocessing(x)),
                                              ("m", LogisticRegressionCV(Cs=10, cv=5, max_iter=5000, scoring="roc_auc"))]),
            "HistGradientBoosting": Pipeline([("prep", ColumnTransformer(
                [("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), split_columns(x)[1])],
                remainder="passthrough")), ("m", HistGradientBoostingClassifier(random_state=0))])}


def score(kind, y, prediction):
    if kind == "regression":
        return float(np.sqrt(mean_squared_error(y, prediction)))
    return float(roc_auc_score(y, prediction))


def kit(plugin, train, test, target, extra, out):
    command = [LAUNCHER, "run", plugin, "--data", str(train), "--test", str(test), "--target", target,
               "--out", str(out), "--quiet", "--threads", "2"] + extra
    started = time.time()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}\n{done.stderr}")
    folder = done.stdout.strip().split("run folder: ")[-1].strip()
    metrics = json.loads(Path(folder, "metrics.json").read_text())
    values = {m["name"]: m["value"] for m in metrics["metrics"]}
    return values[metrics["primary"]], metrics["recipe"], time.time() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--datasets", default="")
    parser.add_argument("--budget", type=int, default=None)
    parser.add_argument("--output", default=str(Path(__file__).with_name("RESULTS.md")))
    args = parser.parse_args()
    wanted = set(filter(None, args.datasets.split(",")))
    rows = []
    for name, kind, frame, target in load_datasets():
        if wanted and name not in wanted:
            continue
        frame = frame.dropna(subset=[target]).reset_index(drop=True)
        x, y = frame.drop(columns=[target]), frame[target]
        plugin = "price-prediction" if kind == "regression" else "credit-risk"
        splitter = (KFold(args.folds, shuffle=True, random_state=0) if kind == "regression"
                    else StratifiedKFold(args.folds, shuffle=True, random_state=0))
        results = {}
        picks = []
        for fold, (tr, te) in enumerate(splitter.split(x, y)):
            folder = WORK / name / f"fold{fold}"
            folder.mkdir(parents=True, exist_ok=True)
            frame.iloc[tr].to_csv(folder / "train.csv", index=False)
            frame.iloc[te].to_csv(folder / "test.csv", index=False)
            auto = ["--recipe", "auto"] + (["--budget", str(args.budget)] if args.budget else [])
            for label, extra in (("kit default", []), ("kit auto", auto)):
                value, recipe, seconds = kit(plugin, folder / "train.csv", folder / "test.csv", target, extra, folder / "runs")
                results.setdefault(label, []).append(value)
                if label == "kit auto":
                    picks.append(recipe)
                print(f"{name} fold {fold} {label}: {value:.5g} ({recipe}, {seconds:.1f}s)", file=sys.stderr)
            for label, model in references(kind, x).items():
                model.fit(x.iloc[tr], y.iloc[tr])
                p = model.predict(x.iloc[te]) if kind == "regression" else model.predict_proba(x.iloc[te])[:, 1]
                results.setdefault(label, []).append(score(kind, y.iloc[te], p))
        metric = "RMSE" if kind == "regression" else "ROC AUC"
        for label, values in results.items():
            rows.append((name, len(frame), metric, label, float(np.mean(values)), float(np.std(values, ddof=1)),
                         ", ".join(sorted(set(picks))) if label == "kit auto" else ""))
    load = os.getloadavg()[0]
    lines = ["# Generalization suite", "",
             f"{args.folds} outer folds per dataset (shuffled, random_state=0); the kit selects inside each training part "
             "(`--recipe auto`, inner 5-fold CV); references select by their own CV. Lower RMSE / higher AUC is better. "
             f"Load average at the end: {load:.1f} (accuracy figures do not depend on load).", "",
             "| dataset | rows | metric | model | mean | sd over folds | auto picked |", "|---|---:|---|---|---:|---:|---|"]
    for r in rows:
        lines.append(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]:.5g} | {r[5]:.3g} | {r[6]} |")
    Path(args.output).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
