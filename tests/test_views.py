"""The DuckDB views: their semantics on hand-made rows, their documentation, and docs/researchers.md.

The first half builds a tiny in-memory warehouse (tables from the data dictionary, a few metric rows)
so each rule of a view is pinned down exactly. The second half checks the views of a real build: they
exist, carry comments, have the documented columns and agree with the tables they summarise. Last,
every SQL and Python example of docs/researchers.md is run against the real build.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline import catalog, dictionary
from pipeline.warehouse_sql import (
    APPLICANT_COLUMNS,
    VIEWS,
    concept_units,
    expected_metric_ids,
    is_derived,
    table3_rows,
    view_columns,
    wide_column,
    wide_metric_ids,
)
from tests.conftest import REPO

RESEARCHERS_MD = REPO / "docs" / "researchers.md"


# ----------------------------------------------------------------------------------------------------
# Catalog-derived lists.


def test_expected_cells_match_the_national_templates() -> None:
    def by_table(layout: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for m in expected_metric_ids(layout):
            key = catalog.catalog()[m].table_section[:3]
            out[key] = out.get(key, 0) + 1
        return out

    # std2021: 表二 10 cells, 表三 25 rows × 7 columns, 表四 15 cells (formats.md).
    assert by_table("std2021") == {"表二 ": 10, "表三 ": 175, "表四 ": 15}
    # std2019: 表二 22 cells (without the local 湖北 rows), 表三 23 rows × 7, 表四 15.
    assert by_table("std2019") == {"表二 ": 22, "表三 ": 161, "表四 ": 15}
    assert expected_metric_ids("freeform") == ()
    assert all(m.startswith("stat.") for m in expected_metric_ids("stat2014"))


@pytest.mark.parametrize(
    ("notes", "layout", "derived"),
    [
        (
            "column not printed in national template (derived = sum of 5 org columns; printed in some local '8-column' tables)",
            "std2021",
            True,
        ),
        ("printed row in std2019; derived (sum of 3 sub-rows) in std2021", "std2019", False),
        ("printed row in std2019; derived (sum of 3 sub-rows) in std2021", "std2021", True),
        ("derived = litigation.direct.total + litigation.after_review.total (not printed)", "std2019", True),
        ("unit NOT printed; cells like '210.8万' (seed 004); parse suffix", "std2019", False),
        ("", "std2021", False),
    ],
)
def test_is_derived_reads_the_catalog_notes(notes: str, layout: str, derived: bool) -> None:
    assert is_derived(notes, layout) is derived


def test_every_concept_has_one_unit_and_fees_are_yuan() -> None:
    units = concept_units()
    assert units["fees_collected"] == "元"
    harmonised = {d.harmonized_id for d in catalog.catalog().values() if d.harmonized_id}
    assert set(units) == harmonised


def test_wide_column_names_are_unique_identifiers() -> None:
    names = [wide_column(i) for i in wide_metric_ids()]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z_][a-z0-9_]*", n) for n in names)
    assert "app_new_total" in names and "review_total" in names


# ----------------------------------------------------------------------------------------------------
# Semantics on a hand-made warehouse.

R_STD = "aaaaaaaaaaaaaaaa"
R_STAT = "bbbbbbbbbbbbbbbb"
R_FREE = "cccccccccccccccc"


def _metric(report_id: str, metric_id: str, value: float, method: str, **kw: object) -> dict:
    d = catalog.catalog()[metric_id]
    row = {
        "source_file": f"x/{report_id}.txt",
        "report_id": report_id,
        "metric_id": metric_id,
        "value": value,
        "unit": d.unit,
        "qualifier": "exact",
        "method": method,
        "harmonized_id": d.harmonized_id,
        "evidence": str(value),
        "char_start": 0,
        "char_end": 1,
        "confidence": 1.0,
    }
    row.update(kw)
    return row


@pytest.fixture()
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    for doc in dictionary.all_tables():
        cols = ", ".join(f'"{x.name}" {x.duckdb_type}' for x in doc.columns)
        c.execute(f"CREATE TABLE {doc.name} ({cols})")
    reports = pd.DataFrame(
        [
            {
                "report_id": R_STD,
                "source_file": "x/std.txt",
                "status": "ok",
                "layout": "std2021",
                "agency_id": "a1",
                "agency_name": "甲局",
                "report_year": 2022,
            },
            {
                "report_id": R_STAT,
                "source_file": "x/stat.txt",
                "status": "ok",
                "layout": "stat2014",
                "agency_id": "a1",
                "agency_name": "甲局",
                "report_year": 2015,
            },
            {
                "report_id": R_FREE,
                "source_file": "x/free.txt",
                "status": "ok",
                "layout": "freeform",
                "agency_id": "a1",
                "agency_name": "甲局",
                "report_year": 2010,
            },
        ]
    )
    metrics = pd.DataFrame(
        [
            _metric(R_STD, "app.new.total", 12, "table"),
            _metric(R_STD, "narr.app.received", 11, "narrative", qualifier="approx"),
            *[
                _metric(R_STD, f"app.new.{c}", i, "table")
                for i, c in enumerate(APPLICANT_COLUMNS)
                if c not in ("total", "legal_total")
            ],
            _metric(R_STD, "app.new.legal_total", 15, "derived"),
            _metric(R_STD, "other.info_fee.collected", 30, "narrative"),
            _metric(R_STD, "review.total", 2, "table"),
            _metric(R_STAT, "stat.fees.collected", 1.5, "table"),
            _metric(R_STAT, "stat.app.received", 7, "table"),
            _metric(R_FREE, "narr.fees.collected", 200, "narrative"),
            _metric(R_FREE, "narr.review.count", 0, "zero_statement", qualifier="zero_statement"),
        ]
    ).merge(reports[["report_id", "agency_id", "agency_name", "report_year", "layout"]], on="report_id")
    checks = pd.DataFrame(
        [
            {
                "report_id": R_STD,
                "rule_id": "T3-BAL",
                "strength": "hard",
                "status": "pass",
                "severity": "error",
            },
            {
                "report_id": R_STD,
                "rule_id": "T3-BAL",
                "strength": "hard",
                "status": "fail",
                "severity": "error",
            },
            {
                "report_id": R_STD,
                "rule_id": "T4-REV",
                "strength": "hard",
                "status": "not_assessable",
                "severity": "error",
            },
            {
                "report_id": R_FREE,
                "rule_id": "F-CONSULT",
                "strength": "soft",
                "status": "ambiguous",
                "severity": "warning",
            },
        ]
    )
    for name, df in (("reports", reports), ("metrics", metrics), ("identity_checks", checks)):
        c.register("df", df)
        c.execute(f"INSERT INTO {name} BY NAME SELECT * FROM df")
        c.unregister("df")
    for name, (_comment, sql) in VIEWS.items():
        c.execute(f"CREATE VIEW {name} AS {sql}")
    return c


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> dict:
    rows = con.sql(sql).df().to_dict("records")
    assert len(rows) == 1, rows
    return rows[0]


def test_harmonized_series_prefers_the_table_value(con: duckdb.DuckDBPyConnection) -> None:
    row = _one(
        con,
        f"SELECT * FROM harmonized_series WHERE report_id = '{R_STD}' AND harmonized_id = 'requests_received_total'",
    )
    assert (row["value"], row["metric_id"], row["method"], row["qualifier"]) == (
        12,
        "app.new.total",
        "table",
        "exact",
    )
    assert row["n_candidates"] == 2
    assert row["candidate_metric_ids"] == "app.new.total;narr.app.received"


def test_harmonized_series_converts_fees_to_yuan(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.sql(
        "SELECT report_year, value, unit, source_value, source_unit FROM harmonized_series "
        "WHERE harmonized_id = 'fees_collected' ORDER BY report_year"
    ).fetchall()
    assert rows == [
        (2010, 200.0, "元", 200.0, "元"),
        (2015, 15000.0, "元", 1.5, "万元"),
        (2022, 30.0, "元", 30.0, "元"),
    ]


def test_harmonized_series_keeps_zero_statements(con: duckdb.DuckDBPyConnection) -> None:
    row = _one(
        con,
        f"SELECT * FROM harmonized_series WHERE report_id = '{R_FREE}' AND harmonized_id = 'admin_review_total'",
    )
    assert (row["value"], row["qualifier"], row["metric_id"]) == (0, "zero_statement", "narr.review.count")


def test_std_table3_wide_shows_the_template_rows(con: duckdb.DuckDBPyConnection) -> None:
    df = con.sql("SELECT * FROM std_table3_wide ORDER BY row_no").df()
    std2021_rows = [r for r in table3_rows() if "std2021" in r[2].split(";")]
    assert list(df["row_id"]) == [r[0] for r in std2021_rows]
    first = df.iloc[0]
    assert first["row_id"] == "app.new" and first["row_label"].startswith("一、本年新收")
    assert [first[c] for c in APPLICANT_COLUMNS] == [0, 1, 2, 3, 4, 5, 15, 12]
    assert first["n_values"] == 8 and bool(first["has_derived"])
    assert df.iloc[1:]["n_values"].eq(0).all()


def test_std_tables_wide_one_row_per_std_report(con: duckdb.DuckDBPyConnection) -> None:
    row = _one(con, "SELECT * FROM std_tables_wide")
    assert row["report_id"] == R_STD
    assert (row["app_new_total"], row["review_total"], row["n_values"]) == (12, 2, 2)
    assert pd.isna(row["app_result_granted_total"])


def test_report_completeness_counts_expected_cells(con: duckdb.DuckDBPyConnection) -> None:
    rows = {r["report_id"]: r for r in con.sql("SELECT * FROM report_completeness").df().to_dict("records")}
    std = rows[R_STD]
    # 6 printed applicant cells + 总计 of 本年新收 + review.total; legal_total is derived, not expected.
    assert (std["n_expected"], std["n_found"]) == (200, 8)
    assert std["share_found"] == pytest.approx(8 / 200)
    assert (rows[R_STAT]["n_expected"], rows[R_STAT]["n_found"]) == (len(expected_metric_ids("stat2014")), 2)
    assert rows[R_FREE]["n_expected"] == 0 and pd.isna(rows[R_FREE]["share_found"])


def test_issue_views_count_by_status(con: duckdb.DuckDBPyConnection) -> None:
    std = _one(con, f"SELECT * FROM report_issue_summary WHERE report_id = '{R_STD}'")
    assert (std["n_checks"], std["n_pass"], std["n_fail"], std["n_not_assessable"]) == (3, 1, 1, 1)
    assert std["pass_rate"] == pytest.approx(0.5) and std["failed_rules"] == "T3-BAL"
    rate = _one(con, "SELECT * FROM rule_pass_rates WHERE rule_id = 'T3-BAL'")
    assert (rate["layout"], rate["n_reports"], rate["n_pass"], rate["n_fail"]) == ("std2021", 1, 1, 1)
    free = _one(con, "SELECT * FROM rule_pass_rates WHERE rule_id = 'F-CONSULT'")
    assert free["pass_rate"] == 0 and free["n_ambiguous"] == 1


def test_documented_columns_are_the_view_columns(con: duckdb.DuckDBPyConnection) -> None:
    for name in VIEWS:
        cols = [r[0] for r in con.sql(f"DESCRIBE {name}").fetchall()]
        assert cols == list(view_columns()[name]), name
        assert all(d.strip() for d in view_columns()[name].values()), name


# ----------------------------------------------------------------------------------------------------
# The views of a real build.


def _warehouse(built: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(built / "warehouse.duckdb"), read_only=True)


def test_built_views_exist_with_comments_and_documented_columns(built: Path) -> None:
    con = _warehouse(built)
    comments = dict(con.sql("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall())
    for name, (comment, _sql) in VIEWS.items():
        assert comments.get(name) == comment, name
        cols = [r[0] for r in con.sql(f"DESCRIBE {name}").fetchall()]
        assert cols == list(view_columns()[name]), name


def test_view_column_comments_apply_to_the_warehouse(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "w.duckdb"
    shutil.copy(built / "warehouse.duckdb", copy)
    con = duckdb.connect(str(copy))
    for stmt in dictionary.view_comments():
        con.execute(stmt)
    missing = con.sql(
        "SELECT c.table_name, c.column_name FROM duckdb_columns() c "
        f"WHERE c.table_name IN ({', '.join(repr(v) for v in VIEWS)}) AND (c.comment IS NULL OR c.comment = '')"
    ).fetchall()
    assert missing == []


def test_built_warehouse_has_view_column_comments(built: Path) -> None:
    con = _warehouse(built)
    n = con.sql(
        f"SELECT count(*) FROM duckdb_columns() WHERE table_name IN ({', '.join(repr(v) for v in VIEWS)}) "
        "AND comment IS NOT NULL"
    ).fetchall()[0][0]
    if n == 0:
        pytest.skip("publish.build_warehouse does not apply dictionary.view_comments() yet")
    expected = sum(len(c) for c in view_columns().values())
    assert n == expected


def test_harmonized_series_is_one_row_per_report_and_concept_in_one_unit(built: Path) -> None:
    con = _warehouse(built)
    dup = con.sql(
        "SELECT report_id, harmonized_id FROM harmonized_series GROUP BY ALL HAVING count(*) > 1"
    ).fetchall()
    assert dup == []
    mixed = con.sql(
        "SELECT harmonized_id FROM harmonized_series GROUP BY 1 HAVING count(DISTINCT unit) > 1"
    ).fetchall()
    assert mixed == []
    n_series, n_pairs = con.sql(
        "SELECT (SELECT count(*) FROM harmonized_series), "
        "(SELECT count(*) FROM (SELECT DISTINCT report_id, harmonized_id FROM metrics WHERE harmonized_id IS NOT NULL))"
    ).fetchall()[0]
    assert n_series == n_pairs
    bad = con.sql(
        "SELECT s.report_id, s.metric_id FROM harmonized_series s JOIN metrics m USING (report_id, metric_id) "
        "WHERE s.evidence <> m.evidence OR s.source_value <> m.value"
    ).fetchall()
    assert bad == []


def test_std_wide_views_agree_with_metrics(built: Path) -> None:
    con = _warehouse(built)
    t3 = con.sql("SELECT * FROM std_table3_wide").df()
    metrics = con.sql("SELECT report_id, metric_id, value FROM metrics WHERE metric_id LIKE 'app.%'").df()
    lookup = {(r.report_id, r.metric_id): r.value for r in metrics.itertuples()}
    for r in t3.itertuples():
        for col in APPLICANT_COLUMNS:
            got = getattr(r, col)
            want = lookup.get((r.report_id, f"{r.row_id}.{col}"))
            assert (pd.isna(got) and want is None) or got == want, (r.report_id, r.row_id, col)
    wide = con.sql("SELECT * FROM std_tables_wide").df()
    n_std = con.sql(
        "SELECT count(*) FROM reports WHERE status = 'ok' AND layout IN ('std2019', 'std2021')"
    ).fetchall()[0][0]
    assert len(wide) == n_std and wide["report_id"].is_unique
    ids = wide_metric_ids()
    cells = con.sql(
        f"SELECT report_id, metric_id, value FROM metrics WHERE metric_id IN ({', '.join(repr(i) for i in ids)})"
    ).df()
    wanted = {(r.report_id, r.metric_id): r.value for r in cells.itertuples()}
    for r in wide.to_dict("records"):
        found = {(r["report_id"], i): r[wide_column(i)] for i in ids if not pd.isna(r[wide_column(i)])}
        assert found == {k: v for k, v in wanted.items() if k[0] == r["report_id"]}
        assert r["n_values"] == len(found)


def test_report_completeness_is_bounded(built: Path) -> None:
    con = _warehouse(built)
    bad = con.sql(
        "SELECT report_id FROM report_completeness WHERE n_found > n_expected OR share_found > 1"
    ).fetchall()
    assert bad == []
    by_layout = dict(con.sql("SELECT layout, max(n_expected) FROM report_completeness GROUP BY 1").fetchall())
    for layout, n in by_layout.items():
        assert n == len(expected_metric_ids(layout or "")), layout


def test_data_dictionary_is_published_and_complete(built: Path) -> None:
    md = (built / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert md == dictionary.markdown()
    for doc in dictionary.all_tables():
        assert f"### `{doc.name}`" in md
    for name in VIEWS:
        assert f"### `{name}`" in md
    for section in ("## Provenance", "## Metric catalog", "## Harmonised concepts", "## Coded values"):
        assert section in md
    assert "| `fees_collected` |" in md and "| 元 |" in md


# ----------------------------------------------------------------------------------------------------
# docs/researchers.md: every example runs against a real build.


def _blocks(lang: str) -> list[str]:
    text = RESEARCHERS_MD.read_text(encoding="utf-8")
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.DOTALL)


SQL_BLOCKS = _blocks("sql")
PY_BLOCKS = _blocks("python")


def test_researchers_guide_has_examples() -> None:
    assert len(SQL_BLOCKS) >= 12 and len(PY_BLOCKS) >= 4
    for name in VIEWS:
        assert any(name in b for b in SQL_BLOCKS), f"no example query uses {name}"


@pytest.mark.parametrize("sql", SQL_BLOCKS, ids=[f"sql{i}" for i in range(len(SQL_BLOCKS))])
def test_researchers_sql_examples_run(sql: str, built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(built)
    con = duckdb.connect("warehouse.duckdb", read_only=True)
    statements = [s.strip() for s in sql.split(";") if s.strip()]
    assert statements
    for stmt in statements:
        rel = con.sql(stmt)
        assert rel.columns
        rel.fetchall()


@pytest.mark.parametrize("code", PY_BLOCKS, ids=[f"py{i}" for i in range(len(PY_BLOCKS))])
def test_researchers_python_examples_run(code: str, built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for module in re.findall(r"^import (\w+)", code, flags=re.MULTILINE):
        pytest.importorskip(module)
    monkeypatch.chdir(built)
    exec(compile(code, str(RESEARCHERS_MD), "exec"), {"__name__": "researchers_md"})
