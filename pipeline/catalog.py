"""The metric catalog: spec/catalog.csv (never renamed) plus this project's documented additions.

Additions live in ``pipeline/spec/catalog_additions.csv`` with the same columns and a reason in
``notes``. Every metric id the parsers emit must be in one of the two files (a test enforces it).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SPEC_DIR = Path(__file__).parent / "spec"
CATALOG_CSV = SPEC_DIR / "catalog.csv"
ADDITIONS_CSV = SPEC_DIR / "catalog_additions.csv"
COLUMNS = [
    "metric_id",
    "label_zh",
    "label_en",
    "unit",
    "layouts",
    "table_section",
    "row_label",
    "col_label",
    "harmonized_id",
    "notes",
]


@dataclass(frozen=True)
class MetricDef:
    """One catalog row."""

    metric_id: str
    label_zh: str
    label_en: str
    unit: str
    layouts: tuple[str, ...]
    table_section: str
    row_label: str
    col_label: str
    harmonized_id: str | None
    notes: str
    origin: str  # spec | added


def _read(path: Path, origin: str) -> list[MetricDef]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [
        MetricDef(
            metric_id=r["metric_id"].strip(),
            label_zh=r["label_zh"],
            label_en=r["label_en"],
            unit=r["unit"],
            layouts=tuple(x for x in r["layouts"].split(";") if x),
            table_section=r["table_section"],
            row_label=r["row_label"],
            col_label=r["col_label"],
            harmonized_id=r["harmonized_id"] or None,
            notes=r["notes"],
            origin=origin,
        )
        for r in rows
        if r.get("metric_id")
    ]


@lru_cache(maxsize=1)
def catalog() -> dict[str, MetricDef]:
    """All metric definitions by id (spec first, then additions)."""
    out: dict[str, MetricDef] = {}
    for d in _read(CATALOG_CSV, "spec") + _read(ADDITIONS_CSV, "added"):
        if d.metric_id in out:
            raise ValueError(f"duplicate metric id in catalog: {d.metric_id}")
        out[d.metric_id] = d
    return out


def unit_of(metric_id: str) -> str:
    """Catalog unit of a metric (KeyError for unknown ids: parsers must only emit catalog ids)."""
    return catalog()[metric_id].unit


def harmonized_id_of(metric_id: str) -> str | None:
    """Cross-era concept id of a metric, if any."""
    d = catalog().get(metric_id)
    return d.harmonized_id if d else None
