"""The std identity rules (pipeline/validate/rules_std.py) on real parsed tables and on small synthetic reports."""

from __future__ import annotations

from pathlib import Path

from pipeline.records import Check, Metric
from pipeline.tables.std import parse_std_tables
from pipeline.validate import evaluate_report

REPO = Path(__file__).resolve().parents[1]


def metrics_of(rel: str, layout: str) -> list[Metric]:
    """Table cells of a corpus report as table metrics (what extract.py does for the decided cells)."""
    text = (REPO / rel).read_text(encoding="utf-8")
    out = []
    for c in parse_std_tables(text, layout).cells:
        if c.metric_id and c.status == "ok" and c.value is not None and c.char_start is not None:
            out.append(
                Metric(c.metric_id, c.value, "exact", "table", text[c.char_start : c.char_end], c.char_start,
                       c.char_end or c.char_start, raw_value=c.raw, table_id=c.table_id)
            )  # fmt: skip
    return out


def m(mid: str, value: float, method: str = "table", qualifier: str = "exact") -> Metric:
    return Metric(mid, float(value), qualifier, method, str(value), 0, 1)


def by_rule(checks: list[Check], rule_id: str, scope: str | None = None) -> list[Check]:
    return [c for c in checks if c.rule_id == rule_id and (scope is None or c.scope == scope)]


def test_seed004_flags_row_and_results_but_balance_passes() -> None:
    """identities.md: seed 004 keeps 总计 0 in row 5.属于三类内部事务信息 → T3-ROW and T3-RES[total] fail, T3-BAL passes."""
    checks = evaluate_report(metrics_of("data/raw/seeds/004_41ae5f6dd78fef43.txt", "std2019"), "std2019")
    bal = by_rule(checks, "T3-BAL")
    assert len(bal) == 7 and all(c.status == "pass" for c in bal)
    row = by_rule(checks, "T3-ROW", "app.result.withheld.internal_affairs")
    assert [(c.status, c.lhs, c.rhs, c.severity) for c in row] == [("fail", 0.0, 1.0, "error")]
    assert all(
        c.status == "pass"
        for c in by_rule(checks, "T3-ROW")
        if c.scope != "app.result.withheld.internal_affairs"
    )
    res = {c.scope: c for c in by_rule(checks, "T3-RES")}
    assert res["total"].status == "fail" and (res["total"].lhs, res["total"].rhs) == (1.0, 0.0)
    assert all(res[c].status == "pass" for c in res if c != "total")
    assert {
        c.status for c in by_rule(checks, "T4-REV") + by_rule(checks, "T4-DIR") + by_rule(checks, "T4-AFT")
    } == {"pass"}
    assert {c.status for c in by_rule(checks, "T2-19-PUB")} == {"pass"}
    assert [c.status for c in by_rule(checks, "T3-INT")] == ["pass"]


def test_r002_review_totals_are_flagged_not_fixed() -> None:
    """r002 prints 复议 10/1/0/0 with 总计 0: T4-REV fails with the printed values."""
    checks = evaluate_report(metrics_of("data/raw/dev/r002.txt", "std2021"), "std2021")
    (rev,) = by_rule(checks, "T4-REV")
    assert (rev.status, rev.lhs, rev.rhs) == ("fail", 0.0, 11.0)
    (aft,) = by_rule(checks, "T4-AFT")
    assert aft.status == "fail"
    (direct,) = by_rule(checks, "T4-DIR")
    assert direct.status == "pass"
    # the 2023 table prints the single 2019-style （六） row: T3-RES uses it, T3-OT21 does not apply
    assert {c.status for c in by_rule(checks, "T3-RES")} == {"pass"}
    assert not by_rule(checks, "T3-OT21")


def test_r001_all_table_identities_hold() -> None:
    checks = evaluate_report(metrics_of("tests/fixtures/corpus/pdf/r001.layout.txt", "std2021"), "std2021")
    for rid in ("T3-BAL", "T3-RES", "T3-ROW", "T4-REV", "T4-DIR", "T4-AFT", "T3-FLOW", "T2-STOCK-LE"):
        got = by_rule(checks, rid)
        assert got and all(c.status == "pass" for c in got), (rid, [c for c in got if c.status != "pass"])
    (fee,) = by_rule(checks, "T2-FEE-UNIT")
    assert fee.status == "fail" and fee.strength == "info"  # 96171.6 万元 ≥ 10 000: probably entered in 元


def test_no_table_no_table_checks() -> None:
    checks = evaluate_report([m("narr.app.received", 3)], "std2021")
    assert not [c for c in checks if c.rule_id.startswith(("T3-", "T4-", "T2-"))]


