"""Which year a report covers (统计年度), by a fixed precedence of evidence.

1. ``title``     — the year of the title (市商务局2014年政府信息公开工作年度报告);
2. ``period``    — the statistics-period sentence (统计期限自2019年1月1日起至12月31日止): its end year;
3. ``body``      — a sentence naming the report (现将2014年…报告如下 / 现公布…2017年…报告), or a body
                   opening with ``YYYY年年报`` (2009年年报根据《条例》编制);
4. ``signature`` — the date under the signature, of the byline or alone on a line at the top, minus one
                   unless signed in Nov/Dec (二〇一二年三月二十七日 → 2011);
5. ``body``      — the year most sentences open with (2010年，我局…), plans (2011年，我们将…) excluded;
                   never a year inside a paragraph;
6. ``header``    — portal/crawler publication dates, read the same way (they are often wrong);
7. ``filename``  — a ``YYYY年`` in the file name.

A lower source is only consulted when every higher one is silent; the evidence of the deciding source is
kept verbatim.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.metadata.dates import Date, find_dates, year_covered_by
from pipeline.metadata.title import Mention, Title

PERIOD_KEY = re.compile(r"统计(?:数据)?(?:的)?(?:期限|时限|期间|区间|时段|周期|期)")
# 截至2018年底 / 截止20101231日 / 截至2013年12月31日: a year-end cut-off also gives the period
YEAR_END = re.compile(
    r"截(?:止|至)(?:到)?\s*((?:19|20)\d\d)\s*(?:年\s*(?:底|末|12\s*月\s*31\s*日)|12\s*31\s*日)"
)
_PLAN = re.compile(r"[^。]{0,8}?(?:将|计划|拟|打算|继续)")
_PERIOD_YEAR = re.compile(r"((?:19|20)\d\d)(?=\s*年|\s*\d{0,4}\s*日|\s*月)")
_UNTIL = re.compile(r"至|到|截止|截至|—|-|~")
_LEAD_YEAR = re.compile(
    r"(?:^|(?<=[\n。；;]))[ \t]*(?:[(（]?[一二三四五六七八九十\d]{1,2}[)）、.][ \t]*)?((?:19|20)\d\d)[ \t]*年度?[ \t]*(?=[，,]|[^\d月日至到年—\-])",
    re.M,
)
# 2009年年报根据《条例》编制: the report calls itself "the 2009 annual report" in its first sentence
_ANNUAL_REPORT = re.compile(r"(?:^|(?<=[\n。]))[ \t]*((?:19|20)\d\d)[ \t]*年度?年报", re.M)
ANNUAL_REPORT_HEAD = 300
_FILENAME_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
MIN_YEAR, MAX_YEAR = 2007, 2030


@dataclass(frozen=True)
class YearResult:
    """The report year and the span of text that decided it."""

    year: int | None
    source: str | None
    start: int | None = None
    end: int | None = None


def _ok(y: int) -> bool:
    return MIN_YEAR <= y <= MAX_YEAR


def period_year(norm: str, start: int, end: int) -> YearResult | None:
    """End year of the first statistics-period sentence in ``norm[start:end]``."""
    for m in PERIOD_KEY.finditer(norm, start, end):
        stop = norm.find("。", m.end(), m.end() + 80)
        window_end = stop if stop != -1 else min(len(norm), m.end() + 60)
        years = [(y.start(), int(y.group(1))) for y in _PERIOD_YEAR.finditer(norm, m.end(), window_end)]
        years = [(p, y) for p, y in years if _ok(y)]
        if not years:
            continue
        until = _UNTIL.search(norm, m.end(), window_end)
        after = [(p, y) for p, y in years if until and p > until.start()]
        p, y = (after or years)[-1 if after else 0]
        return YearResult(y, "period", m.start(), window_end)
    m = YEAR_END.search(norm, start, end)
    if m and _ok(int(m.group(1))):
        return YearResult(int(m.group(1)), "period", m.start(), m.end())
    return None


def statement_year(mentions: list[Mention]) -> YearResult | None:
    """The year of a sentence naming the report (现将2014年…报告如下)."""
    for x in mentions:
        if x.kind == "statement" and _ok(x.year):
            return YearResult(x.year, "body", x.start, x.end)
    return None


def annual_report_year(norm: str, start: int) -> YearResult | None:
    """The year of a sentence opening with ``YYYY年年报`` at the top of the body."""
    m = _ANNUAL_REPORT.search(norm, start, min(len(norm), start + ANNUAL_REPORT_HEAD))
    if m and _ok(int(m.group(1))):
        return YearResult(int(m.group(1)), "body", m.start(1), m.end())
    return None


def lead_year(norm: str, start: int, end: int) -> YearResult | None:
    """The year most sentences open with (plans for the next year left out)."""
    leads = [
        (m.start(1), m.end(1), int(m.group(1)))
        for m in _LEAD_YEAR.finditer(norm, start, end)
        if not _PLAN.match(norm, m.end())
    ]
    leads = [t for t in leads if _ok(t[2])]
    if not leads:
        return None
    counts = Counter(t[2] for t in leads)
    best = max(counts.values())
    s, e, y = next(t for t in leads if counts[t[2]] == best)
    return YearResult(y, "body", s, e)


def date_year(dates: list[Date], source: str) -> YearResult | None:
    """Report year implied by the first usable signature/publication date."""
    for d in dates:
        y = year_covered_by(d)
        if _ok(y):
            return YearResult(y, source, d.start, d.end)
    return None


def filename_year(source_file: str) -> YearResult | None:
    """``YYYY年`` in the file name (no offsets: the evidence is the file name)."""
    m = _FILENAME_YEAR.search(source_file)
    if m and _ok(int(m.group(1))):
        return YearResult(int(m.group(1)), "filename")
    return None


def report_year(
    norm: str,
    source_file: str,
    title: Title | None,
    body_start: int,
    head_end: int,
    mentions: list[Mention],
    signature_dates: list[Date],
    header_dates: list[Date],
) -> YearResult:
    """Apply the precedence title > period > statement > signature > sentence openings > header > filename."""
    if title is not None and title.year is not None and _ok(title.year):
        return YearResult(title.year, "title", title.start, title.end)
    for found in (
        period_year(norm, body_start, head_end),
        statement_year(mentions),
        annual_report_year(norm, body_start),
        date_year(signature_dates, "signature"),
        lead_year(norm, body_start, head_end),
        date_year(header_dates, "header"),
        filename_year(source_file),
    ):
        if found is not None:
            return found
    return YearResult(None, None)


def signature_dates(norm: str, body_start: int, content_end: int, title: Title | None) -> list[Date]:
    """The date closing the text (nothing but chrome after it), then a byline date under the title."""
    out: list[Date] = []
    tail = [
        d
        for d in find_dates(norm, max(body_start, content_end - 200), content_end)
        if not norm[d.end : content_end].strip(" \t\n。")
    ]
    out.extend(tail[-1:])
    if title is not None:
        out.extend(
            d
            for d in find_dates(norm, title.end, min(len(norm), title.end + 80))[:1]
            if _BYLINE_GAP.fullmatch(norm[title.end : d.start])
        )
    for d in find_dates(norm, body_start, min(len(norm), body_start + 300)):
        line_start = norm.rfind("\n", 0, d.start) + 1
        line_end = norm.find("\n", d.end)
        if (
            not norm[line_start : d.start].strip()
            and not norm[d.end : line_end if line_end != -1 else None].strip()
        ):
            out.append(d)  # a date alone on a line at the top: the byline of an untitled copy
            break
    return out


_BYLINE_GAP = re.compile(r"[\s\u4e00-\u9fff]{0,30}")
