"""The product as a user meets it: one CLI build of data/raw, then SQL on DuckDB and pandas on Parquet."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from pipeline.ingest import list_input_files
from tests.conftest import RAW, run_build

CONTRACT_METRICS = [
    "source_file",
    "report_id",
    "agency_name",
    "report_year",
    "layout",
    "metric_id",
    "value",
    "unit",
    "qualifier",
    "harmonized_id",
    "evidence",
]
CONTRACT_REPORTS = [
    "source_file",
    "report_id",
    "agency_name",
    "report_year",
    "layout",
    "status",
    "status_reason",
]
TABLES = [
    "reports",
    "sections",
    "table_cells",
    "metrics",
    "identity_checks",
    "validation_issues",
    "metric_catalog",
    "agencies",
    "report_texts",
]


def test_every_table_is_published_as_parquet_and_in_duckdb(built: Path) -> None:
    con = duckdb.connect(str(built / "warehouse.duckdb"), read_only=True)
    in_db = {r[0] for r in con.sql("SELECT table_name FROM duckdb_tables()").fetchall()}
    for t in TABLES:
        assert (built / "parquet" / t / f"{t}.parquet").is_file(), t
        assert t in in_db, t
        n_db = con.sql(f"SELECT count(*) FROM {t}").fetchall()[0][0]
        assert n_db == pq.ParquetFile(built / "parquet" / t / f"{t}.parquet").metadata.num_rows, t


def test_contract_columns_and_types(built: Path) -> None:
    metrics = pd.read_parquet(built / "parquet" / "metrics")
    reports = pd.read_parquet(built / "parquet" / "reports")
    assert set(CONTRACT_METRICS) <= set(metrics.columns)
    assert set(CONTRACT_REPORTS) <= set(reports.columns)
    assert str(metrics["value"].dtype) == "float64"
    assert str(reports["report_year"].dtype) == "Int16"
    for df in (metrics, reports):
        assert not any(isinstance(dt, pd.CategoricalDtype) for dt in df.dtypes)
    hive = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{built}/parquet/metrics/**/*.parquet', hive_partitioning=true)"
    ).fetchall()[0][0]
    assert hive == len(metrics)


def test_every_input_file_is_in_reports(built: Path) -> None:
    reports = pd.read_parquet(built / "parquet" / "reports")
    assert sorted(reports["source_file"]) == sorted(list_input_files(RAW))
    assert reports["status"].isin(["ok", "quarantined", "duplicate"]).all()
    assert reports.loc[reports["status"] != "ok", "status_reason"].notna().all()


def test_every_metric_is_traceable_to_verbatim_evidence(built: Path) -> None:
    con = duckdb.connect(str(built / "warehouse.duckdb"), read_only=True)
    rows = con.sql(
        "SELECT m.source_file, m.metric_id, m.evidence, m.char_start, m.char_end, t.text, r.encoding "
        "FROM metrics m JOIN report_texts t USING (report_id) JOIN reports r USING (report_id)"
    ).fetchall()
    for source_file, metric_id, evidence, start, end, text, _enc in rows:
        assert text[start:end] == evidence, (source_file, metric_id)
        assert evidence.strip(), (source_file, metric_id)


def test_published_metrics_are_unique_per_agency_year_metric(built: Path) -> None:
    con = duckdb.connect(str(built / "warehouse.duckdb"), read_only=True)
    dups = con.sql(
        "SELECT agency_id, report_year, metric_id, count(*) FROM metrics WHERE agency_id IS NOT NULL "
        "GROUP BY ALL HAVING count(*) > 1"
    ).fetchall()
    assert dups == []


def test_tables_and_columns_carry_comments(built: Path) -> None:
    con = duckdb.connect(str(built / "warehouse.duckdb"), read_only=True)
    tables = {
        r[0] for r in con.sql("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
    }
    assert set(TABLES) <= tables
    missing = con.sql(
        "SELECT c.table_name, c.column_name FROM duckdb_columns() c "
        "JOIN duckdb_tables() t USING (database_name, schema_name, table_name) "
        "WHERE t.schema_name = 'main' AND NOT t.internal AND (c.comment IS NULL OR c.comment = '')"
    ).fetchall()
    assert missing == []
    no_comment = "SELECT count(*) FROM {} WHERE schema_name = 'main' AND NOT internal AND (comment IS NULL OR comment = '')"
    assert con.sql(no_comment.format("duckdb_tables()")).fetchall()[0][0] == 0
    assert con.sql(no_comment.format("duckdb_views()")).fetchall()[0][0] == 0


def _digests(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((out / "parquet").rglob("*.parquet"))
    }


def test_rerun_yields_byte_identical_parquet(built: Path, tmp_path: Path) -> None:
    before = _digests(built)
    proc = run_build(RAW, built)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert _digests(built) == before
    fresh = tmp_path / "fresh"
    proc = run_build(RAW, fresh)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert _digests(fresh) == before