def test_missing_term_is_not_assessable() -> None:
    checks = evaluate_report([m("review.total", 2), m("review.maintained", 2)], "std2019")
    (rev,) = by_rule(checks, "T4-REV")
    assert rev.status == "not_assessable"


def _t3_other(method: str, total: float) -> list[Metric]:
    ms = [m(f"app.result.other.{k}.natural_person", v) for k, v in (("overdue_correction", 1), ("overdue_fee", 2),
                                                                     ("other", 3))]  # fmt: skip
    ms.append(m("app.result.other.total.natural_person", total, method=method))
    return ms


def test_ot21_checks_printed_subtotal_only() -> None:
    assert not by_rule(evaluate_report(_t3_other("derived", 6), "std2021"), "T3-OT21")
    (ok,) = by_rule(evaluate_report(_t3_other("table", 6), "std2021"), "T3-OT21")
    assert ok.status == "pass"
    (bad,) = by_rule(evaluate_report(_t3_other("table", 7), "std2021"), "T3-OT21")
    assert bad.status == "fail" and bad.severity == "error"


def test_subtotal_and_legal_total_rules() -> None:
    ms = [
        m(f"app.result.unable.{k}.business", v)
        for k, v in (("not_held", 2), ("needs_creation", 1), ("unclear", 0))
    ]
    ms.append(m("app.result.unable.subtotal.business", 4))
    (sub,) = by_rule(evaluate_report(ms, "std2019"), "T3-SUB-UN")
    assert (sub.status, sub.lhs, sub.rhs) == ("fail", 4.0, 3.0)
    # derived subtotal: no check against its own definition
    ms[-1] = m("app.result.unable.subtotal.business", 3, method="derived")
    assert not by_rule(evaluate_report(ms, "std2019"), "T3-SUB-UN")
    row = [m(f"app.new.{c}", v) for c, v in zip(
        ["natural_person", "business", "research", "social_welfare", "legal_service", "other_org"],
        [5, 1, 0, 0, 2, 0], strict=True)]  # fmt: skip
    row += [m("app.new.legal_total", 3), m("app.new.total", 8)]
    leg = by_rule(evaluate_report(row, "std2021"), "T3-LEG")
    assert [c.status for c in leg] == ["pass", "pass"]
    assert {c.scope for c in by_rule(evaluate_report(row, "std2021"), "T3-BAL")} >= {"legal_total"}


def test_text_rules_are_soft_and_know_the_carry_over_basis() -> None:
    ms = [m("app.new.total", 5), m("app.carried_over.total", 2), m("narr.app.received", 7)]
    (chk,) = by_rule(evaluate_report(ms, "std2019"), "T3-TEXT-NEW")
    assert chk.status == "pass" and chk.message == "basis: new + carried over"
    ms[-1] = m("narr.app.received", 9)
    (chk,) = by_rule(evaluate_report(ms, "std2019"), "T3-TEXT-NEW")
    assert (chk.status, chk.strength, chk.severity) == ("fail", "soft", "warning")
    lit = [
        m("litigation.direct.total", 2),
        m("litigation.after_review.total", 1),
        m("narr.litigation.count", 3),
    ]
    (t4t,) = by_rule(evaluate_report(lit, "std2021"), "T4-TEXT")
    assert t4t.status == "pass"


def test_approximate_narrative_makes_rule_soft() -> None:
    ms = [m("review.total", 3), m("narr.review.count", 4, qualifier="approx")]
    (chk,) = by_rule(evaluate_report(ms, "std2021"), "T4-TEXT")
    assert chk.status == "fail" and chk.strength == "soft"


def test_section_six_fee_rules() -> None:
    ms = [
        m("other.info_fee.notices", 0),
        m("other.info_fee.collected", 50),
        m("other.info_fee.amount_notified", 40),
    ]
    checks = evaluate_report(ms, "std2021")
    assert [c.status for c in by_rule(checks, "S6-FEE")] == ["fail", "fail", "fail"]
    ms = [m("other.info_fee.notices", 1), m("app.result.other.overdue_fee.total", 2)]
    (t3,) = by_rule(evaluate_report(ms, "std2021"), "S6-FEE-T3")
    assert t3.status == "fail"


def test_integer_and_sign_rules() -> None:
    ms = [m("active.licensing.items_change", -8), m("active.penalty.decisions", 2.5), m("app.new.total", 1.5)]
    checks = evaluate_report(ms, "std2019")
    assert [c.scope for c in by_rule(checks, "T2-INT")] == ["active.penalty.decisions"]
    assert [c.scope for c in by_rule(checks, "T3-INT")] == ["app.new.total"]
