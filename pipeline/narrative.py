"""Narrative metrics (narr.*) from the sentences that state them. Deepened in issue #4.

Entry point: ``extract_narrative(text, sections, meta) -> list[Metric]``.
"""

from __future__ import annotations

from pipeline.records import Metric, ReportMeta, Section


def extract_narrative(text: str, sections: list[Section], meta: ReportMeta) -> list[Metric]:
    """Return narrative metrics of one report (starter: none)."""
    return []
