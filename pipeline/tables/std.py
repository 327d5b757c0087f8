"""Standardised tables 二/三/四 (std2019, std2021): every printed cell, from every flattening.

Entry point ``parse_std_tables(text, layout) -> TableParse``. One ``Cell`` per printed value cell of
table 二 (第二十条 sub-tables), table 三 (applications) and table 四 (reviews / lawsuits), mapped to its
catalog metric id, with ``char_start``/``char_end`` into the original text.

How a table is read (see ``flatten`` for the flattenings, ``std_labels`` for the templates):

1. Regions: table 二 from its first ``第二十条第（一）项`` caption, table 三 from its 勾稽 note / header, table 四
   from its 复议 heading to section 五.
2. Labels are found on a whitespace-free view (vertical header text, wrapped labels, ``，``/``、`` variants all
   collapse); the values of a row are the cells that follow its label, read in the region's flattening.
3. pdftotext output may print labels after their values, or a block of rows column by column; such
   tables are re-aligned by the row order of the template (exact row counts only, never by guess).
4. Crawler text with glued digits is split by ``glued`` under the table identities; what the identities
   do not decide is reported as ``ambiguous`` with a ``SPLIT-AMBIGUOUS`` check listing the readings.

Flag, never fix: printed values are kept even when they break an identity (the rules in
``pipeline.validate.rules_std`` report that).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.catalog import catalog
from pipeline.records import Cell, Check
from pipeline.tables import TableParse
from pipeline.tables.flatten import (
    Hit,
    LabelMatcher,
    Tok,
    detect_mode,
    looks_glued,
    parse_cell_text,
    read_cells,
    read_pipe,
    read_tab,
    read_ws,
    split_paragraph_runs,
    working_text,
)
from pipeline.tables.glued import (
    Equality,
    Reading,
    RowSpec,
    RunToken,
    enumerate_readings,
    filter_readings,
    interleaved_blocks,
    solve_table,
)
from pipeline.tables.std_labels import (
    CAPTION_RE,
    LEGAL_TOTAL,
    T2_CAPTION_OF,
    T2_HEADERS,
    T2_ROWS,
    T3_APPLICANT,
    T3_BY_KEY,
    T3_COLS_7,
    T3_GROUP_CHILDREN,
    T3_ORG,
    T3_ROWS,
    T3_SUBTOTAL_HEADER,
    T4_COLS,
    T4_HEADER_CHARS,
    T4_HEADERS,
    UNIT_IN_HEADER,
    ColDef,
    t2_columns,
    t3_leaf_rows,
)

# ---------------------------------------------------------------------------------------------------
# Regions (matched on the working text, tolerating whitespace inside the anchor words)


def _spaced(literal: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in literal)


_QUICK = ("第二十条", "稽", "本年新收", "复议", "申请人情况")
_CAPTION_SP = re.compile(r"第\s*二\s*十\s*条\s*第?\s*\(\s*[一五六八九]\s*\)\s*项")
_T3_NOTE_SP = re.compile(r"[勾钩]\s*稽\s*关\s*系|" + _spaced("申请人情况"))
_T3_FIRST_ROW_SP = re.compile(_spaced("本年新收政府信息公开申请"))
_SEC3_SP = re.compile(r"三\s*[、.,]\s*收\s*到\s*(?:和|的)\s*处\s*理")
_T4_SP = re.compile(r"行\s*政\s*法?\s*复\s*议")
_T4_HEADING_SP = re.compile(
    r"四\s*[、.,]\s*(?:因\s*)?政\s*府\s*信\s*息\s*公\s*开\s*(?:申\s*请\s*)?行\s*政\s*法?\s*复\s*议"
)
_SEC5_SP = re.compile(r"五\s*[、.,]")
# The earliest possible start of any std table, on the raw (not yet normalised) text.
_RAW_ANCHOR = re.compile(
    r"第\s*二\s*十\s*条\s*第?\s*[(（]|[勾钩]\s*稽|申\s*请\s*人\s*情\s*况|本\s*年\s*新\s*收|行\s*政\s*法?\s*复\s*议"
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
    cap = _CAPTION_SP.search(work, start)
    t2a = cap.start() if cap else None
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
# Labels

_T2_MATCHER = LabelMatcher([*T2_ROWS, *T2_HEADERS])
_T3_MATCHER = LabelMatcher(T3_ROWS)
_T4_MATCHER = LabelMatcher(T4_HEADERS)
_WS = re.compile(r"\s+")


def t2_hits(work: str, a: int, b: int) -> list[Hit]:
    """Captions, header cells and row labels of table 二, in text order."""
    caps = [
        Hit("caption", "caption", m.start(), m.end(), m.group(1)) for m in CAPTION_RE.finditer(work, a, b)
    ]
    hits = _T2_MATCHER.find(work, a, b)
    if caps:
        hits = [h for h in hits if not any(c.start <= h.start < c.end for c in caps)]
    return sorted(caps + hits, key=lambda h: h.start)


# ---------------------------------------------------------------------------------------------------
# Parsing context and resolved value slots


@dataclass
class Ctx:
    """What every table parser of one report needs."""

    work: str
    glued: bool
    eof: int  # end of the text's last non-space character
    layout: str
    out: TableParse
    cat: dict[str, object]
    hits_t2: list[Hit] = field(default_factory=list)
    hits_t3: list[Hit] = field(default_factory=list)
    text: str = ""  # the original text (labels are reported as printed)


@dataclass(slots=True)
class Slot:
    """One value cell after reading/splitting, before it becomes a ``Cell``."""

    status: str  # ok | blank | null_marker | ambiguous
    raw: str | None
    value: float | None
    start: int | None
    end: int | None
    unit: str | None = None
    decided_by: str | None = None


@dataclass
class RowOut:
    """The resolved cells of one printed row."""

    table: str
    row_no: int
    label: str
    metric_prefix: str  # "" → the column suffix is the full metric id (table 四)
    cols: tuple[ColDef, ...]
    slots: list[Slot]
    col_nos: list[int] = field(default_factory=list)


_MONEY_TO_WANYUAN = {
    "万": Decimal(1),
    "万元": Decimal(1),
    "元": Decimal("0.0001"),
    "亿": Decimal(10000),
    "亿元": Decimal(10000),
}
_COUNT_MULT = {"万": Decimal(10000), "亿": Decimal(100000000)}


def convert_value(raw_num: float, unit: str | None, kind: str, header_unit: str | None) -> float:
    """Value in the catalog unit: money in 万元 (printed 元/万/亿 converted); counts multiply out 万/亿 (X-UNIT)."""
    if kind == "money":
        u = unit or header_unit
        if u in _MONEY_TO_WANYUAN and u not in ("万", "万元"):
            return float(Decimal(repr(raw_num)) * _MONEY_TO_WANYUAN[u])
        return raw_num
    if unit in _COUNT_MULT:
        return float(Decimal(repr(raw_num)) * _COUNT_MULT[unit])
    return raw_num


def _slot_from_tok(t: Tok, col: ColDef, header_unit: str | None) -> Slot:
    if t.kind == "blank":
        return Slot("blank", "", None, t.start, t.end)
    if t.kind == "null":
        return Slot("null_marker", t.raw, None, t.start, t.end)
    assert t.value is not None
    return Slot("ok", t.raw, convert_value(t.value, t.unit, col.kind, header_unit), t.start, t.end, t.unit)


def _ambiguous_slots(work: str, toks: list[Tok], n: int) -> list[Slot]:
    s, e = (toks[0].start, toks[-1].end) if toks else (None, None)
    raw = work[s:e] if s is not None else None
    return [Slot("ambiguous", raw, None, s, e) for _ in range(n)]


def _cells_of(row: RowOut, cat: dict[str, object]) -> list[Cell]:
    out: list[Cell] = []
    for j, (col, slot) in enumerate(zip(row.cols, row.slots, strict=False)):
        mid: str | None = f"{row.metric_prefix}.{col.suffix}" if row.metric_prefix else col.suffix
        if mid not in cat:
            mid = None
        out.append(
            Cell(
                table_id=row.table,
                row_no=row.row_no,
                col_no=row.col_nos[j] if row.col_nos else j + 1,
                row_label=row.label,
                col_label=col.label,
                raw=slot.raw,
                value=slot.value,
                metric_id=mid,
                status=slot.status,
                decided_by=slot.decided_by,
                char_start=slot.start,
                char_end=slot.end,
                unit_printed=slot.unit,
            )
        )
    return out


def _row_short_check(ctx: Ctx, scope: str, ids: list[str], got: int, width: int) -> None:
    ctx.out.checks.append(
        Check(
            rule_id="ROW-SHORT",
            status="ambiguous",
            strength="info",
            severity="warning",
            scope=scope,
            metric_ids=ids,
            message=f"{got} of {width} cells printed and the blank positions are unknown: no value emitted",
        )
    )


# ---------------------------------------------------------------------------------------------------
# Glued rows: candidate readings → slots


@dataclass
class GluedRow:
    """A row whose printed digits must be split: its readings and the rules that pruned them."""

    key: str
    start: int
    end: int
    readings: list[Reading]
    rules: list[str]


def _run_tokens(toks: list[Tok]) -> list[RunToken]:
    return [RunToken(t.raw.replace(" ", ""), t.start) for t in toks if t.kind == "num"]


def _digit_count(toks: list[Tok]) -> int:
    return sum(sum(ch.isdigit() for ch in t.raw) for t in toks if t.kind == "num")


def glued_readings(
    toks: list[Tok],
    spec: RowSpec,
    sum_rules: str,
    predicates: list[tuple[str, Callable[[tuple[float, ...]], bool]]] | None = None,
) -> tuple[list[Reading], list[str]]:
    """Readings of a glued row: forced sums first (dropped if nothing fits), then row predicates."""
    rtoks = _run_tokens(toks)
    readings, capped = enumerate_readings(rtoks, spec)
    rules = ["DIGITS"]
    if spec.forced:
        if readings:
            if _digit_count(toks) > len(spec.kinds):
                rules.append(sum_rules)
        elif not capped:
            readings, capped = enumerate_readings(rtoks, RowSpec(spec.kinds, {}, spec.max_digits))
    if capped:
        return [], ["TOO-MANY-READINGS"]  # an incomplete list of readings must not decide anything
    if predicates and len(readings) > 1:
        readings, applied = filter_readings(readings, predicates)
        rules += applied
    return readings, rules


def _slots_from_readings(
    readings: list[Reading],
    keep: list[int] | None,
    rules: list[str],
    cols: tuple[ColDef, ...],
    span: tuple[int, int],
    run_text: str,
    header_unit: str | None,
) -> list[Slot]:
    chosen = [readings[i] for i in keep] if keep is not None else readings
    start, end = span
    slots: list[Slot] = []
    for j, col in enumerate(cols):
        if not chosen:
            slots.append(Slot("ambiguous", run_text, None, start, end))
            continue
        vals = {(r[j].value, r[j].unit) for r in chosen}
        if len(vals) == 1:
            p = chosen[0][j]
            slots.append(
                Slot(
                    "ok",
                    p.raw,
                    convert_value(p.value, p.unit, col.kind, header_unit),
                    start,
                    end,
                    p.unit,
                    decided_by=",".join(dict.fromkeys(rules)),
                )
            )
        else:
            slots.append(Slot("ambiguous", run_text, None, start, end))
    return slots


def _report_ambiguity(
    ctx: Ctx,
    slots: list[Slot],
    readings: list[Reading],
    cols: tuple[ColDef, ...],
    scope: str,
    prefix: str,
    run_text: str,
    too_many: bool = False,
) -> None:
    amb = [j for j, s in enumerate(slots) if s.status == "ambiguous"]
    if not amb:
        return
    ids = [f"{prefix}.{cols[j].suffix}" if prefix else cols[j].suffix for j in amb]
    if not readings:
        why = "too many readings to enumerate" if too_many else "no reading fits the digits"
    else:
        why = f"{len(readings)} readings fit the identities"
    shown = " | ".join("/".join(p.raw for p in r) for r in readings[:12])
    more = f" (+{len(readings) - 12} more)" if len(readings) > 12 else ""
    ctx.out.checks.append(
        Check(
            rule_id="SPLIT-AMBIGUOUS",
            status="ambiguous",
            strength="info",
            severity="warning",
            scope=scope,
            metric_ids=ids,
            message=f"{scope} '{run_text}': {why}" + (f"; readings: {shown}{more}" if readings else ""),
        )
    )


def _resolve_short_or_glued(
    ctx: Ctx,
    toks: list[Tok],
    cols: tuple[ColDef, ...],
    spec: RowSpec,
    sum_rules: str,
    scope: str,
    prefix: str,
    header_unit: str | None,
    at_end: bool,
    predicates: list[tuple[str, Callable[[tuple[float, ...]], bool]]] | None = None,
) -> list[Slot] | GluedRow:
    """Slots of a row read in a whitespace flattening (blank cells invisible), or a GluedRow to solve."""
    width = len(cols)
    vals = [t for t in toks if t.kind != "blank"]
    if ctx.glued and vals and len(vals) < width and any(t.kind == "num" and len(t.raw) > 1 for t in vals):
        readings, rules = glued_readings(vals, spec, sum_rules, predicates)
        return GluedRow(prefix, vals[0].start, vals[-1].end, readings, rules)
    if len(vals) >= width or at_end:
        return [_slot_from_tok(t, c, header_unit) for t, c in zip(vals[:width], cols, strict=False)]
    _row_short_check(ctx, scope, [f"{prefix}.{c.suffix}" for c in cols], len(vals), width)
    return _ambiguous_slots(ctx.work, vals, width)


# ---------------------------------------------------------------------------------------------------
# Table 二


_ERA_DEFAULT = {"std2019": "2019", "std2021": "2021"}


def _t2_predicates(row_key: str, era: str) -> list[tuple[str, Callable[[tuple[float, ...]], bool]]]:
    if era == "2019" and row_key in ("rules", "normative_docs", "other_docs"):
        return [("T2-19-PUB", lambda v: v[1] <= v[2])]
    return []


_T2_ROW_BY_KEY = {r.key: r for r in T2_ROWS}


def _parse_t2(ctx: Ctx, span: tuple[int, int]) -> None:
    a, b = span
    work = ctx.work
    hits = ctx.hits_t2
    if not hits:
        return
    mode = detect_mode(work, a, b)
    subs: list[list[Hit]] = [[]]
    for h in hits:
        if h.kind == "caption" and subs[-1]:
            subs.append([])
        subs[-1].append(h)
    ends = {id(h): (hits[k + 1].start if k + 1 < len(hits) else b) for k, h in enumerate(hits)}
    seen: set[str] = set()
    for sub in subs:
        caption = next((h for h in sub if h.kind == "caption"), None)
        cap_item = caption.label if caption else None
        eras = {h.key for h in sub if h.kind == "header"}
        if "2021" in eras:
            era = "2021"
        elif "2019" in eras:
            era = "2019"
        else:
            era = _ERA_DEFAULT.get(ctx.layout, "2021")
        header_text = "".join(_WS.sub("", work[h.start : ends[id(h)]]) for h in sub if h.kind == "header")
        um = UNIT_IN_HEADER.search(header_text)
        header_unit = (um.group(1) or um.group(2)) if um else None
        rows: list[tuple[Hit, list[Tok]]] = []
        orphans: list[list[Tok]] = []
        for h in sub:
            toks = _drop_eof_tail(read_cells(work, h.end, ends[id(h)], mode, ctx.glued), ctx.eof)
            if h.kind == "data":
                if cap_item is not None and T2_CAPTION_OF[h.key] != cap_item:
                    continue  # a row label outside its own sub-table (narrative text)
                rows.append((h, toks))
            elif toks and mode == "ws" and not ctx.glued:
                orphans.append(toks)
        # pdftotext: values printed before their row label → orphan runs fill value-less rows, in order
        empty = [k for k, (_h, tk) in enumerate(rows) if not tk]
        if empty and len(empty) == len(orphans):
            if all(
                len(o) == len(t2_columns(rows[k][0].key, era)) for k, o in zip(empty, orphans, strict=True)
            ):
                for k, o in zip(empty, orphans, strict=True):
                    rows[k] = (rows[k][0], o)
        for h, toks in rows:
            cols = t2_columns(h.key, era)
            if h.key in seen or not cols or not toks:
                continue
            seen.add(h.key)
            rd = _T2_ROW_BY_KEY[h.key]
            prefix = rd.metric or ""
            at_end = ends[id(h)] >= ctx.eof - 1
            if mode == "ws":
                res = _resolve_short_or_glued(
                    ctx,
                    toks,
                    cols,
                    RowSpec([c.kind for c in cols]),
                    "",
                    f"表二 {rd.label}",
                    prefix,
                    header_unit,
                    at_end,
                    _t2_predicates(h.key, era),
                )
            else:
                res = [_slot_from_tok(t, c, header_unit) for t, c in zip(toks, cols, strict=False)]
            if isinstance(res, GluedRow):
                run_text = work[res.start : res.end]
                slots = _slots_from_readings(
                    res.readings, None, res.rules, cols, (res.start, res.end), run_text, header_unit
                )
                _report_ambiguity(
                    ctx,
                    slots,
                    res.readings,
                    cols,
                    f"表二 {rd.label}",
                    prefix,
                    run_text,
                    "TOO-MANY-READINGS" in res.rules,
                )
            else:
                slots = res
            label = printed_label(ctx.text, h, toks)
            cells = _cells_of(RowOut("t2", rd.row_no, label, prefix, cols, slots), ctx.cat)
            ctx.out.cells += cells
            _procurement_unit_check(ctx, cells, header_unit)


_LABEL_END = re.compile(r"\n\t|\|")


def printed_label(text: str, hit: Hit, toks: list[Tok]) -> str:
    """The row label as printed: from the label's start to its first value (or cell end), no whitespace."""
    end = min((t.start for t in toks if t.kind != "blank"), default=hit.end)
    end = max(hit.end, min(end, hit.start + 80))
    m = _LABEL_END.search(text, hit.end, end)
    if m is not None:
        end = m.start()
    return _WS.sub("", text[hit.start : end])


