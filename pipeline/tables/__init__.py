"""Statistics tables inside report texts: std tables 二/三/四 (`std`) and stat2014 / provincial (`stat`).

Entry point: ``parse_tables(text, layout) -> TableParse``; cells carry their catalog metric id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.records import Cell, Check


@dataclass
class TableParse:
    """Cells of every recognised table plus parse-level checks (ambiguous splits, unit doubts …)."""

    cells: list[Cell] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)


def parse_tables(text: str, layout: str | None) -> TableParse:
    """Parse the statistics tables that the layout implies."""
    from pipeline.tables import stat, std

    out = TableParse()
    if layout in ("std2019", "std2021"):
        r = std.parse_std_tables(text, layout)
        out.cells += r.cells
        out.checks += r.checks
    # Free-form reports may append a 2014 national table or an older provincial table.
    if layout in ("freeform", "stat2014", None):
        r = stat.parse_stat_tables(text, layout)
        out.cells += r.cells
        out.checks += r.checks
    return out
