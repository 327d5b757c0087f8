"""Is a decoded text a 政府信息公开工作年度报告 at all (or a fragment of one)?

`screen_text` weighs vocabulary that only these reports use together: the title phrase, the statutory
section headings and table labels of the 2008, 2014, 2019 and 2021 formats, and the core terms (主动公开,
依申请公开, 行政复议 …). A text that reaches the threshold is a report, however short or cut; below it the
text is rejected with the most specific reason that fits (error page, CSV dump, no Chinese, too short …).
Scoring is by distinct terms, so a long text does not pass by repeating one word. Plain functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.text import strip_ws

# Title of the report itself (any era): 政府信息公开(工作)(年度)报告 / 年报, 政务公开 variants.
_TITLE = re.compile(
    r"信息公开(?:工作)?的?(?:年度|年)?(?:工作)?(?:情况)?报告|信息公开(?:工作)?年报|政务公开(?:工作)?(?:年度)?报告"
)

# Terms distinctive of these reports (strong) or common in them (weak). Each distinct term counts once,
# and only where it is not part of a longer term (政府信息公开条例 is one strong term, not also 信息公开 + 公开).
_STRONG: tuple[str, ...] = (
    "依申请公开",
    "主动公开政府信息",
    "政府信息公开申请",
    "政府信息公开条例",
    "信息公开条例",
    "收到和处理政府信息公开申请",
    "政府信息公开行政复议",
    "信息处理费",
    "不予公开",
    "部分公开",
    "申请公开",
    "公开指南",
    "公开目录",
    "政府信息公开工作",
    "主要问题及改进",
    "存在的主要问题",
    "其他需要报告的事项",
    "本年新收",
    "上年结转",
    "办理结果",
    "予以公开",
    "非本机关负责公开",
)
_WEAK: tuple[str, ...] = (
    "信息公开",
    "主动公开",
    "政务公开",
    "行政复议",
    "行政诉讼",
    "保密审查",
    "政府网站",
    "政务新媒体",
    "新闻发布会",
    "政府公报",
    "规范性文件",
    "申请人",
    "办结",
    "答复",
    "减免",
    "收费",
    "本年度",
    "年度",
    "统计",
    "公开",
    "申请",
    "政府信息",
    "公开工作",
    "政策解读",
    "知情权",
    "公开内容",
    "公开形式",
    "公开载体",
    "依法公开",
    "社会评议",
    "责任追究",
    "政府信息管理",
    "平台建设",
    "监督保障",
)
_STRONG_WEIGHT = 3
_WEAK_WEIGHT = 1
_TITLE_WEIGHT = 6
# Without the title phrase a text needs two strong terms, or one strong term and this score: a fragment of
# a report easily has it, a notice that cites the 条例 once or a news item on 政务公开 does not.
THRESHOLD = 8
MIN_STRONG = 2

_CJK = re.compile(r"[\u4e00-\u9fff]")
# Error-page phrases, in three patterns that each let the regex engine skip ahead to a likely start
# (one alternation over all of them, case-insensitive, tried every branch at every character).
_ERROR_CODE = re.compile(
    r"(?:40[0134]|50[0234])\b\s*(?:-|:|：)?\s*(?:Not Found|Forbidden|Bad Request|Unauthorized|"
    r"Internal Server Error|Bad Gateway|Service (?:Temporarily )?Unavailable|Gateway Time-?out|错误|页面)",
    re.IGNORECASE,
)
_ERROR_CN = re.compile(
    r"页面(?:不存在|未找到|找不到|已删除|已失效|无法访问)|找不到(?:您|你)?(?:要|所)?(?:访问|请求|查找)?的(?:页面|网页)|"
    r"(?:您|你)(?:所)?(?:访问|请求)的(?:页面|网页|内容)(?:不存在|已被?删除|已失效|暂时无法访问)"
)
_ERROR_CN_HINTS = ("页面", "找不到", "访问的", "请求的")  # one of these is in every _ERROR_CN match
_ERROR_EN = re.compile(r"Page Not Found|File Not Found|The requested URL was not found", re.IGNORECASE)
_WORD = re.compile(r"\w")


def _error_code(head: str) -> re.Match[str] | None:
    """The first HTTP error code with its message (404 Not Found, 500 错误) that starts a word."""
    pos = 0
    while (m := _ERROR_CODE.search(head, pos)) is not None:
        if not (m.start() and _WORD.match(head, m.start() - 1)):
            return m
        pos = m.start() + 1
    return None


def error_page_phrase(head: str) -> re.Match[str] | None:
    """The leftmost error-page phrase of ``head`` (404 Not Found, 页面不存在, Page Not Found …), if any."""
    found = [_error_code(head)]
    if any(h in head for h in _ERROR_CN_HINTS):
        found.append(_ERROR_CN.search(head))
    if "not found" in head.lower():
        found.append(_ERROR_EN.search(head))
    return min((m for m in found if m is not None), key=lambda m: m.start(), default=None)


_ERROR_PAGE_MAX = 5000  # an error page is short; a long text with those words is judged by its content
_MIN_CHARS = 20
_MIN_CJK_SHARE = 0.1
_DELIMITED_LINE = re.compile(r"^[^\n]*(?:[,;|\t][^\n]*){2,}$", re.MULTILINE)


def _short_error_page(text: str, stripped_len: int) -> re.Match[str] | None:
    """The error-page phrase of a text short enough to be an error page (a long one is not searched)."""
    return error_page_phrase(text[:_ERROR_PAGE_MAX]) if stripped_len <= _ERROR_PAGE_MAX else None


@dataclass(frozen=True)
class Evidence:
    """What `screen_text` saw: the score and the terms that made it."""

    score: int
    title: str | None
    terms: tuple[str, ...]

    @property
    def n_strong(self) -> int:
        """Number of distinct strong terms."""
        return sum(1 for t in self.terms if _WEIGHTS[t] == _STRONG_WEIGHT)

    @property
    def is_report(self) -> bool:
        """The decision: the title phrase, two strong terms, or one strong term and the threshold score."""
        strong = self.n_strong
        return self.title is not None or strong >= MIN_STRONG or (strong >= 1 and self.score >= THRESHOLD)


_WEIGHTS: dict[str, int] = {t: _WEAK_WEIGHT for t in _WEAK} | {t: _STRONG_WEIGHT for t in _STRONG}
_TERMS = re.compile("|".join(sorted(map(re.escape, _WEIGHTS), key=len, reverse=True)))


def _sample(text: str) -> str:
    """What screening reads: the first 200,000 characters without whitespace."""
    return strip_ws(text[:200_000])


def evidence(text: str, sample: str | None = None) -> Evidence:
    """Score a text by the distinct report terms it contains (title phrase, strong and weak terms)."""
    sample = _sample(text) if sample is None else sample
    title = _TITLE.search(sample)
    rest = _TITLE.sub("|", sample) if title else sample
    terms = tuple(dict.fromkeys(m.group() for m in _TERMS.finditer(rest)))
    score = (_TITLE_WEIGHT if title else 0) + sum(_WEIGHTS[t] for t in terms)
    return Evidence(score, title.group() if title else None, terms)


def _cjk_share(text: str) -> float:
    visible = strip_ws(text[:200_000])
    return len(_CJK.findall(visible)) / len(visible) if visible else 0.0


def _delimited_share(text: str) -> tuple[int, float]:
    lines = [ln for ln in text[:200_000].splitlines() if ln.strip()]
    if not lines:
        return 0, 0.0
    n = sum(1 for ln in lines if _DELIMITED_LINE.match(ln))
    return n, n / len(lines)


def _found(ev: Evidence) -> str:
    shown = ", ".join(ev.terms[:6]) if ev.terms else "none"
    return (
        f"no title phrase, {ev.n_strong} strong term(s), score {ev.score} < {THRESHOLD}; terms found: {shown}"
    )


def _rejection(text: str, ev: Evidence) -> str:
    """The most specific readable reason why a low-scoring text is not a report."""
    stripped = text.strip()
    if not stripped:
        return "not a report: no text"
    error = _short_error_page(text, len(stripped))
    if error:
        return f"not a report: looks like a web error page ({error.group().strip()!r})"
    if len(stripped) < _MIN_CHARS:
        return f"not a report: too short ({len(stripped)} characters) and no report title"
    share = _cjk_share(text)
    if share < _MIN_CJK_SHARE:
        return f"not a report: hardly any Chinese text ({share:.0%} CJK characters)"
    n_rows, row_share = _delimited_share(text)
    if n_rows >= 3 and row_share >= 0.6:
        return f"not a report: looks like a table/CSV dump ({n_rows} delimited rows) without report labels"
    return f"not a report: no sign of an information-disclosure annual report ({_found(ev)})"


def screen_text(text: str) -> tuple[bool, str | None]:
    """(True, None) when the text is an information-disclosure annual report or a fragment of one.

    Otherwise (False, reason) with a readable reason starting with "not a report: ". Short error pages
    are rejected even when their site navigation mentions 信息公开年报.
    """
    stripped_len = len(text.strip()) if text else 0
    if not stripped_len:
        return False, "not a report: no text"
    error = _short_error_page(text, stripped_len)
    short_error = error is not None
    sample = _sample(text)
    if not short_error and _TITLE.search(sample):
        return True, None  # the title phrase decides; the term count only matters for error pages
    ev = evidence(text, sample)
    if short_error and len(ev.terms) < 8:
        return False, f"not a report: looks like a web error page ({error.group().strip()!r})"
    if ev.is_report:
        return True, None
    return False, _rejection(text, ev)
