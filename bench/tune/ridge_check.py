#!/usr/bin/env python3
"""Ridge alpha by exact leave-one-out: the kit (`run --recipe ridge --set alpha_selection=loo`, what every `tune --recipe
ridge` trial uses) against scikit-learn's RidgeCV with the same grid (10^-3 ... 10^5 in quarter decades) and the same
preprocessing as bench/price (median imputation, standardisation, missing indicators, one-hot; the kit's skew
compression off), on California's PROTOCOL split. Prints both test RMSEs and chosen alphas.

Usage: bench/.venv/bin/python bench/tune/ridge_check.py
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import Pipeline

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "price"))
from bench_price import DATA, LAUNCHER, TARGET, preprocessing, rmse  # noqa: E402

ALPHAS = [10 ** (-3 + 0.25 * k) for k in range(33)]


def main():
    frame = pd.read_csv(DATA)
    test = np.arange(len(frame)) % 5 == 0
    features = frame.drop(columns=[TARGET])
    numeric = [c for c in features.columns if pd.api.types.is_numeric_dtype(features[c])]
    categorical = [c for c in features.columns if c not in numeric]
    model = Pipeline([("prep", preprocessing(numeric, categorical)), ("ridge", RidgeCV(alphas=ALPHAS))])
    model.fit(features[~test], frame[TARGET][~test])
    sk = rmse(model.predict(features[test]), frame[TARGET][test])
    out = tempfile.mkdtemp(prefix="ridge-check-")
    done = subprocess.run([LAUNCHER, "run", "price-prediction", "--dataset", "california", "--recipe", "ridge",
                           "--set", "alpha_selection=loo", "--set", "log_skewed_features=false", "--out", out, "--quiet"],
                          check=True, capture_output=True, text=True)
    folder = done.stdout.strip().split("run folder: ")[-1].strip()
    metrics = {m["name"]: m["value"] for m in json.loads(Path(folder, "metrics.json").read_text())["metrics"]}
    alpha = json.loads(Path(folder, "hyperparameters.json").read_text())["values"]["alpha"]
    print(f"scikit-learn RidgeCV: alpha {model[-1].alpha_:.6g}, test RMSE {sk:.2f}")
    print(f"SolutionKit ridge alpha_selection=loo: alpha {alpha}, test RMSE {metrics['rmse']:.2f}")
    print(f"difference: {100 * (metrics['rmse'] - sk) / sk:+.4f}%")


if __name__ == "__main__":
    main()
