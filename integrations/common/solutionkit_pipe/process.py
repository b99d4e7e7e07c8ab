"""One `launcher score` process fed Arrow record batches on stdin, read back as Arrow record batches from stdout."""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from typing import Iterable, Iterator, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv


class ScoringError(RuntimeError):
    """The scoring process failed or its accounting does not add up: the engine should retry the task."""

    # How the messages of a retryable failure begin (engines that match errors by message use these).
    RETRYABLE = ("launcher score exited with status", "feeding the launcher failed", "rows in ")


REJECT_FIELDS = [pa.field("row", pa.int64()), pa.field("reason", pa.string())]


def _extra_lines(batch: pa.RecordBatch) -> np.ndarray:
    """Line breaks inside each row's quoted text fields: a row of the CSV stream spans 1 + that many lines."""
    extra = np.zeros(batch.num_rows, dtype=np.int64)
    for column in batch.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            counts = pc.count_substring(column, "\n").fill_null(0)
            extra += counts.to_numpy(zero_copy_only=False)
    return extra


class ScoringProcess:
    """Starts `launcher score --input - --output - --rejects FILE` for one stream of rows (one task or block).

    `score(batches)` yields the scored rows in input order as record batches of `output_schema`; afterwards
    `rejects` holds the rejected rows (their 0-based position in this stream, the id when there is one, the
    reason). Rows in = scored + rejected is checked, and a failed or killed process raises ScoringError.
    """

    def __init__(self, launcher: str, bundle: str, output_schema: pa.Schema, *, id_column: Optional[str] = None,
                 options: Iterable[str] = (), threads: int = 1, workdir: Optional[str] = None):
        self.launcher = launcher
        self.bundle = bundle
        self.output_schema = output_schema
        self.id_column = id_column
        self.options = list(options)
        self.threads = threads
        self.workdir = workdir
        self.rejects: Optional[pa.Table] = None
        self.rows_in = 0
        self.rows_scored = 0

    def command(self, rejects_path: str) -> list[str]:
        command = [self.launcher, "score", "--model", self.bundle, "--input", "-", "--output", "-",
                   "--rejects", rejects_path, "--quiet", "--threads", str(self.threads)]
        for option in self.options:
            command += ["--option", option]
        return command

    def score(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        iterator = iter(batches)
        first = next((b for b in iterator if b.num_rows > 0), None)
        if first is None:  # an empty stream: nothing to start a process for
            self.rejects = pa.table({f.name: pa.array([], f.type) for f in self._reject_schema(None)})
            return
        with tempfile.TemporaryDirectory(prefix="solutionkit-task-", dir=self.workdir) as folder:
            rejects_path = os.path.join(folder, "rejects.csv")
            env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
            process = subprocess.Popen(self.command(rejects_path), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, env=env)
            try:
                yield from self._run(process, first, iterator, rejects_path)
            finally:
                if process.poll() is None:
                    process.kill()
                process.wait()

    def _run(self, process, first, iterator, rejects_path) -> Iterator[pa.RecordBatch]:
        starts: list[np.ndarray] = []
        ids: list[pa.Array] = []
        id_type = first.schema.field(self.id_column).type if self.id_column in first.schema.names else None
        failure: list[BaseException] = []
        stderr: list[bytes] = []

        def feed():
            line = 2  # line 1 is the header
            try:
                header = True
                for batch in _chain(first, iterator):
                    if batch.num_rows == 0:
                        continue
                    extra = _extra_lines(batch)
                    spans = 1 + extra
                    starts.append(line + np.concatenate(([0], np.cumsum(spans)[:-1])))
                    line += int(spans.sum())
                    if id_type is not None:
                        ids.append(batch.column(self.id_column))
                    self.rows_in += batch.num_rows
                    pacsv.write_csv(batch, process.stdin, pacsv.WriteOptions(include_header=header))
                    header = False
            except BaseException as error:  # reported by the reading side, which owns the task's outcome
                failure.append(error)
            finally:
                try:
                    process.stdin.close()
                except BrokenPipeError:
                    pass

        writer = threading.Thread(target=feed, name="solutionkit-feed", daemon=True)
        drain = threading.Thread(target=lambda: stderr.append(process.stderr.read()), daemon=True)
        writer.start()
        drain.start()
        convert = pacsv.ConvertOptions(column_types={f.name: f.type for f in self.output_schema},
                                       strings_can_be_null=False, quoted_strings_can_be_null=False)
        try:
            reader = pacsv.open_csv(process.stdout, read_options=pacsv.ReadOptions(block_size=1 << 20),
                                    convert_options=convert)
        except pa.ArrowInvalid as error:
            reader = None
            opening = error
        if reader is not None:
            for batch in reader:
                self.rows_scored += batch.num_rows
                yield batch.select(self.output_schema.names).cast(self.output_schema)
        writer.join()
        drain.join()
        status = process.wait()
        message = b"".join(stderr).decode(errors="replace").strip()
        # A killed launcher also breaks the feeding pipe: its exit status is the cause to report.
        if status != 0:
            raise ScoringError(f"launcher score exited with status {status}: {message}")
        if failure:
            raise ScoringError(f"feeding the launcher failed: {failure[0]!r}; launcher said: {message}") from failure[0]
        if reader is None:
            raise ScoringError(f"the launcher's output could not be read ({opening}): {message}")
        self.rejects = self._read_rejects(rejects_path, starts, ids)
        if self.rows_scored + self.rejects.num_rows != self.rows_in:
            raise ScoringError(f"rows in {self.rows_in} != scored {self.rows_scored} + rejected {self.rejects.num_rows}")

    def _reject_schema(self, id_type) -> list[pa.Field]:
        fields = list(REJECT_FIELDS)
        if id_type is not None:
            fields.insert(1, pa.field(self.id_column, id_type))
        return fields

    def _read_rejects(self, path, starts, ids) -> pa.Table:
        id_type = ids[0].type if ids else None
        table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
            column_types={"line": pa.int64(), "reason": pa.string()}))
        lines = table.column("line").to_numpy()
        line_starts = np.concatenate(starts) if starts else np.zeros(0, dtype=np.int64)
        rows = np.searchsorted(line_starts, lines)
        if len(rows) and (rows.max() >= len(line_starts) or not np.array_equal(line_starts[rows], lines)):
            raise ScoringError(f"{path}: a rejected line does not start a row of this stream")
        columns = {"row": pa.array(rows, pa.int64()), "reason": table.column("reason")}
        if id_type is not None:
            columns[self.id_column] = pa.chunked_array(ids).take(pa.array(rows))
        schema = pa.schema(self._reject_schema(id_type))
        return pa.table({f.name: columns[f.name] for f in schema}, schema=schema)


