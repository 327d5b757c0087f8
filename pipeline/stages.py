"""Partition stage runners: read a partition's inputs batch by batch, call the per-report parsers, write.

Each ``run_*`` function is plain Python (the Dagster assets in ``assets/`` only call them): it reads the
upstream intermediate files of one partition (a hash bucket of input files) in lockstep batches,
applies the pure per-report functions, and writes its own intermediate file atomically. A stage whose
input fingerprint (content hashes of the inputs + the code version) matches its existing output reuses
it. One report's failure never stops the others: it is caught and recorded as a PARSE-ERROR check.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from functools import cache, lru_cache
from operator import attrgetter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import ingest
from pipeline.catalog import MetricDef, catalog
from pipeline.dictionary import table_doc
from pipeline.extract import extract_metrics
from pipeline.metadata import agency_id_for, describe
from pipeline.records import Cell, Check, Document, Metric, ReportMeta, Section
from pipeline.screen import screen_text
from pipeline.segment import segment
from pipeline.storage import (
    BATCH_SIZE,
    BatchWriter,
    OutputLayout,
    aligned_batches,
    read_fingerprint,
    with_batch_no,
)
from pipeline.tables import parse_tables
from pipeline.validate import evaluate_report

log = logging.getLogger("pipeline")
PACKAGE_DIR = Path(__file__).parent


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the parsing code and the catalog: any change invalidates every cached stage output."""
    h = hashlib.sha256()
    for p in sorted(PACKAGE_DIR.rglob("*")):
        if p.suffix in (".py", ".csv") and "__pycache__" not in p.parts:
            h.update(p.relative_to(PACKAGE_DIR).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


PARSER_VERSION_PREFIX = "0.1.0"


def parser_version() -> str:
    """Version string recorded on every report row."""
    return f"{PARSER_VERSION_PREFIX}+{code_version()}"


def fingerprint(*parts: str | None) -> str:
    """Combine input fingerprints and names into one."""
    return hashlib.sha256("\x1f".join(p or "-" for p in parts).encode()).hexdigest()[:32]


class Fingerprint:
    """``fingerprint(*parts)`` computed incrementally, so a stage can hash inputs as it streams them."""

    def __init__(self, *parts: str | None):
        self._h = hashlib.sha256()
        self._first = True
        for p in parts:
            self.add(p)

    def add(self, part: str | None) -> None:
        """Append one part."""
        self._h.update((("" if self._first else "\x1f") + (part or "-")).encode())
        self._first = False

    def hexdigest(self) -> str:
        """The same value ``fingerprint`` gives for the same parts."""
        return self._h.hexdigest()[:32]


# ----------------------------------------------------------------------------------------------------
# Partitions: hash buckets of the relative path.


def bucket_of(source_file: str, n_buckets: int) -> int:
    """Bucket of a file: its report id (a hash of its relative path) modulo the bucket count."""
    return int(ingest.report_id_for(source_file)[:8], 16) % n_buckets


def bucket_keys(n_buckets: int) -> list[str]:
    """Partition keys b00, b01, … for ``n_buckets`` buckets."""
    width = max(2, len(str(n_buckets - 1)))
    return [f"b{i:0{width}d}" for i in range(n_buckets)]


def bucket_index(partition: str) -> int:
    """Bucket number of a partition key."""
    return int(partition[1:])


def files_by_bucket(files: Iterable[str], n_buckets: int) -> dict[int, list[str]]:
    """The input files of every bucket (each file hashed once), in listing order."""
    out: dict[int, list[str]] = {}
    for f in files:
        out.setdefault(bucket_of(f, n_buckets), []).append(f)
    return out


@dataclass
class StageResult:
    """What a stage did, for logging and Dagster metadata."""

    asset: str
    partition: str
    rows: int
    reused: bool
    stats: dict[str, int] = field(default_factory=dict)
    seconds: float | None = None

    def describe(self) -> str:
        """One progress line."""
        extra = ", ".join(f"{k} {v}" for k, v in self.stats.items())
        how = "unchanged, reused" if self.reused else "built"
        took = f" in {self.seconds:.2f}s" if self.seconds is not None else ""
        return (
            f"{self.asset}[{self.partition}]: {self.rows} rows ({how}{'; ' + extra if extra else ''}){took}"
        )


@contextmanager
def frozen_heap(gen0_threshold: int = 20_000) -> Iterator[None]:
    """Keep the cyclic GC off the objects that exist before a stage (modules, Dagster, caches).

    A stage allocates millions of short-lived records; every full collection would otherwise walk the
    whole heap of the process. ``gc.freeze`` parks the existing objects in the permanent generation for
    the duration, and a larger first-generation threshold makes young collections rarer. Reference
    counting frees almost everything anyway; cycles are still collected.
    """
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(gen0_threshold, old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def timed(fn: Callable[..., StageResult], *args: object, **kwargs: object) -> StageResult:
    """Run a stage runner (under ``frozen_heap``) and record its wall-clock seconds on the result."""
    t0 = time.perf_counter()
    with frozen_heap():
        res = fn(*args, **kwargs)
    res.seconds = time.perf_counter() - t0
    return res


@cache
def _schema(name: str) -> pa.Schema:
    return with_batch_no(table_doc(name).arrow_schema())


CHECK_SCHEMA_NAME = "core_identity_checks"


def _check_rows(report_id: str, checks: Iterable[Check]) -> list[dict]:
    return [
        {
            "report_id": report_id,
            "rule_id": c.rule_id,
            "scope": c.scope,
            "strength": c.strength,
            "status": c.status,
            "severity": c.severity,
            "metric_ids": ";".join(c.metric_ids) if c.metric_ids else None,
            "lhs": c.lhs,
            "rhs": c.rhs,
            "diff": c.diff,
            "message": c.message,
        }
        for c in checks
    ]


def _parse_error(stage: str, exc: BaseException) -> Check:
    tb = traceback.extract_tb(exc.__traceback__)
    where = f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?"
    return Check(
        rule_id="PARSE-ERROR",
        status="fail",
        strength="hard",
        severity="error",
        scope=stage,
        message=f"{type(exc).__name__}: {exc} (at {where}); this report's {stage} output is missing",
    )


def _guarded(stage: str, report_id: str, errors: list[dict], fn: Callable[..., list], *args: object) -> list:
    """Run ``fn(*args)`` for one report; on an exception record a PARSE-ERROR check and return []."""
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - one bad report must not stop the batch
        log.warning("%s: report %s failed: %s", stage, report_id, exc)
        errors.extend(_check_rows(report_id, [_parse_error(stage, exc)]))
        return []


# ----------------------------------------------------------------------------------------------------
# raw_reports


def document_row(d: Document) -> dict:
    """One raw_reports row of a decoded file."""
    return {
        "report_id": d.report_id,
        "source_file": d.source_file,
        "sha256": d.sha256,
        "n_bytes": d.n_bytes,
        "encoding": d.encoding,
        "text": d.text,
        "status": d.status,
        "status_reason": d.status_reason,
    }


def _read_batches(raw_dir: Path, files: list[str]) -> Iterator[list[Document]]:
    """Read and decode ``files`` in batches of ``BATCH_SIZE`` (one batch of texts in memory at a time)."""
    for i in range(0, len(files), BATCH_SIZE):
        yield [ingest.read_document(raw_dir, f) for f in files[i : i + BATCH_SIZE]]


def run_raw_reports(
    raw_dir: Path,
    out: OutputLayout,
    partition: str,
    n_buckets: int,
    files: list[str] | None = None,
    mine: list[str] | None = None,
) -> StageResult:
    """List the bucket's files under ``raw_dir``, read and decode them (never raising on bad input).

    Streams: each batch of decoded files is written as it is read, while the input fingerprint is
    hashed; when it equals the existing file's, the new file is dropped and the old one reused. ``mine``
    (the bucket's files, from `files_by_bucket`) saves hashing the whole listing once per bucket.
    """
    if mine is None:
        b = bucket_index(partition)
        all_files = files if files is not None else list(ingest.list_input_files(raw_dir))
        mine = [f for f in all_files if bucket_of(f, n_buckets) == b]
    target = out.stage_file("raw_reports", partition)
    fp = Fingerprint("raw_reports", code_version())
    stats = {"files": 0, "quarantined": 0}
    w = BatchWriter(target, _schema("raw_reports"))
    try:
        for batch_no, docs in enumerate(_read_batches(raw_dir, mine)):
            for d in docs:
                fp.add(f"{d.source_file}:{d.sha256}:{d.status}")
            stats["files"] += len(docs)
            stats["quarantined"] += sum(d.status != "ok" for d in docs)
            w.write_rows([document_row(d) for d in docs], batch_no=batch_no)
    except BaseException:
        w.abort()
        raise
    digest = fp.hexdigest()
    if read_fingerprint(target) == digest:
        w.abort()
        return StageResult("raw_reports", partition, stats["files"], True, stats)
    w.set_fingerprint(digest)
    w.commit()
    return StageResult("raw_reports", partition, stats["files"], False, stats)


def _reuse_or_build(
    asset: str, out: OutputLayout, partition: str, inputs: list[str]
) -> tuple[Path, str, bool]:
    target = out.stage_file(asset, partition)
    fp = fingerprint(asset, code_version(), *(read_fingerprint(out.stage_file(i, partition)) for i in inputs))
    return target, fp, read_fingerprint(target) == fp


# ----------------------------------------------------------------------------------------------------
# core_reports


META_COLUMNS = tuple(f.name for f in fields(ReportMeta) if f.name not in ("is_report", "not_report_reason"))
CELL_COLUMNS = tuple(f.name for f in fields(Cell) if f.name != "unit_printed")


def describe_document(row: dict, parser_ver: str) -> dict:
    """One reports row from one raw_reports row (screening + metadata)."""
    text = row["text"]
    base = {
        "report_id": row["report_id"],
        "source_file": row["source_file"],
        "sha256": row["sha256"],
        "n_bytes": row["n_bytes"],
        "encoding": row["encoding"],
        "status": row["status"],
        "status_reason": row["status_reason"],
        "duplicate_of": None,
        "n_chars": len(text) if text is not None else None,
        "text_sha256": ingest.text_fingerprint(text) if text else None,
        "n_sections": None,
        "n_metrics": None,
        "parser_version": parser_ver,
    }
    meta = ReportMeta()
    if row["status"] == "ok" and text is not None:
        ok, reason = screen_text(text)
        if not ok:
            base["status"], base["status_reason"] = "quarantined", reason
        else:
            meta = describe(text, row["source_file"])
    base.update({k: getattr(meta, k) for k in META_COLUMNS})
    base["agency_id"] = agency_id_for(meta.agency_name) if meta.agency_name else None
    return base


def run_core_reports(out: OutputLayout, partition: str) -> StageResult:
    """Metadata per report: agency, place, level, year, layout, completeness; screening of non-reports."""
    target, fp, reuse = _reuse_or_build("core_reports", out, partition, ["raw_reports"])
    if reuse:
        return StageResult("core_reports", partition, table_doc_rows(target), True)
    pv = parser_version()
    n = quarantined = 0
    with BatchWriter(target, _schema("core_reports"), fp) as w:
        for b, (raw,) in aligned_batches(out.stage_file("raw_reports", partition), []):
            rows = []
            for r in raw.to_pylist():
                try:
                    rows.append(describe_document(r, pv))
                except Exception as exc:  # noqa: BLE001 - a metadata bug must not lose the file
                    log.warning("core_reports: %s failed: %s", r["source_file"], exc)
                    fallback = describe_document(
                        {
                            **r,
                            "status": "quarantined",
                            "status_reason": f"metadata parser error: {type(exc).__name__}: {exc}",
                        },
                        pv,
                    )
                    rows.append(fallback)
            n += len(rows)
            quarantined += sum(x["status"] != "ok" for x in rows)
            w.write_rows(rows, batch_no=b)
    return StageResult("core_reports", partition, n, False, {"reports": n, "not parsed": quarantined})


def table_doc_rows(path: Path) -> int:
    """Row count of an intermediate file."""
    return pq.ParquetFile(path).metadata.num_rows


# ----------------------------------------------------------------------------------------------------
# Helpers to rebuild records from rows.

RAW_TEXT_COLUMNS = ["report_id", "text"]
REPORT_KEY_COLUMNS = ["report_id", "status", "layout"]


def _ok_reports(raw: pa.Table, reports: pa.Table) -> list[tuple[dict, dict]]:
    """Pairs (raw row, report row) of the batch's parseable reports."""
    by_id = {r["report_id"]: r for r in reports.to_pylist()}
    out = []
    for r in raw.to_pylist():
        rep = by_id.get(r["report_id"])
        if rep is not None and rep["status"] == "ok" and r["text"] is not None:
            out.append((r, rep))
    return out


def _meta_of(rep: dict) -> ReportMeta:
    fields_ = ReportMeta.__dataclass_fields__
    return ReportMeta(**{k: rep.get(k) for k in fields_ if k in rep})


def _record_fields(cls: type, omit: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Field names of a record type, in positional order (omitted fields must be trailing defaults)."""
    names = tuple(f.name for f in fields(cls))
    kept = tuple(n for n in names if n not in omit)
    assert names[: len(kept)] == kept, f"{cls.__name__}: omitted fields must come last"
    return kept


SECTION_FIELDS = _record_fields(Section)
CELL_FIELDS = _record_fields(Cell, ("unit_printed",))
METRIC_FIELDS = _record_fields(Metric)


def attribute_columns(records: Sequence[object], names: tuple[str, ...]) -> dict[str, list]:
    """``{name: [getattr(r, name) for r in records]}`` for several names, one C-level getter per record."""
    if not records:
        return {n: [] for n in names}
    if len(names) == 1:
        return {names[0]: [getattr(r, names[0]) for r in records]}
    per_column = zip(*map(attrgetter(*names), records), strict=True)
    return {n: list(values) for n, values in zip(names, per_column, strict=True)}


def records_by_report(table: pa.Table, cls: type, names: tuple[str, ...]) -> dict[str, list]:
    """``cls(*row)`` for every row of a batch, grouped by report_id, built column by column.

    Columns are converted to Python once each (no dict per row), in the positional order of ``names``.
    """
    cols = [table.column("report_id").to_pylist()] + [table.column(n).to_pylist() for n in names]
    out: dict[str, list] = {}
    for rid, *vals in zip(*cols, strict=True):
        out.setdefault(rid, []).append(cls(*vals))
    return out


def _without_batch_no(table: pa.Table) -> pa.Table:
    return table.drop_columns(["batch_no"]) if "batch_no" in table.column_names else table


# ----------------------------------------------------------------------------------------------------
# Side files: the parse checks of a stage, one row group per batch (read in lockstep by core_identity_checks).


class SideChecks:
    """The parse checks a stage raises, written batch by batch next to its output (``<partition>.checks``)."""

    def __init__(self, out: OutputLayout, asset: str, partition: str, fp: str):
        self.writer = BatchWriter(out.stage_file(asset, partition, "checks"), _schema(CHECK_SCHEMA_NAME), fp)
        self.rows: list[dict] = []
        self.total = 0

    def flush(self, batch_no: int) -> None:
        """Write the checks collected for one batch."""
        self.writer.write_rows(self.rows, batch_no=batch_no)
        self.total += len(self.rows)
        self.rows = []

    def __enter__(self) -> SideChecks:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        self.writer.__exit__(exc_type, exc, tb)


# ----------------------------------------------------------------------------------------------------
# core_sections


def section_rows(report_id: str, text: str, layout: str | None) -> list[dict]:
    """Section rows of one report."""
    return [
        {
            "report_id": report_id,
            "section_no": s.section_no,
            "level": s.level,
            "heading": s.heading,
            "topic": s.topic,
            "parent_topic": s.parent_topic,
            "char_start": s.char_start,
            "char_end": s.char_end,
            "text": text[s.char_start : s.char_end],
        }
        for s in segment(text, layout)
    ]


def _text_batches(out: OutputLayout, partition: str) -> Iterator[tuple[int, list[tuple[dict, dict]]]]:
    """Per batch: the (raw row, report row) pairs of the parseable reports (only the columns needed)."""
    for b, (raw, reps) in aligned_batches(
        out.stage_file("raw_reports", partition),
        [out.stage_file("core_reports", partition)],
        [RAW_TEXT_COLUMNS, REPORT_KEY_COLUMNS],
    ):
        yield b, _ok_reports(raw, reps)


def run_core_sections(out: OutputLayout, partition: str) -> StageResult:
    """Sections with canonical topics."""
    target, fp, reuse = _reuse_or_build("core_sections", out, partition, ["raw_reports", "core_reports"])
    if reuse:
        return StageResult("core_sections", partition, table_doc_rows(target), True)
    n = 0
    with (
        BatchWriter(target, _schema("core_sections"), fp) as w,
        SideChecks(out, "core_sections", partition, fp) as side,
    ):
        for b, pairs in _text_batches(out, partition):
            rows: list[dict] = []
            for r, rep in pairs:
                rows += _guarded(
                    "segment",
                    r["report_id"],
                    side.rows,
                    section_rows,
                    r["report_id"],
                    r["text"],
                    rep["layout"],
                )
            n += len(rows)
            w.write_rows(rows, batch_no=b)
            side.flush(b)
    return StageResult("core_sections", partition, n, False, {"sections": n, "errors": side.total})


# ----------------------------------------------------------------------------------------------------
# core_table_cells


def table_rows(report_id: str, text: str, layout: str | None, checks_out: list[dict]) -> list[Cell]:
    """Cells of one report; its parse checks are appended to ``checks_out``."""
    parsed = parse_tables(text, layout)
    checks_out.extend(_check_rows(report_id, parsed.checks))
    return parsed.cells


def cell_columns(cells: list[tuple[str, Cell]]) -> dict[str, list]:
    """Columns of the table_cells rows of a batch: (report_id, cell) pairs, first of each key kept."""
    seen: set[tuple] = set()
    kept: list[tuple[str, Cell]] = []
    for rid, c in cells:
        k = (rid, c.table_id, c.row_no, c.col_no)
        if k not in seen:
            seen.add(k)
            kept.append((rid, c))
    return {"report_id": [rid for rid, _ in kept], **attribute_columns([c for _, c in kept], CELL_COLUMNS)}


def run_core_table_cells(out: OutputLayout, partition: str) -> StageResult:
    """Cells of the statistics tables, mapped to metric ids; parse checks go to a side file."""
    target, fp, reuse = _reuse_or_build("core_table_cells", out, partition, ["raw_reports", "core_reports"])
    if reuse:
        return StageResult("core_table_cells", partition, table_doc_rows(target), True)
    n = 0
    with (
        BatchWriter(target, _schema("core_table_cells"), fp) as w,
        SideChecks(out, "core_table_cells", partition, fp) as side,
    ):
        for b, pairs in _text_batches(out, partition):
            cells: list[tuple[str, Cell]] = []
            for r, rep in pairs:
                rid = r["report_id"]
                found = _guarded(
                    "tables", rid, side.rows, table_rows, rid, r["text"], rep["layout"], side.rows
                )
                cells += [(rid, c) for c in found]
            n += len(cells)
            w.write_columns(cell_columns(cells), len(cells), batch_no=b)
            side.flush(b)
    return StageResult("core_table_cells", partition, n, False, {"cells": n, "parse checks": side.total})


# ----------------------------------------------------------------------------------------------------
# core_metrics


REPORT_ID_COLUMNS = ("source_file", "report_id", "agency_id", "agency_name", "report_year", "layout")
METRIC_COLUMNS = (
    "metric_id",
    "value",
    "qualifier",
    "method",
    "evidence",
    "char_start",
    "char_end",
    "raw_value",
    "section_topic",
    "table_id",
    "confidence",
    "decided_by",
)


def report_metrics(
    text: str, rep: dict, sections: list[Section], cells: list[Cell], checks_out: list[dict]
) -> list[tuple[Metric, MetricDef]]:
    """Metrics of one report with their catalog entries; choice checks go to ``checks_out``."""
    ex = extract_metrics(text, _meta_of(rep), sections, cells)
    checks_out.extend(_check_rows(rep["report_id"], ex.checks))
    cat = catalog()
    return [(m, cat[m.metric_id]) for m in ex.metrics]


def metric_columns(items: list[tuple[dict, list[tuple[Metric, MetricDef]]]]) -> dict[str, list]:
    """Columns of the metrics rows of a batch: the report's identity columns, the metric, the catalog unit."""
    reps = [rep for rep, found in items for _ in found]
    pairs = [p for _, found in items for p in found]
    cols: dict[str, list] = {k: [rep[k] for rep in reps] for k in REPORT_ID_COLUMNS}
    cols.update(attribute_columns([m for m, _ in pairs], METRIC_COLUMNS))
    cols["unit"] = [d.unit for _, d in pairs]
    cols["harmonized_id"] = [d.harmonized_id for _, d in pairs]
    return cols


def run_core_metrics(out: OutputLayout, partition: str) -> StageResult:
    """Metrics from cells, narrative and derived totals; choice checks go to a side file."""
    inputs = ["raw_reports", "core_reports", "core_sections", "core_table_cells"]
    target, fp, reuse = _reuse_or_build("core_metrics", out, partition, inputs)
    if reuse:
        return StageResult("core_metrics", partition, table_doc_rows(target), True)
    n = 0
    paths = [out.stage_file(a, partition) for a in inputs]
    columns = [RAW_TEXT_COLUMNS, None, ["report_id", *SECTION_FIELDS], ["report_id", *CELL_FIELDS]]
    with (
        BatchWriter(target, _schema("core_metrics"), fp) as w,
        SideChecks(out, "core_metrics", partition, fp) as side,
    ):
        for b, (raw, reps, secs, cells) in aligned_batches(paths[0], paths[1:], columns):
            sec_by = records_by_report(secs, Section, SECTION_FIELDS)
            cell_by = records_by_report(cells, Cell, CELL_FIELDS)
            items: list[tuple[dict, list[tuple[Metric, MetricDef]]]] = []
            for r, rep in _ok_reports(raw, reps):
                rid = r["report_id"]
                secs_of, cells_of = sec_by.get(rid, []), cell_by.get(rid, [])
                args = (r["text"], rep, secs_of, cells_of, side.rows)
                found = _guarded("metrics", rid, side.rows, report_metrics, *args)
                items.append((rep, found))
            rows = sum(len(f) for _, f in items)
            n += rows
            w.write_columns(metric_columns(items), rows, batch_no=b)
            side.flush(b)
    return StageResult("core_metrics", partition, n, False, {"metrics": n})


# ----------------------------------------------------------------------------------------------------
# core_identity_checks

SIDE_CHECK_ASSETS = ("core_sections", "core_table_cells", "core_metrics")


def identity_rows(report_id: str, metrics: list[Metric], layout: str | None) -> list[dict]:
    """Check rows of every identity rule that applies to one report."""
    return _check_rows(report_id, evaluate_report(metrics, layout))


def _side_by_report(tables: list[pa.Table]) -> dict[str, list[dict]]:
    """One batch's parse checks of the earlier stages, by report (in stage order, then file order)."""
    side_by: dict[str, list[dict]] = {}
    for t in tables:
        for r in _without_batch_no(t).to_pylist():
            side_by.setdefault(r["report_id"], []).append(r)
    return side_by


def run_core_identity_checks(out: OutputLayout, partition: str) -> StageResult:
    """Every identity rule per report, plus the parse checks of the earlier stages."""
    inputs = ["core_reports", "core_metrics"]
    target, fp, reuse = _reuse_or_build(
        "core_identity_checks", out, partition, inputs + ["core_sections", "core_table_cells"]
    )
    if reuse:
        return StageResult("core_identity_checks", partition, table_doc_rows(target), True)
    side_paths = [out.stage_file(a, partition, "checks") for a in SIDE_CHECK_ASSETS]
    paths = [out.stage_file(a, partition) for a in inputs] + side_paths
    columns = [REPORT_KEY_COLUMNS, ["report_id", *METRIC_FIELDS]] + [None] * len(side_paths)
    n = fails = 0
    with BatchWriter(target, _schema("core_identity_checks"), fp) as w:
        for b, (reps, mets, *sides) in aligned_batches(paths[0], paths[1:], columns):
            met_by, side_by = records_by_report(mets, Metric, METRIC_FIELDS), _side_by_report(sides)
            rows: list[dict] = []
            for rep in reps.to_pylist():
                if rep["status"] != "ok":
                    continue
                rid = rep["report_id"]
                rows += side_by.get(rid, [])
                rows += _guarded(
                    "identities", rid, rows, identity_rows, rid, met_by.get(rid, []), rep["layout"]
                )
            n += len(rows)
            fails += sum(r["status"] in ("fail", "ambiguous") for r in rows)
            w.write_rows(rows, batch_no=b)
    return StageResult("core_identity_checks", partition, n, False, {"checks": n, "issues": fails})


PARTITION_STAGES = [
    "raw_reports",
    "core_reports",
    "core_sections",
    "core_table_cells",
    "core_metrics",
    "core_identity_checks",
]
