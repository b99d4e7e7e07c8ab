#!/usr/bin/env bash
# Issue 13's speed check of the checked build: the launcher built from the last commit that still compiled with
# -Ounchecked (A, "before") against the launcher of this checkout (B, "after"), alternated A B A B by bench/ab.py
# in one invocation, a warm-up pair then BENCH_RUNS pairs, the load average before and after every pair.
# Ratio = after ÷ before; the budget is within 10%. Writes bench/checked-build/RESULTS.md.
#
#   bash bench/checked-build/run.sh            builds both launchers (the "before" one in bench/work/before/)
#   BEFORE=/path/to/launcher bash bench/checked-build/run.sh    uses an existing "before" launcher
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${BENCH_RUNS:-3}"
datasets="$(cd ../shared/datasets && pwd)"
before_commit=e8e0585^    # e8e0585 removed -Ounchecked from Package.swift
swift build -c release --product launcher
after="$PWD/.build/release/launcher"
before="${BEFORE:-}"
if [ -z "$before" ]; then
  tree="$PWD/bench/work/before"
  [ -d "$tree" ] || git worktree add --detach "$tree" "$before_commit"
  (cd "$tree" && swift build -c release --product launcher)
  before="$tree/.build/release/launcher"
fi
bash bench/setup-venv.sh threadpoolctl
python=bench/.venv/bin/python

export OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE
work="$PWD/bench/work/checked-build"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

# Inputs and bundles (not timed). Each launcher scores the bundle it trained itself.
"$python" bench/price/make_big_csv.py "$datasets/california-housing/housing.csv" "$work/big.csv" 1000000
for side in before after; do
  launcher="$before"; [ "$side" = after ] && launcher="$after"
  "$launcher" run price-prediction --dataset california --recipe ridge --set log_skewed_features=false \
    --quiet --out "$work/$side-ridge" >/dev/null
  "$launcher" run price-prediction --dataset california --recipe gbdt --set num_iterations=100 \
    --set early_stopping_rounds=0 --quiet --out "$work/$side-gbdt" >/dev/null
done
bundle() { ls -d "$work/$1"/price-prediction/*/bundle | tail -1; }

"$python" - "$work/suite.json" "$before" "$after" "$work" "$runs" \
  "$(bundle before-ridge)" "$(bundle after-ridge)" "$(bundle before-gbdt)" "$(bundle after-gbdt)" <<'PY'
import json, sys
out, before, after, work, runs = sys.argv[1:6]
bundles = {"ridge": sys.argv[6:8], "gbdt": sys.argv[8:10]}
wall = [dict(label="wall s", reference="wall_seconds", kit="wall_seconds"),
        dict(label="training s (the run's own timing)", reference="trainingSeconds", kit="trainingSeconds"),
        dict(label="evaluation s (the run's own timing)", reference="evaluationSeconds", kit="evaluationSeconds")]
comparisons = []
for model, (b_before, b_after) in bundles.items():
    comparisons.append(dict(
        name=f"score {model} 1M California rows",
        description=f"`launcher score` of a 69 MB CSV with a {model} bundle, process start included.",
        reference=["bash", "bench/price/kit_score.sh", before, b_before, f"{work}/big.csv", f"{work}/before-{model}.csv"],
        kit=["bash", "bench/price/kit_score.sh", after, b_after, f"{work}/big.csv", f"{work}/after-{model}.csv"],
        metrics=[dict(label="end-to-end s", reference="seconds", kit="seconds")]))
# Training runs end to end (loading, training, evaluation, report, bundle), each into a fresh folder.
trainings = [
    ("price gbdt California 300 trees", ["run", "price-prediction", "--dataset", "california", "--recipe", "gbdt",
                                          "--set", "num_iterations=300", "--set", "early_stopping_rounds=0"]),
    ("credit gbdt Give Me Some Credit 200 trees", ["run", "credit-risk", "--dataset", "give-me-some-credit", "--recipe", "gbdt",
                                                  "--set", "rounds=200", "--set", "early_stopping_rounds=0"]),
    ("recommendation mf MovieLens 100K", ["run", "recommendation", "--dataset", "movielens-100k", "--recipe", "mf"]),
    ("digits cnn sklearn digits", ["run", "digit-recognition", "--dataset", "sklearn-digits", "--recipe", "cnn"]),
]
for name, args in trainings:
    def side(launcher, label):
        # The run's own timings (metrics.json) separate training from loading, evaluation and the report.
        return ["bash", "-c", 'set -e; d=$(mktemp -d -p "$1"); shift; "$@" --seed 1 --quiet --out "$d" >/dev/null; '
                'python3 -c "import json,glob,sys; print(json.dumps(json.load(open(glob.glob(sys.argv[1] + \'/*/*/metrics.json\')[0]))[\'timings\']))" "$d"; '
                'rm -rf "$d"', "side", work, launcher] + args
    comparisons.append(dict(name=name, description=f"`launcher {' '.join(args)}` end to end.",
                            reference=side(before, "before"), kit=side(after, "after"), metrics=wall))
json.dump(dict(mode="before/after", runs=int(runs), comparisons=comparisons, results="bench/checked-build/RESULTS.md",
               command="bash bench/checked-build/run.sh (A = -Ounchecked build of e8e0585^, B = this checkout)"),
          open(out, "w"), indent=1)
PY
"$python" bench/ab.py "$work/suite.json"
