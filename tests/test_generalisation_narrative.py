"""Narrative rules added after the held-out evaluation (docs/evaluation.md), on short synthetic reports."""

from __future__ import annotations

from pipeline.narrative import extract_narrative
from pipeline.records import ReportMeta
from pipeline.segment import segment


def run(text: str, year: int = 2018) -> dict[str, tuple[float, str]]:
    ms = extract_narrative(text, segment(text, "freeform"), ReportMeta(report_year=year, layout="freeform"))
    for m in ms:
        assert m.evidence == text[m.char_start : m.char_end]
    return {m.metric_id: (m.value, m.qualifier) for m in ms}


def test_outcome_answers_are_not_the_number_answered() -> None:
    text = (
        "一、依申请公开情况\n2018年共收到申请40件。按时办结数38件，延期办结2件。其中同意公开答复20件，"
        "不同意公开答复的3件，不属于本行政机关公开的5件。\n"
    )
    got = run(text)
    assert "narr.app.answered" not in got
    assert got["narr.app.granted"] == (20, "exact")
    assert got["narr.app.withheld"] == (3, "exact")
    assert got["narr.app.not_this_agency"] == (5, "exact")


def test_government_new_media_is_not_the_press() -> None:
    got = run("一、主动公开情况\n全年主动公开信息300条。全县政务新媒体共发布信息90条。\n")
    assert "narr.active.channel.media" not in got


def test_more_ways_to_state_requests_and_interpretations() -> None:
    text = (
        "一、总体情况\n2018年，我办共收到公开政府信息申请4件，已全部答复。全年发布各类政策解读件12篇。\n"
        "全年新收政府信息公开申请数量6件，上年结转政府信息公开申请数量1件。\n"
    )
    got = run(text)
    assert got["narr.app.received"][0] in (4, 6)
    assert got["narr.interpretations"] == (12, "exact")
    assert got["narr.app.carried_over"] == (1, "exact")


def test_running_text_with_xinxi_neirong_is_not_a_std_table() -> None:
    text = (
        "一、主动公开情况\n我镇明确了工作流程，公开信息内容更新及时。\n"
        "本镇2018年共主动公开政府信息55条，其中全文电子化率达100%。\n"
    )
    got = run(text)
    assert got["narr.active.items"] == (55, "exact")
    assert got["narr.active.fulltext_rate"] == (100, "exact")


def test_heading_line_does_not_join_the_next_sentence() -> None:
    text = "一、总体情况\n(一)主动公开情况\n全年通过区政府网站共公开信息88条。\n"
    assert run(text)["narr.active.channel.website"] == (88, "exact")


def test_section_heading_qualifies_review_counts() -> None:
    text = "一、依申请公开情况\n全年收到申请3件。\n二、因政府信息公开申请行政复议情况\n2018年，我办行政复议为2件。\n"
    assert run(text)["narr.review.count"] == (2, "exact")


def test_enumerated_and_number_first_proactive_items() -> None:
    got = run("一、主动公开情况\n全年主动公开财政数据、环境保护、应急管理等政府信息700条。\n")
    assert got["narr.active.items"] == (700, "exact")
    got = run("一、概述\n2018年共整理、录入、发布15条主动公开政府信息。\n")
    assert got["narr.active.items"] == (15, "exact")
    got = run("一、主动公开情况\n围绕重点领域，公开发布政府信息480条。\n")
    assert got["narr.active.items"] == (480, "exact")


def test_enumeration_inside_a_breakdown_is_not_the_total() -> None:
    text = "一、主动公开情况\n网站共发布信息900条，其中信息公开栏目主动发布政策文件、财政预算信息、公示公告等信息120条。\n"
    got = run(text)
    assert got.get("narr.active.items") != (120, "exact")
