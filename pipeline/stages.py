"""Partition stage runners: read a partition's inputs batch by batch, call the per-report parsers, write.

Plain Python (the Dagster assets in ``assets/`` only call these). ``run_raw_reports`` reads and decodes
the files of one partition (a hash bucket of input files); ``run_core`` then passes every report of the
partition through all parsers in one pass (metadata → sections → table cells → metrics → identity
checks) and writes the five core files batch by batch, atomically. A runner whose input fingerprint
(content hashes of the inputs + the code version) matches its existing output reuses it. One report's
failure never stops the others: it is caught and recorded as a PARSE-ERROR check.
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
from typing import TypeVar

import numpy as np
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
    INTERMEDIATE_PARQUET_OPTIONS,
    BatchWriter,
    OutputLayout,
    aligned_batches,
    read_fingerprint,
    with_batch_no,
)
from pipeline.tables import parse_tables
from pipeline.validate import evaluate_report

log = logging.getLogger("pipeline")
R = TypeVar("R", "StageResult", "CoreResult")
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


@contextmanager
def manual_gc() -> Iterator[None]:
    """No automatic cyclic collection inside the block; the caller collects at safe points.

    The core pass allocates thousands of tracked objects per report and frees nearly all of them by
    reference counting, yet automatic collections keep walking the young ones, even with the raised
    threshold of ``frozen_heap``. Instead ``run_core`` calls ``gc.collect(0)`` after each batch is
    written (with automatic collection off, everything allocated since the previous batch is in the
    youngest generation, so this frees the batch's cycles without re-walking the caches that survived
    earlier batches) and one full ``gc.collect()`` at the end. On the same 1,222 reports (Dagster
    imported, as in a worker; old and new alternating three times) this cost 5.46–5.89 s of CPU against
    5.74–6.06 s, and peaked ~30 MB lower.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def timed(fn: Callable[..., R], *args: object, **kwargs: object) -> R:
    """Run a stage runner (under ``frozen_heap``) and record its wall-clock seconds on the result."""
    t0 = time.perf_counter()
    with frozen_heap():
        res = fn(*args, **kwargs)
    res.seconds = time.perf_counter() - t0
    return res


@cache
def _schema(name: str) -> pa.Schema:
    return with_batch_no(table_doc(name).arrow_schema())


CHECK_FIELDS = ("rule_id", "scope", "strength", "status", "severity", "lhs", "rhs", "diff", "message")


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


def _guarded(stage: str, report_id: str, errors: list[Check], fn: Callable[..., list], *args: object) -> list:
    """Run ``fn(*args)`` for one report; on an exception record a PARSE-ERROR check and return []."""
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - one bad report must not stop the batch
        log.warning("%s: report %s failed: %s", stage, report_id, exc)
        errors.append(_parse_error(stage, exc))
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
    w = BatchWriter(target, _schema("raw_reports"), options=INTERMEDIATE_PARQUET_OPTIONS)
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


# ----------------------------------------------------------------------------------------------------
# core: one pass per report (metadata → sections → table cells → metrics → identity checks).
#
# The five core assets are written together from one read of the raw texts: every report goes through
# all parsers while its text (and the cached normalised views of it) is at hand, and the records pass
# from parser to parser without a round trip through Parquet. Each parser is guarded on its own, so a
# bug in one of them costs that report that output only (a PARSE-ERROR check says which).

CORE_ASSETS = ("core_reports", "core_sections", "core_table_cells", "core_metrics", "core_identity_checks")
CORE_STEPS = ("read", "describe", "segment", "tables", "metrics", "identities", "write")
META_COLUMNS = tuple(f.name for f in fields(ReportMeta) if f.name not in ("is_report", "not_report_reason"))
RAW_COLUMNS = ["report_id", "source_file", "sha256", "n_bytes", "encoding", "text", "status", "status_reason"]


