"""Section segmentation: split a report into headed sections and map each to a canonical topic.

Entry point: ``segment(text, layout) -> list[Section]``. Offsets are into the original text (matching runs on
``pipeline.text.normalize(text)``, which has the same length).

Heading families handled (formats.md §1.1): level 1 ``一、`` / ``一．`` / ``一 概述`` (spaced, line start only) and
a few unnumbered standard headings (``概述``, ``政府信息主动公开情况`` …) before the first numbered one; level 2
``(一)`` / ``1、`` / ``1.`` / ``(1)`` / ``一是`` — whichever family appears first inside a level-1 section.
Headings may be run into the text without line breaks (crawler copies): a marker then counts as a heading when
it follows a sentence end, a space or a line start. Appended statistics tables become one ``statistics_table``
section and no heading is looked for inside them (their row labels look like headings).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from pipeline.records import Section
from pipeline.text import strip_ws
from pipeline.textview import normalized

TOPIC_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("statistics_table", ("统计表", "附表", "统计数据")),
    ("overview", ("概述", "总体情况", "基本情况", "基本工作情况")),
    ("proactive", ("主动公开",)),
    ("fees", ("收费", "减免", "收支", "费用")),
    ("on_request", ("依申请", "申请公开", "收到和处理", "申请办理", "受理申请", "申请情况")),
    ("consultation", ("咨询",)),
    ("review_litigation", ("复议", "诉讼", "申诉", "举报", "投诉")),
    ("response", ("回应", "解读")),
    ("organisation", ("机构", "经费", "人员")),
    ("meetings_training", ("会议", "培训")),
    ("problems", ("问题", "改进", "打算", "思路", "下步", "下一步", "今后")),
    ("other", ("其他",)),
]
# Topics a level-2 heading may switch to (otherwise it inherits its parent's topic).
_L2_SWITCH = frozenset({"proactive", "on_request", "consultation", "fees", "review_litigation", "response"})
# Parent topics under which a level-2 heading never switches topic (plans, problems, tables).
_L2_KEEP = frozenset({"problems", "statistics_table"})

_CN = "一二三四五六七八九十"
_CN_VAL = {ch: i + 1 for i, ch in enumerate(_CN)}

# A heading marker counts when it starts a line or follows a sentence end / space (run-in crawler text).
# A heading marker counts when it starts a line or follows a sentence end / space (run-in crawler text).
# The boundary is checked by hand (``_bounded``): patterns that start with a literal scan fast.
_L1_BOUND = frozenset("\n。!?;: \t\u3000")
_L2_BOUND = _L1_BOUND
_SENT_BOUND = frozenset("\n。!?; \t\u3000")
# Numerals are written [X][X]{0,2} rather than [X]{1,3} (the same matches): a pattern that starts with a
# character class is searched by scanning for that class, instead of being tried at every character.
_L1 = re.compile(rf"(?P<num>[{_CN}][{_CN}]{{0,2}})(?:[、.．]|(?P<sp>[ \t]+))")
# Glued std/crawler text: these numbered section titles count wherever they appear.
_STRONG_L1 = re.compile(
    rf"(?P<num>[{_CN}][{_CN}]?)[、.．](?=总体情况|概述|主动公开政府信息(?:的)?情况|收到和处理政府信息公开申请情况"
    r"|(?:因)?政府信息公开(?:申请)?行政复议|存在的主要问题|其他需要报告的事项|依申请公开政府信息"
    r"|政府信息公开的收费)"
)
_TITLE_END_WORD = re.compile(r"情况|事项")
# Section numbering rendered as 1、/1. (list auto-numbering lost): used only when no 一、 heading exists.
_ARABIC_L1 = re.compile(
    r"(?m)^[ \t]*(?P<num>\d{1,2})[、.．][ \t]*(?=总体情况|概述|主动公开政府信息(?:的)?情况"
    r"|收到和处理政府信息公开申请情况|政府信息公开行政复议|存在的主要问题|其他需要报告的事项)"
)
_UNNUMBERED = re.compile(
    r"(?P<title>概述|总体情况|基本情况|工作概述|政府信息主动公开情况|主动公开政府信息情况"
    r"|政府信息依申请公开情况|依申请公开政府信息情况)(?![、,，和及与])"
)
_ATTACH = re.compile(r"附(?:件|表)?\d*[:：]?")
_L2_FAMILIES: dict[str, re.Pattern[str]] = {
    "paren_cn": re.compile(rf"\((?P<num>[{_CN}]{{1,3}})\)"),
    "arabic": re.compile(r"(?P<num>\d\d?)[、.．](?!\d)"),
    "paren_ar": re.compile(r"\((?P<num>\d{1,2})\)"),
    "shi": re.compile(rf"(?P<num>[{_CN}][{_CN}]{{0,2}})是"),
}


def _bounded(norm: str, pos: int, bound: frozenset[str]) -> bool:
    """A marker at ``pos`` starts the text, a line, or follows a sentence end / space."""
    return pos == 0 or norm[pos - 1] in bound


# A title runs to the line end, a sentence end, a level-2 marker, or the first digit (run-in body text).
_TITLE_SPACE = re.compile(r"[ \t]")
_TITLE_STOP = re.compile(rf"[\n。;!?:,]|\([{_CN}\d]{{1,3}}\)|(?<![\d年])\d|[ \t]{{2,}}|\t")
_LEADING_YEAR = re.compile(r"\s*\d{4}年度?")
# Row labels of the std tables start lines with 一、/二、/四、 too: they are not headings.
_NOT_A_HEADING = re.compile(r"本年新收|上年结转|结转下年|本年度办理结果|本\s*年\s*度")
_TABLE_ANCHOR = re.compile(r"指\s*标\s*名\s*称|统\s*计\s*指\s*标")
_MAX_TITLE = 40


@lru_cache(maxsize=8192)
def topic_of(heading: str) -> str:
    """Canonical topic of a heading (first keyword family that matches; headings recur, so memoised)."""
    h = strip_ws(heading)
    for topic, kws in TOPIC_KEYWORDS:
        if any(k in h for k in kws):
            return topic
    return "other"


def _matched_topic(heading: str) -> str | None:
    """Topic of a heading when one of its keywords matches, else None."""
    t = topic_of(heading)
    return None if t == "other" and "其他" not in heading else t


@dataclass
class _Head:
    start: int  # offset of the marker (or title for unnumbered headings)
    title_end: int
    num: int | None
    title: str
    family: str


def _cn_value(s: str) -> int:
    """Value of a short Chinese numeral (一 … 十九, 二十)."""
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_VAL.get(s[1:], 0)
    if len(s) >= 2 and s[1] == "十":
        return _CN_VAL.get(s[0], 0) * 10 + (_CN_VAL.get(s[2:], 0) if len(s) > 2 else 0)
    return _CN_VAL.get(s, 0)


def _title_after(norm: str, pos: int, limit: int, spaced: bool = False) -> tuple[str, int]:
    """Heading title starting at ``pos`` (not past ``limit``) and the offset where it ends.

    A title ends at a line end, a sentence or clause mark, a level-2 marker, the first digit of run-in body
    text, or a space after at least two characters (run-in crawler text); ``spaced`` titles (一 概 述) run
    to the line end.
    """
    hi = min(limit, pos + _MAX_TITLE)
    p = pos
    while p < hi and norm[p] in " \t":
        p += 1
    m = _LEADING_YEAR.match(norm, p, hi)
    body_start = m.end() if m else p
    if spaced:
        nl = norm.find("\n", body_start, hi)
        end = nl if nl >= 0 else hi
        return norm[p:end].strip(), end
    stop = _TITLE_STOP.search(norm, body_start, hi)
    end = stop.start() if stop else hi
    sp = _TITLE_SPACE.search(norm, min(body_start + 2, end), end)
    if sp:
        end = sp.start()
    return norm[p:end].strip(), end


def _cut_run_in(title: str, end: int) -> tuple[str, int]:
    """Cut a title after its first 情况/事项 when run-in body text follows (glued crawler text)."""
    m = _TITLE_END_WORD.search(title)
    if m and len(title) - m.end() >= 4:
        return title[: m.end()], end - (len(title) - m.end())
    return title, end


def _table_zones(norm: str) -> list[tuple[int, int]]:
    """Spans of appended statistics tables (where row labels must not be read as headings)."""
    from pipeline.tables.stat import locate_stat_tables

    return locate_stat_tables(norm)


def _in_zones(pos: int, zones: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in zones)


def _l1_heads(norm: str, zones: list[tuple[int, int]]) -> list[_Head]:
    """Level-1 headings: numbered ones in a plausible sequence, plus attachment lines."""
    heads: list[_Head] = []
    prev = 0
    cands = [(m, False) for m in _L1.finditer(norm) if _bounded(norm, m.start(), _L1_BOUND)]
    cands += [(m, True) for m in _STRONG_L1.finditer(norm)]
    cands.sort(key=lambda x: x[0].start("num"))
    for m, strong in cands:
        if _in_zones(m.start("num"), zones) or (heads and m.start("num") < heads[-1].title_end):
            continue
        spaced = bool(not strong and m.group("sp"))
        line_start = norm.rfind("\n", 0, m.start("num")) + 1
        if spaced and norm[line_start : m.start("num")].strip():
            continue  # "一 概述" spacing is only trusted at a line start
        title, end = _title_after(norm, m.end(), len(norm), spaced=spaced)
        title, end = _cut_run_in(title, end)
        squashed = strip_ws(title)
        if len(squashed) < 2 or squashed[0] in "、,.;:" or _NOT_A_HEADING.match(squashed):
            continue
        if spaced and len(squashed) > 20:
            continue
        n = _cn_value(m.group("num"))
        if heads and heads[-1].num is not None and not (prev <= n <= prev + 3):
            continue
        heads.append(_Head(m.start("num"), end, n, title, "l1"))
        prev = n
    if not heads:
        for m in _ARABIC_L1.finditer(norm):
            if not _in_zones(m.start("num"), zones):
                title, end = _title_after(norm, m.end(), len(norm))
                heads.append(_Head(m.start("num"), end, int(m.group("num")), title, "l1"))
    first_numbered = heads[0].start if heads else len(norm)
    for m in _UNNUMBERED.finditer(norm, 0, first_numbered):
        if _bounded(norm, m.start(), _SENT_BOUND) and not _in_zones(m.start(), zones):
            heads.append(_Head(m.start("title"), m.end("title"), None, m.group("title"), "unnumbered"))
    for m in _ATTACH.finditer(norm):
        if not _bounded(norm, m.start(), _SENT_BOUND):
            continue
        title, end = _title_after(norm, m.end(), len(norm))
        if ("统计" in title or m.group().strip().startswith("附表")) and not _in_zones(m.start(), zones):
            heads.append(
                _Head(m.start() + len(m.group()) - len(m.group().lstrip()), end, None, title, "attach")
            )
    for a, b in zones:
        heads.append(_table_head(norm, a, b))
    heads.sort(key=lambda h: h.start)
    return _dedupe_heads(heads)


_TABLE_CAPTION_END = re.compile(r"\n|指\s*标\s*名\s*称|统\s*计\s*指\s*标")


def _table_head(norm: str, a: int, b: int) -> _Head:
    """A statistics-table section starting at its caption (附件1：…统计表) or header row."""
    m = _TABLE_CAPTION_END.search(norm, a, min(b, a + 80))
    end = m.start() if m and m.start() > a else min(b, a + 20)
    title = norm[a:end].strip() or "统计表"
    return _Head(a, a + len(norm[a:end].rstrip()), None, title, "table")


def _dedupe_heads(heads: list[_Head]) -> list[_Head]:
    """Drop a heading inside the title of the previous one, and a table start right after its own caption."""
    out: list[_Head] = []
    for h in heads:
        if (
            out
            and h.start < max(out[-1].title_end, out[-1].start + 1)
            and "table" in (h.family, out[-1].family)
        ):
            continue
        if (
            out
            and h.family == "table"
            and _head_topic(out[-1]) == "statistics_table"
            and h.start - out[-1].title_end < 60
        ):
            continue
        out.append(h)
    return out


def _head_topic(h: _Head) -> str:
    if h.family in ("table", "attach"):
        return "statistics_table"
    return topic_of(h.title)


_RUN_IN_L2 = re.compile(rf"\((?P<num>[{_CN}]{{1,3}})\)")


def _l2_matches(norm: str) -> dict[str, list[re.Match[str]]]:
    """Every level-2 marker of the text, per family (one regex pass per family)."""
    return {
        fam: [m for m in rx.finditer(norm) if _bounded(norm, m.start(), _L2_BOUND)]
        for fam, rx in _L2_FAMILIES.items()
    }


def _l2_heads(
    norm: str, lo: int, hi: int, first_pos: int, marks: dict[str, list[re.Match[str]]]
) -> list[_Head]:
    """Level-2 headings inside [lo, hi): the highest-ranked family present ((一) > 1、 > (1) > 一是)."""
    found: dict[str, list[_Head]] = {}
    for fam, ms in marks.items():
        starts = [m.start() for m in ms]
        for m in ms[bisect_left(starts, lo) : bisect_left(starts, hi)]:
            start = m.start("num") - (1 if fam in ("paren_cn", "paren_ar") else 0)
            if start < first_pos:
                continue
            title, end = _title_after(norm, m.end(), hi)
            if fam == "shi":
                title = norm[m.start("num") : end].strip()
            if len(title.strip()) < 2:
                continue
            found.setdefault(fam, []).append(_Head(start, end, None, title, fam))
        # run-in: a marker right after the level-1 title counts even without a boundary
        if fam == "paren_cn":
            m2 = _RUN_IN_L2.match(norm, first_pos)
            if m2 and not any(h.start == first_pos for h in found.get(fam, [])):
                title, end = _title_after(norm, m2.end(), hi)
                if len(title) >= 2:
                    found.setdefault(fam, []).insert(0, _Head(first_pos, end, None, title, fam))
    if not found:
        return []
    fam = next(f for f in _L2_FAMILIES if f in found)
    return sorted(found[fam], key=lambda h: h.start)


def _heading_text(text: str, h: _Head) -> str:
    return text[h.start : h.title_end].strip()


def segment(text: str, layout: str | None = None) -> list[Section]:
    """Split ``text`` into a preamble, level-1 sections and their level-2 sub-sections."""
    norm = normalized(text)
    n = len(text)
    zones = _table_zones(norm)
    heads = _l1_heads(norm, zones)
    sections: list[Section] = []
    first = heads[0].start if heads else n
    sections.append(Section(0, 0, None, "preamble", 0, first, "preamble"))
    marks = _l2_matches(norm)
    no = 1
    for i, h in enumerate(heads):
        end = heads[i + 1].start if i + 1 < len(heads) else n
        if end <= h.start:
            continue
        topic = _head_topic(h)
        sections.append(Section(no, 1, _heading_text(text, h) or h.title, topic, h.start, end, None))
        no += 1
        if topic == "statistics_table" or _in_zones(h.start, zones):
            continue
        subs = _l2_heads(norm, h.start, end, h.title_end, marks)
        for j, s in enumerate(subs):
            s_end = subs[j + 1].start if j + 1 < len(subs) else end
            if s_end <= s.start:
                continue
            st = topic
            if topic not in _L2_KEEP:
                mt = _matched_topic(s.title)
                if mt in _L2_SWITCH:
                    st = mt
            sections.append(Section(no, 2, _heading_text(text, s) or s.title, st, s.start, s_end, topic))
            no += 1
    return sections
