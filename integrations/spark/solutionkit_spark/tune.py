"""`launcher tune` with one trial per Spark task.

    from solutionkit_spark.tune import tune
    summary = tune(spark, "launcher", "price-prediction", ["--dataset", "california", "--recipe", "gbdt"],
                   folder="/shared/tune-plan")

The plan is written on the driver; `parallelize(range(trials), trials)` makes one partition per trial, each task
runs `launcher tune --trial` (Spark retries a failed task, `spark.task.maxFailures`; a finished trial returns at
once on a rerun); the collect step on the driver gives the leaderboard of a local `tune` with the same seed.
The launcher, the data and the folder must be at the same paths on the executors (shared storage).
"""

from __future__ import annotations

from typing import Iterable

from solutionkit_pipe.tune import collect, plan, run_trial

from . import _ship_python_packages


def tune(spark, launcher: str, plugin: str, arguments: Iterable[str], folder: str, *, threads: int = 1) -> str:
    trials = plan(launcher, plugin, arguments, folder)
    _ship_python_packages(spark.sparkContext)
    done = (spark.sparkContext.parallelize(range(trials), trials)
            .map(lambda index: run_trial(launcher, folder, index, threads)).collect())
    if sorted(done) != list(range(trials)):
        raise RuntimeError(f"spark returned trials {done}, expected 0..{trials - 1}")
    return collect(launcher, folder)
