"""Who and when: agency, place, level, report year, layout and completeness of one report.

Entry point: ``describe(text, source_file) -> ReportMeta``. Deepened in issue #5.
"""

from __future__ import annotations

import re

from pipeline.layout import detect_layout
from pipeline.records import ReportMeta
from pipeline.text import normalize

_TITLE_YEAR = re.compile(r"(20[0-2]\d)\s*年度?\s*(?:政府)?信息公开(?:工作)?(?:年度)?报告")


def describe(text: str, source_file: str) -> ReportMeta:
    """Starter: layout and the year of a 'YYYY年…信息公开…报告' title phrase."""
    norm = normalize(text)
    meta = ReportMeta(layout=detect_layout(text))
    m = _TITLE_YEAR.search(norm)
    if m:
        meta.report_year = int(m.group(1))
        meta.report_year_source = "title"
        meta.report_year_evidence = text[m.start() : m.end()]
    return meta
