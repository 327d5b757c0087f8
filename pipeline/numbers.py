"""Numbers as printed in reports: Arabic and Chinese numerals, 万/亿 multipliers, qualifiers.

Pure functions, no knowledge of metrics. Used by the table parsers (cell values) and the narrative
extractor (quantities in sentences).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from pipeline.text import code_points, from_code_points, strip_ws

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"

NULL_MARKERS = frozenset({"", "/", "／", "—", "--", "-", "——", "无", "空", "N/A", "n/a", "NA", "－", "\\"})

APPROX_BEFORE = ("约", "近", "大约", "将近", "接近")
APPROX_AFTER = ("左右",)
LOWER_BEFORE = ("逾", "超过", "超", "达到", "达")  # 达 alone is exact; handled by callers
LOWER_AFTER = ("余", "多", "以上", "余万", "多万")


def parse_cn_integer(s: str) -> int | None:
    """Parse a Chinese numeral such as 三, 十二, 二十, 一百零五, 三千二百万, 两万 (None if not a numeral)."""
    if not s or any(ch not in CN_NUMERAL_CHARS for ch in s):
        return None
    total = 0
    section = 0  # value below 万
    number = 0
    seen = False
    for ch in s:
        if ch in CN_DIGITS:
            number = CN_DIGITS[ch]
            seen = True
        elif ch in CN_UNITS:
            unit = CN_UNITS[ch]
            if number == 0 and (unit == 10 or (section == 0 and total == 0)):
                number = 1  # 十 = 10, 十二 = 12, 千 = 1000, 百余 = 100
            section += number * unit
            number = 0
            seen = True
        elif ch in CN_BIG:
            big = CN_BIG[ch]
            section += number
            if section == 0:
                section = 1
            total += section * big
            section = 0
            number = 0
            seen = True
    if not seen:
        return None
    return total + section + number


def parse_cn_digit_string(s: str) -> int | None:
    """Parse digit-by-digit Chinese numerals such as 二〇一一 (years)."""
    if not s or any(ch not in CN_DIGITS for ch in s):
        return None
    return int("".join(str(CN_DIGITS[ch]) for ch in s))


_ARABIC = re.compile(r"^[+-]?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?$|^[+-]?\d+(?:\.\d+)?$")


def parse_arabic(s: str) -> float | None:
    """Parse '1,234.5' / '-8' / '0' (already normalised to ASCII digits)."""
    s = s.strip()
    if not _ARABIC.match(s):
        return None
    return float(s.replace(",", "").replace("，", ""))


@dataclass(frozen=True)
class CellValue:
    """A parsed table cell: value is None for blank / null markers."""

    value: float | None
    raw: str
    multiplier_unit: str | None = None  # '万', '亿', '元', '万元' when printed in the cell
    is_null_marker: bool = False


_CELL = re.compile(
    r"^(?P<sign>[+-]|增加|减少|增|减)?\s*(?P<num>\d+(?:[,，]\d{3})*(?:\.\d+)?)\s*(?P<unit>万元|亿元|万|亿|元)?$"
)


def parse_cell(raw: str) -> CellValue:
    """Parse a table cell as printed: '0', '210.8万', '160.5964万元', '-8', '减少3', '/', ''."""
    s = strip_ws(raw)
    if s in NULL_MARKERS:
        return CellValue(None, raw, None, is_null_marker=bool(s))
    m = _CELL.match(s)
    if not m:
        return CellValue(None, raw, None, is_null_marker=False)
    val = float(m.group("num").replace(",", "").replace("，", ""))
    sign = m.group("sign")
    if sign in ("-", "减少", "减"):
        val = -val
    return CellValue(val, raw, m.group("unit"))


UNIT_FACTORS = {
    # (printed unit, canonical unit) → factor
    ("元", "元"): 1.0,
    ("万元", "元"): 10_000.0,
    ("万", "元"): 10_000.0,
    ("亿元", "元"): 100_000_000.0,
    ("元", "万元"): 1e-4,
    ("万元", "万元"): 1.0,
    ("万", "万元"): 1.0,
    ("亿元", "万元"): 10_000.0,
    ("亿", "万元"): 10_000.0,
}


def convert_money(value: float, printed_unit: str | None, canonical_unit: str) -> float | None:
    """Convert a money amount from its printed unit to the catalog unit (None when unknown)."""
    if printed_unit is None:
        return None
    f = UNIT_FACTORS.get((printed_unit, canonical_unit))
    return None if f is None else value * f


def apply_multiplier(value: float, suffix: str | None) -> float:
    """Multiply out a 万/亿 suffix of a count ("25.4万人次" → 254000)."""
    if not suffix:
        return value
    if suffix.startswith("亿"):
        return value * 100_000_000
    if suffix.startswith("万"):
        return value * 10_000
    return value


# ---------------------------------------------------------------------------------------------------
# Quantities in running text (narrative): number + optional 万/亿 + qualifiers + unit.
#
# The narrative extractor matches on a *compact* view of the normalised text (all whitespace removed,
# see ``compact_view``) so that "达 80 %", "5769 条" and PDF line breaks inside phrases ("主动公开各类政\n府信息")
# do not matter; every compact index maps back to an offset of the original text.

CN_NUMBER_CLASS = "零〇一二两三四五六七八九十百千"
QUANTITY_UNITS = (
    "人次",
    "万元",
    "元",
    "条",
    "件",
    "篇",
    "次",
    "场",
    "期",
    "份",
    "项",
    "个",
    "名",
    "人",
    "宗",
    "起",
    "家",
    "%",
)
APPROX_PRE = frozenset({"约", "大约", "近", "将近", "接近"})
LOWER_PRE = frozenset({"逾", "超过", "超", "突破"})

# The number is \d+(?:,\d{3})*(?:\.\d+)? or a run of Chinese numerals. Written so that the engine can
# skip ahead: the first character comes from one class (a pattern starting with a class is searched by
# scanning for it), a lookbehind picks the branch, and possessive repeats never give digits back (giving
# a digit or numeral back cannot help: none of what may follow starts with one). Same matches, ~3x faster.
QUANTITY_RE = re.compile(
    rf"(?P<num>[\d{CN_NUMBER_CLASS}](?:(?<=\d)\d*+(?:,\d{{3}})*+(?:\.\d+)?|(?<=[{CN_NUMBER_CLASS}])[{CN_NUMBER_CLASS}]*+))"
    r"(?P<mul>万|亿)?"
    r"(?P<post>余|多)?"
    r"(?P<mul2>万|亿)?"  # 20余万条: the qualifier before the multiplier
    rf"(?P<unit>{'|'.join(QUANTITY_UNITS)})"
    r"(?P<post2>左右|以上)?"
)
_PRE_QUALIFIERS = ("大约", "将近", "接近", "超过", "突破", "约", "近", "逾", "超")


class Quantity(NamedTuple):
    """A number found in running text, with its qualifier and unit (offsets into the compact string)."""

    value: float
    raw: str  # the number as printed, with its multiplier: "25.4万", "四十", "1000"
    qualifier: str  # exact | approx | lower_bound
    unit: str
    start: int  # start of the whole match (pre-qualifier included)
    num_start: int  # start of the digits
    end: int  # end of the whole match (unit and post-qualifier included)


def parse_number_token(tok: str) -> float | None:
    """Arabic ('1,234.5', '25.4') or Chinese ('四十', '两', '一百零五') numeral → value."""
    if not tok:
        return None
    if tok[0].isdigit():
        try:
            return float(tok.replace(",", ""))
        except ValueError:
            return None
    v = parse_cn_integer(tok)
    return None if v is None else float(v)


def qualifier_of(pre: str | None, post: str | None, post2: str | None) -> str:
    """Exact | approx | lower_bound from the words around a number (约/近/左右 vs 余/多/以上/逾)."""
    if (pre and pre in APPROX_PRE) or post2 == "左右":
        return "approx"
    if (pre and pre in LOWER_PRE) or post in ("余", "多") or post2 == "以上":
        return "lower_bound"
    return "exact"


def quantity_from_match(m: re.Match[str], s: str) -> Quantity | None:
    """Build a Quantity from a QUANTITY_RE match on ``s`` (None for a numeral inside a longer one)."""
    start = m.start("num")
    tok = m.group("num")
    prev = s[start - 1] if start else ""
    if tok[0].isdigit():
        if prev.isdigit() or prev == ".":
            return None
    elif prev and (prev in CN_NUMBER_CLASS or prev == "第"):
        return None
    v = parse_number_token(tok)
    if v is None:
        return None
    mul = m.group("mul") or m.group("mul2")
    if mul:
        v = round(apply_multiplier(v, mul), 6)  # 1.36万 = 13600, not 13600.000000000002
    pre = next((p for p in _PRE_QUALIFIERS if s.startswith(p, start - len(p))), None) if start else None
    return Quantity(
        value=v,
        raw=tok + (mul or ""),
        qualifier=qualifier_of(pre, m.group("post"), m.group("post2")),
        unit=m.group("unit"),
        start=start - len(pre) if pre else start,
        num_start=start,
        end=m.end(),
    )


_MAX_PRE = max(map(len, _PRE_QUALIFIERS))


def find_quantities(compact: str, spans: Sequence[tuple[int, int]] | None = None) -> list[Quantity]:
    """All quantities (number + unit) of a compact string, left to right, in one regex pass.

    ``spans`` (sorted, disjoint), when given, restrict the pass to them: the text between them (tables
    the caller ignores) is skipped instead of scanned. A quantity whose number starts less than a
    pre-qualifier's length after a span is still returned, as its 约/超过 may stand inside the span.
    """
    out: list[Quantity] = []
    pos = 0
    for a, b in [(0, len(compact))] if spans is None else spans:
        for m in QUANTITY_RE.finditer(compact, max(a, pos)):
            if m.start() >= b + _MAX_PRE:
                break
            pos = m.end()
            q = quantity_from_match(m, compact)
            if q is not None:
                out.append(q)
    return out


# The code points ``str.isspace()`` (and so regex ``\\s``) treats as whitespace, as a lookup table: one
# entry per code point up to the last one, plus a final False that every higher code point is clipped to.
_WS_CODES = [c for c in range(0x3001) if chr(c).isspace()]
_IS_WS = np.zeros(0x3002, dtype=bool)
_IS_WS[_WS_CODES] = True


def compact_view(norm: str) -> tuple[str, list[int]]:
    """``norm`` without whitespace, plus the original offset of every kept character (vectorised)."""
    codes = code_points(norm)
    keep = ~_IS_WS[np.minimum(codes, 0x3001)]
    compact = from_code_points(codes[keep])
    return compact, np.flatnonzero(keep).tolist()
