"""Metadata rules added after the held-out evaluation (docs/evaluation.md), each on a short synthetic text."""

from __future__ import annotations

from pipeline.metadata import describe
from pipeline.metadata.names import cut_name, expand, is_name


def test_brackets_in_a_name_must_be_balanced() -> None:
    # a contact line whose name runs into "(办公地址:" must not keep the bracket
    assert not is_name("某某街道办事处(办")
    assert not is_name("区)和市级部")
    assert cut_name("某某街道办事处(办公地址") == "某某街道办事处"


def test_enumerations_and_bu_men_are_not_names() -> None:
    assert not is_name("市政府办公厅综合各区(县)人民政府")
    assert cut_name("市级部门") is None  # 部 + 门 is the word 部门


def test_town_government_short_form_is_written_out() -> None:
    assert expand("某某镇政府") == "某某镇人民政府"
    assert expand("衢州市衢江区某某乡政府") == "衢州市衢江区某某乡人民政府"


def test_xian_gong_kai_statement_names_the_street_office() -> None:
    text = (
        "根据有关规定，现公开钢铁村街道办事处2022年政府信息公开工作年度报告。\n"
        "一、总体情况\n钢铁村街道认真落实条例，全年公开信息10条。\n钢铁村街道根据要求做好工作。\n"
    )
    assert describe(text, "x.txt").agency_name == "钢铁村街道办事处"


def test_report_compiled_from_subordinate_governments_is_the_places_report() -> None:
    text = (
        "本年度报告根据条例要求，综合2017年度丽水市各县(市、区)政府和市级各部门的年度工作报告编制而成。"
        "如有疑问，请与丽水市人民政府办公室联系。\n一、概述\n2017年，我市全面推进政务公开。\n"
    )
    assert describe(text, "x.txt").agency_name == "丽水市人民政府"


def test_compiled_by_the_general_office_with_a_bare_city_uses_the_dominant_place() -> None:
    text = (
        "本年度报告根据《条例》和《上海市政府信息公开规定》的要求，由市政府办公厅综合各区(县)人民政府"
        "和市级机关的年度报告编制而成。如有疑问，请与上海市人民政府办公厅联系。\n一、概述\n"
        "本市各级政府部门坚持公开为原则。\n"
    )
    assert describe(text, "x.txt").agency_name == "上海市人民政府"


def test_attachment_file_names_at_the_page_end_are_furniture() -> None:
    text = (
        "某某镇2010年政府信息公开工作年度报告\n一、概述\n2010年我镇认真开展工作。\n"
        "二、依申请公开情况\n本年度没有收到申请。\n三、复议、诉讼情况\n未发生行政复议和行政诉讼。\n\n"
        "某某镇2010年政府信息公开工作年度报告.pdf\n\n某某镇2010年政府信息公开工作年度报告.docx\n\n政府信息公开年报\n"
    )
    assert describe(text, "x.txt").is_partial is False


def test_std_like_headings_before_2019_are_freeform() -> None:
    from pipeline.layout import decide_layout

    text = "一、总体情况\n2012年，我局开展工作。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n本年未收到申请。\n"
    assert decide_layout(text, 2012).layout == "freeform"
    assert decide_layout(text, 2020).layout == "std2019"


def test_state_council_guidance_in_running_text_is_not_the_author() -> None:
    text = (
        "一、概述\n2018年，安徽省全面推进政务公开。国务院办公厅2018年度政务公开工作要点出台后，我省及时部署。"
        "国务院办公厅有关要求得到落实。\n"
    )
    assert describe(text, "x.txt").agency_name != "国务院办公厅"
