"""Narrative extractor on short synthetic reports: topics, scope guards, qualifiers, zero statements."""

from __future__ import annotations

from pipeline.narrative import extract_narrative
from pipeline.records import ReportMeta
from pipeline.segment import segment


def run(text: str, year: int | None = 2012) -> dict[str, tuple[float, str]]:
    ms = extract_narrative(text, segment(text, "freeform"), ReportMeta(report_year=year, layout="freeform"))
    for m in ms:
        assert m.evidence == text[m.char_start : m.char_end]
    return {m.metric_id: (m.value, m.qualifier) for m in ms}


def report(*sections: str) -> str:
    nums = "一二三四五六七八"
    return "某局2012年政府信息公开工作年度报告\n" + "".join(
        f"{nums[i]}、{s}\n" for i, s in enumerate(sections)
    )


def test_same_channel_words_mean_different_metrics_by_section() -> None:
    text = report(
        "主动公开政府信息情况\n全年主动公开政府信息120条，其中网上公开信息100条。",
        "依申请公开政府信息情况\n全年共收到政府信息公开申请5件，其中网上申请3件，当面申请2件。",
        "咨询情况\n全年接受政府信息公开咨询50人次。其中，网上咨询30人次，电话咨询20人次。",
    )
    got = run(text)
    assert got["narr.active.items"] == (120, "exact")
    assert got["narr.active.channel.website"] == (100, "exact")
    assert got["narr.app.received"] == (5, "exact")
    assert got["narr.app.channel.online"] == (3, "exact")
    assert got["narr.app.channel.in_person"] == (2, "exact")
    assert got["narr.consult.total"] == (50, "exact")
    assert got["narr.consult.online"] == (30, "exact")
    assert got["narr.consult.phone"] == (20, "exact")


def test_bare_channel_words_follow_the_section_topic() -> None:
    got = run(report("依申请公开政府信息情况\n共收到政府信息公开申请3件。其中，当面2件，信函1件。"))
    assert got["narr.app.channel.in_person"] == (2, "exact")
    assert got["narr.app.channel.letter"] == (1, "exact")
    got = run(report("咨询情况\n共接待政府信息公开咨询30人次。其中，当面20人次，电话10人次。"))
    assert got["narr.consult.onsite"] == (20, "exact")
    assert got["narr.consult.phone"] == (10, "exact")


def test_qualifiers_and_chinese_numerals() -> None:
    got = run(
        report(
            "主动公开政府信息情况\n全年主动公开政府信息二十余条。网站访问量约3.5万人次。举办培训两期，培训政府信息公开工作人员近百人次。"
        )
    )
    assert got["narr.active.items"] == (20, "lower_bound")
    assert got["narr.website.visits"] == (35_000, "approx")
    assert got["narr.training.sessions"] == (2, "exact")
    assert got["narr.training.trainees"] == (100, "approx")


def test_subordinate_units_are_not_the_agency_total() -> None:
    got = run(
        report(
            "主动公开政府信息情况\n2012年主动公开政府信息1913条。其中，区直各部门主动公开政府信息1397条，各乡镇主动公开政府信息516条。"
        )
    )
    assert got["narr.active.items"] == (1913, "exact")
    got = run(report("主动公开政府信息情况\n区直各单位主动公开政府信息1397条。"))
    assert "narr.active.items" not in got


def test_another_year_is_not_this_year() -> None:
    got = run(report("主动公开政府信息情况\n2011年主动公开政府信息100条。"), year=2012)
    assert "narr.active.items" not in got
    got = run(report("依申请公开政府信息情况\n2011年，本局未收到政府信息公开申请。"), year=2012)
    assert "narr.app.received" not in got
    # a document title with a year does not change the scope
    got = run(
        report("主动公开政府信息情况\n按照《2011年政务公开工作要点》，全年主动公开政府信息100条。"), year=2012
    )
    assert got["narr.active.items"] == (100, "exact")


def test_cumulative_figures_are_not_the_year_figure() -> None:
    got = run(
        report(
            "主动公开政府信息情况\n2012年主动公开政府信息40条，累计发布信息270条。《条例》实施以来累计受理政府信息公开申请12件。"
        )
    )
    assert got["narr.active.items"] == (40, "exact")
    assert got["narr.active.items_cumulative"] == (270, "exact")
    assert got["narr.app.received_cumulative"] == (12, "exact")
    assert "narr.app.received" not in got
    # 累计 inside a year-scoped sentence is the year's total
    got = run(report("主动公开政府信息情况\n2012年，我局通过门户网站累计公开政府信息276条。"))
    assert got["narr.active.items"] == (276, "exact")
    # a stock without a cumulative id is dropped, not passed off as the year's figure
    got = run(report("主动公开政府信息情况\n网站开通以来访问量达100万人次。"))
    assert "narr.website.visits" not in got


