"""Distributed `launcher tune` on Ray (2 local workers) and Spark (local[2]) gives the local leaderboard.

Run by integrations/test.sh: SOLUTIONKIT_LAUNCHER from it. The Ray case is the acceptance run: a 40-trial gbdt tune
of California (SK_TUNE_BUDGET) as Ray tasks, leaderboard.csv and winner.yaml byte-for-byte those of a local
`launcher tune` with the same seed. The Spark case is smaller (the shipped sample, 8 trials): the same check on the
other engine's driver.
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGES = [os.path.abspath(os.path.join(HERE, "..", d)) for d in ("common", "spark", "ray")]
sys.path[:0] = PACKAGES
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
os.environ["PYTHONPATH"] = os.pathsep.join(PACKAGES + [p for p in [os.environ.get("PYTHONPATH")] if p])

LAUNCHER = os.environ["SOLUTIONKIT_LAUNCHER"]
BUDGET = os.environ.get("SK_TUNE_BUDGET", "40")
WORK = tempfile.mkdtemp(prefix="solutionkit-tune-")
SEED = "42"


def tearDownModule():
    shutil.rmtree(WORK, ignore_errors=True)


def local_tune(plugin, arguments, tag):
    out = os.path.join(WORK, f"local-{tag}")
    subprocess.run([LAUNCHER, "tune", plugin, *arguments, "--out", out, "--threads", "2", "--quiet"], check=True,
                   stdout=subprocess.DEVNULL)
    (folder,) = glob.glob(os.path.join(out, plugin, "*-tune"))
    return folder


def read(folder, name):
    with open(os.path.join(folder, name), "rb") as f:
        return f.read()


class TuneOnEngines(unittest.TestCase):
    def assert_same_search(self, local, distributed):
        for name in ("leaderboard.csv", "winner.yaml", "selection.md"):
            self.assertEqual(read(distributed, name), read(local, name), name)
        self.assertTrue(os.path.exists(os.path.join(distributed, "run", "bundle", "manifest.json")))

    def test_ray_tasks_give_the_local_leaderboard(self):
        import ray
        from solutionkit_ray.tune import tune

        arguments = ["--dataset", "california", "--recipe", "gbdt", "--budget", BUDGET, "--seed", SEED]
        local = local_tune("price-prediction", arguments, "ray")
        # Two workers: two CPUs, one per trial task.
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, _node_ip_address="127.0.0.1")
        try:
            folder = os.path.join(WORK, "ray-plan")
            tune(LAUNCHER, "price-prediction", arguments, folder)
        finally:
            ray.shutdown()
        self.assertEqual(len(glob.glob(os.path.join(folder, "trials", "*.json"))), int(BUDGET))
        self.assert_same_search(local, folder)

    def test_spark_tasks_give_the_local_leaderboard(self):
        from pyspark.sql import SparkSession
        from solutionkit_spark.tune import tune

        arguments = ["--recipe", "gbdt", "--budget", "8", "--folds", "3", "--seed", SEED]
        local = local_tune("price-prediction", arguments, "spark")
        spark = (SparkSession.builder.master("local[2]").config("spark.driver.host", "127.0.0.1")
                 .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate())
        try:
            folder = os.path.join(WORK, "spark-plan")
            tune(spark, LAUNCHER, "price-prediction", arguments, folder)
        finally:
            spark.stop()
        self.assert_same_search(local, folder)


if __name__ == "__main__":
    unittest.main(verbosity=2)