def _drop_eof_tail(toks: list[Tok], eof: int) -> list[Tok]:
    """A non-zero number running into the end of a truncated text may itself be cut off: drop it."""
    if toks and toks[-1].kind == "num" and toks[-1].end >= eof and toks[-1].raw != "0":
        return toks[:-1]
    return toks


def _procurement_unit_check(ctx: Ctx, cells: list[Cell], header_unit: str | None) -> None:
    for c in cells:
        if c.metric_id == "active.procurement.amount" and c.status == "ok" and c.value and not c.unit_printed:
            if header_unit:
                continue
            ctx.out.checks.append(
                Check(
                    rule_id="T2-19-PROC-UNIT",
                    status="fail",
                    strength="info",
                    severity="info",
                    scope="active.procurement.amount",
                    metric_ids=["active.procurement.amount"],
                    message=f"采购总金额 '{c.raw}' printed without 万/元: kept as printed (assumed 万元), unit uncertain",
                )
            )


# ---------------------------------------------------------------------------------------------------
# Table 三


@dataclass
class Group:
    """A run of value cells in table 三 and where it came from."""

    toks: list[Tok]
    hit: Hit | None
    source: str  # attached | orphan | colmajor


def _t3_columns(header: str, rows_toks: list[list[Tok]]) -> tuple[tuple[ColDef, ...], list[int]]:
    """Value columns of table 三 in printed order: 7 national, or 8 with a 法人或其他组织 小计 column."""
    eight = bool(T3_SUBTOTAL_HEADER.search(header))
    if not eight and rows_toks:
        widths = [len(t) for t in rows_toks if t]
        eight = bool(widths) and sum(1 for w in widths if w == 8) * 2 > len(widths) and 7 not in widths
    if not eight:
        return T3_COLS_7, list(range(1, 8))
    i_sub, i_biz = header.find("小计"), header.find("商业")
    if 0 <= i_sub < i_biz:
        cols: tuple[ColDef, ...] = (T3_COLS_7[0], LEGAL_TOTAL, *T3_COLS_7[1:])
    else:
        cols = (*T3_COLS_7[:6], LEGAL_TOTAL, T3_COLS_7[6])
    return cols, list(range(1, 9))


