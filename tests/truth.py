"""Hand-made truth of the statistics tables, shared by the tests and ``tools/eval_stat_tables.py``.

The values live in ``tests/fixtures/corpus/truth_tables`` (TSV, read by hand from the texts); this module
only reads them.
"""

from __future__ import annotations

from pathlib import Path

TRUTH_DIR = Path(__file__).resolve().parent / "fixtures" / "corpus" / "truth_tables"


def _value(s: str) -> float | None:
    return float(s) if s.strip() else None


def seed003_stat2014() -> dict[str, float | None]:
    """Seed 003's stat2014 appendix: metric id → value (None = blank cell, which is not 0)."""
    lines = (TRUTH_DIR / "seed003_stat2014.tsv").read_text(encoding="utf-8").splitlines()
    rows = [ln.split("\t") for ln in lines if ln and not ln.startswith("#")][1:]
    return {mid: _value(v) for mid, v in rows}


def provincial_table(rid: str) -> list[tuple[str, list[float | None]]]:
    """Rows of a provincial-table truth TSV: (label, [year value, cumulative value]), header skipped."""
    text = (TRUTH_DIR / f"{rid}.tsv").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    return [(p[0], [_value(x) for x in p[2:]]) for p in (ln.split("\t") for ln in lines[1:])]
