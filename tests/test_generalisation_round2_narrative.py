"""Narrative rules added after the second held-out round (docs/evaluation.md, Round 2).

Short synthetic reports written for each pattern (invented sentences and figures).
"""

from __future__ import annotations

from pipeline.narrative import extract_narrative
from pipeline.numbers import find_quantities
from pipeline.records import ReportMeta
from pipeline.segment import segment


def run(text: str, year: int = 2022, layout: str = "std2021", agency_type: str | None = None) -> dict:
    meta = ReportMeta(report_year=year, layout=layout, agency_type=agency_type)
    ms = extract_narrative(text, segment(text, layout), meta)
    for m in ms:
        assert m.evidence == text[m.char_start : m.char_end]
    return {m.metric_id: (m.value, m.qualifier) for m in ms}


def test_one_figure_for_several_channels_is_not_one_channel() -> None:
    got = run("一、总体情况\n(一)主动公开情况\n通过门户网站、乡镇查阅点等公开信息420条。\n")
    assert "narr.active.channel.reading_room" not in got and "narr.active.channel.website" not in got
    assert got["narr.active.items"] == (420, "exact")
    got = run("一、总体情况\n(一)主动公开情况\n网站、微信、微博共发布各类信息600条，其中网站(含转载)90条。\n")
    assert "narr.active.channel.weibo" not in got
    assert got["narr.active.channel.website"] == (90, "exact")


def test_a_channel_word_inside_a_longer_name_is_one_channel() -> None:
    got = run("一、总体情况\n(一)主动公开情况\n全年通过县政府信息公开网站共公开信息77条。\n")
    assert (77, "exact") in (got.get("narr.active.items"), got.get("narr.active.channel.website"))


def test_items_of_an_enumeration_are_read_one_by_one() -> None:
    text = (
        "一、总体情况\n(一)主动公开情况\n利用门户网站主动公开政府信息55条、规范性文件3条、解读信息2条，"
        "微信公众号推送信息130篇、微博发布信息41条。\n"
    )
    got = run(text)
    assert got["narr.active.normative_docs"] == (3, "exact")
    assert got["narr.active.channel.wechat"] == (130, "exact")
    assert got["narr.active.channel.weibo"] == (41, "exact")


def test_normative_documents_after_rules_in_one_enumeration() -> None:
    got = run("一、总体情况\n全年共发布规章4件，规范性文件37件。\n", layout="std2019", year=2019)
    assert got["narr.active.normative_docs"] == (37, "exact")
    got = run("一、总体情况\n全年未发布、废止行政规范性文件。\n")
    assert got["narr.active.normative_docs"] == (0, "zero_statement")


def test_total_after_its_parts_wins() -> None:
    text = "一、总体情况\n(一)主动公开情况\n主动公开基础信息40条，项目信息6条，其他信息11条，合计共57条。\n"
    assert run(text)["narr.active.items"] == (57, "exact")


def test_noun_before_zhu_dong_gong_kai_and_lower_bound_before_wan() -> None:
    assert run("一、总体情况\n我镇政府信息主动公开数为310条。\n")["narr.active.items"] == (310, "exact")
    got = run("一、总体情况\n(一)主动公开情况\n通过报纸等媒介主动公开政府信息30余万条。\n")
    assert got["narr.active.items"] == (300000, "lower_bound")
    assert find_quantities("突破20万次")[0].qualifier == "lower_bound"


def test_lei_ji_in_a_std_report() -> None:
    # summed over units: the year's figure; alone: undecided (neither the year nor a stock)
    got = run("一、总体情况\n各级行政机关累计主动公开政府信息3.5万条。\n", agency_type="government")
    assert got["narr.active.items"] == (35000, "exact")
    got = run("一、总体情况\n一年来，通过网站累计主动公开政府信息19条。\n")
    assert got["narr.active.items"] == (19, "exact")
    got = run("一、总体情况\n政务微信累计发布信息25条。\n")
    assert "narr.active.channel.wechat" not in got and "narr.active.items_cumulative" not in got


def test_every_level_of_a_place_in_a_government_report() -> None:
    text = "一、总体情况\n全市各级各部门通过政府网站、微信等渠道发布各类政府信息2.1万条。\n"
    assert run(text, agency_type="government")["narr.active.items"] == (21000, "exact")
    assert "narr.active.items" not in run(text, agency_type="department")


