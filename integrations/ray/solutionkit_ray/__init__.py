"""Score a Ray Dataset with a SolutionKit bundle: `map_batches` with an actor pool, one scorer per actor.

    from solutionkit_ray import score
    scored, rejects = score(ray.data.read_csv("big.csv"), bundle="path/to/bundle", launcher="path/to/launcher",
                            concurrency=2)

Each actor checks the launcher and the bundle once when it starts (sha256 against the driver's, then a header-only
load), then pipes every block it is given through `launcher score`. The launcher reads up to 16,384 rows before it
scores, so a request/response exchange over one process for several small batches would stall: each block gets
its own process (blocks are large, `batch_size=None`), while the actor keeps the verified copies and the schema.
A block whose launcher died is retried by Ray Data (`retried_map_errors`, `max_map_retries`; an actor that died
is restarted, `max_restarts`), and only the successful attempt's output is kept.
"""

from __future__ import annotations

import os
import shutil
from typing import Iterable, Optional

import pyarrow as pa

from solutionkit_pipe import BundleShipment, ScoringError, ScoringProcess, verify_once
from solutionkit_pipe.process import infer_output_schema

__all__ = ["score", "LauncherScorer"]

REASON = "_solutionkit_reject_reason"
ROW = "_solutionkit_reject_row"


class LauncherScorer:
    """The actor: verified copies of the launcher and bundle, and the output schema; one process per block."""

    def __init__(self, shipment: BundleShipment, launcher: str, bundle: str, header: list[str],
                 output_schema: pa.Schema, id_column: Optional[str], options: list[str], threads: int):
        verify_once(shipment, launcher, bundle, header, os.path.dirname(os.path.abspath(bundle)))
        self.launcher, self.bundle = launcher, bundle
        self.output_schema, self.id_column = output_schema, id_column
        self.options, self.threads = options, threads
        self.schema = pa.schema(list(output_schema) + [pa.field(ROW, pa.int64()),
                                                        pa.field(REASON, pa.string())])

    def __call__(self, block: pa.Table) -> pa.Table:
        process = ScoringProcess(self.launcher, self.bundle, self.output_schema, id_column=self.id_column,
                                 options=self.options, threads=self.threads)
        scored = list(process.score(block.to_batches()))
        n_scored = sum(b.num_rows for b in scored)
        rejects = process.rejects
        parts = []
        if n_scored:
            table = pa.Table.from_batches(scored, schema=self.output_schema)
            for f in self.schema:
                if f.name not in table.column_names:
                    table = table.append_column(f, pa.nulls(n_scored, f.type))
            parts.append(table.select(self.schema.names))
        if rejects is not None and rejects.num_rows:
            n = rejects.num_rows
            # A rejected row carries its id (when there is one) and its 0-based row in the block.
            columns = {f.name: pa.nulls(n, f.type) for f in self.schema}
            if self.id_column is not None and self.id_column in rejects.column_names:
                columns[self.id_column] = rejects.column(self.id_column).cast(self.schema.field(self.id_column).type)
            columns[ROW] = rejects.column("row")
            columns[REASON] = rejects.column("reason")
            parts.append(pa.table(columns, schema=self.schema))
        if not parts:
            return self.schema.empty_table()
        return pa.concat_tables(parts)


def score(ds, bundle: str, launcher: Optional[str] = None, *, id_column: Optional[str] = None,
          options: Iterable[str] = (), threads: int = 1, concurrency: int = 2, output_schema: Optional[pa.Schema] = None,
          sample_rows: int = 256, max_task_retries: int = 3, num_cpus: float = 1):
    """Scores a Ray Dataset; returns (scored, rejects), two materialized Datasets.

    `id_column` (default: a column named id, any case) is copied to both. Each of the `concurrency` actors takes
    `num_cpus`: leave a CPU for reading the input (2 actors at 1 CPU each on a 2-CPU node wait forever). Set
    `ray.data.DataContext.get_current().execution_options.preserve_order = True` to keep the input order.
    """
    import pyarrow.compute as pc

    launcher = os.path.abspath(launcher or os.environ.get("SOLUTIONKIT_LAUNCHER") or shutil.which("launcher") or "")
    bundle = os.path.abspath(bundle)
    shipment = BundleShipment.of(launcher, bundle)
    columns = ds.columns()
    if id_column is None:
        id_column = next((c for c in columns if c.lower() == "id"), None)
    elif id_column not in columns:
        raise ValueError(f"id column {id_column!r} is not a column of the Dataset: {columns}")
    pass_options = list(options)
    if id_column is not None and id_column != "id":
        pass_options.append(f"id={id_column}")
    if output_schema is None:
        sample = ds.take_batch(sample_rows, batch_format="pyarrow")
        output_schema = infer_output_schema(launcher, bundle, sample, id_column=id_column, options=pass_options)

    combined = ds.map_batches(
        LauncherScorer, batch_format="pyarrow", batch_size=None, concurrency=concurrency,
        fn_constructor_args=(shipment, launcher, bundle, columns, output_schema, id_column, pass_options, threads),
        num_cpus=num_cpus, max_task_retries=max_task_retries, max_restarts=max_task_retries)
    # A block whose launcher died (a ScoringError) runs again; Ray Data retries no user error unless told which
    # (by message), in the context the Dataset was made with. A setting the caller made is left alone.
    context = combined.context
    if not context.retried_map_errors:
        context.retried_map_errors = list(ScoringError.RETRYABLE)
        context.max_map_retries = max(context.max_map_retries, max_task_retries)
    combined = combined.materialize()
    names = output_schema.names
    scored = combined.map_batches(lambda t: t.filter(pc.is_null(t[REASON])).select(names), batch_format="pyarrow")
    reject_names = ([id_column] if id_column else []) + [ROW, REASON]
    rejects = combined.map_batches(
        lambda t: t.filter(pc.is_valid(t[REASON])).select(reject_names).rename_columns(
            ([id_column] if id_column else []) + ["row", "reason"]), batch_format="pyarrow")
    return scored.materialize(), rejects.materialize()
