"""Writes bench/credit-risk/RESULTS.md from the JSON files of bench/credit-risk/run.sh.

With BENCH_ONLY=scoring only the scoring section is rewritten; the rest of the existing file is kept."""
import json, statistics, sys, platform, os
work, out = sys.argv[1], sys.argv[2]
lines = lambda name: [json.loads(l) for l in open(os.path.join(work, name)) if l.strip()]


def scoring_section():
    gref = lines("gmsc-reference.jsonl")
    score = json.load(open(os.path.join(work, "score-ours.json")))
    pipeline = next(r for r in gref if "pipeline" in r)
    load = ""
    if "load_before" in score:
        load = f" Load average (1, 5, 15 min) before the reference: {score['load_before']}; after ours: {score['load_after']}."
    md = ["## Batch scoring of cs-test.csv (101,503 rows with NA values), end to end", "",
          f"After one warm-up, the median of {os.environ.get('BENCH_RUNS', '5')} runs (ours) and of 5 runs (the reference). Ours: `launcher score` with the gbdt bundle (CSV in, CSV out with probability, "
          "score, decision and 3 reason codes; reasons are exact path-dependent TreeSHAP). Reference: pandas read_csv + "
          "LightGBM predict_proba + to_csv (probability only), a LightGBM model with the same settings." + load, "",
          "| pipeline | seconds | speed-up over the reference |", "| --- | ---: | ---: |",
          f"| {pipeline['pipeline']} | {pipeline['median_seconds']:.3f} | 1.00 |"]
    for key, label in [("none", "SolutionKit, no reasons"), ("declined", "SolutionKit, TreeSHAP reasons for declined applicants"),
                       ("all", "SolutionKit, TreeSHAP reasons for every applicant (the default)")]:
        md.append(f"| {label} | {score[key]:.3f} | {pipeline['median_seconds'] / score[key]:.2f} |")
    return md


if os.environ.get("BENCH_ONLY") == "scoring":
    text = open(out).read()
    head = text[:text.index("## Batch scoring of cs-test.csv")]
    section = "\n".join(scoring_section()) + "\n"  # before opening: a failure must not truncate the file
    open(out, "w").write(head + section)
    sys.exit(0)

german = lines("german-ours.jsonl")
ref = {r["model"]: r for r in lines("german-reference.jsonl")}
gmsc = {r["recipe"]: r for r in lines("gmsc-ours.jsonl")}
gref = lines("gmsc-reference.jsonl")
score = json.load(open(os.path.join(work, "score-ours.json")))
md = ["# Credit risk: SolutionKit against scikit-learn and LightGBM", "",
      f"One run of `bash bench/credit-risk/run.sh` on {platform.machine()}, {os.cpu_count()} cores; release build; "
      "the reference libraries told to use 2 threads. Splits from `shared/PROTOCOL.md`.", "",
      "## German credit, 5 folds (fold = row_index % 5), mean over folds", "",
      "Expected cost per applicant: accepting a bad costs 5, declining a good costs 1. SolutionKit sets its threshold on the "
      "training rows of each fold (minimum training cost); the references decline at the Bayes threshold p >= 1/6.", "",
      "| model | mean ROC AUC | mean expected cost |", "| --- | ---: | ---: |"]
for recipe in ["scorecard", "logistic", "gbdt", "mlp"]:
    rows = [r for r in german if r["recipe"] == recipe]
    md.append(f"| SolutionKit `{recipe}` | {statistics.mean(r['auc'] for r in rows):.4f} | {statistics.mean(r['cost'] for r in rows):.3f} |")
for name, r in ref.items():
    md.append(f"| {name} | {r['mean_auc']:.4f} | {r['mean_expected_cost_bayes']:.3f} |")
md += ["", "## Give Me Some Credit (test = id % 5 == 0)", "", "| model | test ROC AUC | train + evaluate seconds |", "| --- | ---: | ---: |"]
for recipe in ["gbdt", "scorecard"]:
    if recipe in gmsc:
        md.append(f"| SolutionKit `{recipe}` (launcher run, defaults) | {gmsc[recipe]['auc']:.4f} | {gmsc[recipe]['run_seconds']:.1f} |")
for r in gref:
    if "test_auc" in r:
        md.append(f"| {r['model']} | {r['test_auc']:.4f} | {r['fit_seconds']:.1f} (fit only) |")
md += [""] + scoring_section()
open(out, "w").write("\n".join(md) + "\n")
