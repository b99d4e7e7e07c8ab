"""`launcher tune` with each trial a Ray task.

    from solutionkit_ray.tune import tune
    summary = tune("launcher", "price-prediction", ["--dataset", "california", "--recipe", "gbdt", "--budget", "40"],
                   folder="tune-plan")

The plan is written on the driver, every trial runs as one task (`num_cpus` each, the launcher with `--threads`
the same), and the collect step on the driver gives the leaderboard a local `tune` gives with the same seed. Ray
retries a task whose worker died (`max_retries`); a trial rerun after it finished returns at once.
"""

from __future__ import annotations

from typing import Iterable

from solutionkit_pipe.tune import collect, plan, run_trial


def tune(launcher: str, plugin: str, arguments: Iterable[str], folder: str, *, num_cpus: int = 1,
         max_retries: int = 3) -> str:
    import ray

    trials = plan(launcher, plugin, arguments, folder)
    task = ray.remote(num_cpus=num_cpus, max_retries=max_retries, retry_exceptions=False)(run_trial)
    done = ray.get([task.remote(launcher, folder, index, num_cpus) for index in range(trials)])
    if sorted(done) != list(range(trials)):
        raise RuntimeError(f"ray returned trials {done}, expected 0..{trials - 1}")
    return collect(launcher, folder)
