import numpy as np, pandas as pd, lightgbm as lgb, time, json, sys
from sklearn.metrics import roc_auc_score
from scipy.stats import rankdata

import os
# The shared datasets folder sits beside the package root (bench/credit-risk/feature_selection/ is three levels down).
CSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../shared/datasets/give-me-some-credit/cs-training.csv")
RAW = ["RevolvingUtilizationOfUnsecuredLines","age","NumberOfTime30-59DaysPastDueNotWorse",
       "DebtRatio","MonthlyIncome","NumberOfOpenCreditLinesAndLoans","NumberOfTimes90DaysLate",
       "NumberRealEstateLoansOrLines","NumberOfTime60-89DaysPastDueNotWorse","NumberOfDependents"]
PD = ["NumberOfTime30-59DaysPastDueNotWorse","NumberOfTime60-89DaysPastDueNotWorse","NumberOfTimes90DaysLate"]

def load():
    df = pd.read_csv(CSV, na_values=["NA"])
    df = df.rename(columns={df.columns[0]: "id"})
    return df

BASE = dict(objective="binary", learning_rate=0.03, num_leaves=15, min_data_in_leaf=200,
            lambda_l2=5.0, feature_fraction=0.6, bagging_fraction=0.8, bagging_freq=1,
            max_bin=255, seed=42, num_threads=1, verbose=-1)
ROUNDS = 400

def feats(df, fe):
    """fe: set of feature-engineering flags. Returns DataFrame of features."""
    X = df[RAW].astype(float).copy()
    if "pd_nan" in fe or "pd_flag" in fe or "pd_nan_flag" in fe:
        code = (df[PD[0]] >= 96)
        if "pd_flag" in fe or "pd_nan_flag" in fe:
            X["pd_code"] = np.where(code, df[PD[0]], 0).astype(float)
        if "pd_nan" in fe or "pd_nan_flag" in fe:
            for c in PD: X.loc[code, c] = np.nan
    if "dr_split" in fe or "dr_split_keep" in fe:
        inc = df["MonthlyIncome"]
        noinc = inc.isna() | (inc == 0)
        X["DebtRatioValid"] = np.where(noinc, np.nan, df["DebtRatio"])
        X["DebtAmountNoIncome"] = np.where(noinc, df["DebtRatio"], np.nan)
        if "dr_split" in fe: X = X.drop(columns=["DebtRatio"])
    if "inc_na" in fe:
        X["IncomeNA"] = df["MonthlyIncome"].isna().astype(float)
    if "wlate" in fe:
        p = df[PD].where(df[PD[0]] < 96, np.nan)
        X["WeightedLate"] = p[PD[0]] + 2*p[PD[1]] + 3*p[PD[2]]
    if "ru_cap" in fe:
        X["RevolvingUtilizationOfUnsecuredLines"] = np.where(df["RevolvingUtilizationOfUnsecuredLines"] > 10, np.nan, df["RevolvingUtilizationOfUnsecuredLines"])
    if "ru_flag" in fe:
        r = df["RevolvingUtilizationOfUnsecuredLines"]
        X["RUAnom"] = (r > 1).astype(float) + (r > 10).astype(float)
    if "mdebt" in fe:
        X["MonthlyDebt"] = df["DebtRatio"] * df["MonthlyIncome"]
    if "pd_max" in fe:
        p = df[PD].where(df[PD[0]] < 96, np.nan)
        X["MaxLate"] = p.max(axis=1)
    if "util_lines" in fe:
        X["UtilTimesRevLines"] = df["RevolvingUtilizationOfUnsecuredLines"].clip(upper=10) * (df["NumberOfOpenCreditLinesAndLoans"] - df["NumberRealEstateLoansOrLines"]).clip(lower=0)
    if "lines_per_age" in fe:
        X["LinesPerAge"] = df["NumberOfOpenCreditLinesAndLoans"] / df["age"].clip(lower=18)
    if "late_any" in fe:
        p = df[PD].where(df[PD[0]] < 96, np.nan)
        X["AnyLate"] = (p.sum(axis=1, min_count=1) > 0).astype(float)
    return X

def split_inner(df, k):
    tr = (df.id % 5 != 0) & (df.id % 5 != k)
    va = (df.id % 5 == k)
    return tr.values, va.values

def mono_vec(cols, mono):
    return [mono.get(c, 0) for c in cols]

def fit_predict(Xtr, ytr, Xva, params, rounds, mono=None):
    p = dict(BASE); p.update(params)
    if mono: p["monotone_constraints"] = mono_vec(list(Xtr.columns), mono)
    if p.get("boosting") == "rf":
        p.pop("learning_rate", None)
    ds = lgb.Dataset(Xtr, ytr, free_raw_data=False)
    b = lgb.train(p, ds, num_boost_round=rounds)
    return b.predict(Xva)

def run_model(df, tr, va, spec):
    """spec: dict(fe=set, params=dict, rounds=int, mono=dict) or dict(blend=[spec,...], weights=[...])"""
    y = df.SeriousDlqin2yrs.values
    if "blend" in spec:
        preds = [rankdata(run_model(df, tr, va, s)) / va.sum() for s in spec["blend"]]
        w = spec.get("weights", [1.0]*len(preds))
        return sum(wi*pi for wi, pi in zip(w, preds)) / sum(w)
    X = feats(df, set(spec.get("fe", ())))
    return fit_predict(X[tr], y[tr], X[va], spec.get("params", {}), spec.get("rounds", ROUNDS), spec.get("mono"))

def inner_cv(df, spec):
    y = df.SeriousDlqin2yrs.values
    aucs = []
    for k in (1, 2, 3, 4):
        tr, va = split_inner(df, k)
        aucs.append(roc_auc_score(y[va], run_model(df, tr, va, spec)))
    return aucs

def test_eval(df, spec):
    y = df.SeriousDlqin2yrs.values
    tr = (df.id % 5 != 0).values; te = (df.id % 5 == 0).values
    return roc_auc_score(y[te], run_model(df, tr, te, spec))
