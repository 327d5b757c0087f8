"""Metadata rules added after the second held-out round (docs/evaluation.md, Round 2).

Each test is a short synthetic text written for the pattern (invented sentences and numbers; only the
place names are real, because places are resolved against the division list).
"""

from __future__ import annotations

from pipeline.layout import decide_layout
from pipeline.metadata import describe
from pipeline.metadata.names import expand, is_name, valid_start
from pipeline.text import has_ruby, normalize


def _agency(text: str) -> str | None:
    return describe(text, "x.txt").agency_name


def test_report_published_under_its_own_title_in_book_brackets() -> None:
    text = (
        "依据条例，现发布《德州市陵城区人民政府2023年政府信息公开工作年度报告》，数据统计至12月31日。\n"
        "一、总体情况\n全年公开信息300条。\n"
    )
    assert _agency(text) == "德州市陵城区人民政府"


def test_a_cited_report_in_book_brackets_is_still_not_this_report() -> None:
    text = (
        "按照《关于做好2023年政府信息公开工作年度报告编制工作的通知》要求，我局编制本报告。\n"
        "一、总体情况\n全年公开信息30条。\n"
    )
    assert _agency(text) is None


def test_statement_naming_a_place_only_credits_the_places_government() -> None:
    text = "根据条例规定，现公布德州市2021年政府信息公开工作年度报告。\n一、总体情况\n全市公开信息900条。\n"
    assert _agency(text) == "德州市人民政府"


def test_title_like_sentence_is_trimmed_to_a_name_that_starts_like_one() -> None:
    text = "编制说明如下。\n本报告内容为临邑县人民政府2022年度的政府信息公开工作情况。\n一、总体情况\n公开信息8条。\n"
    assert _agency(text) == "临邑县人民政府"


def test_a_verb_before_a_town_name_is_not_part_of_it() -> None:
    assert not valid_start("结合某某镇")
    text = (
        "结合前进镇2023年政府信息公开工作情况，特编制2023年度前进镇政府信息公开工作年度报告。\n"
        "一、总体情况\n全年公开信息12条。\n"
    )
    assert _agency(text) == "前进镇"


def test_title_split_over_lines_with_the_year_at_the_line_end() -> None:
    text = "自治区人民政府办公厅2021\n\n政府信息公开工作年度报告\n\n一、总体情况\n西藏各地推进公开，全区公开信息50条。\n"
    assert describe(text, "x.txt").report_year == 2021
    assert _agency(text) == "西藏自治区人民政府办公厅"


def test_breadcrumb_without_agency_does_not_hide_the_named_title() -> None:
    text = (
        "首页 > 年报 > 2013年政府信息公开年度报告\n\n德州市2013年政府信息公开工作年度报告\n\n"
        "本报告由德州市人民政府办公室编制。\n一、概述\n全市公开信息60条。\n"
    )
    assert _agency(text) == "德州市人民政府"


def test_letter_spaced_name_on_the_line_above_the_title() -> None:
    text = "乐 陵 市 人 民 政 府\n2012年政府信息公开年度报告\n一、概述\n全市公开信息70条。\n"
    assert _agency(text) == "乐陵市人民政府"


def test_report_built_on_the_subordinate_reports_is_the_provinces() -> None:
    text = (
        "本报告在山东省2016年各市人民政府和省政府各部门的年度报告的基础上编制。\n"
        "一、概述\n全省公开信息100万条。\n"
    )
    assert _agency(text) == "山东省人民政府"
    text2 = (
        "本报告由山东省人民政府办公厅编制，是2018年山东省各级行政机关开展政府信息公开工作的情况。\n"
        "一、概述\n山东省各级政府重视公开。\n"
    )
    assert _agency(text2) == "山东省人民政府"


def test_compiled_by_the_governments_disclosure_office() -> None:
    text = "本报告由济南市政府信息公开领导小组办公室编制。\n一、概述\n本市各级政府部门公开信息1000条。\n"
    assert _agency(text) == "济南市人民政府"


