"""Table 二 (主动公开政府信息情况): the 第二十条 sub-tables of std2019 and std2021.

Sub-tables are delimited by their captions (第二十条第（一）/（五）/（六）/（八）/（九）项); the header cells of a
sub-table decide the era of its columns (2019 试行 vs 2021), whatever the report's layout says. Rows are
matched by label prefix; pdftotext values printed before their row label are given back in order.
Money (采购总金额, 本年收费金额) is converted to 万元; a 采购总金额 without a printed unit is kept and flagged.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.records import Cell, Check
from pipeline.tables.flatten import Hit, LabelMatcher, Tok, detect_mode, read_cells
from pipeline.tables.glued import RowSpec
from pipeline.tables.std_cells import (
    Ctx,
    GluedRow,
    RowOut,
    cells_of,
    drop_eof_tail,
    printed_label,
    report_ambiguity,
    resolve_short_or_glued,
    slot_from_tok,
    slots_from_readings,
)
from pipeline.tables.std_labels import (
    CAPTION_RE,
    T2_CAPTION_OF,
    T2_HEADERS,
    T2_ROWS,
    UNIT_IN_HEADER,
    t2_columns,
)
from pipeline.text import strip_ws

_T2_MATCHER = LabelMatcher([*T2_ROWS, *T2_HEADERS])


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
# Table 二


_ERA_DEFAULT = {"std2019": "2019", "std2021": "2021"}


def _t2_predicates(row_key: str, era: str) -> list[tuple[str, Callable[[tuple[float, ...]], bool]]]:
    if era == "2019" and row_key in ("rules", "normative_docs", "other_docs"):
        return [("T2-19-PUB", lambda v: v[1] <= v[2])]
    return []


_T2_ROW_BY_KEY = {r.key: r for r in T2_ROWS}


def parse_t2(ctx: Ctx, span: tuple[int, int]) -> None:
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
        header_text = "".join(strip_ws(work[h.start : ends[id(h)]]) for h in sub if h.kind == "header")
        um = UNIT_IN_HEADER.search(header_text)
        header_unit = (um.group(1) or um.group(2)) if um else None
        rows: list[tuple[Hit, list[Tok]]] = []
        orphans: list[list[Tok]] = []
        for h in sub:
            toks = drop_eof_tail(read_cells(work, h.end, ends[id(h)], mode, ctx.glued), ctx.eof)
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
                res = resolve_short_or_glued(
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
                res = [slot_from_tok(t, c, header_unit) for t, c in zip(toks, cols, strict=False)]
            if isinstance(res, GluedRow):
                run_text = work[res.start : res.end]
                slots = slots_from_readings(
                    res.readings, None, res.rules, cols, (res.start, res.end), run_text, header_unit
                )
                report_ambiguity(
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
            cells = cells_of(RowOut("t2", rd.row_no, label, prefix, cols, slots), ctx.cat)
            ctx.out.cells += cells
            _procurement_unit_check(ctx, cells, header_unit)


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
