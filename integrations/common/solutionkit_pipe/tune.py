"""Distributed `launcher tune`: the plan / trial / collect commands, shared by the Ray and Spark drivers.

    launcher tune <plugin> ... --plan DIR     # DIR/plan.json, DIR/commands.txt (one trial per line)
    launcher tune --trial DIR N               # trial N on every fold -> DIR/trials/N.json (atomic; rerun = no-op)
    launcher tune --collect DIR               # successive halving on the recorded scores, winner trained into DIR

A trial is an ordinary process whose only output is its file, so an engine's retry of a killed trial is safe, and a
trial that already finished returns at once. Every worker must see DIR and the data at the planned (absolute)
paths: a shared folder on a cluster, the local disk in local mode.
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Iterable, Sequence


class TuneError(RuntimeError):
    """A launcher tune command failed: its exit status and standard error."""


def _run(command: Sequence[str]) -> str:
    completed = subprocess.run(list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if completed.returncode != 0:
        raise TuneError(f"{' '.join(command)}: exit {completed.returncode}: {completed.stderr.strip()}")
    return completed.stdout


def plan(launcher: str, plugin: str, arguments: Iterable[str], folder: str) -> int:
    """Writes the plan; returns the number of trials."""
    folder = os.path.abspath(folder)
    _run([launcher, "tune", plugin, *arguments, "--plan", folder, "--quiet"])
    with open(os.path.join(folder, "plan.json")) as f:
        trials = json.load(f)["trials"]
    if not isinstance(trials, int) or trials < 1:
        raise TuneError(f"{folder}/plan.json: key 'trials' is {trials!r}")
    return trials


def trial_command(launcher: str, folder: str, index: int, threads: int = 1) -> list[str]:
    return [launcher, "tune", "--trial", os.path.abspath(folder), str(index), "--threads", str(threads), "--quiet"]


def run_trial(launcher: str, folder: str, index: int, threads: int = 1) -> int:
    """Runs one trial (the task body on any engine); returns its index."""
    _run(trial_command(launcher, folder, index, threads))
    return index


def collect(launcher: str, folder: str, threads: int = 0) -> str:
    """Merges the trials, trains and tests the winner; returns the launcher's summary."""
    extra = ["--threads", str(threads)] if threads else []
    return _run([launcher, "tune", "--collect", os.path.abspath(folder), "--quiet", *extra])
