"""Cross-year identity rules (T3-XYEAR, T2-STOCK-*, T2-19-CHAIN) on small hand-made tables."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipeline.validate.cross_year import cross_year_sql


def _run(reports: list[tuple], metrics: list[tuple]) -> pd.DataFrame:
    con = duckdb.connect()
    con.register(
        "r", pd.DataFrame(reports, columns=["report_id", "agency_id", "report_year", "source_file", "status"])
    )
    con.register("m", pd.DataFrame(metrics, columns=["report_id", "metric_id", "value"]))
    return con.sql(cross_year_sql("m", "r")).df()


def test_carry_over_must_match_last_years_carry_forward() -> None:
    reports = [
        ("a1", "A", 2021, "a2021.txt", "ok"),
        ("a2", "A", 2022, "a2022.txt", "ok"),
        ("b2", "B", 2022, "b.txt", "ok"),
    ]
    metrics = [
        ("a1", "app.carried_forward.total", 3.0),
        ("a2", "app.carried_over.total", 3.0),
        ("a1", "app.carried_forward.natural_person", 2.0),
        ("a2", "app.carried_over.natural_person", 1.0),
        ("b2", "app.carried_over.total", 5.0),  # no 2021 report of agency B: nothing to compare
    ]
    out = _run(reports, metrics).set_index("scope")
    xy = out[out["rule_id"] == "T3-XYEAR"]
    assert xy.loc["total", "status"] == "pass"
    assert xy.loc["natural_person", "status"] == "fail"
    assert xy.loc["natural_person", "diff"] == -1.0
    assert "a2021.txt (2021)" in xy.loc["natural_person", "message"]
    assert set(out["report_id"]) == {"a2"}


def test_stock_rule_and_missing_terms() -> None:
    reports = [("a1", "A", 2022, "x", "ok"), ("a2", "A", 2023, "y", "ok")]
    metrics = [
        ("a1", "active.normative_docs.in_force", 10.0),
        ("a2", "active.normative_docs.in_force", 12.0),
        ("a2", "active.normative_docs.made", 4.0),
        ("a2", "active.normative_docs.repealed", 2.0),
        ("a2", "active.rules.in_force", 1.0),  # rules made/repealed not printed → not assessable
    ]
    out = _run(reports, metrics).set_index("rule_id")
    assert out.loc["T2-STOCK-N", "status"] == "pass"
    assert out.loc["T2-STOCK-R", "status"] == "not_assessable"


def test_duplicates_and_quarantined_reports_are_not_compared() -> None:
    reports = [("a1", "A", 2021, "x", "duplicate"), ("a2", "A", 2022, "y", "ok")]
    metrics = [("a1", "app.carried_forward.total", 9.0), ("a2", "app.carried_over.total", 3.0)]
    assert _run(reports, metrics).empty
