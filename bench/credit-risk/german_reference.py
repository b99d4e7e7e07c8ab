"""scikit-learn reference on German credit, PROTOCOL folds (fold = row_index % 5), mean over folds.

One-hot categorical + standardised numeric, LogisticRegression (default C=1, lbfgs); expected cost per applicant
at the Bayes threshold p >= 1/6 (accepting a bad costs 5, declining a good costs 1). LightGBM defaults too.
Prints one JSON line per model.
"""
import json, sys
import numpy as np, pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

path = sys.argv[1]
df = pd.read_csv(path, sep=r"\s+", header=None)
y = (df[20] == 2).astype(int).to_numpy()
X = df.drop(columns=[20])
cat = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
num = [c for c in X.columns if c not in cat]
folds = np.arange(len(df)) % 5

def cost(p, y, t=1/6):
    decline = p >= t
    return (5 * ((~decline) & (y == 1)).sum() + 1 * (decline & (y == 0)).sum()) / len(y)

def evaluate(name, make):
    aucs, costs = [], []
    for k in range(5):
        tr, te = folds != k, folds == k
        p = make().fit(X[tr], y[tr]).predict_proba(X[te])[:, 1]
        aucs.append(roc_auc_score(y[te], p)); costs.append(cost(p, y[te]))
    print(json.dumps({"model": name, "mean_auc": float(np.mean(aucs)), "mean_expected_cost_bayes": float(np.mean(costs))}))

pre = lambda: ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), cat), ("num", StandardScaler(), num)])
evaluate("sklearn LogisticRegression(C=1)", lambda: make_pipeline(pre(), LogisticRegression(max_iter=1000)))
try:
    import lightgbm as lgb
    Xc = X.copy()
    for c in cat: Xc[c] = Xc[c].astype("category")
    aucs, costs = [], []
    for k in range(5):
        tr, te = folds != k, folds == k
        m = lgb.LGBMClassifier(verbose=-1, n_jobs=2).fit(Xc[tr], y[tr])
        p = m.predict_proba(Xc[te])[:, 1]
        aucs.append(roc_auc_score(y[te], p)); costs.append(cost(p, y[te]))
    print(json.dumps({"model": "LightGBM defaults", "mean_auc": float(np.mean(aucs)), "mean_expected_cost_bayes": float(np.mean(costs))}))
except ImportError:
    pass
