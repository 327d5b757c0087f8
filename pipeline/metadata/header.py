"""Page furniture around the report: crawler header lines, portal metadata fields and tail chrome.

- Crawler header (``标题: …`` / ``发布机构: …`` / ``发布时间: …`` … ``==== 正文 ====``) at the top of
  crawled page dumps; the body starts after the 正文 separator.
- Portal metadata fields copied from the page (索引号 / 发布机构 / 成文日期 / 来源 / 时间 …, also as
  ``发布机构 | 市政府办 |`` table cells), searched only in the head of the text.
- Tail chrome: page numbers (-6-, —3 —), 附件下载 / 打印本页 / 关闭窗口, a trailing site label.

Everything works on the normalised text and returns offsets valid in the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.metadata.dates import Date, find_dates

HEAD_CHARS = 1500

_BODY_SEP = re.compile(r"^=+\s*正文\s*=+[ \t]*$", re.M)
_CRAWLER_LINE = re.compile(r"^(标题|发布时间|文号|发布机构|栏目|原文链接|本地目录)[ \t]*:[ \t]*(.*)$", re.M)
FIELD_KEYS = ("信息名称", "发布机构", "发文机构", "信息来源", "来源", "发布时间", "发布日期", "成文日期", "发文日期",
              "生成日期", "更新时间", "时间")  # fmt: skip
# A key at the start of the text or after whitespace, | or >. Written key by key as X(?<![^\s|>]X)rest (X not
# after any other character) rather than behind one lookbehind, so that the pattern opens on the keys'
# first characters and the regex engine scans for them instead of trying it at every position.
_KEY_AT_BOUNDARY = "|".join(f"{k[0]}(?<![^\\s|>]{k[0]}){k[1:]}" for k in FIELD_KEYS)
_FIELD = re.compile(
    rf"(?P<key>{_KEY_AT_BOUNDARY})"
    r"[ \t]*[:|][ \t]*(?P<val>(?![^\s:|]{2,5}[ \t]*:)[^\n|]*?)(?=[ \t]*\||[ \t]{2,}|\n|$|[ \t]+[^\s:|]{2,5}[ \t]*:)",
    re.M,
)
_PAGE_END_MARKERS = (
    "附件下载",
    "相关附件",
    "打印本页",
    "关闭窗口",
    "【打印】",
    "【关闭】",
    "返回顶部",
    "分享到",
)
_PAGE_NUMBER = re.compile(r"(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?)\s*$")
_TERMINAL = "。！？!?；;…”’」』）)"
# A trailing line that names the site or column rather than continuing the report (政府信息公开年报).
_SITE_LABEL = re.compile(r"(?:年报|网站|首页|专栏|栏目|信息公开|门户网|版权所有|主办单位)$|ICP")
# Document-tail furniture after the signature date (（此件主动公开）) and a dangling table pipe.
_TAIL_FURNITURE = re.compile(r"(?:[(]此件[\u4e00-\u9fff]{2,8}[)]|\|)$")
# A trailing line that is an attached file's name (…年度报告.pdf): the page's attachment list.
_ATTACHMENT = re.compile(r"^[^\n]{1,80}\.(?:pdf|docx?|xlsx?|wps|ofd|zip|rar)$", re.I)


@dataclass
class Header:
    """Metadata fields found around the report text."""

    fields: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)  # key → (value, start, end)
    body_start: int = 0  # first character of the report body (after a crawler header)
    crawler: bool = False

    def first(self, *keys: str) -> tuple[str, int, int] | None:
        """First non-empty value among ``keys`` (in the order given)."""
        for k in keys:
            for v in self.fields.get(k, []):
                if v[0].strip():
                    return v
        return None

    def dates(self, norm: str) -> list[Date]:
        """Publication/creation dates of the page metadata."""
        out: list[Date] = []
        for k in ("成文日期", "发文日期", "发布日期", "发布时间", "生成日期", "更新时间", "时间"):
            for _v, s, e in self.fields.get(k, []):
                out.extend(find_dates(norm, s, e))
        return out


def parse_header(norm: str) -> Header:
    """Crawler header and portal fields of a normalised text."""
    h = Header()
    sep = _BODY_SEP.search(norm, 0, 3000)
    if sep:
        h.crawler = True
        h.body_start = sep.end()
        for m in _CRAWLER_LINE.finditer(norm, 0, sep.start()):
            h.fields.setdefault(m.group(1), []).append((m.group(2).strip(), m.start(2), m.end(2)))
    head_end = min(len(norm), h.body_start + HEAD_CHARS)
    for m in _FIELD.finditer(norm, h.body_start, head_end):
        h.fields.setdefault(m.group("key"), []).append((m.group("val").strip(), m.start("val"), m.end("val")))
    return h


@dataclass
class Tail:
    """Where the report content ends once page chrome is cut off."""

    content_end: int
    page_end_marker: bool  # the page's own end furniture (附件下载 …) was captured


def content_end(norm: str) -> Tail:
    """Offset just past the last report character, skipping trailing chrome and page numbers."""
    end = len(norm)
    marker = False
    while True:
        stripped = norm[:end].rstrip()
        end = len(stripped)
        hit = next((mk for mk in _PAGE_END_MARKERS if stripped.endswith(mk)), None)
        if hit:
            end -= len(hit)
            marker = True
            continue
        furniture = _TAIL_FURNITURE.search(stripped, max(0, end - 16))
        if furniture:
            end = furniture.start()
            continue
        pn = _PAGE_NUMBER.search(stripped, max(0, end - 20))
        if pn:
            end = pn.start()
            continue
        nl = stripped.rfind("\n")
        last_line = stripped[nl + 1 :].strip()
        before = stripped[:nl].rstrip() if nl > 0 else ""
        if _ATTACHMENT.match(last_line) and before:
            end, marker = nl, True
            continue
        before_ends = before and (
            before[-1] in _TERMINAL or _ATTACHMENT.match(before[before.rfind("\n") + 1 :].strip())
        )
        if 0 < len(last_line) <= 16 and _SITE_LABEL.search(last_line) and before_ends:
            end = nl
            continue
        return Tail(end, marker)