def _chain(first, rest):
    yield first
    yield from rest


def infer_output_schema(launcher: str, bundle: str, sample: pa.Table, *, id_column: Optional[str],
                        options: Iterable[str] = ()) -> pa.Schema:
    """The scored columns and their types, from scoring a sample of the input (the driver does this once).

    Whole numbers are written without a decimal point, so a column of numbers is read as float64, never int64
    (a later row may have a fraction); the id column keeps the input's type, so scored rows join back.
    """
    probe = ScoringProcess(launcher, bundle, pa.schema([]), id_column=id_column, options=options)
    with tempfile.TemporaryDirectory(prefix="solutionkit-probe-") as folder:
        rejects = os.path.join(folder, "rejects.csv")
        text = pa.BufferOutputStream()
        pacsv.write_csv(sample, text)
        result = subprocess.run(probe.command(rejects), input=text.getvalue().to_pybytes(), capture_output=True,
                                env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    if result.returncode != 0:
        raise ScoringError(f"launcher score refused a sample of the input: {result.stderr.decode(errors='replace').strip()}")
    scored = pacsv.read_csv(pa.BufferReader(result.stdout))
    fields = []
    for field in scored.schema:
        if id_column is not None and field.name == id_column and id_column in sample.schema.names:
            fields.append(pa.field(field.name, sample.schema.field(id_column).type))
        elif pa.types.is_integer(field.type) or pa.types.is_floating(field.type):
            fields.append(pa.field(field.name, pa.float64()))
        elif pa.types.is_boolean(field.type):
            fields.append(pa.field(field.name, pa.bool_()))
        else:
            fields.append(pa.field(field.name, pa.string()))
    return pa.schema(fields)