def test_stock_after_a_cut_off_with_yi() -> None:
    text = "一、概述\n截止2012年底，本局已主动公开政府信息930多条。\n"
    got = run(text, year=2012, layout="freeform")
    assert got["narr.active.items_cumulative"] == (930, "lower_bound")


def test_year_share_of_a_running_total() -> None:
    text = "一、概述\n截止2012年底，网站累计访问量120万人次，其中2012年度30万人次。\n"
    assert run(text, year=2012, layout="freeform")["narr.website.visits"] == (300000, "exact")


def test_request_phrasings() -> None:
    text = (
        "一、总体情况\n(二)依申请公开情况\n全年共接受办理政府信息公开申请14件。2022年，接收且办理公民、法人或者其他组织"
        "提出的政府信息公开申请9件。共收到依申请公开7项，办理6项。共收到5份申请，其中4份是网络依申请公开。\n"
        "答复政府信息公开申请3件，另有2件申请按照规定顺延到下年度答复。予以公开及部分公开8件。\n"
    )
    got = run(text)
    assert got["narr.app.received"][0] in (14, 9, 7, 5)
    assert got["narr.app.channel.online"] == (4, "exact")
    assert got["narr.app.pending"] == (2, "exact")
    assert "narr.app.partial" not in got
    got = run("一、总体情况\n(二)依申请公开情况\n共收到依申请公开7项，办理6项。\n")
    assert got["narr.app.answered"] == (6, "exact")


def test_zero_statements_of_round_two() -> None:
    got = run(
        "三、依申请公开情况\n我镇本年度无申请。\n",
        year=2016,
        layout="freeform",
    )
    assert got["narr.app.received"] == (0, "zero_statement")
    got = run("一、总体情况\n南山镇未收到任何公民、法人或者其他组织向我镇提出的政府信息公开申请。\n")
    assert got["narr.app.received"] == (0, "zero_statement")
    got = run("一、总体情况\n(二)依申请公开情况\n没有因政府信息公开引起行政复议或者行政起诉的情况。\n")
    assert got["narr.litigation.count"] == (0, "zero_statement")
    assert (
        run("六、其他需要报告的事项\n本年度未产生政府信息公开信息处理费用。\n")["narr.fees.collected"][0] == 0
    )


def test_joint_proposals_hotline_rates_and_other_wordings() -> None:
    got = run("六、其他需要报告的事项\n全年共办理代表建议和政协提案15件。\n")
    assert "narr.proposals.cppcc" not in got
    got = run("一、总体情况\n累计收到县长信箱50件，按时办结率为100%。\n")
    assert "narr.app.on_time_rate" not in got
    text = (
        "一、概述\n网站的日平均访问量实现3000人次。全年共编发公报6期。开展政策解读9次。"
        "组织各单位信息公开工作人员参加业务培训3次。《某市统计信息网》全年共发布信息80条。\n"
        "二、咨询情况\n现场接待咨询40人次。\n"
    )
    got = run(text, year=2015, layout="freeform")
    assert got["narr.website.daily_visits"] == (3000, "exact")
    assert got["narr.gazette.issues"] == (6, "exact")
    assert got["narr.interpretations"] == (9, "exact")
    assert got["narr.training.sessions"] == (3, "exact")
    assert got["narr.active.channel.website"] == (80, "exact")
    assert got["narr.consult.onsite"] == (40, "exact")


def test_round_one_leftovers_quantity_word_waiver_and_variant_character() -> None:
    got = run("一、总体情况\n全年在门户网站上主动公开信息数量为28件。\n")
    assert got["narr.active.items"] == (28, "exact")
    got = run("四、收费及减免情况\n本局未收取任何费用，不存在减免情况。\n", year=2010, layout="freeform")
    assert got["narr.fees.waived"] == (0, "zero_statement")
    # 谘詢 (a variant of 咨询 kept by the character map) in a traditional-character mirror copy
    trad = "五、諮詢情況\n2010年，本局共接受公民政府信息公開方麵的谘詢300人次。其中，電話谘詢300人次。\n" * 2
    got = run(trad, year=2010, layout="freeform")
    assert got["narr.consult.phone"] == (300, "exact")
