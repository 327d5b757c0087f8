"""The coverage report: written by every build, its numbers recomputed independently, readable outputs.

The numbers are recomputed here with pandas straight from the Parquet files (not with the views the
report uses), so a wrong join or filter in the report shows up as a disagreement.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
from pathlib import Path

import pandas as pd
import pytest

from pipeline import coverage
from pipeline.warehouse_sql import TABLE_LAYOUTS, expected_metric_ids

FILES = ("coverage.md", "coverage.json", "coverage.html")


def _table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / "parquet" / name)


@pytest.fixture()
def copy(built: Path, tmp_path: Path) -> Path:
    """A private copy of the published Parquet files (the report is rewritten here, not in ``built``)."""
    shutil.copytree(built / "parquet", tmp_path / "parquet")
    return tmp_path


def test_the_build_writes_the_coverage_report(built: Path) -> None:
    target = built / "coverage"
    for name in FILES:
        assert (target / name).is_file(), name
    summary = json.loads((target / "coverage.json").read_text(encoding="utf-8"))
    assert summary["totals"]["files"] == len(_table(built, "reports"))
    if coverage.has_matplotlib():
        assert summary["chart"] == "coverage.png" and (target / "coverage.png").is_file()


def test_totals_and_year_layout_counts(built: Path) -> None:
    summary = coverage.compute(built)
    reports, metrics = _table(built, "reports"), _table(built, "metrics")
    t = summary["totals"]
    assert t["files"] == len(reports)
    assert t["parsed_reports"] == int((reports["status"] == "ok").sum())
    assert t["metrics"] == len(metrics)
    by = summary["reports_by_year_layout"]
    assert sum(r["n"] for r in by) == len(reports)
    ok = reports[reports["status"] == "ok"]
    for year, n in ok.groupby(ok["report_year"].astype("Int64").fillna(-1))["report_id"].count().items():
        y = None if year == -1 else int(year)
        assert sum(r["n"] for r in by if r["report_year"] == y and r["status"] == "ok") == n
    matrix = coverage.year_layout_matrix(by)
    assert sum(sum(v for k, v in row.items() if k != "year") for row in matrix) == len(reports)


def test_completeness_matches_a_pandas_recount(built: Path) -> None:
    summary = coverage.compute(built)
    reports, metrics = _table(built, "reports"), _table(built, "metrics")
    assert summary["expected_cells"] == {lay: len(expected_metric_ids(lay)) for lay in TABLE_LAYOUTS}
    found = metrics.groupby("report_id")["metric_id"].agg(set)
    shares: dict[tuple[str, bool], list[float]] = {}
    for r in reports[(reports["status"] == "ok") & reports["layout"].isin(TABLE_LAYOUTS)].itertuples():
        expected = set(expected_metric_ids(r.layout))
        got = len(expected & found.get(r.report_id, set()))
        partial = bool(r.is_partial) if not pd.isna(r.is_partial) else False
        shares.setdefault((r.layout, partial), []).append(got / len(expected))
    rows = {(r["layout"], r["is_partial"]): r for r in summary["completeness_by_layout"]}
    assert set(rows) == set(shares)
    for key, values in shares.items():
        assert rows[key]["reports"] == len(values)
        assert rows[key]["mean_share"] == pytest.approx(sum(values) / len(values), abs=1e-4)
        assert rows[key]["complete_reports"] == sum(v == 1 for v in values)
    assert len(summary["report_shares"]) == sum(len(v) for v in shares.values())


def test_rule_pass_rates_match_a_pandas_recount(built: Path) -> None:
    summary = coverage.compute(built)
    checks = _table(built, "identity_checks").merge(
        _table(built, "reports")[["report_id", "status", "layout"]].rename(
            columns={"status": "report_status"}
        ),
        on="report_id",
    )
    checks = checks[checks["report_status"] == "ok"].fillna({"layout": "unknown"})
    want = {}
    for (rule, layout), g in checks.groupby(["rule_id", "layout"]):
        counts = g["status"].value_counts()
        assessable = sum(int(counts.get(s, 0)) for s in ("pass", "fail", "ambiguous"))
        want[(rule, layout)] = (int(counts.get("pass", 0)), int(counts.get("fail", 0)), assessable)
    got = {}
    for r in summary["rule_pass_rates"]:
        key = (r["rule_id"], r["layout"])
        prev = got.get(key, (0, 0, 0))
        got[key] = (
            prev[0] + r["n_pass"],
            prev[1] + r["n_fail"],
            prev[2] + r["n_pass"] + r["n_fail"] + r["n_ambiguous"],
        )
    assert got == want


def test_markdown_and_html_are_readable_and_self_contained(copy: Path) -> None:
    summary = coverage.write_coverage(copy)
    md = (copy / "coverage" / "coverage.md").read_text(encoding="utf-8")
    for heading in (
        "Parsed reports by year and layout",
        "Expected table cells found",
        "pass rate by rule and layout",
    ):
        assert heading in md
    page = (copy / "coverage" / "coverage.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), (
        "external resource in coverage.html"
    )
    assert "<script" not in page
    assert f"{summary['totals']['files']} input files" in page
    if summary["chart"]:
        assert "data:image/png;base64," in page


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_chart_is_a_readable_png(copy: Path) -> None:
    pytest.importorskip("matplotlib")
    summary = coverage.write_coverage(copy)
    assert summary["chart"] == "coverage.png"
    width, height = _png_size(copy / "coverage" / "coverage.png")
    assert width >= 1200 and height >= 800


def test_outputs_are_deterministic(copy: Path) -> None:
    coverage.write_coverage(copy)
    first = {p.name: p.read_bytes() for p in (copy / "coverage").iterdir()}
    coverage.write_coverage(copy)
    second = {p.name: p.read_bytes() for p in (copy / "coverage").iterdir()}
    assert first == second
    assert set(FILES) <= set(first)


def test_without_matplotlib_the_rest_is_written(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (copy / "coverage").mkdir()
    (copy / "coverage" / "coverage.png").write_bytes(b"stale")
    monkeypatch.setattr(coverage, "has_matplotlib", lambda: False)
    summary = coverage.write_coverage(copy)
    assert summary["chart"] is None and "matplotlib" in summary["chart_missing_reason"]
    assert not (copy / "coverage" / "coverage.png").exists()
    assert "Chart not drawn" in (copy / "coverage" / "coverage.html").read_text(encoding="utf-8")
    assert "Chart not drawn" in (copy / "coverage" / "coverage.md").read_text(encoding="utf-8")


def test_missing_tables_raise(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="published table missing"):
        coverage.write_coverage(tmp_path)


def test_year_layout_matrix_orders_years_and_counts_unparsed() -> None:
    rows = [
        {"report_year": None, "layout": "freeform", "status": "ok", "n": 2},
        {"report_year": 2019, "layout": "std2019", "status": "ok", "n": 3},
        {"report_year": 2019, "layout": "freeform", "status": "ok", "n": 1},
        {"report_year": 2019, "layout": "unknown", "status": "quarantined", "n": 4},
        {"report_year": 2010, "layout": "freeform", "status": "duplicate", "n": 1},
    ]
    assert coverage.year_layout_matrix(rows) == [
        {"year": "2010", "freeform": 0, "std2019": 0, "not parsed": 1},
        {"year": "2019", "freeform": 1, "std2019": 3, "not parsed": 4},
        {"year": "unknown", "freeform": 2, "std2019": 0, "not parsed": 0},
    ]
