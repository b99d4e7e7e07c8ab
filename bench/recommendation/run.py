#!/usr/bin/env python3
"""MovieLens 100K benchmark: SolutionKit's recommendation recipes against Surprise and implicit, PROTOCOL.md folds.

Same folds (official u1..u5), same metric code path definitions (RMSE/MAE on uK.test; precision/recall/NDCG@10 over
users with a test rating >= 4, ranking every base-set item the user did not rate in uK.base; coverage of the top-10
lists), one invocation. Timing: fold u1, one warm-up, median of 3 runs.

Set-up:  bash bench/setup-venv.sh scikit-surprise implicit   (or pip install them into an existing bench venv)
         swift build -c release --product RecommendationBench --scratch-path .build-release
Run:     bench/.venv/bin/python bench/recommendation/run.py [--datasets ../shared/datasets] [--quick]
Writes bench/recommendation/RESULTS.md.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def read(path):
    rows = []
    with open(path) as f:
        for line in f:
            u, i, r, _ = line.split("\t")
            rows.append((u, i, float(r)))
    return rows


def ranking(score_fn, base, test, k=10):
    """PROTOCOL ranking metrics; score_fn(inner_user, inner items array) -> scores for those items."""
    users = sorted({u for u, _, _ in base})
    items = sorted({i for _, i, _ in base})
    uidx = {u: n for n, u in enumerate(users)}
    iidx = {i: n for n, i in enumerate(items)}
    seen = {}
    for u, i, _ in base:
        seen.setdefault(u, set()).add(iidx[i])
    relevant = {}
    for u, i, r in test:
        if r >= 4:
            relevant.setdefault(u, []).append(i)
    p = rc = nd = 0.0
    n = 0
    covered = set()
    degree = {}
    for _, i, _ in base:
        degree[i] = degree.get(i, 0) + 1
    bits = 0.0
    discounts = 1 / np.log2(np.arange(2, k + 2))
    for u in sorted(relevant):
        rel = relevant[u]
        if u in uidx:
            scores = np.asarray(score_fn(u, items), dtype=np.float64)
            mask = np.zeros(len(items), bool)
            mask[list(seen.get(u, ()))] = True
            scores[mask] = -np.inf
            order = np.lexsort((np.arange(len(items)), -scores))[:k]
            top = [items[j] for j in order]
        else:
            top = []
        covered.update(top)
        if top:
            bits += sum(np.log2(len(users) / degree[t]) for t in top) / len(top)
        hits = np.array([1.0 if t in rel else 0.0 for t in top] + [0.0] * (k - len(top)))
        relset = set(rel)
        hits = np.array([1.0 if t in relset else 0.0 for t in top] + [0.0] * (k - len(top)))
        p += hits.sum() / k
        rc += hits.sum() / len(relset)
        nd += (hits * discounts).sum() / discounts[: min(len(relset), k)].sum()
        n += 1
    return dict(precision10=p / n, recall10=rc / n, ndcg10=nd / n, coverage10=len(covered) / len(items), novelty10=bits / n)


def rating_errors(predict, test):
    err = np.array([predict(u, i) - r for u, i, r in test])
    return dict(rmse=float(np.sqrt((err ** 2).mean())), mae=float(np.abs(err).mean()))


def surprise_fold(algo_factory, base, test):
    from surprise import Dataset, Reader
    import pandas as pd
    frame = pd.DataFrame(base, columns=["u", "i", "r"])
    trainset = Dataset.load_from_df(frame, Reader(rating_scale=(1, 5))).build_full_trainset()
    algo = algo_factory()
    start = time.perf_counter()
    algo.fit(trainset)
    fit = time.perf_counter() - start
    out = rating_errors(lambda u, i: algo.predict(u, i).est, test)
    if hasattr(algo, "pu"):  # SVD: all items of a user in one product, as Surprise's estimate() computes them
        def scores(u, items):
            iu = trainset.to_inner_uid(u)
            inner = np.array([trainset.to_inner_iid(i) for i in items])
            return trainset.global_mean + algo.bu[iu] + algo.bi[inner] + algo.qi[inner] @ algo.pu[iu]
        start = time.perf_counter()
        out.update(ranking(scores, base, test))
        out["rank_seconds"] = time.perf_counter() - start
    out["fit_seconds"] = fit
    return out


def popularity_fold(base, test):
    counts = {}
    for _, i, _ in base:
        counts[i] = counts.get(i, 0) + 1
    return ranking(lambda u, items: [counts[i] for i in items], base, test)


def implicit_fold(base, test, factors=64, reg=0.05, iterations=15, alpha=2.0):
    import scipy.sparse as sp
    from implicit.als import AlternatingLeastSquares
    users = sorted({u for u, _, _ in base})
    items = sorted({i for _, i, _ in base})
    uidx = {u: n for n, u in enumerate(users)}
    iidx = {i: n for n, i in enumerate(items)}
    rows = [uidx[u] for u, _, _ in base]
    cols = [iidx[i] for _, i, _ in base]
    matrix = sp.csr_matrix((np.full(len(rows), alpha, np.float32), (rows, cols)), shape=(len(users), len(items)))
    model = AlternatingLeastSquares(factors=factors, regularization=reg, iterations=iterations, random_state=42,
                                    num_threads=2, calculate_training_loss=False)
    start = time.perf_counter()
    model.fit(matrix, show_progress=False)
    fit = time.perf_counter() - start
    uf = np.asarray(model.user_factors)
    itf = np.asarray(model.item_factors)
    out = ranking(lambda u, its: itf @ uf[uidx[u]], base, test)
    out["fit_seconds"] = fit
    return out


def swift(folder, recipe, overrides=(), folds="1,2,3,4,5"):
    binary = os.path.join(ROOT, ".build-release", "release", "RecommendationBench")
    result = subprocess.run([binary, folder, recipe, *overrides, "--folds", folds], capture_output=True, text=True, check=True)
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def mean(rows, key):
    values = [r[key] for r in rows if key in r]
    return sum(values) / len(values) if values else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", default=os.path.join(ROOT, "..", "shared", "datasets"))
    parser.add_argument("--quick", action="store_true", help="fold u1 only")
    parser.add_argument("--only", default="", help="SolutionKit recipes to run (comma list); skips the reference libraries and timing")
    args = parser.parse_args()
    folder = os.path.abspath(os.path.join(args.datasets, "movielens-100k"))
    folds = [1] if args.quick else [1, 2, 3, 4, 5]
    fold_text = ",".join(map(str, folds))
    data = {k: (read(f"{folder}/u{k}.base"), read(f"{folder}/u{k}.test")) for k in folds}

    from surprise import SVD, KNNBaseline, BaselineOnly
    rows = []  # (library, recipe, per-fold dicts)

    swift_recipes = [
        ("bayes-mf", "bayes-mf (defaults)", []),
        ("mf", "mf (defaults)", []),
        ("mf", "mf, Surprise SVD's settings (100 factors, 20 epochs)",
         ["factors=100", "epochs=20", "learning_rate=0.005", "regularization=0.02", "bias_learning_rate=0.005", "decay=1"]),
        ("als", "als (defaults)", []),
        ("item-knn", "item-knn (defaults)", []),
        ("baseline", "baseline", []),
        ("ease", "ease (defaults: λ by inner CV)", []),
        ("ials", "ials (defaults)", []),
        ("rp3beta", "rp3beta (defaults)", []),
        ("slim", "slim (defaults)", []),
        ("blend", "blend (defaults: ease + ials, weights by inner CV; ratings bayes-mf + item-knn stacked)", []),
        ("popularity", "popularity", []),
    ]
    if args.only:
        keep = set(args.only.split(","))
        swift_recipes = [r for r in swift_recipes if r[0] in keep]
    for recipe, label, overrides in swift_recipes:
        print("SolutionKit", label, file=sys.stderr)
        rows.append(("SolutionKit", label, swift(folder, recipe, overrides, fold_text)))
    if args.only:
        for library, label, results in rows:
            print(f"{label}: NDCG@10 {mean(results, 'ndcg10'):.4f} RMSE {mean(results, 'rmse'):.4f} "
                  f"coverage {mean(results, 'coverage10'):.4f} novelty {mean(results, 'novelty10'):.3f} "
                  f"fit {mean(results, 'fitSeconds'):.2f}s top-10 {mean(results, 'topTenSeconds'):.3f}s")
            print(json.dumps({"library": library, "recipe": label, "folds": results}, sort_keys=True))
        return

    surprise_algos = [
        ("SVD (defaults: 100 factors, 20 epochs)", lambda: SVD(random_state=0)),
        ("SVD tuned (100 factors, 100 epochs, reg 0.1)", lambda: SVD(n_factors=100, n_epochs=100, reg_all=0.1, random_state=0)),
        ("KNNBaseline (item, pearson_baseline)", lambda: KNNBaseline(sim_options={"name": "pearson_baseline", "user_based": False}, verbose=False)),
        ("BaselineOnly", lambda: BaselineOnly(verbose=False)),
    ]
    for label, factory in surprise_algos:
        print("Surprise", label, file=sys.stderr)
        rows.append(("Surprise 1.1.5", label, [surprise_fold(factory, *data[k]) for k in folds]))
    print("popularity (numpy)", file=sys.stderr)
    rows.append(("numpy", "popularity (rating count)", [popularity_fold(*data[k]) for k in folds]))
    try:
        import implicit
        print("implicit ALS", file=sys.stderr)
        rows.append((f"implicit {implicit.__version__}", "ALS (64 factors, reg 0.05, 15 iterations, alpha 2)",
                     [implicit_fold(*data[k]) for k in folds]))
    except ImportError:
        rows.append(("implicit", "not installed", []))

    # Timing on fold u1: one warm-up each, then 3 rounds alternating the two libraries (the machine is shared,
    # so alternating exposes both to the same load), median of each.
    base1 = read(f"{folder}/u1.base")
    timings = {}
    same = ["factors=100", "epochs=20", "learning_rate=0.005", "regularization=0.02", "bias_learning_rate=0.005", "decay=1"]
    from surprise import Dataset, Reader
    import pandas as pd
    frame = pd.DataFrame(base1, columns=["u", "i", "r"])

    def surprise_timed():
        start = time.perf_counter()
        ts = Dataset.load_from_df(frame, Reader(rating_scale=(1, 5))).build_full_trainset()
        middle = time.perf_counter()
        SVD(random_state=0).fit(ts)
        end = time.perf_counter()
        return end - middle, end - start

    swift(folder, "mf", same, "1")
    surprise_timed()
    swift_runs, svd_times, svd_total = [], [], []
    for _ in range(3):
        swift_runs.append(swift(folder, "mf", same, "1")[0])
        fit, total = surprise_timed()
        svd_times.append(fit)
        svd_total.append(total)
    timings["SolutionKit mf fit (100 factors, 20 epochs)"] = statistics.median(r["fitSeconds"] for r in swift_runs)
    timings["SolutionKit mf learner alone (matrix built)"] = statistics.median(r["learnerSeconds"] for r in swift_runs)
    timings["SolutionKit mf top-10 lists for all 943 users"] = statistics.median(r["topTenSeconds"] for r in swift_runs)
    timings["Surprise SVD fit (100 factors, 20 epochs)"] = statistics.median(svd_times)
    timings["Surprise SVD trainset build + fit (the same work SolutionKit's time covers)"] = statistics.median(svd_total)
    bayes_runs = [swift(folder, "bayes-mf", [], "1")[0] for _ in range(3)]
    timings["SolutionKit bayes-mf fit (defaults)"] = statistics.median(r["fitSeconds"] for r in bayes_runs)
    timings["SolutionKit bayes-mf top-10 lists for all 943 users"] = statistics.median(r["topTenSeconds"] for r in bayes_runs)
    load_before_topn = os.getloadavg()[0]
    for recipe in ("ease", "blend"):
        runs = [swift(folder, recipe, [], "1")[0] for _ in range(3)]
        timings[f"SolutionKit {recipe} fit (defaults)"] = statistics.median(r["fitSeconds"] for r in runs)
        timings[f"SolutionKit {recipe} top-10 lists for all 943 users"] = statistics.median(r["topTenSeconds"] for r in runs)
    load_after_topn = os.getloadavg()[0]

    lines = ["# Recommendation benchmark: MovieLens 100K, PROTOCOL.md", "",
             f"Folds: {', '.join('u%d' % k for k in folds)} (official base/test); figures are means over the folds. "
             "Ranking: users with a test rating ≥ 4; every base-set item the user did not rate in base is ranked; "
             "ties by item order. One invocation of `bench/recommendation/run.py`; machine: 2 cores, shared with other jobs "
             f"(load average at the start: {os.getloadavg()[0]:.1f}), so times are noisy; ratios come from alternating runs.", "",
             "Novelty@10: mean self-information log2(users / raters) of the listed items, in bits (higher = less popular items). "
             "Fit and top-10 times are per fold (mean), top-10 = lists for every training user; loaded-machine times are not results.", "",
             "| library | recipe | RMSE | MAE | precision@10 | recall@10 | NDCG@10 | coverage@10 | novelty@10 | fit s | top-10 s |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    def fmt(v):
        return "—" if v != v else f"{v:.4f}"
    for library, label, results in rows:
        if not results:
            lines.append(f"| {library} | {label} | | | | | | | | | |")
            continue
        fit = mean(results, "fitSeconds") if "fitSeconds" in results[0] else mean(results, "fit_seconds")
        lines.append(f"| {library} | {label} | {fmt(mean(results, 'rmse'))} | {fmt(mean(results, 'mae'))} | "
                     f"{fmt(mean(results, 'precision10'))} | {fmt(mean(results, 'recall10'))} | {fmt(mean(results, 'ndcg10'))} | "
                     f"{fmt(mean(results, 'coverage10'))} | {fmt(mean(results, 'novelty10'))} | {fit:.2f} | "
                     f"{fmt(mean(results, 'topTenSeconds') if 'topTenSeconds' in results[0] else mean(results, 'rank_seconds'))} |")
    lines += ["", "## Timing (fold u1, one warm-up, median of 3)", "",
              f"1-minute load average around the top-N timings: {load_before_topn:.2f} before, {load_after_topn:.2f} after "
              "(PROTOCOL: a figure taken with a load above 1.5 is not a result).", "", "| what | seconds |", "|---|---:|"]
    for key, value in timings.items():
        lines.append(f"| {key} | {value:.3f} |")
    learner_ratio = timings["SolutionKit mf learner alone (matrix built)"] / timings["Surprise SVD fit (100 factors, 20 epochs)"]
    ratio_total = timings["SolutionKit mf fit (100 factors, 20 epochs)"] / timings["Surprise SVD trainset build + fit (the same work SolutionKit's time covers)"]
    lines += ["", f"mf / Surprise SVD, same factors and epochs: **{learner_ratio:.3f}×** learner against `SVD.fit` (both on a "
              f"built matrix/trainset), **{ratio_total:.3f}×** end to end (string ids to model, against trainset build + fit). "
              "SolutionKit's SGD runs stratified on both cores, deterministic for a seed; "
              "Surprise's SVD is single-threaded and has no thread option.",
              "", "Per-fold figures (JSON):", "", "```"]
    for library, label, results in rows:
        lines.append(json.dumps({"library": library, "recipe": label, "folds": results}, sort_keys=True))
    lines.append("```")
    with open(os.path.join(HERE, "RESULTS.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines[:40]))


if __name__ == "__main__":
    main()
