"""One run: `launcher score` on the file, then Spark local[2] and Ray (2 workers) through the integrations; the
outputs must be identical (by id) and the rejects too. Prints wall-clock rows/s of each (one run, not a ratio)."""

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.join(HERE, "..", "..", "integrations", "tests")
sys.path.insert(0, TESTS)
import test_engines as t  # noqa: E402  (sets the package path and PYSPARK_PYTHON)
from fixtures import launcher_reference, make_input  # noqa: E402

import pyarrow as pa  # noqa: E402
import pyarrow.csv as pacsv  # noqa: E402

rows = int(os.environ["SK_ROWS"])
work = os.environ["SK_WORK"]
path = os.path.join(work, "input.csv")
make_input(path, rows)
t.INPUT = path

start = time.perf_counter()
t.REFERENCE = launcher_reference(t.LAUNCHER, t.BUNDLE, path, work)
seconds = time.perf_counter() - start
print(f"launcher score: {rows} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s (includes reading the output back)")


class Check:
    def assertEqual(self, a, b, msg=None):
        assert a == b, msg or f"{a} != {b}"

    def assertTrue(self, a, msg=None):
        assert a, msg

    def assertGreater(self, a, b, msg=None):
        assert a > b, msg


from pyspark.sql import SparkSession  # noqa: E402
from solutionkit_spark import score as spark_score  # noqa: E402

spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
         .config("spark.driver.host", "127.0.0.1").config("spark.driver.memory", "3g").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
start = time.perf_counter()
result = spark_score(spark.read.csv(path, header=True), t.BUNDLE, t.LAUNCHER, api="arrow")
scored, rejects = result.scored.toArrow(), result.rejects.toArrow()
seconds = time.perf_counter() - start
print(f"spark local[2] (mapInArrow): {rows} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s")
t.assert_same_as_launcher(Check(), scored, rejects)
print("spark: scored rows and rejects identical to launcher score")
spark.stop()

import ray  # noqa: E402
from solutionkit_ray import score as ray_score  # noqa: E402

ray.init(num_cpus=3, include_dashboard=False, log_to_driver=False)  # 2 scorer actors + 1 CPU for reading
start = time.perf_counter()
ds = ray.data.read_csv(path, convert_options=pacsv.ConvertOptions(
    column_types={n: pa.string() for n in t.REFERENCE_HEADER()}))
s, r = ray_score(ds, t.BUNDLE, t.LAUNCHER, concurrency=2)
scored, rejects = pa.concat_tables(ray.get(s.to_arrow_refs())), pa.concat_tables(ray.get(r.to_arrow_refs()))
seconds = time.perf_counter() - start
print(f"ray (2 workers): {rows} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s")
t.assert_same_as_launcher(Check(), scored, rejects)
print("ray: scored rows and rejects identical to launcher score")
ray.shutdown()
