"""Table 四 (政府信息公开行政复议、行政诉讼情况): one data row of 15 cells (复议 ×5, 直接起诉 ×5, 复议后起诉 ×5).

The data row is read after the header: the first row of plain value cells in the tab / pipe / tsv
flattenings, the numbers after the header words otherwise (skipping broken-up header words that pdftotext
puts between them). Glued digits are split under T4-REV / T4-DIR / T4-AFT; numbers that pdftotext printed out
of reading order are re-read as interleaved blocks and decided only where every consistent reading agrees.
"""

from __future__ import annotations

import re

from pipeline.records import Check
from pipeline.tables.flatten import (
    LabelMatcher,
    Tok,
    detect_mode,
    parse_cell_text,
    read_pipe,
    read_tab,
    read_ws,
)
from pipeline.tables.glued import RowSpec, interleaved_blocks
from pipeline.tables.std_cells import (
    Ctx,
    GluedRow,
    RowOut,
    Slot,
    cells_of,
    digit_count,
    drop_eof_tail,
    report_ambiguity,
    resolve_short_or_glued,
    slot_from_tok,
    slots_from_readings,
)
from pipeline.tables.std_labels import T4_COLS, T4_HEADER_CHARS, T4_HEADERS, ColDef

_T4_MATCHER = LabelMatcher(T4_HEADERS)


# ---------------------------------------------------------------------------------------------------
# Table 四

_T4_COLDEFS = tuple(ColDef(mid, label, "count") for mid, label in T4_COLS)
_T4_SPEC = RowSpec(["count"] * 15, {4: (0, 1, 2, 3), 9: (5, 6, 7, 8), 14: (10, 11, 12, 13)}, 6)
_ROW_BREAK_TAB = re.compile(r"\n[ \r]*\n")  # a bare TAB line is a blank cell, not a row break
_NEWLINE = re.compile(r"\n")
_PLAIN_CELL = re.compile(r"[+-]?\d+(?:\.\d+)?|-{1,2}|/|无|")