# A request or case count of table 三/四 has at most six digits (the largest national bodies report tens of
# thousands of requests a year): a digit-count constraint for splitting glued runs.
_MAX_COUNT_DIGITS = 6


def _t3_spec(cols: tuple[ColDef, ...]) -> tuple[RowSpec, str]:
    idx = {c.suffix: j for j, c in enumerate(cols)}
    forced: dict[int, tuple[int, ...]] = {}
    if "legal_total" in idx:
        lt, tot = idx["legal_total"], idx["total"]
        forced[lt] = tuple(idx[c] for c in T3_ORG) if lt > max(idx[c] for c in T3_ORG) else ()
        forced[tot] = (idx["natural_person"], lt) if tot > lt else tuple(idx[c] for c in T3_APPLICANT)
        if not forced[lt]:
            del forced[lt]
        return RowSpec(["count"] * len(cols), forced, _MAX_COUNT_DIGITS), "T3-ROW,T3-LEG"
    forced[idx["total"]] = tuple(idx[c] for c in T3_APPLICANT)
    return RowSpec(["count"] * len(cols), forced, _MAX_COUNT_DIGITS), "T3-ROW"


def _t3_equalities(keys: set[str], ncols: int, other_split: bool) -> list[Equality]:
    eqs: list[Equality] = []
    leaf_results = ["granted", "partial", *(k for g in ("wh", "un", "np") for k in T3_GROUP_CHILDREN[g])]
    leaf_results += list(T3_GROUP_CHILDREN["ot"]) if other_split else ["ot"]
    for j in range(ncols):
        if {"new", "carried_over", "total", "carried_forward"} <= keys:
            eqs.append(
                Equality("T3-BAL", (("new", j), ("carried_over", j)), (("total", j), ("carried_forward", j)))
            )
        if "total" in keys and all(k in keys for k in leaf_results):
            eqs.append(Equality("T3-RES", (("total", j),), tuple((k, j) for k in leaf_results)))
        for g, rid in (("wh", "T3-SUB-WH"), ("un", "T3-SUB-UN"), ("np", "T3-SUB-NP"), ("ot", "T3-OT21")):
            ch = T3_GROUP_CHILDREN[g]
            if g in keys and all(k in keys for k in ch) and (g != "ot" or other_split):
                eqs.append(Equality(rid, ((g, j),), tuple((k, j) for k in ch)))
    return eqs


