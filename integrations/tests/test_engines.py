"""Spark (local[2]) and Ray (2 local workers) give exactly what `launcher score` gives on the same file.

Run by integrations/test.sh (which makes the venv, the launcher and the bundle): SOLUTIONKIT_LAUNCHER, SK_BUNDLE and
SK_ROWS come from it. Checks, for each engine: scored rows equal (by id, value for value) to the launcher's own
output on the file, rejects equal (id and reason), order kept within each Spark partition, and a scorer process
killed mid-partition is retried by the engine with every row exactly once in the end.
"""

import os
import shutil
import sys
import tempfile
import threading
import time
import unittest

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGES = [os.path.abspath(os.path.join(HERE, "..", d)) for d in ("common", "spark", "ray")]
sys.path[:0] = PACKAGES
# Engine workers are other Python processes: they find the packages through the environment they inherit.
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # everything local, on 127.0.0.1
os.environ["PYTHONPATH"] = os.pathsep.join(PACKAGES + [p for p in [os.environ.get("PYTHONPATH")] if p])

from fixtures import make_input, launcher_reference  # noqa: E402

LAUNCHER = os.environ["SOLUTIONKIT_LAUNCHER"]
BUNDLE = os.environ["SK_BUNDLE"]
ROWS = int(os.environ.get("SK_ROWS", "60000"))
WORK = tempfile.mkdtemp(prefix="solutionkit-engines-")
INPUT = os.path.join(WORK, "input.csv")
# The kill tests score a file 4 times larger in a few big partitions, so a scorer is still reading when it dies.
KILL_INPUT = os.path.join(WORK, "kill-input.csv")


def setUpModule():
    global REFERENCE, KILL_REFERENCE
    make_input(INPUT, ROWS)
    REFERENCE = launcher_reference(LAUNCHER, BUNDLE, INPUT, WORK)
    make_input(KILL_INPUT, 4 * ROWS)
    os.makedirs(os.path.join(WORK, "kill"), exist_ok=True)
    KILL_REFERENCE = launcher_reference(LAUNCHER, BUNDLE, KILL_INPUT, os.path.join(WORK, "kill"))


def tearDownModule():
    shutil.rmtree(WORK, ignore_errors=True)


def private_bundle(tag):
    """A copy of the bundle under a unique name, so the kill watcher finds only this test's processes."""
    target = os.path.join(WORK, f"bundle-{tag}-{os.getpid()}")
    if not os.path.exists(target):
        shutil.copytree(BUNDLE, target)
    return target


def bundle_bytes(bundle):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(bundle) for f in files)


class KillOnce(threading.Thread):
    """Kills (SIGKILL, by pid) the first task's `launcher score` process running `marker` once it has read 256 KiB
    of rows (past reading the bundle, counted twice: checksums, then parsing). The driver's own probe (a child of
    this process) is left alone."""

    def __init__(self, bundle):
        super().__init__(daemon=True)
        self.marker = os.path.basename(bundle)
        self.after = 2 * bundle_bytes(bundle) + 256 * 1024
        self.killed = None
        self.stop = False

    def run(self):
        while not self.stop and self.killed is None:
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as f:
                        args = f.read().split(b"\0")
                    if b"score" not in args or not any(self.marker.encode() in a for a in args):
                        continue
                    with open(f"/proc/{pid}/stat") as f:
                        if int(f.read().rsplit(")", 1)[1].split()[1]) == os.getpid():
                            continue
                    with open(f"/proc/{pid}/io") as f:
                        rchar = int(next(l for l in f if l.startswith("rchar:")).split()[1])
                    if rchar > self.after:
                        os.kill(int(pid), 9)
                        self.killed = int(pid)
                        return
                except (OSError, StopIteration, ValueError):
                    continue
            time.sleep(0.005)


def assert_same_as_launcher(test, scored: pa.Table, rejects: pa.Table, reference=None):
    reference_scored, reference_rejects = reference or REFERENCE
    scored = scored.sort_by("id")
    test.assertEqual(scored.num_rows, reference_scored.num_rows)
    test.assertEqual(scored.column_names, reference_scored.column_names)
    for name in scored.column_names:
        test.assertTrue(scored.column(name).equals(reference_scored.column(name).cast(scored.schema.field(name).type)),
                        f"column {name} differs from launcher score")
    got = sorted(zip(rejects.column("id").to_pylist(), rejects.column("reason").to_pylist()))
    test.assertEqual(got, reference_rejects)
    test.assertGreater(len(got), 0)


class SparkTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from pyspark.sql import SparkSession
        cls.spark = (SparkSession.builder.master("local[2,3]").appName("solutionkit-test")
                     .config("spark.sql.files.maxPartitionBytes", str(max(1 << 20, ROWS * 90 // 4)))
                     .config("spark.sql.execution.arrow.maxRecordsPerBatch", "5000")
                     .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                     .config("spark.driver.host", "127.0.0.1")
                     .getOrCreate())
        cls.spark.sparkContext.setLogLevel("ERROR")

    @classmethod
    def tearDownClass(cls):
        cls.spark.stop()

    def frame(self, path=None):
        # Every column as text, as in the file: the launcher sees the same bytes `launcher score` reads.
        return self.spark.read.csv(path or INPUT, header=True)

    def score(self, bundle, path=None, **kwargs):
        from solutionkit_spark import score
        return score(self.frame(path), bundle, LAUNCHER, **kwargs)

    def collect(self, result):
        return result.scored.toArrow(), result.rejects.toArrow()

    def test_mapInPandas_equals_launcher_score(self):
        result = self.score(BUNDLE)
        self.assertGreater(result.scored.rdd.getNumPartitions(), 1)
        assert_same_as_launcher(self, *self.collect(result))
        # Within each partition the scored rows keep the input order (ids increase down the file).
        for ids in result.scored.rdd.mapPartitions(lambda rows: [[int(r["id"]) for r in rows]]).collect():
            self.assertEqual(ids, sorted(ids))
        result.unpersist()

    def test_mapInArrow_equals_launcher_score(self):
        result = self.score(BUNDLE, api="arrow")
        assert_same_as_launcher(self, *self.collect(result))
        result.unpersist()

    def test_killed_scorer_is_retried_without_duplicates(self):
        bundle = private_bundle("spark-kill")
        watcher = KillOnce(bundle)
        watcher.start()
        self.spark.conf.set("spark.sql.files.maxPartitionBytes", str(os.path.getsize(KILL_INPUT) // 3 + 1))
        try:
            result = self.score(bundle, KILL_INPUT)
            scored, rejects = self.collect(result)
        finally:
            self.spark.conf.set("spark.sql.files.maxPartitionBytes", str(max(1 << 20, ROWS * 90 // 4)))
        watcher.stop = True
        self.assertIsNotNone(watcher.killed, "no scorer process was killed: the partitions were too small")
        ids = scored.column("id")
        self.assertEqual(len(pc.unique(ids)), len(ids), "a row was scored twice")
        assert_same_as_launcher(self, scored, rejects, KILL_REFERENCE)
        result.unpersist()

    def test_rdd_pipe_recipe(self):
        # The README's RDD.pipe recipe: a header in front of every partition, output headers dropped after.
        sc = self.spark.sparkContext
        lines = sc.textFile(INPUT, minPartitions=3)
        header = lines.first()
        command = f"{LAUNCHER} score --model {BUNDLE} --input - --output - --quiet --threads 1"
        body = lines.filter(lambda line: line != header)
        scored = (body.mapPartitions(lambda rows: [header, *rows]).pipe(command)
                  .filter(lambda line: not line.startswith("id,")).collect())
        table = pacsv.read_csv(pa.BufferReader(("id,prediction\n" + "\n".join(scored) + "\n").encode()),
                               convert_options=pacsv.ConvertOptions(column_types={"id": pa.string(),
                                                                                  "prediction": pa.float64()}))
        reference = REFERENCE[0]
        self.assertEqual(table.num_rows, reference.num_rows)
        self.assertTrue(table.sort_by("id").column("prediction").equals(reference.column("prediction")))


class RayTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import ray
        # Two scorer actors (the "2 workers", one CPU each) and one CPU for reading the file.
        ray.init(num_cpus=3, include_dashboard=False, log_to_driver=False, _node_ip_address="127.0.0.1")
        ray.data.DataContext.get_current().enable_progress_bars = False

    @classmethod
    def tearDownClass(cls):
        import ray
        ray.shutdown()

    def score(self, bundle, path=None, blocks=4):
        import ray
        from solutionkit_ray import score
        ds = ray.data.read_csv(path or INPUT, convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in REFERENCE_HEADER()}),
            override_num_blocks=blocks)
        scored, rejects = score(ds, bundle, LAUNCHER, concurrency=2)
        return scored.to_arrow_refs(), rejects.to_arrow_refs()

    def tables(self, refs):
        import ray
        scored = pa.concat_tables(ray.get(refs[0]))
        rejects = pa.concat_tables(ray.get(refs[1]))
        return scored, rejects

    def test_map_batches_equals_launcher_score(self):
        assert_same_as_launcher(self, *self.tables(self.score(BUNDLE)))

    def test_killed_scorer_is_retried_without_duplicates(self):
        bundle = private_bundle("ray-kill")
        watcher = KillOnce(bundle)
        watcher.start()
        scored, rejects = self.tables(self.score(bundle, KILL_INPUT, blocks=3))
        watcher.stop = True
        self.assertIsNotNone(watcher.killed, "no scorer process was killed: the blocks were too small")
        ids = scored.column("id")
        self.assertEqual(len(pc.unique(ids)), len(ids), "a row was scored twice")
        assert_same_as_launcher(self, scored, rejects, KILL_REFERENCE)


def REFERENCE_HEADER():
    with open(INPUT) as f:
        return f.readline().strip().split(",")


if __name__ == "__main__":
    unittest.main(verbosity=2)
