"""Standardised tables 二/三/四 (std2019, std2021) in every flattening. Deepened in issue #3."""

from __future__ import annotations

from pipeline.tables import TableParse


def parse_std_tables(text: str, layout: str) -> TableParse:
    """Return the cells of tables 二, 三 and 四 (starter: none)."""
    return TableParse()
