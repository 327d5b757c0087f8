"""examples/explore.py runs on a real build: it traces a value to its evidence and draws the series."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import RAW, REPO

SCRIPT = REPO / "examples" / "explore.py"


def _run(built: Path, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--out-dir", str(built), "--raw-dir", str(RAW), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def _printed(stdout: str, field: str) -> str:
    m = re.search(rf"^  {field}\s+(.*)$", stdout, flags=re.MULTILINE)
    assert m, f"{field} not printed"
    return m.group(1)


def _evidence(stdout: str) -> str:
    m = re.search(
        r"^Evidence  report_texts\.text\[(\d+):(\d+)\] of .*\n  «(.*?)»\n",
        stdout,
        flags=re.MULTILINE | re.DOTALL,
    )
    assert m, "evidence not printed"
    return m.group(3)


def _metric_row(built: Path, report_id: str, metric_id: str) -> pd.Series:
    metrics = pd.read_parquet(built / "parquet" / "metrics")
    sel = metrics[(metrics["report_id"] == report_id) & (metrics["metric_id"] == metric_id)]
    assert len(sel) == 1
    return sel.iloc[0]


def test_explore_traces_a_value_to_its_evidence(built: Path) -> None:
    out = _run(built)
    row = _metric_row(built, _printed(out, "report_id"), _printed(out, "metric_id"))
    assert _evidence(out) == row["evidence"]
    assert "matches metrics.evidence: True" in out
    assert f"Source file  {RAW / row['source_file']}" in out
    assert "sha256 matches reports: True" in out
    assert _printed(out, "harmonized_id") == "requests_received_total"


def test_explore_traces_a_chosen_table_cell(built: Path) -> None:
    metrics = pd.read_parquet(built / "parquet" / "metrics")
    cells = metrics[metrics["method"] == "table"]
    if cells.empty:
        pytest.skip("the build has no table values")
    want = cells.iloc[len(cells) // 2]
    out = _run(built, "--report-id", want["report_id"], "--metric-id", want["metric_id"])
    assert _printed(out, "metric_id") == want["metric_id"]
    assert _evidence(out) == want["evidence"]
    texts = pd.read_parquet(built / "parquet" / "report_texts").set_index("report_id")["text"]
    assert texts[want["report_id"]][want["char_start"] : want["char_end"]] == _evidence(out)


def test_explore_writes_the_series_chart(built: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    png = tmp_path / "charts" / "requests.png"
    out = _run(built, "--png", str(png))
    assert f"Chart written to {png}" in out
    head = png.read_bytes()[:8]
    assert head == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert re.search(r"^Series requests_received_total: \d+ reports with a value$", out, flags=re.MULTILINE)
