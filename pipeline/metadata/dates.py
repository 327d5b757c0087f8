"""Dates as printed in reports: 2012-03-28, 2012年3月2日, 二〇一二年三月二日, 二○一三年一月, 201911日.

All patterns run on ``pipeline.text.normalize``d text (○ and Ο are already 〇 there). Functions return
plain ``(year, month, day)`` tuples with ``None`` for parts that are not printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGIT = {"〇": 0, "零": 0, "O": 0, "o": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGIT.update({"六": 6, "七": 7, "八": 8, "九": 9})
_CN_YEAR_CH = "〇零Oo0一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"

CN_DATE = re.compile(
    rf"([{_CN_YEAR_CH}]{{4}})\s*年\s*([{_CN_SMALL}]{{1,3}})\s*月(?:\s*([{_CN_SMALL}]{{1,3}})\s*日)?"
)
ARABIC_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
ISO_DATE = re.compile(r"((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})")


@dataclass(frozen=True)
class Date:
    """A parsed date and where it was printed."""

    year: int
    month: int | None
    day: int | None
    start: int
    end: int


def cn_year(s: str) -> int | None:
    """二〇一一 → 2011 (digit by digit); None when a character is not a digit."""
    try:
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    except KeyError:
        return None


def cn_small(s: str) -> int | None:
    """Chinese numeral 1–99: 三 → 3, 十二 → 12, 二十七 → 27, 三十 → 30."""
    if not s or any(c not in _CN_SMALL for c in s):
        return None
    if "十" not in s:
        return _CN_DIGIT.get(s) if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    t = _CN_DIGIT.get(tens, 0) if tens else 1
    o = _CN_DIGIT.get(ones, 0) if ones else 0
    return t * 10 + o


def _valid(y: int | None, m: int | None, d: int | None) -> bool:
    return y is not None and 1990 <= y <= 2035 and (m is None or 1 <= m <= 12) and (d is None or 1 <= d <= 31)


def find_dates(norm: str, start: int = 0, end: int | None = None) -> list[Date]:
    """All dates (Chinese-numeral, 年月日 and ISO forms) in ``norm[start:end]``, in text order."""
    end = len(norm) if end is None else end
    out: list[Date] = []
    for m in CN_DATE.finditer(norm, start, end):
        y, mo = cn_year(m.group(1)), cn_small(m.group(2))
        d = cn_small(m.group(3)) if m.group(3) else None
        if _valid(y, mo, d):
            out.append(Date(y, mo, d, m.start(), m.end()))  # type: ignore[arg-type]
    for rx in (ARABIC_DATE, ISO_DATE):
        for m in rx.finditer(norm, start, end):
            y, mo = int(m.group(1)), int(m.group(2))
            d = int(m.group(3)) if m.group(3) else None
            if _valid(y, mo, d):
                out.append(Date(y, mo, d, m.start(), m.end()))
    out.sort(key=lambda x: x.start)
    return out


def year_covered_by(published: Date) -> int:
    """Report year implied by a signature or publication date.

    Reports cover a calendar year and are signed or published after it ends (by 31 March under the 2007
    条例, by 31 January / 31 March under the 2019 one, often later in practice). A date in November or
    December is a year-end report for that same year; any earlier month is taken as the following year.
    """
    if published.month is not None and published.month >= 11:
        return published.year
    return published.year - 1
