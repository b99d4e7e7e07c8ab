import json, numpy as np, re, collections
R = [json.loads(l) for l in open("results.jsonl")]
by = {r["name"]: r for r in R}
base = by["baseline"]
out = []
out.append("GMSC inner-CV results (4 inner folds: fold k holds out training rows with id%5==k, k=1..4; test rows id%5==0 never used)")
out.append("delta = mean - baseline(seed 42) mean; paired wins = folds where candidate > baseline")
out.append(f"{'candidate':50s} {'mean':>8s} {'delta':>8s} wins  folds(k=1..4)")
for r in sorted(R, key=lambda r: -r["mean"]):
    d = r["mean"] - base["mean"]
    w = sum(a > b for a, b in zip(r["folds"], base["folds"]))
    out.append(f"{r['name']:50s} {r['mean']:.5f} {d:+.5f} {w}/4  " + " ".join(f"{x:.5f}" for x in r["folds"]))
# seed-averaged table
out.append("\nSeed-averaged inner means (seeds 42,1,2,3), for candidates run with all 4 seeds:")
groups = collections.defaultdict(dict)
for r in R:
    m = re.match(r"(.*)_seed(\d)$", r["name"])
    if m: groups[m.group(1)][int(m.group(2))] = r
    else: groups[r["name"]][42] = r
rows = []
for n, g in groups.items():
    if len(g) == 4:
        means = [g[s]["mean"] for s in (42,1,2,3)]
        folds = np.mean([g[s]["folds"] for s in (42,1,2,3)], axis=0)
        rows.append((np.mean(means), n, means, folds))
bm = [r for r in rows if r[1] == "baseline"][0]
for m, n, means, folds in sorted(rows, key=lambda x: -x[0]):
    out.append(f"{n:50s} seedavg={m:.5f} delta={m-bm[0]:+.5f} seedSD={np.std(means, ddof=1):.5f} per-seed={' '.join(f'{x:.5f}' for x in means)} foldavg={' '.join(f'{x:.5f}' for x in folds)} paired-fold-deltas={' '.join(f'{a-b:+.5f}' for a,b in zip(folds,bm[3]))}")
for r in R: out.append("SPEC " + r["name"] + " :: " + r["spec"])
open("inner_results.txt", "w").write("\n".join(out) + "\n")
print("\n".join(l for l in out if not l.startswith("SPEC")))
