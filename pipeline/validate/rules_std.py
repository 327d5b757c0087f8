"""Rules for the standardised tables (std2019 / std2021): tables 二, 三, 四 and section 六.

See docs/spec/identities.md. Rule ids, column sets and strengths follow that file exactly. Every rule
that can be evaluated within one report is here (T3-XYEAR and T2-STOCK-R/N/T2-19-CHAIN need the previous
year and live with the cross-year checks).

Conventions:
- Flag, never fix: rules only record checks.
- A rule is skipped when none of its terms was extracted (no table, no check), and is ``not_assessable``
  when only some were (blank / null cells are not 0).
- Derived metrics (``*.subtotal``, ``*.legal_total``, ``app.result.other.total`` in 2021,
  ``litigation.all.*``) are computed by ``pipeline.extract`` from their parts (``method == "derived"``):
  a rule never checks a derived value against its own definition; it only uses it as a term elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from pipeline.records import Check
from pipeline.std_ids import APPLICANTS, NP, ORGS, OT21, T4_OUTCOMES, UN, WH
from pipeline.validate.framework import SEVERITY_OF, Values, compare, rule

STD = ["std2019", "std2021"]
A = APPLICANTS
ORG = ORGS
C = [*A, "total"]
T4C = T4_OUTCOMES
GROUPS = {
    "withheld": ("T3-SUB-WH", WH),
    "unable": ("T3-SUB-UN", UN),
    "not_processed": ("T3-SUB-NP", NP),
}
# every row of table 三 (metric id prefixes), data rows and printed subtotal rows
T3_ROWS = [
    "app.new",
    "app.carried_over",
    "app.result.granted",
    "app.result.partial",
    *(f"app.result.withheld.{k}" for k in WH),
    "app.result.withheld.subtotal",
    *(f"app.result.unable.{k}" for k in UN),
    "app.result.unable.subtotal",
    *(f"app.result.not_processed.{k}" for k in NP),
    "app.result.not_processed.subtotal",
    "app.result.other.total",
    *(f"app.result.other.{k}" for k in OT21),
    "app.result.total",
    "app.carried_forward",
]
# per row: its six applicant-column ids, and every id whose printing makes the row printed
ROW_APPLICANTS = {row: [f"{row}.{c}" for c in A] for row in T3_ROWS}
ROW_PRINTED_IDS = {row: frozenset(f"{row}.{c}" for c in [*C, "legal_total"]) for row in T3_ROWS}
# per column: the terms of T3-BAL and the fixed terms of T3-RES
BALANCE_TERMS = {
    c: ([f"app.new.{c}", f"app.carried_over.{c}"], [f"app.result.total.{c}", f"app.carried_forward.{c}"])
    for c in [*C, "legal_total"]
}
RESULT_PARTS = {
    c: [
        f"app.result.granted.{c}",
        f"app.result.partial.{c}",
        *(f"app.result.withheld.{k}.{c}" for k in WH),
        *(f"app.result.unable.{k}.{c}" for k in UN),
        *(f"app.result.not_processed.{k}.{c}" for k in NP),
    ]
    for c in [*C, "legal_total"]
}
LEGAL_TOTAL_IDS = frozenset(f"{r}.legal_total" for r in T3_ROWS)
MONEY_IDS = frozenset({"active.fees.amount", "active.procurement.amount"})


# ---------------------------------------------------------------------------------------------------
# helpers


def _printed(v: Values, mid: str) -> bool:
    """Extracted and not derived from other metrics (a table cell or a narrative value)."""
    return mid in v.printed_ids


def _cols(v: Values) -> list[str]:
    """Printed columns of table 三: C, plus legal_total where a local table prints it."""
    if not v.printed_ids.isdisjoint(LEGAL_TOTAL_IDS):
        return [*C, "legal_total"]
    return C


def _row_printed(v: Values, row: str) -> bool:
    return not v.printed_ids.isdisjoint(ROW_PRINTED_IDS[row])


def _other_terms(v: Values, c: str) -> list[str]:
    """（六）其他处理 in T3-RES: the total row (printed in 2019, derived in 2021), else its three parts."""
    total = f"app.result.other.total.{c}"
    parts = [f"app.result.other.{k}.{c}" for k in OT21]
    if v.has(total) or not v.has_any(parts):
        return [total]
    return parts


def _sum_check(
    rule_id: str,
    v: Values,
    lhs: Sequence[str],
    rhs: Sequence[str],
    strength: str,
    scope: str | None = None,
    op: str = "==",
    message: str | None = None,
) -> Iterable[Check]:
    """``compare`` when at least one term was extracted; nothing at all when none was."""
    if v.has_any(lhs) or v.has_any(rhs):
        yield compare(
            rule_id, v, lhs, rhs, strength=strength, op=op, scope=scope, money_ids=MONEY_IDS, message=message
        )


def _integer_checks(
    rule_id: str, v: Values, ids: Iterable[str], valid: Callable[[str, float], bool], scope: str
) -> Iterable[Check]:
    """One fail per invalid value; a single pass when every extracted value is valid."""
    seen = bad = 0
    for mid in ids:
        t = v.get(mid)
        if t is None or not _printed(v, mid):
            continue
        seen += 1
        if not valid(mid, t.value):
            bad += 1
            yield _value_check(
                rule_id, mid, t.value, False, "hard", f"{mid} = {t.value:g} is not a valid count"
            )
    if seen and not bad:
        yield Check(rule_id=rule_id, status="pass", strength="hard", severity="info", scope=scope)


def _value_check(rule_id: str, mid: str, value: float, ok: bool, strength: str, message: str) -> Check:
    return Check(
        rule_id=rule_id,
        status="pass" if ok else "fail",
        strength=strength,
        severity="info" if ok else SEVERITY_OF[strength],
        scope=mid,
        metric_ids=[mid],
        lhs=value,
        message=None if ok else message,
    )


# ---------------------------------------------------------------------------------------------------
# Table 三


@rule(layouts=STD)
def t3_balance(v: Values) -> Iterable[Check]:
    """T3-BAL: new + carried over = results total + carried forward, per column."""
    for c in _cols(v):
        lhs, rhs = BALANCE_TERMS[c]
        yield from _sum_check("T3-BAL", v, lhs, rhs, "hard", scope=c)


@rule(layouts=STD)
def t3_results(v: Values) -> Iterable[Check]:
    """T3-RES: results total = 予以公开 + 部分公开 + Σ不予公开 + Σ无法提供 + Σ不予处理 + 其他处理, per column."""
    for c in _cols(v):
        parts = [*RESULT_PARTS[c], *_other_terms(v, c)]
        yield from _sum_check("T3-RES", v, [f"app.result.total.{c}"], parts, "hard", scope=c)


@rule(layouts=["std2021"])
def t3_other21(v: Values) -> Iterable[Check]:
    """T3-OT21: a printed （六） subtotal = the sum of its three rows.

    A derived total is its own definition; a 2021 report that prints the single 2019-style （六） row has no
    sub-rows, and that row is data, not a subtotal: neither is checked.
    """
    for c in _cols(v):
        total = f"app.result.other.total.{c}"
        parts = [f"app.result.other.{k}.{c}" for k in OT21]
        if _printed(v, total) and v.has_any(parts):
            yield from _sum_check("T3-OT21", v, [total], parts, "hard", c)


@rule(layouts=STD)
def t3_subtotals(v: Values) -> Iterable[Check]:
    """T3-SUB-WH / -UN / -NP: printed group subtotal rows (local tables) = the sum of their rows."""
    for group, (rule_id, keys) in GROUPS.items():
        for c in _cols(v):
            sub = f"app.result.{group}.subtotal.{c}"
            if _printed(v, sub):
                yield from _sum_check(
                    rule_id, v, [sub], [f"app.result.{group}.{k}.{c}" for k in keys], "hard", c
                )


@rule(layouts=STD)
def t3_rows(v: Values) -> Iterable[Check]:
    """T3-ROW: every printed row's 总计 = the sum of the six applicant columns."""
    for row in T3_ROWS:
        if _row_printed(v, row):
            yield from _sum_check("T3-ROW", v, [f"{row}.total"], ROW_APPLICANTS[row], "hard", scope=row)


