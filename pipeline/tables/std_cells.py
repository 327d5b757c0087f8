"""Shared machinery of the std table parsers: parsing context, value slots, glued-row resolution, Cells.

A table parser (``std_t2``, ``std_t3``, ``std_t4``) reads tokens (``flatten.Tok``) per row, turns them into
``Slot``s (value in the catalog unit, or blank / null marker / ambiguous) and finally into ``Cell`` records
(``cells_of``). Rows whose digits are glued become ``GluedRow``s: their readings come from
``pipeline.tables.glued`` and are resolved here (decided cells, ``SPLIT-AMBIGUOUS`` checks).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.records import Cell, Check
from pipeline.tables import TableParse
from pipeline.tables.flatten import Hit, Tok
from pipeline.tables.glued import Reading, RowSpec, RunToken, enumerate_readings, filter_readings
from pipeline.tables.std_labels import ColDef
from pipeline.text import strip_ws

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


def slot_from_tok(t: Tok, col: ColDef, header_unit: str | None) -> Slot:
    if t.kind == "blank":
        return Slot("blank", "", None, t.start, t.end)
    if t.kind == "null":
        return Slot("null_marker", t.raw, None, t.start, t.end)
    assert t.value is not None
    return Slot("ok", t.raw, convert_value(t.value, t.unit, col.kind, header_unit), t.start, t.end, t.unit)


def ambiguous_slots(work: str, toks: list[Tok], n: int) -> list[Slot]:
    s, e = (toks[0].start, toks[-1].end) if toks else (None, None)
    raw = work[s:e] if s is not None else None
    return [Slot("ambiguous", raw, None, s, e) for _ in range(n)]


def _metric_id(prefix: str | None, suffix: str, cat: dict[str, object]) -> str | None:
    """``prefix.suffix`` (or ``suffix``) when the catalog has it, else None."""
    mid = f"{prefix}.{suffix}" if prefix else suffix
    return mid if mid in cat else None


def cells_of(row: RowOut, cat: dict[str, object]) -> list[Cell]:
    out: list[Cell] = []
    table, row_no, label, prefix, col_nos = row.table, row.row_no, row.label, row.metric_prefix, row.col_nos
    for j, (col, slot) in enumerate(zip(row.cols, row.slots, strict=False)):
        out.append(
            Cell(
                table,
                row_no,
                col_nos[j] if col_nos else j + 1,
                label,
                col.label,
                slot.raw,
                slot.value,
                _metric_id(prefix, col.suffix, cat),
                slot.status,
                slot.decided_by,
                slot.start,
                slot.end,
                slot.unit,
            )
        )
    return out


def row_short_check(ctx: Ctx, scope: str, ids: list[str], got: int, width: int) -> None:
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


def run_tokens(toks: list[Tok]) -> list[RunToken]:
    return [RunToken(t.raw.replace(" ", ""), t.start) for t in toks if t.kind == "num"]


def digit_count(toks: list[Tok]) -> int:
    return sum(sum(ch.isdigit() for ch in t.raw) for t in toks if t.kind == "num")


def glued_readings(
    toks: list[Tok],
    spec: RowSpec,
    sum_rules: str,
    predicates: list[tuple[str, Callable[[tuple[float, ...]], bool]]] | None = None,
) -> tuple[list[Reading], list[str]]:
    """Readings of a glued row: forced sums first (dropped if nothing fits), then row predicates."""
    rtoks = run_tokens(toks)
    readings, capped = enumerate_readings(rtoks, spec)
    rules = ["DIGITS"]
    if spec.forced:
        if readings:
            if digit_count(toks) > len(spec.kinds):
                rules.append(sum_rules)
        elif not capped:
            readings, capped = enumerate_readings(rtoks, RowSpec(spec.kinds, {}, spec.max_digits))
    if capped:
        return [], ["TOO-MANY-READINGS"]  # an incomplete list of readings must not decide anything
    if predicates and len(readings) > 1:
        readings, applied = filter_readings(readings, predicates)
        rules += applied
    return readings, rules


def slots_from_readings(
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


def report_ambiguity(
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


def resolve_short_or_glued(
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
        return [slot_from_tok(t, c, header_unit) for t, c in zip(vals[:width], cols, strict=False)]
    row_short_check(ctx, scope, [f"{prefix}.{c.suffix}" for c in cols], len(vals), width)
    return ambiguous_slots(ctx.work, vals, width)


_LABEL_END = re.compile(r"\n\t|\|")


def printed_label(text: str, hit: Hit, toks: list[Tok]) -> str:
    """The row label as printed: from the label's start to its first value (or cell end), no whitespace."""
    end = min((t.start for t in toks if t.kind != "blank"), default=hit.end)
    end = max(hit.end, min(end, hit.start + 80))
    m = _LABEL_END.search(text, hit.end, end)
    if m is not None:
        end = m.start()
    return strip_ws(text[hit.start : end])


def drop_eof_tail(toks: list[Tok], eof: int) -> list[Tok]:
    """A non-zero number running into the end of a truncated text may itself be cut off: drop it."""
    if toks and toks[-1].kind == "num" and toks[-1].end >= eof and toks[-1].raw != "0":
        return toks[:-1]
    return toks
