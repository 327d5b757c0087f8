"""Rules for free-form narrative metrics (F-*). See docs/spec/identities.md.

F-CONSULT, F-CONSULT-PCT, F-ACTIVE-PARTS, F-FULLTEXT, F-APP-CH, F-APP-OUT, F-APP-FLOW, F-CUM, F-RATE.
Narrative rules are evaluated only when their terms were extracted from the same report (a report that does
not state a figure is not a violation), and they are soft or info except F-RATE: narratives round, mix
partitions and list only some parts. F-ZERO is not a check: zero statements are extracted as value 0 with
qualifier ``zero_statement`` (``pipeline.narrative``).
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.records import Check
from pipeline.validate.framework import SEVERITY_OF, Values, compare, rule

LAYOUTS = ["freeform", "stat2014", "std2019", "std2021"]
CONSULT_PARTS = ["narr.consult.onsite", "narr.consult.phone", "narr.consult.online", "narr.consult.other"]
SHARE_OF = {
    "narr.consult.onsite": "narr.consult.share.onsite",
    "narr.consult.phone": "narr.consult.share.phone",
    "narr.consult.online": "narr.consult.share.online",
    "narr.consult.other": "narr.consult.share.other",
}
APP_OUTCOMES = [
    "narr.app.granted",
    "narr.app.partial",
    "narr.app.withheld",
    "narr.app.not_exist",
    "narr.app.not_this_agency",
    "narr.app.unclear",
    "narr.app.not_gov_info",
    "narr.app.other_channel",
    "narr.app.other_reply",
]
RATES = ["narr.active.fulltext_rate", "narr.app.on_time_rate", "narr.consult.share", *SHARE_OF.values()]
PCT_TOLERANCE = 1.0  # percentage points per channel
PCT_SUM_TOLERANCE = 2.0


def _check(
    rule_id: str, ok: bool, strength: str, ids: list[str], lhs: float, rhs: float, msg: str, scope=None
):
    return Check(
        rule_id=rule_id,
        status="pass" if ok else "fail",
        strength=strength,
        severity="info" if ok else SEVERITY_OF[strength],
        scope=scope,
        metric_ids=ids,
        lhs=lhs,
        rhs=rhs,
        message=None if ok else msg,
    )


def _val(v: Values, metric_id: str) -> float:
    t = v.get(metric_id)
    assert t is not None
    return t.value


@rule(layouts=LAYOUTS)
def f_consult(v: Values) -> Iterable[Check]:
    """F-CONSULT: total consultations = sum of the channels (when the total and two channels were stated)."""
    parts = [p for p in CONSULT_PARTS if v.has(p)]
    if v.has("narr.consult.total") and len(parts) >= 2:
        yield compare("F-CONSULT", v, ["narr.consult.total"], parts, strength="soft")


@rule(layouts=LAYOUTS)
def f_consult_pct(v: Values) -> Iterable[Check]:
    """F-CONSULT-PCT: each share ≈ part / total × 100 (±1 pp) and the shares add up to ≈ 100 (±2 pp)."""
    shares = [(p, s) for p, s in SHARE_OF.items() if v.has(s)]
    if not shares:
        return
    if v.has("narr.consult.total") and _val(v, "narr.consult.total") > 0:
        total = _val(v, "narr.consult.total")
        for part, share in shares:
            if not v.has(part):
                continue
            expect = _val(v, part) / total * 100
            got = _val(v, share)
            yield _check(
                "F-CONSULT-PCT",
                abs(got - expect) <= PCT_TOLERANCE,
                "soft",
                ["narr.consult.total", part, share],
                got,
                round(expect, 2),
                f"printed share {got:g}% vs {expect:.2f}% of the stated total",
                scope=share,
            )
    if len(shares) >= 2:
        ssum = sum(_val(v, s) for _p, s in shares)
        yield _check(
            "F-CONSULT-PCT",
            abs(ssum - 100) <= PCT_SUM_TOLERANCE,
            "soft",
            [s for _p, s in shares],
            ssum,
            100.0,
            f"shares add up to {ssum:g}%",
            scope="sum",
        )


@rule(layouts=LAYOUTS)
def f_active_parts(v: Values) -> Iterable[Check]:
    """F-ACTIVE-PARTS: items = Σ channels, when the channels form one partition of the total.

    Determinable when at least two channels were stated and none exceeds the total (a part larger than the
    total belongs to another partition, e.g. Weibo posts next to formal disclosures).
    """
    if not v.has("narr.active.items"):
        return
    parts = sorted(v.ids_with_prefix("narr.active.channel."))
    if len(parts) < 2:
        return
    total = _val(v, "narr.active.items")
    if any(_val(v, p) > total for p in parts):
        return
    yield compare("F-ACTIVE-PARTS", v, ["narr.active.items"], parts, strength="soft")


@rule(layouts=LAYOUTS)
def f_fulltext(v: Values) -> Iterable[Check]:
    """F-FULLTEXT: full-text rate ≈ full-text items / items × 100 (±1 pp)."""
    ids = ["narr.active.fulltext_rate", "narr.active.fulltext_items", "narr.active.items"]
    if not all(v.has(i) for i in ids) or _val(v, "narr.active.items") <= 0:
        return
    expect = _val(v, "narr.active.fulltext_items") / _val(v, "narr.active.items") * 100
    got = _val(v, "narr.active.fulltext_rate")
    yield _check(
        "F-FULLTEXT",
        abs(got - expect) <= PCT_TOLERANCE,
        "soft",
        ids,
        got,
        round(expect, 2),
        f"rate {got:g}% vs {expect:.2f}% from the item counts",
    )


@rule(layouts=LAYOUTS)
def f_app_channels(v: Values) -> Iterable[Check]:
    """F-APP-CH: requests received = Σ request channels (when the total and a channel were stated)."""
    parts = sorted(v.ids_with_prefix("narr.app.channel."))
    if v.has("narr.app.received") and parts:
        yield compare("F-APP-CH", v, ["narr.app.received"], parts, strength="soft")


@rule(layouts=LAYOUTS)
def f_app_outcomes(v: Values) -> Iterable[Check]:
    """F-APP-OUT: answered = Σ listed outcomes (when the answered total and two outcomes were stated)."""
    parts = [p for p in APP_OUTCOMES if v.has(p)]
    if v.has("narr.app.answered") and len(parts) >= 2:
        yield compare("F-APP-OUT", v, ["narr.app.answered"], parts, strength="soft")


@rule(layouts=LAYOUTS)
def f_app_flow(v: Values) -> Iterable[Check]:
    """F-APP-FLOW: received (+ carry-in when stated) = answered + pending."""
    if all(v.has(i) for i in ("narr.app.received", "narr.app.answered", "narr.app.pending")):
        lhs = ["narr.app.received"] + (["narr.app.carried_over"] if v.has("narr.app.carried_over") else [])
        yield compare(
            "F-APP-FLOW",
            v,
            lhs,
            ["narr.app.answered", "narr.app.pending"],
            strength="soft",
            message="received (+ carry-in) ≠ answered + pending",
        )


@rule(layouts=LAYOUTS)
def f_cumulative(v: Values) -> Iterable[Check]:
    """F-CUM (info): a cumulative figure is not below the year's figure."""
    for year_id, cum_id in (
        ("narr.active.items", "narr.active.items_cumulative"),
        ("narr.app.received", "narr.app.received_cumulative"),
    ):
        if v.has(year_id) and v.has(cum_id):
            yield compare("F-CUM", v, [cum_id], [year_id], strength="info", op=">=", scope=cum_id)


@rule(layouts=LAYOUTS)
def f_rate(v: Values) -> Iterable[Check]:
    """F-RATE (hard): every percentage lies in [0, 100]."""
    for rid in RATES:
        if v.has(rid):
            x = _val(v, rid)
            yield _check("F-RATE", 0 <= x <= 100, "hard", [rid], x, 100.0, f"{x:g}% outside 0–100", scope=rid)
