"""Parallel builds: worker processes over bucket ranges publish the same bytes as one process.

``python -m pipeline build --workers 2 --buckets 4`` splits the four buckets into two ranges, each run by
its own process (an in-process Dagster run), then publishes once. The published Parquet files must be
byte-identical to a one-process build with the default buckets, and both workers must have done work.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from benchmarks.corpus import write_small
from tests.conftest import run_build

N_FILES = 40


def _digests(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((out / "parquet").rglob("*.parquet"))
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic corpus (mutated real reports and generated std tables)."""
    raw = tmp_path_factory.mktemp("parallel") / "raw"
    write_small(raw, N_FILES, seed=7)
    return raw


@pytest.fixture(scope="module")
def two_workers(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("two") / "out"
    proc = run_build(corpus, out, "--workers", "2", "--buckets", "4")
    assert proc.returncode == 0, proc.stderr[-4000:]
    return out, proc.stderr


def test_two_workers_publish_the_same_bytes_as_one(
    corpus: Path, two_workers: tuple[Path, str], tmp_path: Path
) -> None:
    one = run_build(corpus, tmp_path / "one", "--workers", "1")
    assert one.returncode == 0, one.stderr[-4000:]
    parallel = _digests(two_workers[0])
    assert len(parallel) == 9
    assert parallel == _digests(tmp_path / "one")


def test_both_workers_did_work(two_workers: tuple[Path, str]) -> None:
    _, log = two_workers
    ranges = re.findall(r"worker (\d+): buckets (b\d+)–(b\d+)", log)
    assert len({pid for pid, _, _ in ranges}) == 2, log
    assert sorted((lo, hi) for _, lo, hi in ranges) == [("b00", "b01"), ("b02", "b03")]
    assert len(re.findall(r"worker \d+: done in", log)) == 2, log
    rows = {b: int(n) for b, n in re.findall(r"raw_reports\[(b\d+)\]: (\d+) rows \(built", log)}
    assert sorted(rows) == ["b00", "b01", "b02", "b03"]
    assert rows["b00"] + rows["b01"] > 0 and rows["b02"] + rows["b03"] > 0
    assert sum(rows.values()) == N_FILES
    assert "phase partitions:" in log and "phase publish:" in log


def test_prefetched_keeps_order_and_raises_the_producers_error() -> None:
    from pipeline.storage import prefetched

    assert list(prefetched(iter(range(100)), depth=3)) == list(range(100))

    def failing():
        yield 1
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        list(prefetched(failing()))
    it = prefetched(iter(range(10**9)))
    assert next(it) == 0
    it.close()  # the consumer stops early: the producer thread ends
