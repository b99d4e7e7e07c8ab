#!/usr/bin/env python3
"""The side-by-side driver of `bench/run.sh`: each comparison runs its reference command (A) and the kit's
command (B) alternately, A B A B, in this one invocation: one warm-up pair, then N timed pairs.

A side is one process giving one sample. Its wall time and CPU time (user + system of the reaped process) are
measured here; if its last stdout line is a JSON object, the figures it timed in-process are read from it (model
load and data generation excluded). The 1-minute load average is read before and after each pair, and every
side reports the thread counts it runs with (thread_report.py for Python sides; the kit prints its own); the CPU
time over wall time shows how many cores each side really kept busy.

Writes bench/RESULTS.md (dated table of medians, min-max and ratios, load and threads per comparison) and the raw
samples to bench/work/results-<date>.json. A comparison whose load average exceeded the core count at any point
is labelled "measured under load X, not a result".

Usage: ab.py SUITE.json   (bench/run.sh writes the suite; see there). A suite's optional "results" key names the
markdown file to write instead, relative to the repository root.
"""
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_side(command, env):
    """Runs one side; returns its wall seconds and the JSON it printed (or {})."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    out, err = process.communicate()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{err[-2000:]}")
    report = {}
    lines = [line for line in out.strip().splitlines() if line.strip()]
    if lines and lines[-1].lstrip().startswith("{"):
        report = json.loads(lines[-1])
    return wall, report


def measured(command, env):
    """One sample: wall time, CPU time of the side's processes (the reaped children's totals before and after),
    and its report."""
    before = os.times()
    wall, report = run_side(command, env)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"wall_seconds": wall, "cpu_seconds": cpu, "cores_busy": cpu / wall if wall > 0 else 0.0, "report": report}


def value(sample, key):
    """A figure of a sample: `wall_seconds`, or a dotted path into the side's JSON report."""
    if key in ("wall_seconds", "cpu_seconds", "cores_busy"):
        return sample[key]
    node = sample["report"]
    for part in key.split("."):
        node = node[part]
    return float(node)


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def main():
    suite = json.load(open(sys.argv[1]))
    runs = int(suite.get("runs", 5))
    cores = os.cpu_count() or 1
    env = dict(os.environ, **suite.get("env", {}))
    results = []
    for comparison in suite["comparisons"]:
        name = comparison["name"]
        count = int(comparison.get("runs", runs))
        print(f"== {name}: {count} pairs after a warm-up", flush=True)
        pairs = []
        for index in range(count + 1):
            load_before = os.getloadavg()[0]
            a = measured(comparison["reference"], env)
            b = measured(comparison["kit"], env)
            load_after = os.getloadavg()[0]
            if index == 0:
                continue   # warm-up pair: caches, page cache, lazy binding
            pairs.append({"reference": a, "kit": b, "load_before": load_before, "load_after": load_after})
            print(f"   pair {index}: load {load_before:.2f} -> {load_after:.2f}; "
                  + "; ".join(f"{m['label']} {value(a, m['reference']):.4g} / {value(b, m['kit']):.4g}"
                              for m in comparison["metrics"]), flush=True)
        entry = {"name": name, "description": comparison.get("description", ""), "pairs": pairs, "metrics": [],
                 "runs": count}
        for m in comparison["metrics"]:
            ref = summary([value(p["reference"], m["reference"]) for p in pairs])
            kit = summary([value(p["kit"], m["kit"]) for p in pairs])
            entry["metrics"].append(dict(m, reference_summary=ref, kit_summary=kit))
        loads = [p["load_before"] for p in pairs] + [p["load_after"] for p in pairs]
        entry["load"] = {"min": min(loads), "max": max(loads)}
        entry["cores_busy"] = {side: statistics.median(p[side]["cores_busy"] for p in pairs) for side in ("reference", "kit")}
        entry["threads"] = {side: pairs[-1][side]["report"].get("threads", {}) for side in ("reference", "kit")}
        entry["libraries"] = pairs[-1]["reference"]["report"].get("library", comparison.get("library", ""))
        entry["quiet"] = entry["load"]["max"] <= cores
        results.append(entry)

    stamp = datetime.datetime.now(datetime.timezone.utc)
    os.makedirs(os.path.join(HERE, "work"), exist_ok=True)
    raw = os.path.join(HERE, "work", f"results-{stamp:%Y%m%dT%H%M%SZ}.json")
    with open(raw, "w") as f:
        json.dump({"date": stamp.isoformat(), "suite": suite, "results": results}, f, indent=1)
    write_markdown(suite, results, stamp, runs, cores, raw)


def fmt(x):
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def write_markdown(suite, results, stamp, runs, cores, raw):
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE).stdout.strip()
    lines = [
        f"# Side-by-side benchmarks, {stamp:%Y-%m-%d %H:%M} UTC",
        "",
        f"`{suite.get('command', 'make bench')}` at commit {commit or 'unknown'}, {suite.get('mode', '')} mode: per comparison "
        f"the reference (A) and the kit (B) alternated A B A B in one invocation, one warm-up pair then {runs} pairs "
        "(unless the row says otherwise); "
        "medians with min–max. Machine: "
        f"{cores} cores, {platform.platform()}. Raw samples: `{os.path.relpath(raw, os.path.dirname(HERE))}`.",
        "",
        "Ratio = kit ÷ reference of the median: below 1 for times and above 1 for throughputs means the kit is ahead. "
        "Load is the 1-minute load average read before and after every pair (min–max over the pairs); "
        "cores busy = CPU time ÷ wall time of each side's process (median). "
        f"A row whose load went above {cores} (the core count) is marked: measured under load, not a result.",
        "",
        "| comparison | figure | reference median (min–max) | kit median (min–max) | ratio | load | cores busy ref / kit | status |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for entry in results:
        status = "quiet" if entry["quiet"] else f"measured under load {entry['load']['max']:.1f}, not a result"
        for m in entry["metrics"]:
            r, k = m["reference_summary"], m["kit_summary"]
            ratio = k["median"] / r["median"] if r["median"] else float("nan")
            lines.append(
                f"| {entry['name']} | {m['label']} | {fmt(r['median'])} ({fmt(r['min'])}–{fmt(r['max'])}) | "
                f"{fmt(k['median'])} ({fmt(k['min'])}–{fmt(k['max'])}) | {ratio:.2f} | "
                f"{entry['load']['min']:.1f}–{entry['load']['max']:.1f} | "
                f"{entry['cores_busy']['reference']:.2f} / {entry['cores_busy']['kit']:.2f} | {status} |")
    lines += ["", "## What each comparison runs, and the threads each side reported", ""]
    for entry in results:
        lines.append(f"- **{entry['name']}** ({entry['runs']} pairs): {entry['description']} "
                     f"Reference: {entry['libraries']}.")
        for side in ("reference", "kit"):
            threads = ", ".join(f"{k}={v}" for k, v in sorted(entry["threads"][side].items()))
            lines.append(f"  - {side} threads: {threads or 'not reported'}")
    lines.append("")
    out = os.path.join(os.path.dirname(HERE), suite["results"]) if "results" in suite else os.path.join(HERE, "RESULTS.md")
    with open(out, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