@rule(layouts=STD)
def t3_legal(v: Values) -> Iterable[Check]:
    """T3-LEG: where a 法人或其他组织 小计 column is printed, it sums the five org columns and makes up 总计."""
    for row in T3_ROWS:
        lt = f"{row}.legal_total"
        if _printed(v, lt):
            yield from _sum_check("T3-LEG", v, [lt], [f"{row}.{c}" for c in ORG], "hard", scope=row)
            yield from _sum_check(
                "T3-LEG", v, [f"{row}.total"], [f"{row}.natural_person", lt], "hard", scope=row
            )


@rule(layouts=STD)
def t3_integers(v: Values) -> Iterable[Check]:
    """T3-INT: every printed table-三 cell is an integer ≥ 0 (OCR artefacts like "1." or "l")."""
    yield from _integer_checks(
        "T3-INT", v, v.ids_with_prefix("app."), lambda _m, x: x >= 0 and x.is_integer(), "app"
    )


@rule(layouts=STD)
def t3_flow(v: Values) -> Iterable[Check]:
    """T3-FLOW: requests handled ≤ new + carried over (useful when 结转下年度 is blank)."""
    yield from _sum_check(
        "T3-FLOW", v, ["app.result.total.total"], ["app.new.total", "app.carried_over.total"], "hard", op="<="
    )


