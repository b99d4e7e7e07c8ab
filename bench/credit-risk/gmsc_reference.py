"""LightGBM + pandas reference on Give Me Some Credit, PROTOCOL split (test = id % 5 == 0).

Trains LightGBM with the credit-risk gbdt recipe's defaults (binary, 400 rounds, learning rate 0.03, 15 leaves,
min_data_in_leaf 200, lambda_l1 5, lambda_l2 5, feature_fraction 0.6, bagging 0.8 every round, 2 threads) on the
same columns as the recipe's credit_features=auto (WeightedDaysLate, AnyDaysLate, revolving utilisation above 10 as
missing), reports its test AUC, then times the scoring pipeline over cs-test.csv: pandas read_csv + the same columns
+ predict_proba + to_csv, after one warm-up, median of 5 runs. Prints JSON lines.
"""
import json, statistics, sys, time
import lightgbm as lgb, numpy as np, pandas as pd
from sklearn.metrics import roc_auc_score

folder, out = sys.argv[1], sys.argv[2]
PAST_DUE = ["NumberOfTime30-59DaysPastDueNotWorse", "NumberOfTime60-89DaysPastDueNotWorse", "NumberOfTimes90DaysLate"]
UTILIZATION = "RevolvingUtilizationOfUnsecuredLines"

def credit_features(X):
    """The gbdt recipe's credit_features=auto (Plugins/CreditRisk/DelinquencyFeatures.swift)."""
    X = X.astype(float)
    coded = X[PAST_DUE[0]] >= 96
    a, b, c = (X[col].where(~coded) for col in PAST_DUE)
    X["WeightedDaysLate"] = a + 2 * b + 3 * c
    X["AnyDaysLate"] = ((a > 0) | (b > 0) | (c > 0)).astype(float)
    X[UTILIZATION] = X[UTILIZATION].where(~(X[UTILIZATION] > 10))
    return X

train = pd.read_csv(f"{folder}/cs-training.csv")
ids = train.iloc[:, 0].to_numpy()
y = train["SeriousDlqin2yrs"].to_numpy()
X = credit_features(train.drop(columns=[train.columns[0], "SeriousDlqin2yrs"]))
test = ids % 5 == 0
params = dict(objective="binary", n_estimators=400, learning_rate=0.03, num_leaves=15, min_child_samples=200,
              reg_alpha=5.0, reg_lambda=5.0, colsample_bytree=0.6, subsample=0.8, subsample_freq=1, n_jobs=2, verbose=-1, random_state=42)
t0 = time.perf_counter()
model = lgb.LGBMClassifier(**params).fit(X[~test], y[~test])
fit_seconds = time.perf_counter() - t0
auc = roc_auc_score(y[test], model.predict_proba(X[test])[:, 1])
print(json.dumps({"model": "LightGBM (gbdt recipe defaults)", "test_auc": auc, "fit_seconds": fit_seconds}))
model.booster_.save_model(f"{out}/lightgbm-gmsc.txt")

def score_once():
    frame = pd.read_csv(f"{folder}/cs-test.csv")
    features = credit_features(frame.drop(columns=[frame.columns[0], "SeriousDlqin2yrs"]))
    p = model.predict_proba(features)[:, 1]
    pd.DataFrame({"id": frame.iloc[:, 0], "probability_of_default": p}).to_csv(f"{out}/lightgbm-scores.csv", index=False)
    return len(frame)

score_once()
times = []
for _ in range(5):
    t0 = time.perf_counter(); rows = score_once(); times.append(time.perf_counter() - t0)
print(json.dumps({"pipeline": "pandas read_csv + LightGBM predict_proba + to_csv", "rows": rows,
                  "median_seconds": statistics.median(times), "runs": times}))
