"""Standardised tables 二/三/四 (std2019, std2021): every printed cell, from every flattening.

Entry point ``parse_std_tables(text, layout) -> TableParse``. One ``Cell`` per printed value cell of
table 二 (第二十条 sub-tables), table 三 (applications) and table 四 (reviews / lawsuits), mapped to its
catalog metric id, with ``char_start``/``char_end`` into the original text.

How a table is read (see ``flatten`` for the flattenings, ``std_labels`` for the templates):

1. Regions: table 二 from its first ``第二十条第（一）项`` caption, table 三 from its 勾稽 note / header, table 四
   from its 复议 heading to section 五.
2. Labels are found by literal prefixes that tolerate whitespace between characters (vertical header
   text, wrapped labels); the values of a row are the cells that follow its label, read in the region's
   flattening (``std_t2``, ``std_t3``, ``std_t4``; shared machinery in ``std_cells``).
3. pdftotext output may print labels after their values, or a block of rows column by column; such
   tables are re-aligned by the row order of the template (exact row counts only, never by guess).
4. Crawler text with glued digits is split by ``glued`` under the table identities; what the identities
   do not decide is reported as ``ambiguous`` with a ``SPLIT-AMBIGUOUS`` check listing the readings.

Flag, never fix: printed values are kept even when they break an identity (the rules in
``pipeline.validate.rules_std`` report that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.catalog import catalog
from pipeline.tables import TableParse
from pipeline.tables.flatten import Hit, looks_glued, working_text
from pipeline.tables.std_cells import Ctx
from pipeline.tables.std_t2 import parse_t2, t2_hits
from pipeline.tables.std_t3 import T3_MATCHER, parse_t3
from pipeline.tables.std_t4 import parse_t4

# ---------------------------------------------------------------------------------------------------
# Regions (matched on the working text, tolerating whitespace inside the anchor words)


def _spaced(literal: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in literal)


_QUICK = ("第二十条", "信息内容", "稽", "本年新收", "复议", "申请人情况")
_CAPTION_SP = re.compile(r"第\s*二\s*十\s*条\s*第?\s*\(\s*[一五六八九]\s*\)\s*项")
_T3_NOTE_SP = re.compile(r"[勾钩]\s*稽\s*关\s*系|" + _spaced("申请人情况"))
_T3_FIRST_ROW_SP = re.compile(r"(?:一\s*[、.,]\s*)?" + _spaced("本年新收政府信息公开申请"))
# table 二 printed without its 第二十条 caption rows: its first header row
_T2_HEADER_SP = re.compile(_spaced("信息内容") + r"[\s|]*(?:本\s*年|上\s*一\s*年|采\s*购)")
_SEC3_SP = re.compile(r"三\s*[、.,]\s*收\s*到\s*(?:和|的)\s*处\s*理")
_T4_SP = re.compile(r"行\s*政\s*法?\s*复\s*议")
_T4_HEADING_SP = re.compile(
    r"四\s*[、.,]\s*(?:因\s*)?政\s*府\s*信\s*息\s*公\s*开\s*(?:申\s*请\s*)?行\s*政\s*法?\s*复\s*议"
)
_SEC5_SP = re.compile(r"五\s*[、.,]")
# The earliest possible start of any std table, on the raw (not yet normalised) text.
_RAW_ANCHOR = re.compile(
    r"第\s*二\s*十\s*条\s*第?\s*[(（]|信\s*息\s*内\s*容|[勾钩]\s*稽|申\s*请\s*人\s*情\s*况|本\s*年\s*新\s*收"
    r"|行\s*政\s*法?\s*复\s*议"
)


@dataclass
class Regions:
    """[start, end) of each table's region in the working text (None when absent)."""

    t2: tuple[int, int] | None
    t3: tuple[int, int] | None
    t4: tuple[int, int] | None


def find_regions(work: str, start: int = 0) -> Regions:
    """Locate tables 二, 三 and 四 in the working text (searching from ``start``)."""
    n = len(work)
    # the earlier of the first caption and the first header row: a copy that lost the (一) caption starts
    # table 二 at its 信息内容 header, before the (五) caption
    found = [m for m in (_CAPTION_SP.search(work, start), _T2_HEADER_SP.search(work, start)) if m]
    t2a = min(m.start() for m in found) if found else None
    base = t2a if t2a is not None else start
    note = _T3_NOTE_SP.search(work, base)
    first_row = _T3_FIRST_ROW_SP.search(work, base)
    t3a = note.start() if note else (first_row.start() if first_row else None)
    if note and first_row and first_row.start() < note.start() and t2a is None:
        t3a = first_row.start()
    t4_from = t3a if t3a is not None else base
    heading = _T4_HEADING_SP.search(work, t4_from)
    plain = _T4_SP.search(work, t4_from) if (t3a is not None or t2a is not None) else None
    if heading and (plain is None or heading.start() <= plain.start()):
        t4a: int | None = heading.start()
    else:
        t4a = plain.start() if plain else None
    t2 = t3 = t4 = None
    if t2a is not None:
        ends = [n]
        sec3 = _SEC3_SP.search(work, t2a)
        for x in (t3a, sec3.start() if sec3 else None, t4a):
            if x is not None and x > t2a:
                ends.append(x)
        t2 = (t2a, min(ends))
    if t3a is not None:
        ends = [n]
        if t4a is not None and t4a > t3a:
            ends.append(t4a)
        sec5 = _SEC5_SP.search(work, t3a)
        if sec5:
            ends.append(sec5.start())
        t3 = (t3a, min(ends))
    if t4a is not None:
        sec5 = _SEC5_SP.search(work, t4a)
        t4 = (t4a, sec5.start() if sec5 else n)
    return Regions(t2, t3, t4)


# ---------------------------------------------------------------------------------------------------
# Entry point


def parse_std_tables(text: str, layout: str) -> TableParse:
    """Return the cells of tables 二, 三 and 四 of a std2019 / std2021 report, plus parse-level checks."""
    out = TableParse()
    if not text or not any(q in text for q in _QUICK):
        return out
    first = _RAW_ANCHOR.search(text)
    if first is None:
        return out
    # only the text from the first table anchor on is read: normalise just that part (same length),
    # from a few characters earlier so that a row numeral before the anchor ("一、本年新收…") is included
    start = max(0, first.start() - 8)
    work = text[:start] + working_text(text[start:])
    regions = find_regions(work, start)
    spans = [s for s in (regions.t2, regions.t3, regions.t4) if s is not None]
    if not spans:
        return out
    hits_t2 = t2_hits(work, *regions.t2) if regions.t2 else []
    hits_t3 = T3_MATCHER.find(work, *regions.t3) if regions.t3 else []
    glued = looks_glued(work, _row_segments(hits_t2, regions.t2) + _row_segments(hits_t3, regions.t3))
    ctx = Ctx(work, glued, len(work.rstrip()), layout, out, catalog(), hits_t2, hits_t3, text)  # type: ignore[arg-type]
    if regions.t2 is not None:
        parse_t2(ctx, regions.t2)
    if regions.t3 is not None:
        parse_t3(ctx, regions.t3)
    if regions.t4 is not None:
        parse_t4(ctx, regions.t4)
    return out


def _row_segments(hits: list[Hit], span: tuple[int, int] | None) -> list[tuple[int, int]]:
    """The text after each data-row label, up to the next label (glued-text evidence)."""
    if span is None:
        return []
    out = []
    for k, h in enumerate(hits):
        if h.kind == "data":
            out.append((h.end, hits[k + 1].start if k + 1 < len(hits) else span[1]))
    return out
