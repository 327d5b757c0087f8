"""Layout detection from the text: freeform, stat2014, std2019, std2021.

Precedence (docs/metadata.md §Layout):

1. **Tables** — the anchors of docs/spec/formats.md §0 (table 2 column labels, table 3 rows, the
   stat2014 row list) decide whenever they are in the text.
2. **Free-form structure** — a preamble that enumerates a non-template structure (概述 / 回应解读 /
   咨询 / 收费 / 附表 …, without 收到和处理政府信息公开申请) makes the report free-form whatever its year.
3. **Template text** — without tables, the std family is recognised from the 2019/2021 template itself:
   the notices 国办公开办函〔2019〕60号 / 〔2021〕30号, the 《…年度报告格式》, the template's section
   wording (收到和处理政府信息公开申请情况, 总体情况 with 政府信息管理 + 平台建设), or a first section
   一、总体情况 in a report made under the 2019 条例 (国务院令第711号 / 新修订的条例) or dated 2019 or later.
4. **Version** inside the std family, when no table decides: the notice cited (30号 → std2021, 60号 →
   std2019 unless the report year is 2021 or later), 2021 narrative wording (制发…废止…现行有效), and only then the report year as a tie-break
   (2019–2020 → std2019, ≥ 2021 → std2021).
5. Otherwise ``freeform``.

Matching is done on whitespace-free normalised text so labels broken over lines or glued to numbers match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.text import normalize, strip_ws

STD21_COLS = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额")
STD19_COLS = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "采购项目数量",
    "采购总金额",
)
T3_ANCHORS = (
    "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请数量",
    "本列数据的勾稽关系",
    "本列数据的钩稽关系",
)
OT21_ROWS = ("逾期不补正", "逾期未按收费通知要求缴纳费用", "无正当理由逾期不补正")
STAT14_ANCHORS = (
    "不同渠道和方式公开相同信息计1条",
    "政府公报公开政府信息数",
    "政府网站公开政府信息数",
    "回应解读情况",
    "向图书馆、档案馆等查阅场所报送信息数",
    "政务微博公开政府信息数",
    "政务微信公开政府信息数",
)

CITE21 = "国办公开办函(2021)30号"
CITE19 = "国办公开办函(2019)60号"
FORMAT_NAME = "政府信息公开工作年度报告格式"
COND_2019 = re.compile(
    r"国务院令第711号|国令第711号|2019年修订|(?:新|重新)修订的《?中华人民共和国政府信息公开条例|修订后的《?中华人民共和国政府信息公开条例"
)
STD_SECTION3 = "收到和处理政府信息公开申请"
_FIRST_ZONGTI = re.compile(r"(?:^|[。\s>])(?:一|1)[、.]?\s*总体情况")
_ZONGTI_SUBS = (
    re.compile(r"[(（][一二三四五六七八九十][)）]\s*政府信息管理"),
    re.compile(r"[(（][一二三四五六七八九十][)）]\s*(?:政府信息公开)?平台建设"),
)
_WORDING21 = re.compile(r"制发[^。]{0,20}?废止[^。]{0,20}?现行有效")
_ENUM = re.compile(
    r"(?:包括|包含|由|分为|分|涵盖)([^。]{8,220}?)(?:等)?(?:共)?[一二三四五六七八九十\d]{1,2}个?部分"
)
_ENUM_ALT = re.compile(r"全文(?:包括|包含|共分)([^。]{8,220})。")
_NONSTD_TOPICS = re.compile(
    r"概述|回应|解读|咨询|收费|费用|人大|政协|附表|统计表|工作人员|保密审查|举报|依申请公开工作|依申请公开政府信息"
)


def compact(text: str) -> str:
    """Normalised text with all whitespace and pipes removed (for anchor matching only)."""
    return _squeeze(normalize(text))


def _squeeze(norm: str) -> str:
    """A normalised text without whitespace and pipes."""
    return strip_ws(norm).replace("|", "")


@dataclass(frozen=True)
class LayoutDecision:
    """The layout and what decided it."""

    layout: str
    basis: str  # tables | year | structure | citation | template_wording | year_tiebreak | default


def table_layout(c: str) -> str | None:
    """Layout decided by table anchors alone (formats.md §0), or None when no table is in the text."""
    has_art20 = "第二十条第(一)项" in c or "第二十条第(五)项" in c or "第二十条第(六)项" in c
    n21 = sum(k in c for k in STD21_COLS)
    n19 = sum(k in c for k in STD19_COLS)
    has_t3 = any(k in c for k in T3_ANCHORS)
    if has_art20 and (n21 or n19):
        if n21 > n19:
            return "std2021"
        if n19 > n21:
            return "std2019"
    if has_t3 or has_art20:
        if any(k in c for k in OT21_ROWS) or n21 > n19:
            return "std2021"
        if "第二十条第(九)项" in c or "政府集中采购" in c or n19 > n21:
            return "std2019"
    stat_hits = sum(k in c for k in STAT14_ANCHORS)
    if ("统计指标" in c or "统计数" in c) and stat_hits >= 2:
        return "stat2014"
    return None


def enumerated_structure(c: str) -> str | None:
    """'std' / 'freeform' from a preamble that lists the report's parts, None when there is none."""
    m = _ENUM.search(c, 0, 1500) or _ENUM_ALT.search(c, 0, 1500)
    if not m:
        return None
    parts = m.group(1)
    if STD_SECTION3 in parts or ("总体情况" in parts and not _NONSTD_TOPICS.search(parts)):
        return "std"
    if _NONSTD_TOPICS.search(parts):
        return "freeform"
    return None


