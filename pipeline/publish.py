"""Publishing: from all partitions' intermediate files to the Parquet tables and the DuckDB warehouse.

Three steps, each atomic per file:
1. ``stage_*`` functions combine every partition with DuckDB (out-of-core, bounded memory), resolve
   duplicates, and write one sorted Parquet file per table into ``<out>/_staging/`` with an explicit
   Arrow schema (field descriptions included) and the data dictionary in the key-value metadata.
2. The staged files are validated (Dagster blocking asset checks, see ``pipeline.checks``).
3. ``commit`` builds the DuckDB file from the staged files into a temp file, then renames every staged
   Parquet file over its published path and the DuckDB file over ``warehouse.duckdb``. Readers see the
   old or the new version of each file, never a partial one; a failed or killed build leaves the
   previous outputs untouched.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from pipeline import catalog as catalog_mod
from pipeline import config
from pipeline.dictionary import (
    all_tables,
    duckdb_comments,
    markdown,
    parquet_kv_metadata,
    table_doc,
    view_comments,
)
from pipeline.metadata.duplicates import duplicate_of
from pipeline.storage import (
    BatchWriter,
    OutputLayout,
    atomic_replace,
    atomic_write_text,
    prefetched,
    temp_path_for,
)
from pipeline.validate.cross_year import cross_year_sql
from pipeline.warehouse_sql import VIEWS

log = logging.getLogger("pipeline")


ROW_GROUP_ROWS = 131_072


def duckdb_settings() -> dict[str, object]:
    """DuckDB settings of the publishing connections (memory and threads from ``pipeline.config``)."""
    return {
        "memory_limit": config.duckdb_memory_limit(),
        "threads": config.duckdb_threads(),
        "preserve_insertion_order": True,
    }


SORT_KEYS: dict[str, str] = {
    "reports": "source_file",
    "sections": "report_id, section_no",
    "table_cells": "report_id, table_id, row_no, col_no",
    "metrics": "report_year NULLS LAST, agency_name NULLS LAST, metric_id, report_id",
    "identity_checks": "report_id, rule_id, scope NULLS FIRST, metric_ids NULLS FIRST, status",
    "validation_issues": "report_year NULLS LAST, agency_name NULLS LAST, report_id, rule_id, scope NULLS FIRST, metric_ids NULLS FIRST",
    "metric_catalog": "metric_id",
    "agencies": "agency_id",
    "report_texts": "report_id",
}


def connect(out: OutputLayout | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with bounded memory (spills under the out dir when needed)."""
    con = duckdb.connect()
    for k, v in duckdb_settings().items():
        con.execute(
            f"SET {k} = '{v}'"
            if isinstance(v, str)
            else f"SET {k} = {str(v).lower() if isinstance(v, bool) else v}"
        )
    if out is not None:
        tmp = out.out_dir / "_duckdb_tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        con.execute(f"SET temp_directory = '{tmp.as_posix()}'")
    return con


def _files(out: OutputLayout, asset: str, partitions: Sequence[str]) -> list[str]:
    return [out.stage_file(asset, p).as_posix() for p in partitions if out.stage_file(asset, p).exists()]


def _scan(files: list[str]) -> str:
    """A DuckDB table expression over intermediate files (batch_no dropped)."""
    if not files:
        raise FileNotFoundError("no intermediate files to publish: run the partitioned assets first")
    lst = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    return f"(SELECT * EXCLUDE (batch_no) FROM read_parquet([{lst}], union_by_name = true))"


def write_table(con: duckdb.DuckDBPyConnection, table: str, select_sql: str, path: Path) -> int:
    """Stream ``select_sql`` (sorted) into ``path`` with the table's explicit Arrow schema, atomically."""
    doc = table_doc(table)
    schema = doc.arrow_schema()
    cols = ", ".join(f'"{c.name}"::{c.duckdb_type} AS "{c.name}"' for c in doc.columns)
    sql = f"SELECT {cols} FROM ({select_sql}) ORDER BY {SORT_KEYS[table]}"
    reader = con.sql(sql).to_arrow_reader(ROW_GROUP_ROWS)
    n = 0
    with BatchWriter(path, schema, extra_kv=parquet_kv_metadata(doc)) as w:
        for rb in prefetched(reader):  # DuckDB computes the next batch while this one is compressed
            w.write_table(pa.Table.from_batches([rb]).cast(schema))
            n += rb.num_rows
    return n


# ----------------------------------------------------------------------------------------------------
# Staging each table.


DUPLICATE_COLUMNS = [
    "report_id",
    "source_file",
    "status",
    "sha256",
    "text_sha256",
    "agency_name",
    "report_year",
    "is_partial",
    "n_metrics",
    "n_chars",
]


