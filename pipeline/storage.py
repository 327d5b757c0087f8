"""Files on disk: atomic replacement, batch-aligned intermediate Parquet, and the output layout.

Intermediate tables live in ``<out>/_intermediate/<asset>/<partition>.parquet``. Every partitioned stage
processes its partition in batches of at most ``BATCH_SIZE`` reports and writes one row group per batch,
tagged with a ``batch_no`` column, so that the next stage can read its inputs batch by batch in lockstep:
memory is bounded by the batch, not by the corpus. Each file carries a fingerprint of its inputs in its
key-value metadata; a stage whose inputs did not change reuses its previous output.

Published tables live in ``<out>/parquet/<table>/<table>.parquet`` (one sorted file per table, replaced
with write-to-temp, fsync, rename) and the DuckDB file in ``<out>/warehouse.duckdb``.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

BATCH_SIZE = 256
FINGERPRINT_KEY = b"ogi.fingerprint"
PARQUET_OPTIONS = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
}
# Intermediate files are written once per build and read back once: LZ4 compresses several times faster
# than zstd (texts, sections) at a modest cost in size, and min/max statistics are kept for batch_no
# alone (``BatchReader`` finds a batch's row groups by them; nothing filters on the other columns).
# Published files keep PARQUET_OPTIONS.
INTERMEDIATE_PARQUET_OPTIONS = {
    **{k: v for k, v in PARQUET_OPTIONS.items() if k != "compression_level"},
    "compression": "lz4",
    "write_statistics": ["batch_no"],
}


@dataclass(frozen=True)
class OutputLayout:
    """Where everything goes under one output dir."""

    out_dir: Path

    @property
    def intermediate(self) -> Path:
        """Root of the per-partition intermediate files."""
        return self.out_dir / "_intermediate"

    def stage_file(self, asset: str, partition: str, part: str = "") -> Path:
        """Intermediate file of an asset partition (``part`` names a side file, e.g. 'checks')."""
        suffix = f".{part}" if part else ""
        return self.intermediate / asset / f"{partition}{suffix}.parquet"

    def staged_table(self, table: str) -> Path:
        """A validated-but-unpublished table, written by an out_* asset."""
        return self.out_dir / "_staging" / f"{table}.parquet"

    def published_table(self, table: str) -> Path:
        """The published Parquet file of a table."""
        return self.out_dir / "parquet" / table / f"{table}.parquet"

    @property
    def warehouse(self) -> Path:
        """The DuckDB file."""
        return self.out_dir / "warehouse.duckdb"


def fsync_dir(path: Path) -> None:
    """Fsync a directory so a rename inside it is durable (no-op where unsupported)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def temp_path_for(final: Path) -> Path:
    """A unique temp path next to ``final`` (same filesystem, so the rename is atomic)."""
    return final.with_name(f".{final.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")


def atomic_replace(tmp: Path, final: Path) -> None:
    """Fsync ``tmp`` and rename it over ``final``: readers see the old or the new file, never a mix."""
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, final)
    fsync_dir(final.parent)


def atomic_write_text(final: Path, text: str) -> None:
    """Write a text file atomically."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_for(final)
    tmp.write_text(text, encoding="utf-8")
    atomic_replace(tmp, final)


def with_batch_no(schema: pa.Schema) -> pa.Schema:
    """The intermediate schema: ``batch_no`` first, then the table's columns."""
    return pa.schema([pa.field("batch_no", pa.int32(), nullable=False), *schema], metadata=schema.metadata)


class BatchWriter:
    """Write one Parquet file, one row group per batch, then publish it atomically with ``commit``."""

    def __init__(
        self,
        final: Path,
        schema: pa.Schema,
        fingerprint: str | None = None,
        extra_kv: dict[bytes, bytes] | None = None,
        options: dict[str, object] | None = None,
    ):
        self.final = final
        meta = dict(schema.metadata or {})
        if fingerprint is not None:
            meta[FINGERPRINT_KEY] = fingerprint.encode()
        meta.update(extra_kv or {})
        self.schema = schema.with_metadata(meta)
        final.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = temp_path_for(final)
        self._writer = pq.ParquetWriter(self.tmp, self.schema, **(options or PARQUET_OPTIONS))
        self.rows = 0

    def write_rows(self, rows: Sequence[dict], batch_no: int | None = None) -> None:
        """Append one row group from row dicts (adds ``batch_no`` when the schema has it)."""
        if not rows:
            return
        self.write_table(rows_to_table(rows, self.schema, batch_no))

    def write_columns(self, columns: dict[str, list | pa.Array], n: int, batch_no: int | None = None) -> None:
        """Append one row group from column lists or arrays (``n`` rows; absent columns are nulls)."""
        if n == 0:
            return
        self.write_table(columns_to_table(columns, n, self.schema, batch_no))

    def write_table(self, table: pa.Table) -> None:
        """Append one row group."""
        if table.num_rows == 0:
            return
        if table.schema != self.schema:
            table = table.cast(self.schema)
        self._writer.write_table(table, row_group_size=max(table.num_rows, 1))
        self.rows += table.num_rows

    def set_fingerprint(self, fingerprint: str) -> None:
        """Record the input fingerprint in the file's key-value metadata (before ``commit``).

        For stages that only know their fingerprint once they have streamed their inputs.
        """
        self._writer.add_key_value_metadata({FINGERPRINT_KEY: fingerprint.encode()})

    def commit(self) -> int:
        """Close, fsync and rename into place; returns the number of rows written."""
        self._writer.close()
        atomic_replace(self.tmp, self.final)
        return self.rows

    def abort(self) -> None:
        """Drop the temp file (on error)."""
        with contextlib.suppress(Exception):
            self._writer.close()
        with contextlib.suppress(FileNotFoundError):
            self.tmp.unlink()

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def rows_to_table(rows: Sequence[dict], schema: pa.Schema, batch_no: int | None = None) -> pa.Table:
    """A table of ``schema`` from row dicts (missing keys are nulls).

    ``batch_no``, when given, fills the schema's ``batch_no`` column (added as a column, so the row
    dicts are not copied).
    """
    i = schema.get_field_index("batch_no")
    if batch_no is None or i < 0:
        return pa.Table.from_pylist(list(rows), schema=schema)
    table = pa.Table.from_pylist(list(rows), schema=schema.remove(i))
    column = pa.array(np.full(len(rows), batch_no, dtype=np.int32), type=schema.field(i).type)
    return table.add_column(i, schema.field(i), column).replace_schema_metadata(schema.metadata)


