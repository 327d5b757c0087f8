"""Rules for the stat2014 statistics table (S-*). See docs/spec/identities.md.

Every rule of the ``stat2014`` section is here: S-APP-RECV, S-APP-CLOSED, S-APP-REPLIES, S-APP-DENIED,
S-APP-FLOW, S-REV, S-LIT, S-CMP, S-ARCH, S-STAFF, S-PRINC, S-NORM, S-NORM-ISSUED, S-ACTIVE-CH, S-INT, S-TEXT.
Blank cells are not extracted, so any rule with a blank term is ``not_assessable`` (never imputed as 0).
The rules run for the ``stat2014`` layout and for free-form reports that carry ``stat.*`` values (a table
appended to a report the layout detector called free-form).
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.catalog import catalog
from pipeline.records import Check
from pipeline.validate.framework import SEVERITY_OF, Values, compare, rule

LAYOUTS = ["stat2014", "freeform"]
APP_CHANNELS = [
    "stat.app.channel.in_person",
    "stat.app.channel.fax",
    "stat.app.channel.online",
    "stat.app.channel.letter",
]
REPLIES = [
    "stat.app.replies.already_public",
    "stat.app.replies.granted",
    "stat.app.replies.partial",
    "stat.app.replies.denied",
    "stat.app.replies.not_this_agency",
    "stat.app.replies.not_exist",
    "stat.app.replies.correction_requested",
    "stat.app.replies.other_channel",
]
DENIED = [
    "stat.app.replies.denied.state_secret",
    "stat.app.replies.denied.commercial_secret",
    "stat.app.replies.denied.privacy",
    "stat.app.replies.denied.security_stability",
    "stat.app.replies.denied.not_gov_info",
    "stat.app.replies.denied.other_legal",
]
ACTIVE_CHANNELS = [
    "stat.active.channel.gazette",
    "stat.active.channel.website",
    "stat.active.channel.weibo",
    "stat.active.channel.wechat",
    "stat.active.channel.other",
]
# Narrative statement ↔ table row compared by S-TEXT.
TEXT_PAIRS = [
    ("narr.active.items", "stat.active.items"),
    ("narr.active.channel.website", "stat.active.channel.website"),
    ("narr.app.received", "stat.app.received"),
    ("narr.review.count", "stat.review.total"),
    ("narr.litigation.count", "stat.litigation.total"),
    ("narr.press_conferences", "stat.response.press_conferences"),
    ("narr.interpretations", "stat.response.interpretations"),
]
APPROX_WINDOW = (
    0.9,
    1.2,
)  # an approximate narrative figure N (约N / N余) agrees with a table value in [0.9N, 1.2N]


def _has_table(v: Values) -> bool:
    """Whether the report carries any stat2014 value (the rules say nothing otherwise)."""
    return bool(v.ids_with_prefix("stat."))


def _sum_rule(v: Values, rule_id: str, total: str, parts: list[str]) -> Iterable[Check]:
    if _has_table(v):
        yield compare(rule_id, v, [total], parts, strength="hard")


@rule(layouts=LAYOUTS)
def s_app_recv(v: Values) -> Iterable[Check]:
    """S-APP-RECV: received = in person + fax + online + letter (+ other form when printed)."""
    parts = APP_CHANNELS + (["stat.app.channel.other"] if v.has("stat.app.channel.other") else [])
    yield from _sum_rule(v, "S-APP-RECV", "stat.app.received", parts)


@rule(layouts=LAYOUTS)
def s_app_closed(v: Values) -> Iterable[Check]:
    """S-APP-CLOSED: closed = closed on time + closed after extension."""
    yield from _sum_rule(
        v, "S-APP-CLOSED", "stat.app.closed", ["stat.app.closed.on_time", "stat.app.closed.extended"]
    )


@rule(layouts=LAYOUTS)
def s_app_replies(v: Values) -> Iterable[Check]:
    """S-APP-REPLIES: replies = the eight answer kinds of （三）."""
    yield from _sum_rule(v, "S-APP-REPLIES", "stat.app.replies", REPLIES)


@rule(layouts=LAYOUTS)
def s_app_denied(v: Values) -> Iterable[Check]:
    """S-APP-DENIED: refusals = the six 其中 rows."""
    yield from _sum_rule(v, "S-APP-DENIED", "stat.app.replies.denied", DENIED)


@rule(layouts=LAYOUTS)
def s_app_flow(v: Values) -> Iterable[Check]:
    """S-APP-FLOW: closed ≤ received, and replies ≈ closed (soft: no carry-over row in this table)."""
    if not _has_table(v):
        return
    yield compare(
        "S-APP-FLOW",
        v,
        ["stat.app.closed"],
        ["stat.app.received"],
        strength="soft",
        op="<=",
        scope="closed<=received",
    )
    yield compare(
        "S-APP-FLOW", v, ["stat.app.replies"], ["stat.app.closed"], strength="soft", scope="replies=closed"
    )


@rule(layouts=LAYOUTS)
def s_review(v: Values) -> Iterable[Check]:
    """S-REV: reconsiderations = upheld + corrected + other."""
    yield from _sum_rule(
        v,
        "S-REV",
        "stat.review.total",
        ["stat.review.maintained", "stat.review.corrected", "stat.review.other"],
    )


@rule(layouts=LAYOUTS)
def s_litigation(v: Values) -> Iterable[Check]:
    """S-LIT: lawsuits = upheld/dismissed + corrected + other."""
    yield from _sum_rule(
        v,
        "S-LIT",
        "stat.litigation.total",
        ["stat.litigation.maintained", "stat.litigation.corrected", "stat.litigation.other"],
    )


@rule(layouts=LAYOUTS)
def s_complaint(v: Values) -> Iterable[Check]:
    """S-CMP: complaints = upheld + corrected + other."""
    yield from _sum_rule(
        v,
        "S-CMP",
        "stat.complaint.total",
        ["stat.complaint.maintained", "stat.complaint.corrected", "stat.complaint.other"],
    )


@rule(layouts=LAYOUTS)
def s_archive(v: Values) -> Iterable[Check]:
    """S-ARCH: items sent to archives = paper + electronic (seed 003: blank total → not_assessable)."""
    yield from _sum_rule(v, "S-ARCH", "stat.archive.items", ["stat.archive.paper", "stat.archive.electronic"])


@rule(layouts=LAYOUTS)
def s_staff(v: Values) -> Iterable[Check]:
    """S-STAFF: staff = full-time + part-time."""
    yield from _sum_rule(
        v, "S-STAFF", "stat.org.staff", ["stat.org.staff.full_time", "stat.org.staff.part_time"]
    )


@rule(layouts=LAYOUTS)
def s_principal(v: Values) -> Iterable[Check]:
    """S-PRINC: events with the principal leader ≤ all events (press conferences, online interviews)."""
    if not _has_table(v):
        return
    for scope, part, whole in (
        ("press_conferences", "stat.response.press_conferences_principal", "stat.response.press_conferences"),
        ("online_interviews", "stat.response.online_interviews_principal", "stat.response.online_interviews"),
    ):
        yield compare("S-PRINC", v, [part], [whole], strength="hard", op="<=", scope=scope)


@rule(layouts=LAYOUTS)
def s_normative(v: Values) -> Iterable[Check]:
    """S-NORM (hard): normative docs published ≤ items; S-NORM-ISSUED (info): published ≤ issued."""
    if not _has_table(v):
        return
    yield compare(
        "S-NORM", v, ["stat.active.normative_docs_published"], ["stat.active.items"], strength="hard", op="<="
    )
    yield compare(
        "S-NORM-ISSUED",
        v,
        ["stat.active.normative_docs_published"],
        ["stat.active.normative_docs_issued"],
        strength="info",
        op="<=",
    )


@rule(layouts=LAYOUTS)
def s_active_channels(v: Values) -> Iterable[Check]:
    """S-ACTIVE-CH (info): the de-duplicated total should not exceed the channel sum (report, never correct)."""
    if _has_table(v):
        yield compare(
            "S-ACTIVE-CH",
            v,
            ["stat.active.items"],
            ACTIVE_CHANNELS,
            strength="info",
            op="<=",
            message="total exceeds the sum of its channels (a de-duplicated total cannot)",
        )


def _bad_value(metric_id: str, value: float) -> bool:
    if value < 0:
        return True
    unit = catalog()[metric_id].unit if metric_id in catalog() else None
    return unit != "万元" and abs(value - round(value)) > 1e-9


@rule(layouts=LAYOUTS)
def s_integers(v: Values) -> Iterable[Check]:
    """S-INT: every value is an integer ≥ 0, except 万元 amounts (≥ 0, decimals allowed)."""
    ids = v.ids_with_prefix("stat.")
    if not ids:
        return
    bad = [i for i in ids if _bad_value(i, v.get(i).value)]  # type: ignore[union-attr]
    yield Check(
        rule_id="S-INT",
        status="fail" if bad else "pass",
        strength="hard",
        severity=SEVERITY_OF["hard"] if bad else "info",
        scope=None,
        metric_ids=bad or ids,
        lhs=float(len(bad)),
        rhs=0.0,
        message=("not a non-negative integer: " + ", ".join(bad)) if bad else None,
    )


def _text_check(v: Values, narr: str, stat: str) -> Check:
    n, s = v.get(narr), v.get(stat)
    assert n is not None and s is not None
    if n.approx:
        lo, hi = APPROX_WINDOW
        ok = lo * n.value <= s.value <= hi * n.value
        how = f"approximate narrative {n.value:g} vs table {s.value:g} (window {lo:g}–{hi:g}×)"
    else:
        ok = abs(n.value - s.value) < 1e-9
        how = f"narrative {n.value:g} vs table {s.value:g}"
    return Check(
        rule_id="S-TEXT",
        status="pass" if ok else "fail",
        strength="soft",
        severity="info" if ok else SEVERITY_OF["soft"],
        scope=stat,
        metric_ids=[narr, stat],
        lhs=n.value,
        rhs=s.value,
        message=None if ok else how,
    )


@rule(layouts=LAYOUTS)
def s_text(v: Values) -> Iterable[Check]:
    """S-TEXT (soft): a figure stated in the narrative equals the table row of the same concept."""
    if not _has_table(v):
        return
    for narr, stat in TEXT_PAIRS:
        if v.has(narr) and v.has(stat):
            yield _text_check(v, narr, stat)