def _counted(con: duckdb.DuckDBPyConnection, out: OutputLayout, partitions: Sequence[str]) -> None:
    """Temp table ``reps``: the core_reports rows with n_metrics / n_sections filled in (null unless ok)."""
    replace, joins = [], []
    for asset, col, alias in (("core_metrics", "n_metrics", "m"), ("core_sections", "n_sections", "s")):
        files = _files(out, asset, partitions)
        if files:
            joins.append(
                f"LEFT JOIN (SELECT report_id, count(*) AS n FROM {_scan(files)} GROUP BY 1) {alias} USING (report_id)"
            )
            replace.append(f"CASE WHEN r.status = 'ok' THEN coalesce({alias}.n, 0) END::INTEGER AS {col}")
    cols = f"r.* REPLACE ({', '.join(replace)})" if replace else "r.*"
    con.execute(
        f"CREATE TEMP TABLE reps AS SELECT {cols} FROM {_scan(_files(out, 'core_reports', partitions))} r "
        + " ".join(joins)
    )


def _duplicate_candidates(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The ok rows sharing a duplicate key (bytes, text, agency-year) with another ok row.

    Only these can be duplicates: a row unique on all three keys is its own group. Handing just them
    to ``duplicate_of`` keeps pandas memory proportional to the duplicates, not to the corpus.
    """
    blank = "IS NULL OR {c} = ''"
    shared = [
        f"SELECT report_id FROM ok WHERE NOT ({c} {blank.format(c=c)}) "
        f"AND {c} IN (SELECT {c} FROM ok GROUP BY 1 HAVING count(*) > 1)"
        for c in ("sha256", "text_sha256")
    ]
    shared.append(
        "SELECT report_id FROM ok WHERE NOT (agency_name IS NULL OR agency_name = '') AND report_year IS NOT NULL "
        "AND (agency_name, report_year) IN (SELECT (agency_name, report_year) FROM ok GROUP BY ALL HAVING count(*) > 1)"
    )
    sql = f"""
        WITH ok AS (SELECT * FROM reps WHERE status = 'ok')
        SELECT {", ".join(DUPLICATE_COLUMNS)} FROM reps
        WHERE report_id IN ({" UNION ".join(shared)})
        ORDER BY source_file
    """
    return con.sql(sql).df()


def stage_reports(out: OutputLayout, partitions: Sequence[str]) -> int:
    """reports: one row per input file; duplicates resolved; section/metric counts filled in.

    Everything runs in DuckDB except the duplicate grouping, which only sees the candidate rows.
    """
    con = connect(out)
    _counted(con, out, partitions)
    cand = _duplicate_candidates(con)
    dup = duplicate_of(cand.rename(columns={"text_sha256": "text_hash"}))
    pairs = pd.DataFrame({"report_id": cand["report_id"], "dup_of": dup}).dropna(subset=["dup_of"])
    con.register("dups", pairs.astype({"report_id": "str", "dup_of": "str"}))
    sql = """
        SELECT r.* REPLACE (
            coalesce(d.dup_of, r.duplicate_of) AS duplicate_of,
            CASE WHEN d.dup_of IS NULL THEN r.status ELSE 'duplicate' END AS status,
            CASE WHEN d.dup_of IS NULL THEN r.status_reason ELSE 'same report as ' || k.source_file END AS status_reason
        )
        FROM reps r LEFT JOIN dups d USING (report_id) LEFT JOIN reps k ON k.report_id = d.dup_of
    """
    return write_table(con, "reports", sql, out.staged_table("reports"))


def _published_reports(out: OutputLayout) -> str:
    return f"read_parquet('{out.staged_table('reports').as_posix()}')"


def stage_metrics(out: OutputLayout, partitions: Sequence[str]) -> int:
    """metrics: rows of non-duplicate reports only, so (agency, year, metric) is unique."""
    con = connect(out)
    sql = f"""
        SELECT m.* REPLACE (r.agency_id AS agency_id, r.agency_name AS agency_name, r.report_year AS report_year, r.layout AS layout)
        FROM {_scan(_files(out, "core_metrics", partitions))} m
        JOIN {_published_reports(out)} r USING (report_id)
        WHERE r.status = 'ok'
    """
    return write_table(con, "metrics", sql, out.staged_table("metrics"))


def stage_simple(out: OutputLayout, partitions: Sequence[str], table: str, asset: str) -> int:
    """Sections / table_cells / identity_checks: every partition's rows, sorted."""
    con = connect(out)
    return write_table(
        con, table, f"SELECT * FROM {_scan(_files(out, asset, partitions))}", out.staged_table(table)
    )


def stage_identity_checks(out: OutputLayout, partitions: Sequence[str]) -> int:
    """identity_checks: every partition's per-report checks plus the cross-year rules (T3-XYEAR …)."""
    con = connect(out)
    per_report = f"SELECT * FROM {_scan(_files(out, 'core_identity_checks', partitions))}"
    metrics = f"read_parquet('{out.staged_table('metrics').as_posix()}')"
    cross = cross_year_sql(metrics, _published_reports(out))
    sql = f"{per_report} UNION ALL BY NAME ({cross})"
    return write_table(con, "identity_checks", sql, out.staged_table("identity_checks"))


def stage_validation_issues(out: OutputLayout) -> int:
    """validation_issues: failed and ambiguous checks, with the report's file, agency and year."""
    con = connect(out)
    checks = f"read_parquet('{out.staged_table('identity_checks').as_posix()}')"
    sql = f"""
        SELECT c.*, r.source_file, r.agency_name, r.report_year, r.layout, r.status AS report_status
        FROM {checks} c JOIN {_published_reports(out)} r USING (report_id)
        WHERE c.status IN ('fail', 'ambiguous')
    """
    return write_table(con, "validation_issues", sql, out.staged_table("validation_issues"))


def stage_agencies(out: OutputLayout) -> int:
    """agencies: one row per agency id of the non-duplicate reports."""
    con = connect(out)
    sql = f"""
        SELECT agency_id,
               arg_max(agency_name, report_year) AS agency_name,
               arg_max(province, report_year) AS province,
               arg_max(city, report_year) AS city,
               arg_max(county, report_year) AS county,
               arg_max(admin_code, report_year) AS admin_code,
               arg_max(agency_level, report_year) AS agency_level,
               arg_max(agency_type, report_year) AS agency_type,
               min(report_year) AS first_year,
               max(report_year) AS last_year,
               count(*) AS n_reports
        FROM {_published_reports(out)}
        WHERE status = 'ok' AND agency_id IS NOT NULL
        GROUP BY agency_id
    """
    return write_table(con, "agencies", sql, out.staged_table("agencies"))


def stage_metric_catalog(out: OutputLayout) -> int:
    """metric_catalog: spec/catalog.csv plus the documented additions."""
    con = connect(out)
    rows = [
        {
            "metric_id": d.metric_id,
            "label_zh": d.label_zh,
            "label_en": d.label_en,
            "unit": d.unit,
            "layouts": ";".join(d.layouts),
            "table_section": d.table_section or None,
            "row_label": d.row_label or None,
            "col_label": d.col_label or None,
            "harmonized_id": d.harmonized_id,
            "notes": d.notes or None,
            "origin": d.origin,
        }
        for d in catalog_mod.catalog().values()
    ]
    con.register("catalog_df", pd.DataFrame(rows))
    return write_table(con, "metric_catalog", "SELECT * FROM catalog_df", out.staged_table("metric_catalog"))


def stage_report_texts(out: OutputLayout, partitions: Sequence[str]) -> int:
    """report_texts: the decoded text of every parsed (ok or duplicate) report."""
    con = connect(out)
    sql = f"""
        SELECT t.report_id, t.text FROM {_scan(_files(out, "raw_reports", partitions))} t
        JOIN {_published_reports(out)} r USING (report_id)
        WHERE r.status IN ('ok', 'duplicate') AND t.text IS NOT NULL
    """
    return write_table(con, "report_texts", sql, out.staged_table("report_texts"))


# ----------------------------------------------------------------------------------------------------
# Commit: DuckDB file + atomic renames.

PUBLISHED = [t.name for t in all_tables()]


def build_warehouse(out: OutputLayout, db_path: Path) -> None:
    """Create a DuckDB file holding every staged table, the views and the comments."""
    con = duckdb.connect(str(db_path))
    try:
        for k, v in duckdb_settings().items():
            con.execute(
                f"SET {k} = '{v}'"
                if isinstance(v, str)
                else f"SET {k} = {str(v).lower() if isinstance(v, bool) else v}"
            )
        for doc in all_tables():
            staged = out.staged_table(doc.name)
            cols = ", ".join(f'"{c.name}" {c.duckdb_type}' for c in doc.columns)
            con.execute(f"CREATE TABLE {doc.name} ({cols})")
            con.execute(f"INSERT INTO {doc.name} SELECT * FROM read_parquet('{staged.as_posix()}')")
            for stmt in duckdb_comments(doc):
                con.execute(stmt)
        for name, (_comment, sql) in VIEWS.items():
            con.execute(f"CREATE VIEW {name} AS {sql}")
        for stmt in view_comments():
            con.execute(stmt)
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _file_sha256(path: Path) -> str:
    """sha256 of a file, read in chunks (published files can be larger than memory)."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def commit(out: OutputLayout) -> dict[str, str]:
    """Publish the staged tables and a fresh warehouse; returns the sha256 of each published file."""
    missing = [t for t in PUBLISHED if not out.staged_table(t).exists()]
    if missing:
        raise FileNotFoundError(f"staged tables missing: {', '.join(missing)}")
    tmp_db = temp_path_for(out.warehouse)
    try:
        build_warehouse(out, tmp_db)
        digests = {}
        for t in PUBLISHED:
            final = out.published_table(t)
            final.parent.mkdir(parents=True, exist_ok=True)
            digests[t] = _file_sha256(out.staged_table(t))
            atomic_replace(out.staged_table(t), final)
        atomic_replace(tmp_db, out.warehouse)
        atomic_write_text(out.out_dir / "DATA_DICTIONARY.md", markdown())
    finally:
        for p in (tmp_db, tmp_db.with_name(tmp_db.name + ".wal")):
            p.unlink(missing_ok=True)
    return digests