def test_hotlines_and_plans_and_deltas_are_skipped() -> None:
    got = run(
        report(
            "主动公开政府信息情况\n全年受理12365投诉举报211次，市长热线交办件办结320件。",
            "存在的主要问题及改进措施\n下一步计划主动公开政府信息500条，举办培训3期。",
        )
    )
    assert got == {}
    got = run(report("主动公开政府信息情况\n主动公开政府信息比上年增加20条。"))
    assert got == {}


def test_zero_statements() -> None:
    got = run(
        report(
            "依申请公开政府信息情况\n2012年没有收到政府信息公开申请，也未收到有关政府信息公开行政复议的申请。",
            "政府信息公开的收费及减免情况\n无收费及减免情况。",
            "因政府信息公开申请行政复议、提起行政诉讼的情况\n未发生因政府信息公开申请行政复议、提起行政诉讼和申诉的情况。",
        )
    )
    assert got == {
        "narr.app.received": (0, "zero_statement"),
        "narr.review.count": (0, "zero_statement"),
        "narr.litigation.count": (0, "zero_statement"),
        "narr.appeal.count": (0, "zero_statement"),
        "narr.fees.collected": (0, "zero_statement"),
        "narr.fees.waived": (0, "zero_statement"),
    }


def test_zero_statement_about_review_is_not_about_requests() -> None:
    got = run(report("复议诉讼情况\n2012年未发生因政府信息公开申请行政复议和诉讼情况。"))
    assert "narr.app.received" not in got
    assert got["narr.review.count"] == (0, "zero_statement")


def test_costs_are_not_fees_and_not_cases() -> None:
    got = run(report("收费情况\n由于未发生行政复议案，因此未发生与诉讼(行政复议、行政申诉)有关的费用。"))
    assert "narr.fees.collected" not in got
    assert "narr.litigation.count" not in got or got["narr.litigation.count"][1] == "zero_statement"


def test_no_zero_is_inferred_for_a_missing_section() -> None:
    # a partial report cut off before 依申请公开 says nothing about requests, fees or reviews
    got = run(
        report(
            "主动公开政府信息情况\n全年主动公开政府信息35条。",
            "依申请公开政府信息情况\n本单位2012年没有收到政府信息公开申",
        )
    )
    assert got == {"narr.active.items": (35, "exact")}


def test_information_classification_is_not_request_outcomes() -> None:
    got = run(
        report(
            "主动公开政府信息情况\n2012年制作、获取政府信息总数330条，其中主动公开政府信息90条，依申请公开信息数161条，不予公开信息数79条。"
        )
    )
    assert got == {"narr.active.items": (90, "exact")}


def test_std_overview_statements() -> None:
    text = (
        "一、总体情况\n（一）主动公开情况。全年主动公开政府信息 1136 条，发布政策解读 21 篇，召开新闻发布会 3 场。\n"
        "（二）依申请公开情况。全年共受理政府信息公开申请 21 件，答复 19 件，另有 2 件结转下年度办理。"
        "政府信息公开行政复议 3 件，行政诉讼 1 件。\n二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\n本年制发件数\n"
    )
    got = run(text, year=2023)
    assert got == {
        "narr.active.items": (1136, "exact"),
        "narr.interpretations": (21, "exact"),
        "narr.press_conferences": (3, "exact"),
        "narr.app.received": (21, "exact"),
        "narr.app.answered": (19, "exact"),
        "narr.app.pending": (2, "exact"),
        "narr.review.count": (3, "exact"),
        "narr.litigation.count": (1, "exact"),
    }


def test_money_is_converted_to_the_catalog_unit() -> None:
    got = run(
        report(
            "政府信息公开的收费及减免情况\n全年收取检索费、复制费共计120元，减免费用30元。",
            "机构人员情况\n全年政府信息公开工作经费2万元。",
        )
    )
    assert got["narr.fees.collected"] == (120, "exact")
    assert got["narr.fees.waived"] == (30, "exact")
    assert got["narr.budget"] == (2, "exact")  # catalog unit 万元


def test_empty_text() -> None:
    assert extract_narrative("", [], ReportMeta()) == []


def test_joint_proposal_counts_and_carried_forward_requests() -> None:
    got = run(report("其他需要报告的事项\n全年共办理人大代表建议和政协提案共56件。"))
    assert "narr.proposals.cppcc" not in got and "narr.proposals.npc" not in got
    got = run(
        report(
            "收到和处理政府信息公开申请情况\n本年度共新收政府信息公开申请120件，上年结转5件，办结118件，结转下年度7件。"
        ),
        year=2020,
    )
    assert got == {
        "narr.app.received": (120, "exact"),
        "narr.app.carried_over": (5, "exact"),  # 上年结转5件
        "narr.app.answered": (118, "exact"),
        "narr.app.pending": (7, "exact"),
    }


def test_sections_are_segmented_when_none_are_given() -> None:
    text = report("主动公开政府信息情况\n全年主动公开政府信息120条。")
    ms = extract_narrative(text, [], ReportMeta(report_year=2012))
    assert [(m.metric_id, m.value) for m in ms] == [("narr.active.items", 120)]
