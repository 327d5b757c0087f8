"""How flattened tables look as text, and how to read cells back out of them.

A table cut out of a web page or a PDF reaches us in one of a few *flattenings*:

- ``tab``: every cell is a line starting with TAB, continuation lines without TAB, rows separated by a
  blank line, empty cells as a bare TAB (seed 004). Blank cells are explicit.
- ``pipe``: cells separated by ``|`` (``| a | b |`` rows, or a ``|`` line between cells). Blank cells are explicit.
- ``tsv``: one row per line, cells joined by TAB (HTML-to-text converters); blank cells are explicit.
- ``ws``: cells separated by whitespace only: one cell per line, rows squeezed onto one line, ``pdftotext``
  and ``pdftotext -layout`` output. Blank cells vanish.
- ``glued``: crawler text with cells concatenated without any separator (``规范性文件898989``); a property of
  the whole document, read like ``ws`` but digit runs may hold several cells (see ``pipeline.tables.glued``).

This module knows nothing about which table or row is being read. It offers:
``working_text`` (normalised, page numbers blanked, same length as the original), ``Compact`` (a
whitespace-free view of a region for label matching, with offsets mapped back), ``detect_mode``,
``looks_glued`` and ``read_cells`` (value tokens of one segment of text, with their offsets).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.text import normalize, strip_ws

# Page numbers of PDF text ("-3-", "- 3 -", "—3 —" → normalised to "-"): blanked, they are not cells.
_PAGE_NO = re.compile(
    r"(?m)^[ \t]*(?:-[ \t]*\d{1,3}[ \t]*-|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*[,/]?[ \t]*共[ \t]*\d{1,3}[ \t]*页)?)[ \t]*$"
)
_NON_SPACE = re.compile(r"\S+")


def working_text(text: str) -> str:
    """Normalised text with page-number lines blanked; same length as ``text`` (offsets carry over)."""
    work = normalize(text)
    if "-" in work or "页" in work:
        work = _PAGE_NO.sub(lambda m: " " * len(m.group()), work)
    return work


@dataclass(slots=True)
class Hit:
    """A label found in the text: template key, kind and its [start, end) in the original offsets."""

    key: str
    kind: str
    start: int
    end: int
    label: str  # as printed, whitespace removed


_PAREN = re.compile(r"\([^()]{0,200}\)")


def spaced(literal: str) -> str:
    """Regex for a literal that tolerates whitespace between its characters (vertical / wrapped labels)."""
    return r"\s*".join(re.escape(ch) for ch in literal)


class LabelMatcher:
    """Finds printed labels of one table in one pass.

    Each spec (``key, kind, core, prefix, required, not_followed`` — see ``std_labels.RowDef``) contributes
    its literal core to one alternation; numerals before a core are attached by a short look-back, so that
    "…申请10000012.申请人逾期" yields the label "2.申请人逾期…" and the digits "1000001".
    """

    def __init__(self, specs: Sequence[object]):
        self._specs = list(specs)
        cores = [sp.core for sp in self._specs]  # type: ignore[attr-defined]
        if len(set(cores)) != len(cores):
            raise ValueError("label cores must be unique within a table")
        self._by_core = {c: i for i, c in enumerate(cores)}
        # a plain alternation (no named groups) keeps the regex engine's first-character scan fast
        self._rx = re.compile("|".join(spaced(c) for c in sorted(cores, key=len, reverse=True)))
        self._pre = [
            re.compile(r"(?:" + sp.prefix + r")\s*\Z") if sp.prefix else None  # type: ignore[attr-defined]
            for sp in self._specs
        ]

    def find(self, work: str, a: int, b: int) -> list[Hit]:
        """Hits in work[a:b], in text order, none inside an appended "(…)" note of another label."""
        out: list[Hit] = []
        pstarts: list[int] | None = None
        pends: list[int] = []
        last_end = a
        for m in self._rx.finditer(work, a, b):
            core = m.group()
            i = self._by_core.get(core)
            if i is None:
                i = self._by_core[strip_ws(core)]
            sp = self._specs[i]
            start, end = m.start(), m.end()
            if sp.not_followed:  # type: ignore[attr-defined]
                k = end
                while k < b and work[k] in " \t\r\n":
                    k += 1
                if any(work.startswith(x, k) for x in sp.not_followed):  # type: ignore[attr-defined]
                    continue
            pre = self._pre[i]
            if pre is not None:
                pm = pre.search(work, max(last_end, start - 14), start)
                if pm is not None:
                    lead = work[pm.start() : start]
                    start = pm.start() + len(lead) - len(lead.lstrip())
                elif sp.required:  # type: ignore[attr-defined]
                    continue
            if pstarts is None:
                spans = [(p.start(), p.end()) for p in _PAREN.finditer(work, a, b)]
                pstarts = [x for x, _ in spans]
                pends = [y for _, y in spans]
            k = bisect_right(pstarts, start) - 1
            if k >= 0 and pstarts[k] < start < pends[k]:
                continue  # inside a note such as "(指行政许可以外的…)"
            lab = work[start:end]
            if not lab.isalnum():
                lab = strip_ws(lab)
            out.append(Hit(sp.key, sp.kind, start, end, lab))  # type: ignore[attr-defined]
            last_end = end
        return out


_INNER_TAB = re.compile(r"[^\s]\t")


def detect_mode(work: str, a: int, b: int) -> str:
    """Flattening of the region work[a:b]: 'tab', 'tsv', 'pipe' or 'ws'."""
    tabs = work.count("\n\t", a, b)
    pipes = work.count("|", a, b)
    inner = len(_INNER_TAB.findall(work, a, b)) if "\t" in work[a:b] else 0
    if inner >= 8 and inner >= tabs and inner >= pipes:
        return "tsv"
    if tabs >= 8 and tabs >= pipes:
        return "tab"
    if pipes >= 8:
        return "pipe"
    return "ws"


# "0000000", "023", "00": a digit run with a leading zero is never one printed cell.
_LEADING_ZERO_RUN = re.compile(r"(?<![\d.,:/\-])0\d")


def looks_glued(work: str, row_segments: list[tuple[int, int]]) -> bool:
    """Whether cells are concatenated without separators (crawler text).

    ``row_segments`` are the stretches of text that follow each data-row label (up to the next label).
    Evidence, counted per row: a multi-digit run with a leading zero ("0000000", "023"), or the label
    running straight into its digits ("行政许可1396"). Glued when at least two rows and a quarter of the
    rows with digits show it: one stray phone number or date never switches a document to glued.
    """
    with_digits = evidence = 0
    for a, b in row_segments:
        seg = work[a : min(b, a + 80)]
        if not any(ch.isdigit() for ch in seg):
            continue
        with_digits += 1
        if seg[:1].isdigit() or _LEADING_ZERO_RUN.search(seg):
            evidence += 1
    return evidence >= 2 and evidence * 4 >= with_digits


# ---------------------------------------------------------------------------------------------------
# Values as printed in a cell

_VALUE = re.compile(
    r"(?P<sign>[+-]|增加|减少)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:[ \t]?(?P<unit>万元|亿元|万|亿|元))?"
    r"|(?P<null>-{1,2}|/|\\|无|空|N/A|n/a)"
)
_CELL_FULL = re.compile(r"[ \t\r\n]*(?:" + _VALUE.pattern + r")[ \t\r\n]*")
_SEP = frozenset(" \t\r\n|")


@dataclass(slots=True)
class Tok:
    """One cell read from the text (a value, a null marker or an explicit blank)."""

    kind: str  # num | null | blank
    raw: str  # as printed (stripped)
    start: int
    end: int
    value: float | None = None
    unit: str | None = None  # 万 / 万元 / 元 / 亿 / 亿元 when printed
    signed: bool = False
    para: int = 0  # blank-line separated paragraph index within the segment
    line: int = 0  # line index within the segment
    col: int = 0  # character column within its line (for -layout alignment)


def to_number(num: str, sign: str | None) -> float:
    """Numeric value of a printed number string with an optional sign word."""
    v = float(num.replace(",", "")) if "," in num else float(num)
    return -v if sign in ("-", "减少") else v


def _tok_from_match(m: re.Match[str], work: str) -> Tok:
    sign, num, unit, null = m.group("sign", "num", "unit", "null")
    if null is not None:
        return Tok("null", null, m.start("null"), m.end("null"))
    end = m.end("unit") if unit else m.end("num")
    start = m.start("sign") if sign else m.start("num")
    v = float(num.replace(",", "")) if "," in num else float(num)
    if sign in ("-", "减少"):
        v = -v
    return Tok("num", work[start:end] if (sign or unit) else num, start, end, v, unit, signed=bool(sign))


def parse_cell_text(work: str, a: int, b: int) -> Tok | None:
    """The cell work[a:b] as one value / null marker / blank, or None when it holds other text."""
    s = work[a:b]
    if not s.strip():
        return Tok("blank", "", a, a)
    m = _CELL_FULL.fullmatch(work, a, b)
    if m is None:
        return None
    return _tok_from_match(m, work)


# ---------------------------------------------------------------------------------------------------
# Reading the cells that follow a row label


def _skip_paren(work: str, i: int, b: int) -> int:
    r"""Index after the bracket group opening at work[i] == '(' (or i + 1 when it is not a plain note).

    A note appended to a label ("(指2019年事项数)") is skipped whole; a bracket that wraps over lines
    around the row's values (``pdftotext -layout``: "（区分处理的，只计这一情\n  447  7 …\n  形…）") is not.
    """
    j = work.find(")", i, min(b, i + 160))
    if j < 0:
        return i + 1
    inner = work[i:j]
    if "\n" in inner and any(ch.isdigit() for ch in inner):
        return i + 1
    return j + 1


_COUNT_WORDS = frozenset("件条项个次人篇份户名家起宗期场")
_LEAD_STOP = re.compile(r"[\d(/\\\-+无空Nn增减]")
_SEPS = re.compile(r"[ \t\r\n|]*")
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def _clean(work: str, m: re.Match[str], a: int, b: int, glued: bool) -> bool:
    """A value match is a cell only when delimited: separators (or, in glued text, any non-digit) around it."""
    j = m.start()
    prev = work[j - 1] if j > a else " "
    signed = m.group("sign") in ("-", "+")
    # glued text: any non-digit may precede a cell, and a sign always starts a new one ("2648-18538")
    if not (j == a or prev in _SEP or prev == ")" or (glued and (signed or not prev.isdigit()))):
        return False
    e = m.end()
    if (
        e < b
        and work[e] not in _SEP
        and not (glued and work[e] in "-+" and e + 1 < b and work[e + 1].isdigit())
    ):
        return False
    if m.group("num") is not None:
        k = e
        while k < b and work[k] in " \t":
            k += 1
        if k < b and work[k] in _COUNT_WORDS:
            return False  # "予以公开 5 件": a quantity in a sentence, not a table cell
    if m.group("null") is not None and m.group("null") in ("-", "--") and e < b and work[e].isdigit():
        return False
    return True


def read_ws(work: str, a: int, b: int, glued: bool) -> list[Tok]:
    """Value tokens of work[a:b] separated by whitespace (``ws``/``glued`` flattenings).

    Leading label text (a wrapped label's continuation, an appended explanation in brackets) is skipped
    as long as it holds no digits. Reading stops at the first text after the values. A token must be
    delimited: whitespace, ``|`` or the segment bounds on both sides (in glued text any non-digit may precede).
    """
    i = a
    while True:  # leading text
        sm = _LEAD_STOP.search(work, i, b)
        if sm is None:
            return []
        j = sm.start()
        if work[j] == "(":
            i = _skip_paren(work, j, b)
            continue
        m = _VALUE.match(work, j, b)
        if m is not None and _clean(work, m, a, b, glued):
            i = j
            break
        if work[j].isdigit():
            return []  # a number glued to text ("2021年"): not a cell, and nothing after it is ours
        i = j + 1
    toks: list[Tok] = []
    while i < b:
        m = _VALUE.match(work, i, b)
        if m is None or not _clean(work, m, a, b, glued):
            break
        toks.append(_tok_from_match(m, work))
        i = _SEPS.match(work, m.end(), b).end()  # type: ignore[union-attr]
    if toks:
        _place(work, toks, a, toks[-1].end)
    return toks


def _place(work: str, toks: list[Tok], a: int, b: int) -> None:
    """Line, paragraph and column of each token (for column-major and -layout detection)."""
    blanks = [m.start() for m in _BLANK_LINE.finditer(work, a, b)]
    line = 0
    prev = a
    for t in toks:
        line += work.count("\n", prev, t.start)
        prev = t.start
        t.line = line
        t.para = bisect_right(blanks, t.start)
        t.col = t.start - (work.rfind("\n", 0, t.start) + 1)


_NT = re.compile(r"\n\t")
_BLANK_LINE_END = re.compile(r"\n[ \r]*$|\n[ \r]*\n")


def read_tab(work: str, a: int, b: int) -> list[Tok]:
    r"""Cells of work[a:b] in the ``tab`` flattening: each ``\\n\\t`` starts a cell; a blank line ends the row."""
    toks: list[Tok] = []
    ms = list(_NT.finditer(work, a, b))
    if not ms or _BLANK_LINE_END.search(work, a, ms[0].start()):
        return toks  # no cells, or the label's row ended before any value
    for k, m in enumerate(ms):
        cs = m.end()
        last = k + 1 == len(ms)
        ce = b if last else ms[k + 1].start()
        if last and not work[cs:ce].strip() and "\n" not in work[cs:ce]:
            break  # the cell that holds the next label
        end_m = _BLANK_LINE_END.search(work, cs, ce)
        content_end = end_m.start() if end_m else ce
        tok = parse_cell_text(work, cs, content_end)
        if tok is None:
            break
        if tok.kind == "blank":
            tok.start = tok.end = cs
        toks.append(tok)
        if end_m:
            break
    return toks


def read_pipe(work: str, a: int, b: int, glued: bool) -> list[Tok]:
    """Cells of work[a:b] in the ``pipe`` flattening (the first piece is the rest of the label cell)."""
    toks: list[Tok] = []
    pieces: list[tuple[int, int]] = []
    prev = a
    i = work.find("|", a, b)
    while i >= 0:
        pieces.append((prev, i))
        prev = i + 1
        i = work.find("|", prev, b)
    pieces.append((prev, b))
    if len(pieces) < 2:
        return read_ws(work, a, b, glued)
    head = read_ws(work, pieces[0][0], pieces[0][1], glued)
    toks.extend(head)  # "规章 0 | 0 | 0" keeps its first value in the label piece
    for k, (cs, ce) in enumerate(pieces[1:], start=1):
        last = k == len(pieces) - 1
        if last and (not work[cs:ce].strip() or ce >= b):
            # the piece that runs into the next label: only its values count
            toks.extend(read_ws(work, cs, ce, glued))
            break
        tok = parse_cell_text(work, cs, ce)
        if tok is None:
            inner = read_ws(work, cs, ce, glued)
            if not inner or _has_text_after(work, inner[-1].end, ce):
                break
            toks.extend(inner)
            continue
        if tok.kind == "blank":
            tok.start = tok.end = cs
        toks.append(tok)
    return toks


def _has_text_after(work: str, i: int, j: int) -> bool:
    return bool(work[i:j].strip())


def read_cells(work: str, a: int, b: int, mode: str, glued: bool) -> list[Tok]:
    """Cells following a label: tokens of work[a:b] in the region's flattening."""
    if a >= b:
        return []
    if mode == "tab":
        return read_tab(work, a, b)
    if mode == "pipe":
        return read_pipe(work, a, b, glued)
    if mode == "tsv":
        return read_tsv(work, a, b, glued)
    return read_ws(work, a, b, glued)


def read_tsv(work: str, a: int, b: int, glued: bool) -> list[Tok]:
    """Cells of the label's line in the ``tsv`` flattening (TAB between cells, one row per line)."""
    nl = work.find("\n", a, b)
    end = b if nl < 0 else nl
    pieces = work[a:end].split("\t")
    if len(pieces) < 2:
        # the label sits alone on its line (wrapped cell): its values are on the next line
        return read_tsv(work, nl + 1, b, glued) if 0 <= nl < b - 1 and not work[a:nl].strip() else []
    toks = read_ws(work, a, a + len(pieces[0]), glued)  # values left in the label's own cell
    pos = a + len(pieces[0]) + 1
    for k, piece in enumerate(pieces[1:], start=1):
        last = k == len(pieces) - 1
        tok = parse_cell_text(work, pos, pos + len(piece))
        if tok is None:
            inner = read_ws(work, pos, pos + len(piece), glued)
            if not inner:
                break
            toks.extend(inner)
        elif not (last and tok.kind == "blank" and end == b):
            if tok.kind == "blank":
                tok.start = tok.end = pos
            toks.append(tok)
        pos += len(piece) + 1
    return toks


def column_major_rows(toks: list[Tok], width: int) -> list[list[Tok]] | None:
    """Rows of a pdftotext block printed column by column, or None.

    ``pdftotext`` (without -layout) sometimes emits a block of k table rows as ``width`` paragraphs of
    k numbers each (one paragraph per column). Recognised when the tokens form exactly ``width``
    consecutive paragraphs of equal size k ≥ 2, each number on its own line.
    """
    if len(toks) < 2 * width or len(toks) % width:
        return None
    paras: list[list[Tok]] = []
    for t in toks:
        if t.kind != "num":
            return None
        if paras and paras[-1][-1].para == t.para:
            if paras[-1][-1].line == t.line:
                return None  # two numbers on one line: a row, not a column
            paras[-1].append(t)
        else:
            paras.append([t])
    if len(paras) != width:
        return None
    k = len(paras[0])
    if k < 2 or any(len(p) != k for p in paras):
        return None
    return [[paras[c][r] for c in range(width)] for r in range(k)]


def split_paragraph_runs(toks: list[Tok], width: int) -> list[tuple[str, list[list[Tok]]]]:
    """Split a ``ws`` token list into ('rows', [row-major rows]) and ('colmajor', [rows]) parts, in order.

    Row-major parts are cut into rows of ``width`` tokens (a short remainder is returned as its own row).
    """
    out: list[tuple[str, list[list[Tok]]]] = []
    # group tokens by paragraph
    paras: list[list[Tok]] = []
    for t in toks:
        if paras and paras[-1][-1].para == t.para:
            paras[-1].append(t)
        else:
            paras.append([t])
    i = 0
    flat: list[Tok] = []

    def flush() -> None:
        if flat:
            rows = [flat[j : j + width] for j in range(0, len(flat), width)]
            out.append(("rows", rows))
            flat.clear()

    while i < len(paras):
        window = paras[i : i + width]
        if len(window) == width and len(window[0]) >= 2:
            cm = column_major_rows([t for p in window for t in p], width)
            if cm is not None:
                flush()
                out.append(("colmajor", cm))
                i += width
                continue
        flat.extend(paras[i])
        i += 1
    flush()
    return out