def _parse_t3(ctx: Ctx, span: tuple[int, int]) -> None:
    a, b = span
    work, glued = ctx.work, ctx.glued
    hits = ctx.hits_t3
    mode = detect_mode(work, a, b)
    first_row = next((h for h in hits if h.kind in ("data", "group")), None)
    header = _WS.sub("", work[a : first_row.start if first_row else b])
    segs: list[tuple[Hit | None, list[Tok]]] = []
    starts: list[tuple[Hit | None, int]] = [(None, a), *((h, h.end) for h in hits)]
    for k, (h, s) in enumerate(starts):
        e = hits[k].start if k < len(hits) else b
        toks = _drop_eof_tail(read_cells(work, s, e, mode, glued), ctx.eof)
        if toks:
            segs.append((h, toks))
    attached = [[t for t in tk if t.kind != "blank"] for h, tk in segs if h is not None and h.kind == "data"]
    cols, col_nos = _t3_columns(header, attached if mode == "ws" and not glued else [])
    width = len(cols)
    groups: list[Group] = []
    for h, toks in segs:
        parts = split_paragraph_runs(toks, width) if mode == "ws" and not glued else [("rows", [toks])]
        first = True
        for kind, rows in parts:
            for row in rows:
                if kind == "colmajor":
                    groups.append(Group(row, None, "colmajor"))
                elif first and h is not None and h.kind in ("data", "group"):
                    groups.append(Group(row, h, "attached"))
                else:
                    groups.append(Group(row, None, "orphan"))
                first = False
    other_split = any(h.key.startswith("ot.") for h in hits)
    complete = [g for g in groups if len(g.toks) >= width]
    truncated = b >= ctx.eof - 1
    if mode == "ws" and not glued and any(g.source != "attached" for g in complete):
        assigned = _align_displaced(ctx, complete, other_split, truncated)
    else:
        assigned = {}
        for g in groups:
            if g.source == "attached" and g.hit is not None and g.hit.key not in assigned:
                assigned[g.hit.key] = g
    if assigned:
        _emit_t3(ctx, assigned, cols, col_nos, mode, other_split, truncated)


