#!/usr/bin/env python3
"""Tree-by-tree comparison of LightGBM's and SolutionKit's models (same settings as run.sh).

Trains LightGBM once (settings of lightgbm_bench.py), has the release-built SolutionKitBench write its
model (BENCH_DUMP_CALIFORNIA_MODEL / BENCH_DUMP_CREDIT_MODEL), then walks both ensembles split by split in creation order
(LightGBM's `split_index` = our internal node index) and prints the first split where they differ (feature,
threshold, categories, missing direction, row count, gain) with the neighbouring splits of both sides, then
the test RMSE (California) or AUC (credit) of both. Leaf values are compared too (relative tolerance 1e-9, since LightGBM adds the initial
score to the first tree's leaves).

Usage (from the package root, after `swift build -c release --product SolutionKitBench`):
    bench/.venv/bin/python bench/gbdt/compare_trees.py [--dataset california|credit] [--min-data-in-leaf N] [--all]
--all lists every differing tree instead of stopping at the first.
"""
import argparse, json, os, subprocess, sys, tempfile
import numpy as np
import lightgbm as lgb

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from lightgbm_bench import SAME, california, credit  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402


def lightgbm_trees(dataset, min_data):
    xtr, ytr, xte, yte, cat = california() if dataset == "california" else credit()
    objective = "regression" if dataset == "california" else "binary"
    params = dict(SAME, objective=objective, min_data_in_leaf=min_data)
    ds = lgb.Dataset(xtr, ytr, categorical_feature=cat, params={"max_bin": 255, "verbose": -1})
    booster = lgb.train(params, ds, num_boost_round=100)
    pred = booster.predict(xte, num_threads=2)
    score = float(np.sqrt(np.mean((pred - yte) ** 2))) if dataset == "california" else roc_auc_score(yte, pred)
    return booster.dump_model()["tree_info"], score


def lightgbm_splits(tree):
    """Internal nodes of one dumped tree in split_index order, and leaf values by leaf_index."""
    splits, leaves = {}, {}

    def walk(node):
        if "split_index" not in node:
            leaves[node.get("leaf_index", 0)] = node["leaf_value"]
            return
        categorical = node["decision_type"] == "=="
        splits[node["split_index"]] = dict(
            feature=node["split_feature"], gain=node["split_gain"], count=node["internal_count"],
            threshold=None if categorical else float(node["threshold"]),
            categories=sorted(int(c) for c in str(node["threshold"]).split("||")) if categorical else None,
            default_left=node["default_left"])
        walk(node["left_child"]); walk(node["right_child"])

    walk(tree["tree_structure"])
    return [splits[i] for i in range(len(splits))], [leaves[i] for i in range(len(leaves))]


def our_trees(dataset, min_data):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.json")
        env = dict(os.environ, BENCH_RUNS="0", BENCH_MIN_DATA_IN_LEAF=str(min_data), BENCH_ONLY=dataset)
        env["BENCH_DUMP_CALIFORNIA_MODEL" if dataset == "california" else "BENCH_DUMP_CREDIT_MODEL"] = path
        out = subprocess.run([os.path.join(ROOT, ".build", "release", "SolutionKitBench")], env=env,
                             cwd=ROOT, check=True, capture_output=True, text=True).stdout
        model = json.load(open(path))
    key = '"rmse": ' if dataset == "california" else '"auc": '
    score = float(out.split(key)[1].split(",")[0].split("]")[0])
    trees = []
    for t in model["trees"]:
        splits = []
        for i in range(len(t["splitFeature"])):
            categorical = t["isCategorical"][i]
            splits.append(dict(feature=t["splitFeature"][i], gain=t["splitGain"][i], count=t["internalCount"][i],
                               threshold=None if categorical else float(t["threshold"][i]),
                               categories=sorted(t["leftCategories"][i]) if categorical else None,
                               default_left=t["missingGoesLeft"][i]))
        trees.append((splits, t["leafValue"]))
    return trees, model["initialScore"], score


def same_split(a, b):
    if a["feature"] != b["feature"] or a["count"] != b["count"] or a["categories"] != b["categories"]:
        return False
    if a["threshold"] is not None and abs(a["threshold"] - b["threshold"]) > 1e-6 * max(1, abs(a["threshold"])):
        return False
    return True


def show(label, s):
    where = s["categories"] if s["threshold"] is None else f"<= {s['threshold']:.9g}"
    return (f"{label}: feature {s['feature']} {where} default_left={s['default_left']} "
            f"count {s['count']} gain {s['gain']:.17g}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", choices=["california", "credit"], default="california")
    ap.add_argument("--min-data-in-leaf", type=int, default=20)
    ap.add_argument("--all", action="store_true")
    args = ap.parse_args()
    theirs, their_score = lightgbm_trees(args.dataset, args.min_data_in_leaf)
    ours, init, our_score = our_trees(args.dataset, args.min_data_in_leaf)
    identical = 0
    for k, (tree, (our_splits, our_leaves)) in enumerate(zip(theirs, ours)):
        their_splits, their_leaves = lightgbm_splits(tree)
        n = max(len(their_splits), len(our_splits))
        first = next((i for i in range(n) if i >= len(their_splits) or i >= len(our_splits)
                      or not same_split(their_splits[i], our_splits[i])), None)
        if first is None:
            bias = init if k == 0 else 0.0
            worst = max(abs(t - (o + bias)) / max(1e-300, abs(t)) for t, o in zip(their_leaves, our_leaves))
            if worst > 1e-9:
                print(f"tree {k}: same splits, leaf values differ (max relative {worst:.3g})")
            identical += 1
            continue
        print(f"tree {k}: first different split is #{first}")
        for i in range(max(0, first - 1), min(n, first + 2)):
            if i < len(their_splits): print("  " + show(f"LightGBM #{i}", their_splits[i]))
            if i < len(our_splits): print("  " + show(f"ours     #{i}", our_splits[i]))
        if not args.all:
            break
    print(f"trees with identical splits (stops at the first difference unless --all): {identical}")
    metric = "RMSE" if args.dataset == "california" else "AUC"
    print(f"{metric} LightGBM {their_score!r} ours {our_score!r}")


if __name__ == "__main__":
    main()
