"""The stat2014 national statistics table and older provincial tables. Deepened in issue #4."""

from __future__ import annotations

from pipeline.tables import TableParse


def parse_stat_tables(text: str, layout: str | None) -> TableParse:
    """Return the cells of an appended statistics table (starter: none)."""
    return TableParse()