def _align_displaced(ctx: Ctx, seq: list[Group], other_split: bool, truncated: bool) -> dict[str, Group]:
    """Map value groups to template rows by order (pdftotext output with displaced labels)."""
    template = list(t3_leaf_rows(other_split))
    if len(seq) == len(template):
        return dict(zip(template, seq, strict=True))
    with_subtotals = _with_subtotal_rows(template)
    if len(seq) == len(with_subtotals):
        mapping = dict(zip(with_subtotals, seq, strict=True))
        if _subtotals_add_up(mapping):
            return mapping
    idx = {k: i for i, k in enumerate(template)}
    anchors: list[tuple[int, int]] = []
    for gi, g in enumerate(seq):
        if g.source == "attached" and g.hit is not None and g.hit.key in idx:
            ti = idx[g.hit.key]
            prev_g, prev_t = anchors[-1] if anchors else (-1, -1)
            if ti > prev_t and ti - prev_t >= gi - prev_g:
                anchors.append((gi, ti))
    result: dict[str, Group] = {}
    bounds = [(-1, -1), *anchors, (len(seq), len(template))]
    unplaced = 0
    for (g0, t0), (g1, t1) in zip(bounds, bounds[1:], strict=False):
        if 0 <= g0 < len(seq):
            result[template[t0]] = seq[g0]
        gap_g, gap_t = g1 - g0 - 1, t1 - t0 - 1
        if gap_g == gap_t or (g1 == len(seq) and truncated and gap_g < gap_t):
            for k in range(gap_g):
                result[template[t0 + 1 + k]] = seq[g0 + 1 + k]
        else:
            unplaced += gap_g
    if unplaced:
        ctx.out.checks.append(
            Check(
                rule_id="T3-ALIGN",
                status="ambiguous",
                strength="info",
                severity="warning",
                scope="表三",
                message=f"{unplaced} value rows of table 三 could not be matched to template rows (labels displaced)",
            )
        )
    return result