@rule(layouts=STD)
def t3_text_new(v: Values) -> Iterable[Check]:
    """T3-TEXT-NEW: the narrative's "共收到申请N件" = new requests (or new + carried over, a known basis)."""
    if not v.has("narr.app.received") or not v.has("app.new.total"):
        return
    chk = compare("T3-TEXT-NEW", v, ["narr.app.received"], ["app.new.total"], strength="soft")
    if chk.status == "fail" and v.has("app.carried_over.total"):
        alt = compare(
            "T3-TEXT-NEW",
            v,
            ["narr.app.received"],
            ["app.new.total", "app.carried_over.total"],
            strength="soft",
        )
        if alt.status == "pass":
            alt.message = "basis: new + carried over"
            chk = alt
    yield chk


# ---------------------------------------------------------------------------------------------------
# Table 四


@rule(layouts=STD)
def t4_sums(v: Values) -> Iterable[Check]:
    """T4-REV / T4-DIR / T4-AFT: each block's total is the sum of its four results."""
    for rid, block in (
        ("T4-REV", "review"),
        ("T4-DIR", "litigation.direct"),
        ("T4-AFT", "litigation.after_review"),
    ):
        yield from _sum_check(rid, v, [f"{block}.total"], [f"{block}.{k}" for k in T4C], "hard")


@rule(layouts=STD)
def t4_all(v: Values) -> Iterable[Check]:
    """T4-ALL: litigation.all.* is derived (never printed); checked only if a table ever prints it."""
    for k in [*T4C, "total"]:
        mid = f"litigation.all.{k}"
        if _printed(v, mid):
            yield from _sum_check(
                "T4-ALL",
                v,
                [mid],
                [f"litigation.direct.{k}", f"litigation.after_review.{k}"],
                "definition",
                k,
            )


@rule(layouts=STD)
def t4_integers(v: Values) -> Iterable[Check]:
    """T4-INT: all 15 cells are integers ≥ 0."""
    ids = [
        i for p in ("review.", "litigation.direct.", "litigation.after_review.") for i in v.ids_with_prefix(p)
    ]
    yield from _integer_checks("T4-INT", v, ids, lambda _m, x: x >= 0 and x.is_integer(), "t4")


@rule(layouts=STD)
def t4_after_review(v: Values) -> Iterable[Check]:
    """T4-AFT-LE (info): suits after reconsideration ≤ reconsiderations (can stem from earlier years)."""
    yield from _sum_check(
        "T4-AFT-LE", v, ["litigation.after_review.total"], ["review.total"], "info", op="<="
    )


