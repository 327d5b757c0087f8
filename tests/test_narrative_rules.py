"""F-* rules of free-form narrative metrics (identities.md), on the seeds and on synthetic values."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline import narrative_patterns
from pipeline.extract import extract_metrics
from pipeline.layout import detect_layout
from pipeline.records import Check, Metric, ReportMeta
from pipeline.segment import segment
from pipeline.tables import parse_tables
from pipeline.textview import views
from pipeline.validate import evaluate_report

SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw" / "seeds"
YEARS = {"000": 2010, "001": 2011, "002": 2011}


def _m(metric_id: str, value: float, qualifier: str = "exact") -> Metric:
    return Metric(metric_id, value, qualifier, "narrative", "x", 0, 1)


def _seed_checks(n: str) -> list[Check]:
    text = next(SEEDS.glob(f"{n}_*.txt")).read_text(encoding="utf-8")
    layout = detect_layout(text)
    meta = ReportMeta(report_year=YEARS[n], layout=layout)
    ex = extract_metrics(text, meta, segment(text, layout), parse_tables(text, layout).cells)
    return [c for c in evaluate_report(ex.metrics, layout) if c.rule_id.startswith("F-")]


def _by(checks: list[Check]) -> dict[tuple[str, str | None], Check]:
    return {(c.rule_id, c.scope): c for c in checks}


def test_seed_000_consultation_does_not_add_up() -> None:
    got = _by(_seed_checks("000"))
    consult = got[("F-CONSULT", None)]
    assert (consult.status, consult.lhs, consult.rhs) == ("fail", 2000, 2020)  # 1500 + 500 + 20
    assert got[("F-CONSULT-PCT", "sum")].status == "pass"  # 80 + 20 + 1 = 101, within ±2
    assert got[("F-CONSULT-PCT", "narr.consult.share.online")].status == "pass"  # 20/2000 = 1 %
    assert got[("F-CONSULT-PCT", "narr.consult.share.onsite")].status == "fail"  # 1500/2000 = 75 ≠ 80
    assert all(c.status == "pass" for c in got.values() if c.rule_id == "F-RATE")
    assert ("F-ACTIVE-PARTS", None) not in got  # one channel only: partition not determinable


def test_seed_001_cumulative_not_below_year() -> None:
    got = _by(_seed_checks("001"))
    cum = got[("F-CUM", "narr.active.items_cumulative")]
    assert (cum.status, cum.lhs, cum.rhs) == ("pass", 270, 40)


def test_seed_002_channels_add_up() -> None:
    got = _by(_seed_checks("002"))
    parts = got[("F-ACTIVE-PARTS", None)]
    assert (parts.status, parts.lhs, parts.rhs) == ("pass", 4811, 4811)


def _f(ms: list[Metric]) -> dict[tuple[str, str | None], Check]:
    return _by([c for c in evaluate_report(ms, "freeform") if c.rule_id.startswith("F-")])


def test_active_parts_not_mixed_with_another_partition() -> None:
    # 微博 posts outnumber the formal items: a different partition, not evaluated
    ms = [
        _m("narr.active.items", 207),
        _m("narr.active.channel.website", 207),
        _m("narr.active.channel.weibo", 2654),
    ]
    assert ("F-ACTIVE-PARTS", None) not in _f(ms)
    ms = [
        _m("narr.active.items", 380),
        _m("narr.active.channel.website", 285),
        _m("narr.active.channel.wechat", 116),
    ]
    assert _f(ms)[("F-ACTIVE-PARTS", None)].status == "fail"


def test_fulltext_and_rates() -> None:
    ms = [
        _m("narr.active.items", 200),
        _m("narr.active.fulltext_items", 150),
        _m("narr.active.fulltext_rate", 75),
    ]
    assert _f(ms)[("F-FULLTEXT", None)].status == "pass"
    got = _f([_m("narr.app.on_time_rate", 120)])
    assert (
        got[("F-RATE", "narr.app.on_time_rate")].status,
        got[("F-RATE", "narr.app.on_time_rate")].strength,
    ) == (
        "fail",
        "hard",
    )


def test_application_rules() -> None:
    ms = [
        _m("narr.app.received", 10),
        _m("narr.app.channel.online", 6),
        _m("narr.app.channel.letter", 4),
        _m("narr.app.answered", 9),
        _m("narr.app.granted", 7),
        _m("narr.app.withheld", 2),
        _m("narr.app.pending", 1),
    ]
    got = _f(ms)
    assert got[("F-APP-CH", None)].status == "pass"
    assert got[("F-APP-OUT", None)].status == "pass"
    assert got[("F-APP-FLOW", None)].status == "pass"
    got = _f([_m("narr.app.received", 5), _m("narr.app.answered", 3), _m("narr.app.pending", 1)])
    assert (got[("F-APP-FLOW", None)].status, got[("F-APP-FLOW", None)].strength) == ("fail", "soft")
    # r001: 受理 3119 件，答复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度）
    ms = [_m("narr.app.received", 3119), _m("narr.app.carried_over", 34)]
    ms += [_m("narr.app.answered", 3050), _m("narr.app.pending", 103)]
    assert _f(ms)[("F-APP-FLOW", None)].status == "pass"


def test_approximate_terms_make_rules_soft_and_missing_terms_say_nothing() -> None:
    ms = [
        _m("narr.consult.total", 100, "approx"),
        _m("narr.consult.onsite", 50),
        _m("narr.consult.phone", 40),
    ]
    c = _f(ms)[("F-CONSULT", None)]
    assert (c.status, c.strength) == ("fail", "soft")
    assert _f([_m("narr.consult.total", 100)]) == {}


# The negation prefix as first written, with (?<!尚)未; narrative_patterns writes it 未(?<!尚未) so that every
# alternative opens on a character. Every pattern built on it must match as the plain form does.
PLAIN_NEG = r"(?:没有|未曾|从未|均未|并未|不存在|(?<!尚)未|无)(?!经|予|按|能|正当)"
NEG_PATTERNS = [
    n
    for n, v in vars(narrative_patterns).items()
    if isinstance(v, re.Pattern) and narrative_patterns.NEG in v.pattern
]


@pytest.mark.parametrize("name", NEG_PATTERNS)
def test_negation_patterns_match_as_written_plainly(name: str) -> None:
    fast = getattr(narrative_patterns, name)
    plain = re.compile(fast.pattern.replace(narrative_patterns.NEG, PLAIN_NEG))
    assert plain.pattern != fast.pattern
    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    texts = [views(f.read_text(encoding="utf-8")).compact for f in sorted(raw.rglob("*.txt"))]
    texts += ["尚未收到申请,未收到申请,本年度无申请。", "均未发生行政复议", "未经审查", "从未收取费用"]

    def found(rx: re.Pattern[str], t: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
        return [(m.span(), m.groups()) for m in rx.finditer(t)]

    assert [i for i, t in enumerate(texts) if found(fast, t) != found(plain, t)] == []


def test_every_zero_rule_is_built_on_the_negation_prefix() -> None:
    assert {"NEG_RE", "ZERO_APP", "ZERO_CASES", "ZERO_FEES", "ZERO_CONSULT"} <= set(NEG_PATTERNS)