def _with_subtotal_rows(template: list[str]) -> list[str]:
    """The template with a printed subtotal row before each group's children (local variant)."""
    out: list[str] = []
    for key in template:
        group = key.split(".", 1)[0]
        if "." in key and key.endswith(T3_GROUP_CHILDREN[group][0].split(".", 1)[1]):
            out.append(group)
        out.append(key)
    return out


def _subtotals_add_up(mapping: dict[str, Group]) -> bool:
    """T3-SUB-* hold for every printed subtotal row of a re-aligned table (numeric cells only)."""
    for group, children in T3_GROUP_CHILDREN.items():
        if group not in mapping or not all(c in mapping for c in children):
            continue
        for j, t in enumerate(mapping[group].toks):
            parts = [mapping[c].toks[j] if j < len(mapping[c].toks) else None for c in children]
            if t.kind != "num" or any(p is None or p.kind != "num" for p in parts):
                continue
            if abs((t.value or 0) - sum(p.value or 0 for p in parts if p is not None)) > 1e-9:
                return False
    return True


def _emit_t3(
    ctx: Ctx,
    assigned: dict[str, Group],
    cols: tuple[ColDef, ...],
    col_nos: list[int],
    mode: str,
    other_split: bool,
    truncated: bool,
) -> None:
    width = len(cols)
    spec, sum_rules = _t3_spec(cols)
    order = [r.key for r in T3_ROWS if r.key in assigned]
    fixed: dict[str, list[Slot]] = {}
    glued_rows: dict[str, GluedRow] = {}
    layout_refs = _layout_columns([g.toks for g in assigned.values()], width) if mode == "ws" else None
    for key in order:
        rd = T3_BY_KEY[key]
        toks = assigned[key].toks
        if mode != "ws":
            fixed[key] = [_slot_from_tok(t, c, None) for t, c in zip(toks[:width], cols, strict=False)]
            continue
        if not ctx.glued and len(toks) < width and layout_refs is not None:
            placed = _place_by_columns(toks, layout_refs)
            if placed is not None:
                fixed[key] = [
                    _slot_from_tok(t, c, None) if t is not None else Slot("blank", "", None, None, None)
                    for t, c in zip(placed, cols, strict=True)
                ]
                continue
        at_end = truncated and key == order[-1]
        res = _resolve_short_or_glued(
            ctx, toks, cols, spec, sum_rules, f"表三 {rd.label}", rd.metric or "", None, at_end
        )
        if isinstance(res, GluedRow):
            res.key = key
            glued_rows[key] = res
        else:
            fixed[key] = res
    if glued_rows:
        _resolve_glued_t3(ctx, fixed, glued_rows, cols, other_split)
    for key in order:
        rd = T3_BY_KEY[key]
        g = assigned[key]
        label = printed_label(ctx.text, g.hit, g.toks) if g.hit is not None and g.hit.key == key else rd.label
        row = RowOut("t3", rd.row_no, label, rd.metric or "", cols, fixed[key], col_nos)
        ctx.out.cells += _cells_of(row, ctx.cat)