@rule(layouts=STD)
def t4_text(v: Values) -> Iterable[Check]:
    """T4-TEXT: narrative 行政复议 / 行政诉讼 counts = the table totals (soft)."""
    if v.has("narr.review.count") and v.has("review.total"):
        yield compare("T4-TEXT", v, ["narr.review.count"], ["review.total"], strength="soft", scope="review")
    if v.has("narr.litigation.count"):
        if v.has("litigation.all.total"):
            rhs = ["litigation.all.total"]
        else:
            rhs = ["litigation.direct.total", "litigation.after_review.total"]
        if v.has_any(rhs):
            yield compare("T4-TEXT", v, ["narr.litigation.count"], rhs, strength="soft", scope="litigation")


# ---------------------------------------------------------------------------------------------------
# Table 二


@rule(layouts=["std2019"])
def t2_published(v: Values) -> Iterable[Check]:
    """T2-19-PUB: newly published ≤ total published (the stock includes this year's)."""
    for x in ("rules", "normative_docs", "other_docs"):
        yield from _sum_check(
            "T2-19-PUB",
            v,
            [f"active.{x}.new_published"],
            [f"active.{x}.published_total"],
            "soft",
            scope=x,
            op="<=",
        )


@rule(layouts=["std2021"])
def t2_stock(v: Values) -> Iterable[Check]:
    """T2-STOCK-LE: issued this year ≤ in force + repealed (single-year sanity)."""
    for x in ("rules", "normative_docs"):
        yield from _sum_check(
            "T2-STOCK-LE",
            v,
            [f"active.{x}.made"],
            [f"active.{x}.in_force", f"active.{x}.repealed"],
            "soft",
            scope=x,
            op="<=",
        )


def _t2_valid(mid: str, x: float) -> bool:
    if mid in MONEY_IDS:
        return x >= 0
    if mid.endswith(".items_change"):
        return x.is_integer()
    return x >= 0 and x.is_integer()


@rule(layouts=STD)
def t2_integers(v: Values) -> Iterable[Check]:
    """T2-INT: table-二 counts are integers, ≥ 0 except 本年增/减; money amounts are ≥ 0."""
    yield from _integer_checks("T2-INT", v, v.ids_with_prefix("active."), _t2_valid, "active")


@rule(layouts=["std2021"])
def t2_fee_unit(v: Values) -> Iterable[Check]:
    """T2-FEE-UNIT (info): 本年收费金额 is in 万元; ≥ 10 000 or 3+ decimals suggest an entry in 元."""
    t = v.get("active.fees.amount")
    if t is None:
        return
    decimals = len(f"{t.value:.10f}".rstrip("0").split(".")[1])
    ok = t.value < 10000 and decimals <= 2
    yield _value_check(
        "T2-FEE-UNIT",
        "active.fees.amount",
        t.value,
        ok,
        "info",
        f"本年收费金额 {t.value:g} 万元 looks like an amount in 元 (or the 信息处理费)",
    )


# ---------------------------------------------------------------------------------------------------
# Section 六 (信息处理费)


@rule(layouts=["std2021"])
def s6_fee(v: Values) -> Iterable[Check]:
    """S6-FEE: collected ≤ amount notified; no notices → nothing notified or collected (soft)."""
    if v.has("other.info_fee.collected") and v.has("other.info_fee.amount_notified"):
        yield compare(
            "S6-FEE",
            v,
            ["other.info_fee.collected"],
            ["other.info_fee.amount_notified"],
            strength="soft",
            op="<=",
        )
    notices = v.get("other.info_fee.notices")
    if notices is not None and notices.value == 0:
        for mid in ("other.info_fee.amount_notified", "other.info_fee.collected"):
            t = v.get(mid)
            if t is not None:
                yield _value_check(
                    "S6-FEE", mid, t.value, t.value == 0, "soft", f"{mid} = {t.value:g} with 0 notices"
                )


@rule(layouts=["std2021"])
def s6_fee_t3(v: Values) -> Iterable[Check]:
    """S6-FEE-T3: requests dropped for unpaid fees need a fee notice each: notices ≥ overdue_fee.total."""
    t = v.get("app.result.other.overdue_fee.total")
    if t is not None and t.value > 0 and v.has("other.info_fee.notices"):
        yield compare(
            "S6-FEE-T3",
            v,
            ["other.info_fee.notices"],
            ["app.result.other.overdue_fee.total"],
            strength="soft",
            op=">=",
        )
