"""Score a Spark DataFrame with a SolutionKit bundle: one long-lived `launcher score` process per task.

    from solutionkit_spark import score
    result = score(df, bundle="runs/price-prediction/.../bundle", launcher="dist/.../bin/launcher")
    result.scored.write.parquet("scored")      # id + prediction columns, input order within each partition
    result.rejects.write.parquet("rejects")    # partition, row (0-based in the partition), id, reason

The binary and the bundle travel with SparkContext.addFile (the bundle as a folder); each executor checks its
copies once (sha256 of the binary and the manifest against the driver's, then a header-only load of the bundle),
and every task pipes its partition's Arrow batches (mapInPandas) through one process. A task whose process dies
fails and is retried by Spark; a retried task's output replaces the failed attempt's, so rows are never doubled.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from typing import Iterable, Iterator, Optional

import pyarrow as pa

from solutionkit_pipe import BundleShipment, ScoringProcess, verify_once
from solutionkit_pipe.process import infer_output_schema

__all__ = ["score", "ScoredFrames"]

REASON = "_solutionkit_reject_reason"
ROW = "_solutionkit_reject_row"
PARTITION = "_solutionkit_partition"


@dataclasses.dataclass
class ScoredFrames:
    """The scored rows and the rejected rows, two views of one persisted result (scored once)."""

    scored: "pyspark.sql.DataFrame"
    rejects: "pyspark.sql.DataFrame"
    combined: "pyspark.sql.DataFrame"

    def unpersist(self) -> None:
        self.combined.unpersist()


def _default_launcher() -> str:
    found = os.environ.get("SOLUTIONKIT_LAUNCHER") or shutil.which("launcher")
    if not found:
        raise FileNotFoundError("no launcher: pass launcher=PATH or set SOLUTIONKIT_LAUNCHER")
    return found


def _id_column(columns: list[str], requested: Optional[str]) -> Optional[str]:
    if requested is not None:
        if requested not in columns:
            raise ValueError(f"id column {requested!r} is not a column of the DataFrame: {columns}")
        return requested
    return next((c for c in columns if c.lower() == "id"), None)


def score(df, bundle: str, launcher: Optional[str] = None, *, id_column: Optional[str] = None,
          options: Iterable[str] = (), threads: int = 1, output_schema: Optional[pa.Schema] = None,
          sample_rows: int = 256, api: str = "pandas", persist: bool = True) -> ScoredFrames:
    """Scores `df` with the bundle; returns the scored rows and the rejects as two DataFrames.

    - `id_column` (default: a column named id, any case) is copied to both outputs so rows join back.
    - `options` are `launcher score --option key=value` strings; `threads` is the launcher's --threads per task
      (default 1: Spark already runs one task per core).
    - The output columns and types come from scoring `sample_rows` rows on the driver, or `output_schema`.
    - `api="pandas"` uses DataFrame.mapInPandas; `"arrow"` uses mapInArrow (no pandas conversion).
    """
    from pyspark import SparkFiles, StorageLevel, TaskContext
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema

    spark = df.sparkSession
    launcher = os.path.abspath(launcher or _default_launcher())
    bundle = os.path.abspath(bundle)
    shipment = BundleShipment.of(launcher, bundle)
    id_name = _id_column(df.columns, id_column)
    pass_options = list(options)
    if id_name is not None and id_name != "id":
        pass_options.append(f"id={id_name}")
    input_schema = to_arrow_schema(df.schema)
    header = list(df.columns)

    if output_schema is None:
        sample = df.limit(sample_rows).toArrow() if hasattr(df, "toArrow") else pa.Table.from_pandas(
            df.limit(sample_rows).toPandas(), schema=input_schema, preserve_index=False)
        output_schema = infer_output_schema(launcher, bundle, sample, id_column=id_name, options=pass_options)

    combined_fields = list(output_schema) + [pa.field(PARTITION, pa.int32()), pa.field(ROW, pa.int64()),
                                             pa.field(REASON, pa.string())]
    combined_schema = pa.schema(combined_fields)

    spark.sparkContext.addFile(launcher)
    spark.sparkContext.addFile(bundle, recursive=True)
    _ship_python_packages(spark.sparkContext)

    def score_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        local_launcher = SparkFiles.get(shipment.launcher_name)
        local_bundle = SparkFiles.get(shipment.bundle_name)
        verify_once(shipment, local_launcher, local_bundle, header, SparkFiles.getRootDirectory())
        partition = TaskContext.get().partitionId()
        process = ScoringProcess(local_launcher, local_bundle, output_schema, id_column=id_name,
                                 options=pass_options, threads=threads)
        for batch in process.score(batches):
            yield _widen(batch, combined_schema)
        rejects = process.rejects
        if rejects is not None and rejects.num_rows:
            n = rejects.num_rows
            columns = {f.name: pa.nulls(n, f.type) for f in combined_schema}
            if id_name is not None and id_name in rejects.column_names:
                columns[id_name] = rejects.column(id_name).cast(combined_schema.field(id_name).type)
            columns[PARTITION] = pa.array([partition] * n, pa.int32())
            columns[ROW] = rejects.column("row")
            columns[REASON] = rejects.column("reason")
            for batch in pa.table(columns, schema=combined_schema).to_batches():
                yield batch

    spark_schema = from_arrow_schema(combined_schema)
    if api == "arrow":
        def as_arrow(batches):
            yield from score_partition(b.cast(input_schema) if b.schema != input_schema else b for b in batches)
        combined = df.mapInArrow(as_arrow, spark_schema)
    elif api == "pandas":
        def as_pandas(frames):
            arrow = (pa.RecordBatch.from_pandas(f, schema=input_schema, preserve_index=False) for f in frames)
            for batch in score_partition(arrow):
                yield batch.to_pandas()
        combined = df.mapInPandas(as_pandas, spark_schema)
    else:
        raise ValueError(f"api must be pandas or arrow, got {api!r}")
    if persist:
        combined = combined.persist(StorageLevel.MEMORY_AND_DISK)

    from pyspark.sql import functions as F
    scored = combined.where(F.col(REASON).isNull()).select(*output_schema.names)
    reject_columns = [F.col(PARTITION).alias("partition"), F.col(ROW).alias("row")]
    if id_name is not None:
        reject_columns.append(F.col(id_name))
    rejects = combined.where(F.col(REASON).isNotNull()).select(*reject_columns, F.col(REASON).alias("reason"))
    return ScoredFrames(scored, rejects, combined)


_shipped: set = set()


def _ship_python_packages(sc) -> None:
    """Executors import this package and solutionkit_pipe to run the tasks: ship both once per SparkContext."""
    import tempfile
    import zipfile

    import solutionkit_pipe

    key = (id(sc), sc.applicationId)
    if key in _shipped:
        return
    folder = tempfile.mkdtemp(prefix="solutionkit-pyfiles-")
    archive = os.path.join(folder, "solutionkit_engines.zip")
    with zipfile.ZipFile(archive, "w") as z:
        for package in (solutionkit_pipe, __import__(__name__)):
            base = os.path.dirname(package.__file__)
            for name in sorted(os.listdir(base)):
                if name.endswith(".py"):
                    z.write(os.path.join(base, name), f"{package.__name__}/{name}")
    sc.addPyFile(archive)
    _shipped.add(key)


def _widen(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """A scored batch with the combined result's reject columns added as nulls."""
    n = batch.num_rows
    arrays = [batch.column(f.name) if f.name in batch.schema.names else pa.nulls(n, f.type) for f in schema]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)