def _resolve_glued_t3(
    ctx: Ctx,
    fixed: dict[str, list[Slot]],
    glued_rows: dict[str, GluedRow],
    cols: tuple[ColDef, ...],
    other_split: bool,
) -> None:
    rows: dict[str, list[tuple[float | None, ...]]] = {}
    for k, slots in fixed.items():
        rows[k] = [tuple(s.value if s.status == "ok" else None for s in slots)]
    for k, gr in glued_rows.items():
        if gr.readings:
            rows[k] = [tuple(p.value for p in r) for r in gr.readings]
    survivors, used = solve_table(rows, _t3_equalities(set(rows), len(cols), other_split))
    for k, gr in glued_rows.items():
        keep = survivors.get(k) if survivors is not None else None
        rules = list(gr.rules)
        if keep is not None and len(keep) < len(gr.readings):
            rules += sorted(used)
        run_text = ctx.work[gr.start : gr.end]
        slots = _slots_from_readings(gr.readings, keep, rules, cols, (gr.start, gr.end), run_text, None)
        fixed[k] = slots
        rd = T3_BY_KEY[k]
        kept = [gr.readings[i] for i in keep] if keep is not None else gr.readings
        _report_ambiguity(
            ctx,
            slots,
            kept,
            cols,
            f"表三 {rd.label}",
            rd.metric or "",
            run_text,
            "TOO-MANY-READINGS" in gr.rules,
        )