def _record_fields(cls: type, omit: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Field names of a record type, in positional order (omitted fields must be trailing defaults)."""
    names = tuple(f.name for f in fields(cls))
    kept = tuple(n for n in names if n not in omit)
    assert names[: len(kept)] == kept, f"{cls.__name__}: omitted fields must come last"
    return kept


SECTION_FIELDS = _record_fields(Section)
CELL_FIELDS = _record_fields(Cell, ("unit_printed",))
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


def attribute_columns(records: Sequence[object], names: tuple[str, ...]) -> dict[str, list]:
    """``{name: [getattr(r, name) for r in records]}`` for several names (one C-level getter per column)."""
    return {n: list(map(attrgetter(n), records)) for n in names}


def table_doc_rows(path: Path) -> int:
    """Row count of an intermediate file."""
    return pq.ParquetFile(path).metadata.num_rows


def describe_document(row: dict, parser_ver: str) -> tuple[dict, ReportMeta]:
    """One reports row from one raw_reports row (screening + metadata), and the metadata record."""
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
    return base, meta


def describe_guarded(row: dict, parser_ver: str) -> tuple[dict, ReportMeta]:
    """``describe_document``; a metadata bug quarantines the file with the error as reason (never lost)."""
    try:
        return describe_document(row, parser_ver)
    except Exception as exc:  # noqa: BLE001 - a metadata bug must not lose the file
        log.warning("core_reports: %s failed: %s", row["source_file"], exc)
        reason = f"metadata parser error: {type(exc).__name__}: {exc}"
        return describe_document({**row, "status": "quarantined", "status_reason": reason}, parser_ver)


def table_cells_of(text: str, layout: str | None, checks_out: list[Check]) -> list[Cell]:
    """Cells of one report, first of each (table, row, column) kept; parse checks go to ``checks_out``."""
    parsed = parse_tables(text, layout)
    checks_out.extend(parsed.checks)
    seen: set[tuple] = set()
    kept = []
    for c in parsed.cells:
        k = (c.table_id, c.row_no, c.col_no)
        if k not in seen:
            seen.add(k)
            kept.append(c)
    return kept


def report_metrics(
    text: str,
    meta: ReportMeta,
    sections: list[Section],
    cells: list[Cell],
    checks_out: list[Check],
) -> list[tuple[Metric, MetricDef]]:
    """Metrics of one report with their catalog entries; choice checks go to ``checks_out``."""
    ex = extract_metrics(text, meta, sections, cells)
    checks_out.extend(ex.checks)
    cat = catalog()
    return [(m, cat[m.metric_id]) for m in ex.metrics]


@dataclass(slots=True)
class ParsedReport:
    """Everything one report yields: its reports row, sections, cells, metrics and checks."""

    report: dict
    text: str = ""
    sections: list[Section] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    metrics: list[tuple[Metric, MetricDef]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)


class StepClock:
    """CPU seconds spent in each step of the core pass (for the progress line and the benchmark)."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(CORE_STEPS, 0.0)
        self._t = time.process_time()

    def lap(self, step: str) -> None:
        """Charge the time since the previous lap to ``step``."""
        now = time.process_time()
        self.seconds[step] += now - self._t
        self._t = now


def parse_report(raw: dict, parser_ver: str, clock: StepClock) -> ParsedReport:
    """Run every parser on one raw_reports row; each parser's failure is a PARSE-ERROR check, not a loss.

    The checks come in pipeline order: segmentation, tables and metric choice, then the identity rules.
    """
    rep, meta = describe_guarded(raw, parser_ver)
    clock.lap("describe")
    text = raw["text"]
    if rep["status"] != "ok" or text is None:
        return ParsedReport(rep)
    rid, layout = rep["report_id"], rep["layout"]
    checks: list[Check] = []
    sections = _guarded("segment", rid, checks, segment, text, layout)
    clock.lap("segment")
    cells = _guarded("tables", rid, checks, table_cells_of, text, layout, checks)
    clock.lap("tables")
    found = _guarded("metrics", rid, checks, report_metrics, text, meta, sections, cells, checks)
    clock.lap("metrics")
    checks += _guarded("identities", rid, checks, evaluate_report, [m for m, _ in found], layout)
    clock.lap("identities")
    return ParsedReport(rep, text, sections, cells, found, checks)


def report_columns(
    parsed: list[ParsedReport], counts: Sequence[int], names: Sequence[str], schema: pa.Schema
) -> dict[str, pa.Array]:
    """Columns of the reports row repeated on each of a report's ``counts[i]`` rows.

    Built once per report and repeated by index (``take``): converting the same Python value once per row
    cost more than the rest of the columns.
    """
    rows = np.repeat(np.arange(len(parsed), dtype=np.int32), counts)
    return {k: pa.array([p.report[k] for p in parsed], type=schema.field(k).type).take(rows) for k in names}


def section_columns(parsed: list[ParsedReport]) -> tuple[dict[str, list | pa.Array], int]:
    """Columns of the sections rows of a batch (each section with its text), and their number."""
    sections = [s for p in parsed for s in p.sections]
    cols = report_columns(parsed, [len(p.sections) for p in parsed], ("report_id",), _schema("core_sections"))
    cols.update(attribute_columns(sections, SECTION_FIELDS))
    cols["text"] = [p.text[s.char_start : s.char_end] for p in parsed for s in p.sections]
    return cols, len(sections)


def cell_columns(parsed: list[ParsedReport]) -> tuple[dict[str, list | pa.Array], int]:
    """Columns of the table_cells rows of a batch, and their number."""
    cells = [c for p in parsed for c in p.cells]
    cols = report_columns(parsed, [len(p.cells) for p in parsed], ("report_id",), _schema("core_table_cells"))
    cols.update(attribute_columns(cells, CELL_FIELDS))
    return cols, len(cells)


def metric_columns(parsed: list[ParsedReport]) -> tuple[dict[str, list | pa.Array], int]:
    """Columns of the metrics rows of a batch (report identity, metric, catalog unit), and their number."""
    counts = [len(p.metrics) for p in parsed]
    cols = report_columns(parsed, counts, REPORT_ID_COLUMNS, _schema("core_metrics"))
    metrics = [m for p in parsed for m, _ in p.metrics]
    defs = [d for p in parsed for _, d in p.metrics]
    cols.update(attribute_columns(metrics, METRIC_COLUMNS))
    cols["unit"] = [d.unit for d in defs]
    cols["harmonized_id"] = [d.harmonized_id for d in defs]
    return cols, len(metrics)


def check_columns(parsed: list[ParsedReport]) -> tuple[dict[str, list | pa.Array], int]:
    """Columns of the identity_checks rows of a batch (parse, choice and identity-rule checks), and their number."""
    checks = [c for p in parsed for c in p.checks]
    cols = report_columns(
        parsed, [len(p.checks) for p in parsed], ("report_id",), _schema("core_identity_checks")
    )
    cols.update(attribute_columns(checks, CHECK_FIELDS))
    cols["metric_ids"] = [";".join(c.metric_ids) if c.metric_ids else None for c in checks]
    return cols, len(checks)


class CoreWriters:
    """The five core files of one partition, written batch by batch and committed together."""

    def __init__(self, out: OutputLayout, partition: str, fp: str):
        self.writers: dict[str, BatchWriter] = {}
        try:
            for asset in CORE_ASSETS:
                self.writers[asset] = BatchWriter(
                    out.stage_file(asset, partition), _schema(asset), fp, options=INTERMEDIATE_PARQUET_OPTIONS
                )
        except BaseException:
            self.abort()
            raise

    def write(self, batch_no: int, parsed: list[ParsedReport]) -> None:
        """Write one batch of parsed reports to every file."""
        w = self.writers
        w["core_reports"].write_rows([p.report for p in parsed], batch_no=batch_no)
        w["core_sections"].write_columns(*section_columns(parsed), batch_no=batch_no)
        w["core_table_cells"].write_columns(*cell_columns(parsed), batch_no=batch_no)
        w["core_metrics"].write_columns(*metric_columns(parsed), batch_no=batch_no)
        w["core_identity_checks"].write_columns(*check_columns(parsed), batch_no=batch_no)

    def commit(self) -> dict[str, int]:
        """Publish every file (each atomically); rows written per asset."""
        return {asset: w.commit() for asset, w in self.writers.items()}

    def abort(self) -> None:
        """Drop every temp file."""
        for w in self.writers.values():
            w.abort()


def core_fingerprint(out: OutputLayout, partition: str) -> str:
    """Input fingerprint of the core files of a partition: its raw_reports file and the code version."""
    return fingerprint("core", code_version(), read_fingerprint(out.stage_file("raw_reports", partition)))


def core_results(
    partition: str, rows: dict[str, int], reused: bool, stats: dict[str, int]
) -> list[StageResult]:
    """One StageResult per core asset."""
    return [
        StageResult(a, partition, rows[a], reused, stats if a == "core_reports" else {}) for a in CORE_ASSETS
    ]


@dataclass
class CoreResult:
    """What the core pass did on one partition: per asset, and the CPU seconds of each step."""

    partition: str
    assets: list[StageResult]
    steps: dict[str, float] = field(default_factory=dict)
    seconds: float | None = None

    @property
    def reused(self) -> bool:
        """True when the existing files were kept (unchanged inputs and code)."""
        return all(r.reused for r in self.assets)

    def describe(self) -> str:
        """One progress line (parsed by ``benchmarks.measure``)."""
        rows = sum(r.rows for r in self.assets)
        how = "unchanged, reused" if self.reused else "built"
        parts = [f"{r.asset.removeprefix('core_')} {r.rows}" for r in self.assets]
        steps = " ".join(f"step {k} {v:.2f}s" for k, v in self.steps.items())
        took = f" in {self.seconds:.2f}s" if self.seconds is not None else ""
        return f"core[{self.partition}]: {rows} rows ({how}; {', '.join(parts)}{'; ' + steps if steps else ''}){took}"


def run_core(out: OutputLayout, partition: str) -> CoreResult:
    """The five core files of one partition from its raw_reports file, in one pass per batch.

    Reuses the existing files when all five carry the current input fingerprint.
    """
    fp = core_fingerprint(out, partition)
    targets = {a: out.stage_file(a, partition) for a in CORE_ASSETS}
    if all(read_fingerprint(t) == fp for t in targets.values()):
        rows = {a: table_doc_rows(t) for a, t in targets.items()}
        return CoreResult(partition, core_results(partition, rows, True, {}))
    pv = parser_version()
    clock = StepClock()
    writers = CoreWriters(out, partition, fp)
    n = not_parsed = 0
    try:
        with manual_gc():
            for b, (raw,) in aligned_batches(out.stage_file("raw_reports", partition), [], [RAW_COLUMNS]):
                rows_in = raw.to_pylist()
                clock.lap("read")
                parsed = [parse_report(r, pv, clock) for r in rows_in]
                n += len(parsed)
                not_parsed += sum(p.report["status"] != "ok" for p in parsed)
                writers.write(b, parsed)
                del parsed, rows_in
                gc.collect(0)  # everything allocated since the last batch is in the youngest generation
                clock.lap("write")
            gc.collect()
        rows = writers.commit()
    except BaseException:
        writers.abort()
        raise
    stats = {"reports": n, "not parsed": not_parsed}
    return CoreResult(partition, core_results(partition, rows, False, stats), dict(clock.seconds))