def std_family_basis(c: str, norm: str, report_year: int | None) -> str | None:
    """Why the text is a std-template report without tables ('citation', 'template_wording'), or None."""
    if CITE21 in c or CITE19 in c or FORMAT_NAME in c:
        return "citation"
    if STD_SECTION3 in c:
        return "template_wording"
    if all(rx.search(c) for rx in _ZONGTI_SUBS):
        return "template_wording"
    first_zongti = _FIRST_ZONGTI.search(norm[:4000])
    if first_zongti and (COND_2019.search(c) or (report_year is not None and report_year >= 2019)):
        return "template_wording"
    return None


def std_version(c: str, report_year: int | None) -> tuple[str, str]:
    """std2019 / std2021 for a std-template text without tables, and the basis."""
    if CITE21 in c:
        return "std2021", "citation"
    if CITE19 in c and (report_year is None or report_year < 2021):
        # 60号 is also the notice on annual reports in general: a 2023 report citing it still follows the
        # 2021 format, which applies from report year 2021 (formats.md §0)
        return "std2019", "citation"
    if _WORDING21.search(c):
        return "std2021", "template_wording"
    if report_year is not None:
        return ("std2021" if report_year >= 2021 else "std2019"), "year_tiebreak"
    if "格式(试行)" in c:
        return "std2019", "citation"
    return "std2021", "default"


def decide_layout(text: str, report_year: int | None = None) -> LayoutDecision:
    """Layout with its basis, following the module's precedence."""
    return decide_layout_normalized(normalize(text), report_year)


def decide_layout_normalized(norm: str, report_year: int | None = None) -> LayoutDecision:
    """``decide_layout`` on text already passed through ``pipeline.text.normalize``."""
    c = _squeeze(norm)
    by_table = table_layout(c)
    if by_table is not None:
        return LayoutDecision(by_table, "tables")
    if report_year is not None and report_year < 2019:
        # the std templates start with report year 2019: 2012 headings that read like them are free-form
        return LayoutDecision("freeform", "year")
    if enumerated_structure(c) == "freeform":
        return LayoutDecision("freeform", "structure")
    if enumerated_structure(c) == "std" or std_family_basis(c, norm, report_year):
        layout, basis = std_version(c, report_year)
        return LayoutDecision(layout, basis)
    return LayoutDecision("freeform", "default")


def detect_layout(text: str, report_year: int | None = None) -> str:
    """Return freeform | stat2014 | std2019 | std2021 for a report text (year only as a last tie-break)."""
    return decide_layout(text, report_year).layout
