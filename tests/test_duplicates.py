"""Duplicate reports: identical bytes, re-encoded text, two versions of one agency-year; which one is kept."""

from __future__ import annotations

import pandas as pd

from pipeline.metadata.duplicates import duplicate_of


def _row(rid: str, **kw: object) -> dict:
    base = dict(
        report_id=rid,
        source_file=f"{rid}.txt",
        text_hash=f"t-{rid}",
        sha256=f"b-{rid}",
        agency_name=f"agency-{rid}",
        report_year=2020,
        layout="std2021",
        is_partial=False,
        n_chars=1000,
        n_metrics=10,
        status="ok",
    )
    base.update(kw)
    return base


def _dups(rows: list[dict]) -> dict:
    frame = pd.DataFrame(rows)
    s = duplicate_of(frame)
    assert list(s.index) == list(frame.index)
    return dict(zip(frame["report_id"], s, strict=True))


def test_unique_reports_are_not_duplicates() -> None:
    assert _dups([_row("a"), _row("b")]) == {"a": None, "b": None}


def test_identical_bytes_keep_the_smaller_source_file() -> None:
    rows = [_row("b", sha256="X", text_hash="T"), _row("a", sha256="X", text_hash="T")]
    assert _dups(rows) == {"a": None, "b": "a"}


def test_reencoded_copy_same_text_other_bytes() -> None:
    rows = [_row("utf8", text_hash="T"), _row("gbk", text_hash="T", sha256="other", n_chars=1000)]
    assert _dups(rows) == {"utf8": "gbk", "gbk": None}  # equal rank: the smaller source_file is kept


def test_same_agency_year_prefers_complete_then_metrics_then_length() -> None:
    rows = [
        _row("partial", agency_name="X局", is_partial=True, n_metrics=50, n_chars=9000),
        _row("complete", agency_name="X局", is_partial=False, n_metrics=5, n_chars=800),
    ]
    assert _dups(rows) == {"partial": "complete", "complete": None}
    rows = [
        _row("few", agency_name="X局", n_metrics=3, n_chars=5000),
        _row("many", agency_name="X局", n_metrics=30, n_chars=100),
    ]
    assert _dups(rows)["few"] == "many"
    rows = [_row("short", agency_name="X局", n_chars=100), _row("long", agency_name="X局", n_chars=200)]
    assert _dups(rows)["short"] == "long"


def test_other_years_and_unknown_agencies_are_kept_apart() -> None:
    rows = [
        _row("y1", agency_name="X局", report_year=2019),
        _row("y2", agency_name="X局", report_year=2020),
        _row("n1", agency_name=None),
        _row("n2", agency_name=None),
    ]
    assert all(v is None for v in _dups(rows).values())


def test_groups_are_transitive() -> None:
    # a = b by bytes, b = c by agency-year: one group, the complete longest kept
    rows = [
        _row("a", sha256="S", is_partial=True),
        _row("b", sha256="S", agency_name="Y局", is_partial=True),
        _row("c", agency_name="Y局", n_chars=5000),
    ]
    assert _dups(rows) == {"a": "c", "b": "c", "c": None}


def test_quarantined_rows_never_take_part() -> None:
    rows = [_row("q", sha256="S", status="quarantined", n_chars=99999), _row("ok", sha256="S")]
    assert _dups(rows) == {"q": None, "ok": None}


def test_unknown_partial_ranks_between() -> None:
    rows = [
        _row("unknown", agency_name="Z局", is_partial=None, n_metrics=0),
        _row("partial", agency_name="Z局", is_partial=True, n_metrics=99),
    ]
    assert _dups(rows)["partial"] == "unknown"


def test_nullable_pandas_dtypes() -> None:
    frame = pd.DataFrame([_row("a", agency_name="W局"), _row("b", agency_name="W局", n_chars=2000)])
    frame["report_year"] = frame["report_year"].astype("Int16")
    frame["is_partial"] = frame["is_partial"].astype("boolean")
    frame["n_metrics"] = pd.array([pd.NA, pd.NA], dtype="Int32")
    assert duplicate_of(frame).tolist() == ["b", None]
