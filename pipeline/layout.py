"""Layout detection from the text alone (never from the year): freeform, stat2014, std2019, std2021.

Follows the priority list of docs/spec/formats.md §0, on whitespace-free normalised text so that labels
broken over lines, spaced out or glued to numbers still match.
"""

from __future__ import annotations

import re

from pipeline.text import normalize

_WS = re.compile(r"[\s|]+")

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
    "回应解读情况",
    "向图书馆、档案馆等查阅场所报送信息数",
    "政务微博公开政府信息数",
    "政务微信公开政府信息数",
)


def compact(text: str) -> str:
    """Normalised text with all whitespace and pipes removed (for anchor matching only)."""
    return _WS.sub("", normalize(text))


def detect_layout(text: str) -> str:
    """Return freeform | stat2014 | std2019 | std2021 for a report text."""
    c = compact(text)
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
        # Table 3 alone without a decisive row: the 2021 text cites 国办公开办函〔2021〕30号.
        if "国办公开办函(2021)30号" in c:
            return "std2021"
        if "国办公开办函(2019)60号" in c:
            return "std2019"
    stat_hits = sum(k in c for k in STAT14_ANCHORS)
    if ("统计指标" in c or "统计数" in c) and stat_hits >= 2:
        return "stat2014"
    return "freeform"
