"""The reference server for bench/serve: FastAPI + LightGBM, the usual Python way to put a model behind HTTP.

Trains LightGBM on the same CSV and target as the launcher's gbdt bundle (hyperparameters read from that
bundle's manifest where LightGBM has the same knob), then serves POST /score with {"rows": [...]} answering
{"predictions": [...]}. Run: python fastapi_lightgbm.py --data CSV --target COL --bundle DIR --port N
"""
import argparse
import json
import os

import lightgbm as lgb
import pandas as pd
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--target", required=True)
parser.add_argument("--bundle", required=True)
parser.add_argument("--port", type=int, required=True)
args = parser.parse_args()

manifest = json.load(open(os.path.join(args.bundle, "manifest.json")))
hp = {k: (v.get("value") if isinstance(v, dict) else v) for k, v in manifest.get("hyperparameters", {}).items()}


def pick(*names, default=None):
    for name in names:
        if name in hp and isinstance(hp[name], (int, float)) and not isinstance(hp[name], bool):
            return hp[name]
    return default


frame = pd.read_csv(args.data)
y = frame.pop(args.target)
categorical = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
for c in categorical:
    frame[c] = frame[c].astype("category")
categories = {c: frame[c].cat.categories for c in categorical}
params = dict(
    n_estimators=int(pick("num_iterations", "trees", "n_estimators", default=300)),
    learning_rate=float(pick("learning_rate", "eta", default=0.05)),
    num_leaves=int(pick("leaves", "num_leaves", "max_leaves", default=31)),
    min_child_samples=int(pick("min_data_in_leaf", "min_child_samples", default=20)),
    subsample=float(pick("bagging_fraction", default=1.0)),
    subsample_freq=int(pick("bagging_freq", default=0)),
    colsample_bytree=float(pick("feature_fraction", default=1.0)),
    max_bin=int(pick("max_bin", default=255)),
    n_jobs=1,
    verbose=-1,
)
model = lgb.LGBMRegressor(**params).fit(frame, y)
columns = list(frame.columns)
print(f"trained LightGBM {params} on {len(frame)} rows", flush=True)

app = FastAPI()


@app.post("/score")
async def score(request: Request):
    body = await request.json()
    rows = pd.DataFrame(body["rows"], columns=columns)
    for c in categorical:
        rows[c] = pd.Categorical(rows[c], categories=categories[c])
    return JSONResponse({"predictions": model.predict(rows).tolist()})


@app.get("/healthz")
async def health():
    return {"status": "ok"}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", workers=1)
