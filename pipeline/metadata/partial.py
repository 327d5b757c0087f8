"""Is the text the whole report or a truncated copy, and what is missing?

A text is judged truncated when

- it ends mid-sentence, on a heading, or inside a table whose last row is not the table's final row
  (after page chrome such as 附件下载, page numbers and a trailing site label are cut off), or
- it has a std layout and some of the six template sections are not there (also a fragment that starts
  after 一、总体情况), or
- its preamble announces more parts (共九个部分 / 七部分) than the text has.

A captured page end (附件下载 / 打印本页 …) means the page was copied to its end: such a text is taken as
complete, because what the page itself lacks was never published there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.metadata.header import Tail
from pipeline.metadata.names import is_name

_TERMINAL = tuple("。！？!?；;…")
_CLOSERS = "”’」』）)】"
_DATE_END = re.compile(
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$|(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月$"
)
_FINAL_ROW = re.compile(r"(?:诉讼|申诉|申述|举报|投诉|复议|培训人员)数?[^\d]{0,6}?[\d\s]+$")
_HEADING = re.compile(
    r"(?:^|(?<=[\s。>]))(?P<num>[一二三四五六七八九十]{1,2}|[1-9])[、.．]\s*(?P<title>[^\s。，,；;：:\d]{2,30})"
)
_CLOSING_LINE = re.compile(
    r"(?:附件|附表)[:：\d一二三四五六七八九十]|.{0,20}(?:电话|邮编|传真|邮箱|地址)[:：]"
)
_NUMBERED = re.compile(r"[(（]?[一二三四五六七八九十\d]{1,2}[)）、.]?.{0,30}")
_NOTHING_TO_ADD = re.compile(r"其他(?:需要)?(?:报告|说明)?的?事项\s*无[^。]{0,20}$")
_ENUM_COUNT = re.compile(r"(?:共|等)?([一二三四五六七八九十]{1,2}|\d{1,2})个?部分(?:组成|内容)?")
# 报告由概述,主动公开政府信息,…等内容以及附表组成: the parts listed without a count
_ENUM_PARTS = re.compile(
    r"(?:全文|报告|年报|主要内容)(?:由|包括|包含)[:：]?([^。]{6,200}?)(?:等)?(?:内容|方面)?"
    r"(?:以及|和|及)?(?:附表)?(?:组成|构成|。)"
)
_CN_NUM = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}

_NUM = {
    1: r"(?:一|1|第一部分)",
    2: r"(?:二|2|第二部分)",
    3: r"(?:三|3|第三部分)",
    4: r"(?:四|4|第四部分)",
    5: r"(?:五|5|第五部分)",
    6: r"(?:六|6|第六部分)",
}
_SEP = r"\s*[、.．:：]?\s*"
STD_TOPICS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("overview", "一、总体情况", re.compile(_NUM[1] + _SEP + r"(?:总体情况|概述|基本情况)")),
    ("proactive", "二、主动公开政府信息情况", re.compile(_NUM[2] + _SEP + r"主动公开")),
    (
        "requests",
        "三、收到和处理政府信息公开申请情况",
        re.compile(_NUM[3] + _SEP + r"(?:收到和处理|[^。\d]{0,6}依申请)"),
    ),
    (
        "review",
        "四、政府信息公开行政复议、行政诉讼情况",
        re.compile(_NUM[4] + _SEP + r"[^。\d]{0,16}(?:复议|诉讼)"),
    ),
    ("problems", "五、存在的主要问题及改进情况", re.compile(_NUM[5] + _SEP + r"[^。\d]{0,10}(?:问题|改进)")),
    ("other", "六、其他需要报告的事项", re.compile(_NUM[6] + _SEP + r"其他")),
)
STD_TABLES = (
    ("table 2", re.compile(r"第二十条第\s*[(（]\s*一\s*[)）]\s*项")),
    ("table 3", re.compile(r"本年新收\s*政府信息公开申请|本年度办理结果")),
    ("table 4", re.compile(r"尚未审结|复议后起诉|未经复议直接起诉")),
)


@dataclass(frozen=True)
class Heading:
    """A level-1 heading: its number, text and offset."""

    number: int
    numeral: str
    title: str
    start: int


def _num(s: str) -> int:
    if s.isdigit():
        return int(s)
    if len(s) == 1:
        return _CN_NUM.get(s, 0)
    if s[0] == "十":
        return 10 + _CN_NUM.get(s[1], 0)
    return _CN_NUM.get(s[0], 0) * 10 + (_CN_NUM.get(s[1], 0) if s[1] != "十" else 0)


def headings(norm: str, start: int, end: int) -> list[Heading]:
    """Level-1 headings (一、… / 1、…) in text order."""
    return [
        Heading(_num(m.group("num")), m.group("num"), m.group("title"), m.start())
        for m in _HEADING.finditer(norm, start, end)
    ]


def ending_state(norm: str, end: int) -> str:
    """How the text ends: complete | mid_sentence | heading | mid_table for the text ending at ``end``."""
    body = norm[:end].rstrip()
    if not body:
        return "mid_sentence"
    tail = body.rstrip(_CLOSERS)
    if tail.endswith(_TERMINAL):
        return "complete"
    if _DATE_END.search(body[-12:]):
        return "complete"
    last_line = body[body.rfind("\n", max(0, len(body) - 200)) + 1 :].strip()
    if _CLOSING_LINE.match(last_line) or is_name(last_line.split()[-1] if last_line.split() else ""):
        return "complete"  # a signature name, an attachment list or a contact line closes the report
    if body[-1].isdigit():
        return "complete" if _FINAL_ROW.search(body[-40:]) else "mid_table"
    if _HEADING.fullmatch(last_line) or (
        _NUMBERED.fullmatch(last_line) and (last_line.endswith(":") or len(last_line) <= 4)
    ):
        return "heading"
    if _NOTHING_TO_ADD.search(body[-60:]):
        return "complete"
    return "mid_sentence"


def _missing_std(norm: str, start: int, end: int) -> tuple[list[str], list[str], bool]:
    """Std sections and tables not found, and whether the text starts after 一、总体情况."""
    found = {key for key, _label, rx in STD_TOPICS if rx.search(norm, start, end)}
    missing = [label for key, label, _rx in STD_TOPICS if key not in found]
    tables = [name for name, rx in STD_TABLES if not rx.search(norm, start, end)]
    starts_late = "overview" not in found and len(found) > 0
    return missing, tables, starts_late


def _listed_parts(norm: str, start: int, end: int) -> int:
    """How many parts a preamble lists by name (separated by commas, else by 、), 0 without a list."""
    m = _ENUM_PARTS.search(norm, start, min(end, start + 1500))
    if m is None:
        return 0
    parts = m.group(1)
    sep = "," if "," in parts else "、"
    return sum(1 for p in parts.split(sep) if p.strip())


def judge_partial(norm: str, body_start: int, tail: Tail, layout: str | None) -> tuple[bool, str | None]:
    """(is_partial, reason) for one report."""
    end = tail.content_end
    state = "complete" if tail.page_end_marker else ending_state(norm, end)
    reasons: list[str] = []
    hs = headings(norm, max(body_start, end - 3000), end) if state != "complete" else []
    last = hs[-1] if hs else None
    where = f" in {last.numeral}、{last.title}" if last else ""
    if state == "mid_sentence":
        reasons.append(f"text ends mid-sentence{where}")
    elif state == "heading":
        reasons.append(f"text ends on a heading{where}")
    elif state == "mid_table":
        reasons.append("text ends inside a statistics table")
    if layout in ("std2019", "std2021") and not tail.page_end_marker:
        missing, tables, starts_late = _missing_std(norm, body_start, end)
        if starts_late:
            reasons.append("text starts after 一、总体情况 (a fragment of the report)")
        if missing and (reasons or len(missing) >= 2):
            reasons.append(f"missing {layout} sections: {', '.join(missing)}")
            if tables:
                reasons.append(f"missing {', '.join(tables)}")
    elif not reasons and not tail.page_end_marker:
        announced = _ENUM_COUNT.search(norm, body_start, min(end, body_start + 1500))
        n_parts = _num(announced.group(1)) if announced else _listed_parts(norm, body_start, end)
        numbered = {h.number for h in headings(norm, body_start, end)} if n_parts else set()
        if n_parts and len(numbered) < n_parts - 1 and max(numbered, default=0) < n_parts - 1:
            reasons.append(f"preamble announces {n_parts} parts, {len(numbered)} found")
    if not reasons:
        return False, None
    return True, "; ".join(reasons)
