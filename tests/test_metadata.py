"""describe() on the real corpus texts, and unit tests of its rules (year precedence, dates, names, places).

Expected values were read off the texts by hand (and checked against tests/fixtures/corpus/manifest.csv;
where the manifest goes beyond the text, the text wins and the row says why).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.metadata import agency_id_for, describe, normalise_agency_name
from pipeline.metadata.agency import extends
from pipeline.metadata.dates import cn_small, cn_year, find_dates, year_covered_by
from pipeline.metadata.names import cut_name, expand, is_name
from pipeline.text import normalize

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
SEEDS = {p.name[:3]: p for p in (RAW / "seeds").glob("*.txt")}

# id: (agency_name, report_year, layout, is_partial)
EXPECTED: dict[str, tuple[str | None, int, str, bool]] = {
    "000": ("哈尔滨市商务局", 2010, "freeform", False),  # no title: signature + "2010年，我局…"
    "001": ("衢州市商务局", 2011, "freeform", False),  # portal header says 2011-03-28, signature 二○一二
    "002": ("哈尔滨市质量技术监督局", 2011, "freeform", False),  # a paragraph mentions 2010
    "003": ("济宁市商务局", 2014, "stat2014", False),  # title 市商务局; 济宁 only in the body
    "004": ("哈尔滨市营商环境建设监督局", 2019, "std2019", False),
    "r001": ("淮安市人民政府", 2024, "std2021", False),
    "r002": ("洪泽区人民政府", 2023, "std2021", False),
    "r003": ("淮安市洪泽区人民政府", 2024, "std2021", False),
    "r005": ("南关区人民政府", 2012, "freeform", True),
    "r007": ("平度市人民政府办公室", 2012, "freeform", True),  # from 请与平度市政府办公室…联系
    "r010": ("青岛市人民政府", 2018, "freeform", True),
    "r012": ("海盐县核电事故场外应急办公室", 2008, "freeform", True),
    "r014": ("兴华乡", 2010, "freeform", False),
    "r016": ("安仁乡人民政府", 2010, "freeform", True),
    "r018": ("虹山乡人民政府", 2011, "freeform", True),
    "r020": ("钟祥镇人民政府", 2019, "std2019", True),  # title 钟祥镇, 本报告由钟祥镇人民政府…编制
    "r022": ("大路镇人民政府", 2019, "std2019", True),
    "r024": ("大五里镇", 2020, "std2019", True),
    "r026": ("重庆市商务委员会", 2021, "std2021", True),  # 我委 + 商务 + 重庆市; cites the 试行 format
    "r028": ("安康市商务局", 2022, "std2021", True),  # 市商务局 + 安康商务 / 安康日报
    "r029": ("福州市质量技术监督局", 2013, "freeform", True),
    "r031": ("国家质量监督检验检疫总局", 2011, "freeform", True),  # title 质检总局
    "r033": ("广东省质量技术监督局", 2011, "freeform", True),  # title 广东省质监局
    "r035": ("商务部", 2015, "freeform", True),
    # the manifest has 广州市海珠区官洲街道办事处 (from the URL); the text names no district or city
    "r039": ("官洲街道办事处", 2023, "std2021", True),
    "r041": ("正阳街道办事处", 2023, "std2021", True),
    "r043": ("上海市长宁区周家桥街道办事处", 2023, "std2021", True),
    "r045": ("泰州市人民政府", 2017, "freeform", True),  # 发布机构 市政府办; 现公布泰州市人民政府…报告
    "r047": ("永嘉县农业局", 2010, "freeform", True),
    "r048": ("金乡县水务局", 2009, "freeform", False),
    "r051": ("山西省教育厅", 2017, "freeform", True),
    "r053": ("中华人民共和国教育部", 2017, "freeform", True),  # 由中华人民共和国教育部编制
    "r055": ("上海市人民政府", 2022, "std2021", True),
    "r057": (None, 2022, "std2021", True),  # 我局 only: the manifest's agency is inferred from the URL
    "r059": (None, 2014, "freeform", True),  # idem
    "r062": ("揭东区公路局", 2015, "freeform", True),
    "r064": ("遂溪县建新镇人民政府", 2018, "freeform", False),  # title 建新镇, signature 遂溪县建新镇人民政府
    "r065": ("高楼镇人民政府", 2018, "freeform", True),
    "r067": ("武进区湖塘镇人民政府", 2018, "freeform", True),
    "r069": ("马庙镇", 2018, "freeform", True),
    "r072": (None, 2019, "std2019", True),  # 我局 only
    "r073": ("江苏省统计局", 2019, "freeform", True),  # 2019 report in an eight-part free form
    "r074": ("广元市统计局", 2024, "std2021", True),
    # Zone-wide reports (the title names the place only) are the 管委会's, whoever compiled them. The manifest
    # agrees for 2011–2012 (r076, r100) but credits 2013–2024 to the compiling 管委会办公室 with the note
    # "(平潭综合实验区)"; that would merge them with the office's own reports (r134 is the office's 2017).
    "r076": ("平潭综合实验区管委会", 2011, "freeform", False),
    "r078": ("平潭综合实验区地方税务局", 2013, "freeform", False),
    "r079": ("平潭综合实验区管委会", 2019, "std2019", False),  # compiled by the 区管委会办公室
    "r082": ("平潭综合实验区管委会", 2022, "std2021", False),
    "r084": ("平潭综合实验区管委会", 2018, "freeform", False),
    "r086": ("平潭综合实验区管委会", 2024, "std2021", False),
    "r088": ("绥宁县人民政府", 2025, "std2021", True),
    "r090": ("忠县人民政府办公室", 2025, "std2021", True),
    "r092": ("朔州市统计局", 2019, "std2019", True),
    "r096": ("新疆维吾尔自治区生态环境厅", 2023, "std2021", True),  # 自治区… + 全疆
    "r098": ("德州市生态环境局", 2023, "std2021", True),  # page 4 of a flip-book only
    "r100": ("平潭综合实验区管委会", 2012, "freeform", False),
    "r101": ("平潭综合实验区管委会", 2013, "freeform", False),
    "r102": ("平潭县人民政府", 2013, "freeform", False),
    "r103": ("平潭综合实验区管委会", 2016, "freeform", False),
    "r104": ("平潭综合实验区管委会", 2017, "freeform", False),
    "r105": ("平潭综合实验区财政金融局", 2019, "std2019", False),
    "r106": ("平潭综合实验区财政金融局", 2021, "std2021", False),
    "r107": ("平潭综合实验区公安局", 2022, "std2021", False),
    "r108": ("平潭综合实验区财政金融局", 2012, "freeform", False),
    "r110": ("平潭综合实验区财政金融局", 2014, "freeform", False),
    "r112": ("平潭综合实验区交通与建设局", 2014, "freeform", False),
    "r114": ("平潭综合实验区环境与国土资源局", 2014, "freeform", False),
    "r115": ("平潭综合实验区综合执法局", 2014, "freeform", False),
    "r116": ("平潭综合实验区管委会办公室", 2014, "freeform", False),
    "r117": ("平潭综合实验区市场监督管理局", 2016, "freeform", False),  # title 平潭市场监督管理局
    "r119": ("平潭综合实验区交通与建设局", 2018, "freeform", False),
    "r121": ("平潭综合实验区公安局", 2016, "freeform", False),  # title 关于报送《…》的函
    "r122": ("平潭综合实验区综合执法局", 2017, "freeform", False),  # written by its 办公室
    "r123": ("平潭综合实验区经济发展局", 2016, "freeform", False),  # signature dated 2016年1月11日 (sic)
    "r124": ("平潭综合实验区财政金融局", 2017, "freeform", False),
    "r126": ("平潭县食品药品监督管理局", 2010, "freeform", False),
    "r127": ("平潭县教育局", 2011, "freeform", False),  # table cut in the source page, page complete
    "r130": ("平潭综合实验区社会事业局", 2023, "std2021", False),
    "r132": ("平潭综合实验区海坛片区管理局", 2019, "std2019", False),
    "r134": ("平潭综合实验区管委会办公室", 2017, "freeform", False),
    "r135": ("平潭综合实验区综合执法局", 2018, "freeform", False),
    "r136": ("平潭综合实验区管委会办公室", 2015, "freeform", False),
}


def _path(rid: str) -> Path:
    return SEEDS[rid] if rid in SEEDS else RAW / "dev" / f"{rid}.txt"


@pytest.fixture(scope="module")
def metas() -> dict:
    return {rid: describe(_path(rid).read_text("utf-8"), _path(rid).name) for rid in EXPECTED}


@pytest.mark.parametrize("rid", sorted(EXPECTED))
def test_corpus_report(metas: dict, rid: str) -> None:
    m = metas[rid]
    agency, year, layout, partial = EXPECTED[rid]
    assert (m.agency_name, m.report_year, m.layout, m.is_partial) == (agency, year, layout, partial)
    if m.is_partial:
        assert m.partial_reason
    if m.agency_name:
        assert m.agency_name_evidence and m.agency_name_source
    assert m.report_year_evidence


PLACES = {
    "r002": ("江苏省", "淮安市", "洪泽区", "320813", "county", "government"),
    "003": ("山东省", "济宁市", None, "370800", "municipal", "department"),
    "r043": ("上海市", None, "长宁区", "310105", "township", "street_office"),
    "r016": ("福建省", "三明市", "将乐县", "350428", "township", "township"),  # 来源:将乐县人民政府门户网站
    "r018": ("福建省", "泉州市", "洛江区", "350504", "township", "township"),  # 泉州市洛江公众信息网
    "r020": ("四川省", "眉山市", "仁寿县", "511421", "township", "township"),
    "r096": ("新疆维吾尔自治区", None, None, "650000", "provincial", "department"),
    "r055": ("上海市", None, None, "310000", "provincial", "government"),
    "r090": ("重庆市", None, "忠县", "500233", "county", "government_office"),
    "r079": ("福建省", "福州市", "平潭县", "350128", "county", "government"),
    "r134": ("福建省", "福州市", "平潭县", "350128", "county", "government_office"),
    "r031": (None, None, None, None, "national", "department"),
    "r053": (None, None, None, None, "national", "department"),
    "r007": ("山东省", "青岛市", "平度市", "370283", "county", "government_office"),
    "r014": (None, None, None, None, "township", "township"),  # 兴华乡: no place in the text
}


@pytest.mark.parametrize("rid", sorted(PLACES))
def test_place_level_type(metas: dict, rid: str) -> None:
    m = metas[rid]
    assert (m.province, m.city, m.county, m.admin_code, m.agency_level, m.agency_type) == PLACES[rid]


def test_title_and_evidence_are_verbatim(metas: dict) -> None:
    text = SEEDS["001"].read_text("utf-8")
    m = metas["001"]
    assert m.title == "衢州市商务局2011年政府信息公开工作年度报告"
    assert m.report_year_source == "title" and m.report_year_evidence in text
    assert metas["003"].agency_name_source == "title+body"
    assert metas["r026"].agency_name_source == "inferred"


def test_partial_reason_names_missing_sections(metas: dict) -> None:
    reason = metas["r026"].partial_reason
    assert "总体情况" in reason and "三、收到和处理政府信息公开申请情况" in reason and "table 3" in reason
    assert "starts after" in metas["r098"].partial_reason or "一、总体情况" in metas["r098"].partial_reason


# ---------------------------------------------------------------------------------------------------
# dates


@pytest.mark.parametrize(
    ("s", "y"), [("二〇一一", 2011), ("二○一二", 2012), ("二〇二五", 2025), ("二零一四", 2014)]
)
def test_cn_year(s: str, y: int) -> None:
    assert cn_year(normalize(s)) == y


@pytest.mark.parametrize(
    ("s", "n"), [("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("二十七", 27), ("三十一", 31)]
)
def test_cn_small(s: str, n: int) -> None:
    assert cn_small(s) == n


@pytest.mark.parametrize(
    ("s", "ymd", "covered"),
    [
        ("二○一二年三月二十七日", (2012, 3, 27), 2011),
        ("二〇一一年三月三十日", (2011, 3, 30), 2010),
        ("二○一四年十二月二十日", (2014, 12, 20), 2014),  # signed before the year ended
        ("2018年12月31日", (2018, 12, 31), 2018),
        ("2020年1月2日", (2020, 1, 2), 2019),
        ("发布日期:2011-03-28 04:47", (2011, 3, 28), 2010),
        ("二〇一三年一月", (2013, 1, None), 2012),
    ],
)
def test_dates(s: str, ymd: tuple, covered: int) -> None:
    (d,) = find_dates(normalize(s))
    assert (d.year, d.month, d.day) == ymd
    assert year_covered_by(d) == covered


# ---------------------------------------------------------------------------------------------------
# report-year precedence (synthetic texts: one rule each)


def _year(text: str, source_file: str = "x.txt") -> tuple[int | None, str | None]:
    m = describe(text, source_file)
    return m.report_year, m.report_year_source


def test_title_beats_header_and_signature() -> None:
    text = (
        "发布机构: 衢州市商务局\n成文日期: 2011-03-28\n衢州市商务局2011年政府信息公开工作年度报告\n"
        "2011年,我局做了很多工作。\n                     二○一二年三月二十七日\n"
    )
    assert _year(text) == (2011, "title")


def test_period_when_no_title() -> None:
    text = "本年度报告所列数据统计期限自2019年1月1日起至12月31日止。\n一、总体情况\n2018年我局成立。\n"
    assert _year(text) == (2019, "period")


def test_period_with_missing_digits_takes_the_end_year() -> None:
    assert _year("本年度报告中所列数据统计期限为201911日至20191231日。") == (2019, "period")
    assert _year("本报告中所列数据的统计期限自2003 年至2008 年止。") == (2008, "period")


def test_body_sentence_openings_not_incidental_years() -> None:
    text = (
        " 2010年，我局按照统一部署，推进工作。\n一、概述\n2010年，主动公开信息6000条，比2009年增加。\n"
        "二、问题\n2011年，我们将继续推进。\n"
    )
    assert _year(text) == (2010, "body")


def test_body_statement_naming_the_report() -> None:
    text = (
        "按照有关规定，现将我局2014年政府信息公开情况报告如下。\n一、主动公开\n2013年的1128条增加到2014年。"
    )
    assert _year(text) == (2014, "body")


def test_signature_year_minus_one() -> None:
    text = "我局认真贯彻条例，取得成效。\n\n哈尔滨市商务局\n二〇一一年三月三十日\n"
    assert _year(text) == (2010, "signature")


def test_header_date_last() -> None:
    assert _year("发布日期:2015-02-01\n我局认真贯彻条例，取得成效。") == (2014, "header")


def test_filename_year_as_last_resort() -> None:
    assert _year("我局认真贯彻条例，取得成效。", "dev/某局2016年报告.txt") == (2016, "filename")
    assert _year("我局认真贯彻条例，取得成效。") == (None, None)


# ---------------------------------------------------------------------------------------------------
# agency names and place-prefix completion


def test_bare_city_prefix_completed_from_the_body() -> None:
    text = (
        "市商务局2014年政府信息公开工作年度报告\n2014年，市商务局认真贯彻《济宁市人民政府关于…的通知》。"
        "通过济宁国际商务网发布信息。山东省政府信息公开办法。"
    )
    m = describe(text, "x.txt")
    assert m.agency_name == "济宁市商务局" and m.city == "济宁市" and m.admin_code == "370800"


def test_place_only_title_is_credited_to_the_government_not_the_compiler() -> None:
    text = "平潭综合实验区2019年度政府信息公开工作年度报告 根据《条例》要求，区管委会办公室编制完成了本报告。"
    m = describe(text, "x.txt")
    assert m.agency_name == "平潭综合实验区管委会"  # spelled as the text spells the committee
    assert m.agency_name_evidence == "平潭综合实验区 … 区管委会办公室"
    m = describe("平潭综合实验区2019年度政府信息公开工作年度报告 全区主动公开信息。", "x.txt")
    assert m.agency_name == "平潭综合实验区管理委员会"


def test_bare_zone_prefix_completed_from_the_title_place() -> None:
    text = "平潭综合实验区2019年度有关情况 根据要求，区管委会办公室编制完成了本报告。"
    assert describe(text, "x.txt").agency_name == "平潭综合实验区管委会办公室"


def test_autonomous_region_from_its_short_name() -> None:
    text = "自治区生态环境厅2023年政府信息公开工作年度报告\n一、总体情况\n全疆城市空气质量排名，全疆水环境。"
    m = describe(text, "x.txt")
    assert m.agency_name == "新疆维吾尔自治区生态环境厅" and m.agency_level == "provincial"


def test_proper_place_prefix_is_not_extended() -> None:
    text = "南关区人民政府2012年政府信息公开工作年度报告\n2012年，长春市南关区人民政府全面贯彻条例。"
    m = describe(text, "x.txt")
    assert m.agency_name == "南关区人民政府" and m.city == "长春市" and m.county == "南关区"


def test_place_only_title_means_the_government() -> None:
    m = describe("2022年上海市政府信息公开工作年度报告\n一、总体情况\n2022年，上海市坚持…。", "x.txt")
    assert m.agency_name == "上海市人民政府" and m.agency_type == "government"


def test_town_extended_by_the_compiler_statement() -> None:
    text = "钟祥镇2019年度政府信息公开工作年度报告\n本报告由钟祥镇人民政府根据《条例》编制完成。"
    assert describe(text, "x.txt").agency_name == "钟祥镇人民政府"


def test_mirror_domain_and_crawler_header() -> None:
    text = (
        "标题: 平潭县教育局2011年度政府信息公开年度报告\n发布时间: 2012-05-09 00:00\n文号: \n"
        "发布机构: 平潭县教育局\n==================== 正文 ====================\n"
        "当前位置： 首页 平潭县教育局2011年度政府信息公开年度报告 2011年，为确保我局政府信息…。"
    )
    m = describe(text, "x.txt")
    assert (m.agency_name, m.report_year, m.report_year_source) == ("平潭县教育局", 2011, "title")


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("广东省质监局", "广东省质量技术监督局"),
        ("质检总局", "国家质量监督检验检疫总局"),
        ("市政府办", "市人民政府办公室"),
        ("青岛市政府", "青岛市人民政府"),
        ("平度市政府办公室", "平度市人民政府办公室"),
        ("江苏省统计局办公室", "江苏省统计局"),
        ("平潭综合实验区管委会办公室", "平潭综合实验区管委会办公室"),
        ("忠县人民政府办公室", "忠县人民政府办公室"),
    ],
)
def test_expand(short: str, full: str) -> None:
    assert expand(short) == full


def test_name_grammar() -> None:
    assert is_name("海盐县核电事故场外应急办公室")
    assert (
        not is_name("我局")
        and not is_name("县局")
        and not is_name("区政府")
        and not is_name("信息公开办公室")
    )
    assert cut_name("平度市政府办公室政府信息公开领导小组办公室") == "平度市政府办公室"
    assert cut_name("平潭综合实验区管委会办公室保密与电子政务处") == "平潭综合实验区管委会办公室"


@pytest.mark.parametrize(
    ("longer", "name", "ok"),
    [
        ("钟祥镇人民政府", "钟祥镇", True),
        ("遂溪县建新镇人民政府", "建新镇", True),
        ("中华人民共和国教育部", "教育部", True),
        ("平潭综合实验区市场监督管理局", "平潭市场监督管理局", True),
        ("淮安市洪泽区人民政府办公室", "洪泽区人民政府", False),
        ("平潭县地税局", "平潭综合实验区地方税务局", False),
    ],
)
def test_extends(longer: str, name: str, ok: bool) -> None:
    assert extends(longer, name) is ok


def test_agency_id_is_stable_across_spellings() -> None:
    assert agency_id_for("洪泽区人民政府") == agency_id_for("淮安市洪泽区人民政府")
    assert agency_id_for("淮安市洪泽区人民政府") != agency_id_for("淮安市人民政府")
    assert normalise_agency_name(" 广东省质量技术监督局 ") == "广东省质量技术监督局"
    assert len(agency_id_for("商务部")) == 12 and agency_id_for("商务部") == agency_id_for("商务部")


def test_untitled_copy_uses_the_byline_date_not_an_incidental_year() -> None:
    # seed 002 without its title: the byline date 二〇一二年三月二日 decides, not "2010年，在依申请公开…"
    text = SEEDS["002"].read_text("utf-8").replace("2011年度政府信息公开工作报告", "", 1)
    assert _year(text) == (2011, "signature")


def test_year_end_cut_off_and_plans() -> None:
    text = "乡政府信息公开工作。\n截止20101231日,全乡累计主动公开政府信息65条。\n2011年,我们将继续推进。"
    assert _year(text) == (2010, "period")
    assert _year("一、概述\n2016年,我局推进工作。\n二、计划\n2017年,我局将继续。\n2017年将完善。") == (
        2016,
        "body",
    )


@pytest.mark.parametrize(
    ("title", "agency", "year"),
    [
        ("某某县财政局政府信息公开工作年度报告（2019年度）", "某某县财政局", 2019),
        ("某某县财政局二〇一九年度政府信息公开工作年度报告", "某某县财政局", 2019),
        ("2019年哈尔滨市道里区人民政府办公室政府信息公开工作年度报告", "哈尔滨市道里区人民政府办公室", 2019),
        (
            "中华人民共和国国家发展和改革委员会2019年政府信息公开工作年度报告",
            "中华人民共和国国家发展和改革委员会",
            2019,
        ),
        (
            "首页 > 年度报告 > 北京市朝阳区人民政府2020年政府信息公开工作年度报告",
            "北京市朝阳区人民政府",
            2020,
        ),
    ],
)
def test_title_forms(title: str, agency: str, year: int) -> None:
    m = describe(title + "\n一、总体情况\n我局认真贯彻。", "x.txt")
    assert (m.agency_name, m.report_year, m.report_year_source) == (agency, year, "title")


def test_ambiguous_district_resolved_by_its_city() -> None:
    m = describe("北京市朝阳区人民政府2020年政府信息公开工作年度报告\n", "x.txt")
    assert (m.province, m.county, m.admin_code, m.agency_level) == ("北京市", "朝阳区", "110105", "county")
