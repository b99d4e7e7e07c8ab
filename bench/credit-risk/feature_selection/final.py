#!/usr/bin/env python
"""Self-contained final evaluation for the GMSC LightGBM experiment.
Split: test = id%5==0; train = rest. Inner fold k (k=1..4): validate on train rows with id%5==k.
Configs (b),(c) were chosen from inner-CV results only (see inner_results.txt) BEFORE any test AUC was computed.
Usage: python final.py            (seed 42 + seed-averaged over seeds 42,1,2,3)
"""
import numpy as np, pandas as pd, lightgbm as lgb
from sklearn.metrics import roc_auc_score

import os
# The shared datasets folder sits beside the package root (bench/credit-risk/feature_selection/ is three levels down).
CSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../shared/datasets/give-me-some-credit/cs-training.csv")
RAW = ["RevolvingUtilizationOfUnsecuredLines","age","NumberOfTime30-59DaysPastDueNotWorse",
       "DebtRatio","MonthlyIncome","NumberOfOpenCreditLinesAndLoans","NumberOfTimes90DaysLate",
       "NumberRealEstateLoansOrLines","NumberOfTime60-89DaysPastDueNotWorse","NumberOfDependents"]
P30, P60, P90 = "NumberOfTime30-59DaysPastDueNotWorse", "NumberOfTime60-89DaysPastDueNotWorse", "NumberOfTimes90DaysLate"
BASE = dict(objective="binary", learning_rate=0.03, num_leaves=15, min_data_in_leaf=200, lambda_l2=5.0,
            feature_fraction=0.6, bagging_fraction=0.8, bagging_freq=1, max_bin=255, seed=42,
            num_threads=1, verbose=-1)

def features(df, fe):
    X = df[RAW].astype(float).copy()          # 10 raw columns, NA -> NaN (LightGBM missing)
    coded = df[P30] >= 96                     # 96/98 special codes (all three past-due cols coded together)
    def clean(c): return df[c].where(~coded, np.nan).astype(float)
    if "inc_na" in fe:     # 1 if MonthlyIncome is NA else 0
        X["IncomeNA"] = df["MonthlyIncome"].isna().astype(float)
    if "wlate" in fe:      # weighted lateness; NaN when codes 96/98
        X["WeightedLate"] = clean(P30) + 2 * clean(P60) + 3 * clean(P90)
    if "ru_cap" in fe:     # replace RevolvingUtilization > 10 by missing (in place, column keeps its position)
        r = df["RevolvingUtilizationOfUnsecuredLines"]
        X["RevolvingUtilizationOfUnsecuredLines"] = r.where(r <= 10, np.nan)
    if "pd_max" in fe:
        X["MaxLate"] = pd.concat([clean(P30), clean(P60), clean(P90)], axis=1).max(axis=1)
    if "late_any" in fe:   # 1 if any past-due count > 0 (coded rows -> 0)
        s = pd.concat([clean(P30), clean(P60), clean(P90)], axis=1).sum(axis=1, min_count=1)
        X["AnyLate"] = (s > 0).astype(float)
    return X

CONFIGS = [  # (label, feature-engineering set, LightGBM param overrides, rounds)
    ("(a) baseline", set(), {}, 400),
    ("(b) WINNER wlate+late_any+ru_cap, l1=5, lr=0.015, 800 rounds", {"wlate","late_any","ru_cap"}, {"lambda_l1": 5.0, "learning_rate": 0.015}, 800),
    ("(c1) wlate+late_any+ru_cap+inc_na, l1=5", {"wlate","late_any","ru_cap","inc_na"}, {"lambda_l1": 5.0}, 400),
    ("(c2) wlate+late_any+ru_cap, l1=5", {"wlate","late_any","ru_cap"}, {"lambda_l1": 5.0}, 400),
]

def auc(df, X, trm, vam, params, rounds, seed):
    p = dict(BASE); p.update(params); p["seed"] = seed
    y = df.SeriousDlqin2yrs.values
    b = lgb.train(p, lgb.Dataset(X[trm], y[trm]), num_boost_round=rounds)
    return roc_auc_score(y[vam], b.predict(X[vam]))

def main():
    df = pd.read_csv(CSV, na_values=["NA"]); df = df.rename(columns={df.columns[0]: "id"})
    m = df.id % 5
    train = (m != 0).values; test = (m == 0).values
    rows = []
    for label, fe, params, rounds in CONFIGS:
        X = features(df, fe)
        per_seed = {}
        for seed in (42, 1, 2, 3):
            inner = [auc(df, X, train & (m != k).values, (m == k).values, params, rounds, seed) for k in (1, 2, 3, 4)]
            t = auc(df, X, train, test, params, rounds, seed)
            per_seed[seed] = (inner, t)
        rows.append((label, per_seed))
        i42, t42 = per_seed[42]
        print(f"{label:55s} inner mean={np.mean(i42):.5f} folds={' '.join(f'{a:.5f}' for a in i42)} TEST={t42:.5f} | "
              f"4-seed: inner={np.mean([np.mean(v[0]) for v in per_seed.values()]):.5f} test={np.mean([v[1] for v in per_seed.values()]):.5f} "
              f"test-per-seed={' '.join(f'{v[1]:.5f}' for v in per_seed.values())}", flush=True)

if __name__ == "__main__":
    main()