def _layout_columns(rows: list[list[Tok]], width: int) -> list[float] | None:
    """Start columns of the value columns, from complete one-line rows (``pdftotext -layout``)."""
    full = [r[:width] for r in rows if len(r) >= width and len({t.line for t in r[:width]}) == 1]
    if len(full) < 3:
        return None
    refs: list[float] = []
    for j in range(width):
        xs = sorted(r[j].col for r in full)
        refs.append(float(xs[len(xs) // 2]))
    if any(refs[j + 1] - refs[j] < 3 for j in range(width - 1)):
        return None
    return refs


def _place_by_columns(toks: list[Tok], refs: list[float]) -> list[Tok | None] | None:
    """Put the values of a short one-line row under their columns (blank cells of -layout text)."""
    if not toks or len({t.line for t in toks}) != 1:
        return None
    placed: list[Tok | None] = [None] * len(refs)
    last = -1
    for t in toks:
        dists = sorted((abs(t.col - x), j) for j, x in enumerate(refs))
        d, j = dists[0]
        if d > 4 or (len(dists) > 1 and dists[1][0] - d < 2) or j <= last:
            return None
        placed[j] = t
        last = j
    return placed


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
            return toks
    return []


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


def _parse_t4(ctx: Ctx, span: tuple[int, int]) -> None:
    a, b = span
    work = ctx.work
    mode = detect_mode(work, a, b)
    hits = _T4_MATCHER.find(work, a, b)
    truncated = b >= ctx.eof - 1
    cols = _T4_COLDEFS
    for h in hits:
        if mode in ("tab", "pipe", "tsv"):
            toks, interleaved = _t4_row_structured(work, h.end, b, mode), False
            if len(toks) < 15 and mode == "pipe":
                toks = read_pipe(work, hits[-1].end, b, ctx.glued)  # a "|" line between cells, no row breaks
        else:
            toks, interleaved = _t4_row_ws(work, h.end, b, ctx.glued)
            toks = _drop_eof_tail(toks, ctx.eof)
        vals = [t for t in toks if t.kind != "blank"]
        if not vals:
            continue
        enough = len(toks) >= 15 or (ctx.glued and _digit_count(vals) >= 15)
        if not enough and not truncated:
            continue  # a number in a sentence, not the data row: try the next header word
        if mode != "ws":
            slots = [_slot_from_tok(t, c, None) for t, c in zip(toks[:15], cols, strict=False)]
        else:
            res = _resolve_short_or_glued(
                ctx, toks, cols, _T4_SPEC, "T4-REV,T4-DIR,T4-AFT", "表四", "", None, truncated
            )
            if isinstance(res, GluedRow):
                run_text = work[res.start : res.end]
                slots = _slots_from_readings(
                    res.readings, None, res.rules, cols, (res.start, res.end), run_text, None
                )
                _report_ambiguity(
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
        ctx.out.cells += _cells_of(RowOut("t4", 1, "行政复议/行政诉讼", "", cols, slots), ctx.cat)
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
    # only the text from the first table anchor on is read: normalise just that part (same length)
    work = text[: first.start()] + working_text(text[first.start() :])
    regions = find_regions(work, first.start())
    spans = [s for s in (regions.t2, regions.t3, regions.t4) if s is not None]
    if not spans:
        return out
    hits_t2 = t2_hits(work, *regions.t2) if regions.t2 else []
    hits_t3 = _T3_MATCHER.find(work, *regions.t3) if regions.t3 else []
    glued = looks_glued(work, _row_segments(hits_t2, regions.t2) + _row_segments(hits_t3, regions.t3))
    ctx = Ctx(work, glued, len(work.rstrip()), layout, out, catalog(), hits_t2, hits_t3, text)  # type: ignore[arg-type]
    if regions.t2 is not None:
        _parse_t2(ctx, regions.t2)
    if regions.t3 is not None:
        _parse_t3(ctx, regions.t3)
    if regions.t4 is not None:
        _parse_t4(ctx, regions.t4)
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
