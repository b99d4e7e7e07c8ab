"""Inner-fold selection of the credit-risk gbdt features and settings (LightGBM), training rows only.

Usage, from this folder with the bench venv: ../../.venv/bin/python run.py g1   (groups g0..g6 in cands.py), then
../../.venv/bin/python report.py. Each candidate's AUC on the 4 inner folds (fold k holds out the training rows with
id % 5 == k) is appended to results.jsonl; report.py writes the sorted table to inner_results.txt. The test rows
(id % 5 == 0) are only read by final.py, after the choice in SELECTION.txt. See ../TUNING.md.
"""
import sys, json, time
from lib import *
import cands
df = load()
group = sys.argv[1]
done = set()
try:
    for l in open("results.jsonl"): done.add(json.loads(l)["name"])
except FileNotFoundError: pass
for name, spec in getattr(cands, group):
    if name in done: continue
    t = time.time()
    a = inner_cv(df, spec)
    rec = dict(name=name, mean=float(np.mean(a)), folds=[float(x) for x in a], sec=round(time.time()-t,1), spec=repr(spec))
    with open("results.jsonl", "a") as f: f.write(json.dumps(rec) + "\n")
    print(f"{name:45s} mean={rec['mean']:.5f} folds={' '.join(f'{x:.5f}' for x in a)} ({rec['sec']}s)", flush=True)
