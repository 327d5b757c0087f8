"""Shared fixtures: the real corpus inside the repo, and one real build of it (CLI → Parquet + DuckDB)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
FIXTURES = REPO / "tests" / "fixtures"


def run_build(raw: Path, out: Path, *extra: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run the real CLI in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--raw-dir", str(raw), "--out-dir", str(out), *extra],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build of the shipped corpus (data/raw); returns the out dir."""
    out = tmp_path_factory.mktemp("build") / "out"
    proc = run_build(RAW, out)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return out