def test_own_level_government_with_its_web_site() -> None:
    text = (
        "特向社会公布2018年度本级政府(机关)信息公开年度报告。本报告电子版可在宁津县人民政府网站下载。\n"
        "一、概述\n全县公开信息40条。\n"
    )
    assert _agency(text) == "宁津县人民政府"


def test_place_as_the_subject_of_an_untitled_report() -> None:
    text = "一、总体情况\n2022年，德州市坚持依法公开，全年公开信息500条。\n2022年，德州市按照要求推进各项工作。\n"
    assert _agency(text) == "德州市人民政府"
    # a department speaking as 我局 is not its city
    assert _agency("一、总体情况\n2022年，德州市坚持依法公开，我局公开信息50条。\n") is None


def test_ministries_are_names_and_government_sasac_is_written_out() -> None:
    assert valid_start("水利部") and valid_start("国家统计局")
    text = "2009年，水利部主动公开政府信息30条。\n水利部门户网站进行了改版。\n水利部公开了工作规则。\n"
    assert _agency(text) == "水利部"
    assert is_name("西藏自治区政府国资委")
    assert expand("西藏自治区政府国资委") == "西藏自治区人民政府国有资产监督管理委员会"


def test_a_short_name_introduced_by_yi_xia_jian_cheng_takes_the_full_name() -> None:
    text = (
        "自治区某某办2022年政府信息公开工作年度报告\n本报告由广西壮族自治区某某管理办公室(以下简称自治区某某办)"
        "编制。\n一、总体情况\n全年公开信息9条。\n"
    )
    assert _agency(text) == "广西壮族自治区某某管理办公室"


def test_enumerated_names_and_the_disclosure_office_are_not_authors() -> None:
    assert not is_name("县公开办")
    text = "一、主动公开情况\n各区县、德州市人民政府主动公开信息100条。\n在县公开办的指导下开展工作。\n"
    assert _agency(text) is None


def test_pinyin_annotations_are_blanked_and_skipped() -> None:
    text = "本報(bào)告由德州市統(tǒng)計局根據(jù)條例編制。\n一、概述\n本局公開信息(xī)10條。\n"
    assert has_ruby(text)
    assert len(normalize(text)) == len(text)
    assert "统计局" in normalize(text).replace(" ", "")
    assert _agency(text) == "德州市统计局"


def test_year_from_an_annual_report_opening() -> None:
    text = "2009年年报根据条例编制，由概述等部分组成。\n一、概述\n本省各级政府重视公开工作。\n"
    assert describe(text, "x.txt").report_year == 2009


def test_the_2019_notice_does_not_make_a_2023_report_std2019() -> None:
    text = "根据国办公开办函〔2019〕60号要求编制本报告。\n一、总体情况\n全年公开信息5条。\n"
    assert decide_layout(text, 2023).layout == "std2021"
    assert decide_layout(text, 2020).layout == "std2019"


def test_document_tail_furniture_and_a_dangling_pipe_end_the_text() -> None:
    base = (
        "某某镇2016年政府信息公开年度报告\n一、概述\n全年公开信息20条。\n二、依申请公开情况\n未收到申请。\n"
        "三、复议诉讼情况\n未发生行政复议。\n"
    )
    assert describe(base + "某某镇人民政府 2017年1月5日 (此件主动公开)\n", "x").is_partial is False
    assert describe(base + "附表:2016年统计表 某某镇人民政府 |", "x").is_partial is False


def test_listed_parts_without_a_count_reveal_a_truncated_copy() -> None:
    text = (
        "某某区2014年政府信息公开工作年度报告\n报告由概述,主动公开政府信息,依申请公开政府信息,行政复议和诉讼,"
        "存在的问题和改进措施等内容组成。\n一、概述\n2014年，全区工作有序开展。\n"
    )
    assert describe(text, "x.txt").is_partial is True


def test_a_river_basin_authority_is_not_the_county_of_that_short_name() -> None:
    text = "太湖流域管理局2015年政府信息公开工作年度报告\n一、概述\n2015年，太湖局推进公开工作。\n"
    m = describe(text, "x.txt")
    assert m.agency_name == "太湖流域管理局"
    assert m.province is None and m.agency_level != "county"