def _pieces(work: str, a: int, b: int, sep: re.Pattern[str]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    prev = a
    for m in sep.finditer(work, a, b):
        out.append((prev, m.start()))
        prev = m.end()
    out.append((prev, b))
    return [(s, e) for s, e in out if work[s:e].strip()]


def _t4_row_structured(work: str, a: int, b: int, mode: str) -> list[Tok]:
    """The data row of table 四 in the tab / pipe flattenings: the first row made only of value cells."""
    rows = _t4_value_rows(work, a, b, mode, first_only=True)
    return rows[0][2] if rows else []


# Captions of table 四 printed as three 5-column blocks (行政复议 / 未经复议直接起诉 / 复议后起诉).
_BLOCK_CAPTIONS = (
    ("review", re.compile(r"行政复议(?!后)")),
    ("direct", re.compile(r"未经复议直接起诉")),
    ("after", re.compile(r"复议后起诉")),
)


def _t4_blocks(work: str, a: int, b: int, mode: str) -> list[Tok]:
    """Table 四 printed as three captioned 5-cell rows: the 15 cells in template order, else []."""
    rows = _t4_value_rows(work, a, b, mode)
    if len(rows) != 3 or any(
        sum(t.kind != "blank" for t in toks) != 5 or len(toks) != 5 for _s, _e, toks in rows
    ):
        return []
    found: dict[str, list[Tok]] = {}
    prev = a
    for s, e, toks in rows:
        between = work[prev:s]
        last = {k: max((m.start() for m in rx.finditer(between)), default=-1) for k, rx in _BLOCK_CAPTIONS}
        kind = max(last, key=lambda k: last[k])  # the caption nearest above the row
        if last[kind] < 0 or kind in found:
            return []
        found[kind] = toks
        prev = e
    if len(found) != 3:
        return []
    return [*found["review"], *found["direct"], *found["after"]]


def _t4_value_rows(
    work: str, a: int, b: int, mode: str, first_only: bool = False
) -> list[tuple[int, int, list[Tok]]]:
    """Rows made only of value cells (≥ 5 cells), in order: (start, end, tokens)."""
    out: list[tuple[int, int, list[Tok]]] = []
    for s, e in _pieces(work, a, b, _ROW_BREAK_TAB if mode == "tab" else _NEWLINE):
        body = work[s:e]
        parts = (
            body.split("\n\t") if mode == "tab" else body.split("\t") if mode == "tsv" else body.split("|")
        )
        if len(parts) < 5 or not all(_PLAIN_CELL.fullmatch(p.strip()) for p in parts):
            continue
        if mode == "tab":
            ok = work[s - 1] == "\n" and work[s] == "\t"
            toks = read_tab(work, s - 1, min(b, e + 1)) if ok else []  # + the row's line end
        elif mode == "tsv":
            toks = _tsv_line_cells(work, s, e)
        else:
            toks = read_pipe(work, s, e, False)
        if any(t.kind != "blank" for t in toks):
            out.append((s, e, toks))
            if first_only:
                break
    return out


def _tsv_line_cells(work: str, s: int, e: int) -> list[Tok]:
    """Every TAB-separated cell of a row line (the first cell included: the row has no label)."""
    toks: list[Tok] = []
    pos = s
    for piece in work[s:e].split("\t"):
        tok = parse_cell_text(work, pos, pos + len(piece))
        if tok is None:
            return []
        if tok.kind == "blank":
            tok.start = tok.end = pos
        toks.append(tok)
        pos += len(piece) + 1
    return toks


def _t4_row_ws(work: str, a: int, b: int, glued: bool) -> tuple[list[Tok], bool]:
    """Value tokens after table 四's header, skipping broken-up header words between them (pdftotext)."""
    toks: list[Tok] = []
    interleaved = False
    i = a
    while i < b:
        part = read_ws(work, i, b, glued)
        if part:
            toks.extend(part)
            i = part[-1].end
            if len(toks) >= 15 and not glued:
                break
        j = i
        saw_header = False
        while j < b and (work[j] in " \t\r\n|" or work[j] in T4_HEADER_CHARS):
            saw_header = saw_header or work[j] in T4_HEADER_CHARS
            j += 1
        if j >= b or not (part or saw_header) or not work[j].isdigit():
            break
        if saw_header and toks:
            interleaved = True
        i = j
    return toks, interleaved


def parse_t4(ctx: Ctx, span: tuple[int, int]) -> None:
    a, b = span
    work = ctx.work
    mode = detect_mode(work, a, b)
    hits = _T4_MATCHER.find(work, a, b)
    truncated = b >= ctx.eof - 1
    cols = _T4_COLDEFS
    for h in hits:
        if mode in ("tab", "pipe", "tsv"):
            toks, interleaved = _t4_row_structured(work, h.end, b, mode), False
            if len(toks) == 5:
                toks = _t4_blocks(work, a, b, mode) or toks
            if len(toks) < 15 and mode == "pipe":
                toks = read_pipe(work, hits[-1].end, b, ctx.glued)  # a "|" line between cells, no row breaks
        else:
            toks, interleaved = _t4_row_ws(work, h.end, b, ctx.glued)
            toks = drop_eof_tail(toks, ctx.eof)
        vals = [t for t in toks if t.kind != "blank"]
        if not vals:
            continue
        enough = len(toks) >= 15 or (ctx.glued and digit_count(vals) >= 15)
        if not enough and not truncated:
            continue  # a number in a sentence, not the data row: try the next header word
        if mode != "ws":
            slots = [slot_from_tok(t, c, None) for t, c in zip(toks[:15], cols, strict=False)]
        else:
            res = resolve_short_or_glued(
                ctx, toks, cols, _T4_SPEC, "T4-REV,T4-DIR,T4-AFT", "表四", "", None, truncated
            )
            if isinstance(res, GluedRow):
                run_text = work[res.start : res.end]
                slots = slots_from_readings(
                    res.readings, None, res.rules, cols, (res.start, res.end), run_text, None
                )
                report_ambiguity(
                    ctx, slots, res.readings, cols, "表四", "", run_text, "TOO-MANY-READINGS" in res.rules
                )
            else:
                slots = res
                if (
                    interleaved
                    and len(vals) == 15
                    and all(t.kind == "num" for t in vals)
                    and not _t4_holds(vals)
                ):
                    readings = interleaved_blocks([t.value or 0.0 for t in vals], 5, 3)
                    if readings:
                        slots = _t4_from_blocks(ctx, vals, readings)
        ctx.out.cells += cells_of(RowOut("t4", 1, "行政复议/行政诉讼", "", cols, slots), ctx.cat)
        return


def _t4_holds(toks: list[Tok]) -> bool:
    v = [t.value or 0.0 for t in toks]
    return all(abs(sum(v[k : k + 4]) - v[k + 4]) < 1e-9 for k in (0, 5, 10))


def _t4_from_blocks(ctx: Ctx, toks: list[Tok], readings: list[tuple[tuple[int, ...], ...]]) -> list[Slot]:
    """Cells of a table 四 printed out of reading order: decided where all consistent readings agree."""
    slots: list[Slot] = []
    for j in range(15):
        blk, pos = divmod(j, 5)
        choices = {r[blk][pos] for r in readings}
        if len({toks[i].value for i in choices}) == 1:
            t = toks[min(choices)]
            slots.append(
                Slot("ok", t.raw, t.value, t.start, t.end, decided_by="T4-ORDER,T4-REV,T4-DIR,T4-AFT")
            )
        else:
            slots.append(Slot("ambiguous", None, None, toks[0].start, toks[-1].end))
    amb = [_T4_COLDEFS[j].suffix for j, s in enumerate(slots) if s.status == "ambiguous"]
    if amb:
        shown = " | ".join("; ".join("/".join(toks[i].raw for i in blk) for blk in r) for r in readings[:6])
        ctx.out.checks.append(
            Check(
                rule_id="SPLIT-AMBIGUOUS",
                status="ambiguous",
                strength="info",
                severity="warning",
                scope="表四",
                metric_ids=amb,
                message=f"表四 numbers out of reading order; {len(readings)} block readings fit: {shown}",
            )
        )
    return slots
