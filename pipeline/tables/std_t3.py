"""Table 三 (收到和处理政府信息公开申请情况): 23 / 25 rows × 7 (or 8) value columns, local variants included.

Normal flattenings: a row's values follow its label. pdftotext output may print labels after their values
or a block of rows column by column: then the value rows are re-aligned to the template's row order (only
when the row count fits exactly, or between rows that still carry their labels). Glued rows are split under
T3-ROW / T3-LEG per row and T3-BAL / T3-RES / T3-SUB-* / T3-OT21 jointly for the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.records import Check
from pipeline.tables.flatten import Hit, LabelMatcher, Tok, detect_mode, read_cells, split_paragraph_runs
from pipeline.tables.glued import Equality, RowSpec, solve_table
from pipeline.tables.std_cells import (
    Ctx,
    GluedRow,
    RowOut,
    Slot,
    cells_of,
    drop_eof_tail,
    printed_label,
    report_ambiguity,
    resolve_short_or_glued,
    slot_from_tok,
    slots_from_readings,
)
from pipeline.tables.std_labels import (
    LEGAL_TOTAL,
    T3_APPLICANT,
    T3_BY_KEY,
    T3_COLS_7,
    T3_GROUP_CHILDREN,
    T3_ORG,
    T3_ROWS,
    T3_SUBTOTAL_HEADER,
    ColDef,
    t3_leaf_rows,
)
from pipeline.text import strip_ws

T3_MATCHER = LabelMatcher(T3_ROWS)


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


def parse_t3(ctx: Ctx, span: tuple[int, int]) -> None:
    a, b = span
    work, glued = ctx.work, ctx.glued
    hits = ctx.hits_t3
    mode = detect_mode(work, a, b)
    first_row = next((h for h in hits if h.kind in ("data", "group")), None)
    header = strip_ws(work[a : first_row.start if first_row else b])
    segs: list[tuple[Hit | None, list[Tok]]] = []
    starts: list[tuple[Hit | None, int]] = [(None, a), *((h, h.end) for h in hits)]
    for k, (h, s) in enumerate(starts):
        e = hits[k].start if k < len(hits) else b
        toks = drop_eof_tail(read_cells(work, s, e, mode, glued), ctx.eof)
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
            fixed[key] = _structured_row(toks, cols)
            continue
        if not ctx.glued and len(toks) < width and layout_refs is not None:
            placed = _place_by_columns(toks, layout_refs)
            if placed is not None:
                fixed[key] = [
                    slot_from_tok(t, c, None) if t is not None else Slot("blank", "", None, None, None)
                    for t, c in zip(placed, cols, strict=True)
                ]
                continue
        at_end = truncated and key == order[-1]
        res = resolve_short_or_glued(
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
        ctx.out.cells += cells_of(row, ctx.cat)


def _structured_row(toks: list[Tok], cols: tuple[ColDef, ...]) -> list[Slot]:
    """Cells of a tab / pipe row by position; undecided when the row overflows and its 总计 cell is blank.

    Merged cells flattened by a crawler (``3 | 3 | | | | | | |``: two values, seven blanks) no longer line up
    with the columns: the printed 总计 would fall outside the table, so no value is given rather than the
    second figure landing under 商业企业. Only a row of a few leading values followed by nothing but empty
    cells is held back; trailing blanks after a filled 总计 are harmless.
    """
    width = len(cols)
    values = [t for t in toks if t.kind != "blank"]
    n = len(values)
    if (
        len(toks) > width
        and 0 < n <= width // 2
        and toks[width - 1].kind == "blank"
        and all(t.kind != "blank" for t in toks[:n])  # a few values up front, then only empty cells
    ):
        span = (toks[0].start, toks[-1].end)
        return [Slot("ambiguous", None, None, *span) for _ in cols]
    return [slot_from_tok(t, c, None) for t, c in zip(toks[:width], cols, strict=False)]


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
        slots = slots_from_readings(gr.readings, keep, rules, cols, (gr.start, gr.end), run_text, None)
        fixed[k] = slots
        rd = T3_BY_KEY[k]
        kept = [gr.readings[i] for i in keep] if keep is not None else gr.readings
        report_ambiguity(
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