def columns_to_table(
    columns: dict[str, list | pa.Array], n: int, schema: pa.Schema, batch_no: int | None = None
) -> pa.Table:
    """A table of ``schema`` from columns of ``n`` values: Python lists or Arrow arrays (absent: nulls)."""
    arrays = []
    for f in schema:
        if f.name == "batch_no" and batch_no is not None:
            arrays.append(pa.array(np.full(n, batch_no, dtype=np.int32), type=f.type))
        elif f.name in columns:
            col = columns[f.name]
            arrays.append(col if isinstance(col, pa.Array) else pa.array(col, type=f.type))
        else:
            arrays.append(pa.nulls(n, type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def read_fingerprint(path: Path) -> str | None:
    """The input fingerprint recorded in a file's key-value metadata, or None when missing/unreadable."""
    try:
        meta = pq.read_metadata(path).metadata or {}
    except (OSError, pa.ArrowInvalid):
        return None
    fp = meta.get(FINGERPRINT_KEY)
    return fp.decode() if fp else None


def _batch_index(pf: pq.ParquetFile) -> dict[int, list[int]]:
    """Map batch_no → row-group indices, from the row-group statistics."""
    idx: dict[int, list[int]] = {}
    col = pf.schema_arrow.get_field_index("batch_no")
    for rg in range(pf.metadata.num_row_groups):
        stats = pf.metadata.row_group(rg).column(col).statistics
        if stats is None or not stats.has_min_max or stats.min != stats.max:
            # Should not happen: we write one batch per row group. Fall back to reading it.
            for b in set(pf.read_row_group(rg, columns=["batch_no"]).column(0).to_pylist()):
                idx.setdefault(b, []).append(rg)
            continue
        idx.setdefault(int(stats.min), []).append(rg)
    return idx


class BatchReader:
    """Read an intermediate file batch by batch (by ``batch_no``)."""

    def __init__(self, path: Path, columns: list[str] | None = None):
        self.path = path
        self.pf = pq.ParquetFile(path)
        self.columns = columns
        self.index = _batch_index(self.pf)

    def batch_nos(self) -> list[int]:
        """Batch numbers present, in order."""
        return sorted(self.index)

    def read(self, batch_no: int) -> pa.Table:
        """All rows of one batch (an empty table when the batch has no rows here)."""
        rgs = self.index.get(batch_no, [])
        if not rgs:
            schema = self.pf.schema_arrow
            if self.columns:
                schema = pa.schema([schema.field(c) for c in self.columns])
            return schema.empty_table()
        return self.pf.read_row_groups(rgs, columns=self.columns)

    def num_rows(self) -> int:
        """Rows in the file."""
        return self.pf.metadata.num_rows


def aligned_batches(
    driver: Path, others: Sequence[Path], columns: Sequence[list[str] | None] | None = None
) -> Iterator[tuple[int, list[pa.Table]]]:
    """Yield ``(batch_no, [driver_batch, *other_batches])`` for every batch of ``driver``."""
    cols = list(columns) if columns else [None] * (1 + len(others))
    readers = [BatchReader(driver, cols[0])] + [
        BatchReader(p, c) for p, c in zip(others, cols[1:], strict=True)
    ]
    for b in readers[0].batch_nos():
        yield b, [r.read(b) for r in readers]


_DONE = object()


def prefetched(source: Iterable, depth: int = 2) -> Iterator:
    """Iterate ``source`` in a background thread, ``depth`` items ahead of the consumer.

    For a DuckDB result read as Arrow batches while the batches are compressed into Parquet: both
    release the GIL, so producing the next batch overlaps writing this one. At most ``depth + 1`` items
    are in memory; an exception in ``source`` is raised in the consumer; when the consumer stops early,
    the producer is told to stop at its next item.
    """
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    failure: list[BaseException] = []

    def produce() -> None:
        try:
            for item in source:
                while not stop.is_set():
                    try:
                        q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            failure.append(exc)
        finally:
            while not stop.is_set():
                try:
                    q.put(_DONE, timeout=0.1)
                    break
                except queue.Full:
                    continue

    thread = threading.Thread(target=produce, name="prefetch", daemon=True)
    thread.start()
    try:
        while (item := q.get()) is not _DONE:
            yield item
        if failure:
            raise failure[0]
    finally:
        stop.set()
        thread.join()
