"""Section segmentation on the heading families of formats.md §1.1 and on real report texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline import segment as segment_module
from pipeline.records import Section
from pipeline.segment import segment, topic_of
from pipeline.textview import normalized

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "data" / "raw" / "seeds"
DEV = REPO / "data" / "raw" / "dev"


def _seed(n: str) -> str:
    return next(SEEDS.glob(f"{n}_*.txt")).read_text(encoding="utf-8")


def _dev(rid: str) -> str:
    return (DEV / f"{rid}.txt").read_text(encoding="utf-8")


def _l1(secs: list[Section]) -> list[tuple[str, str]]:
    return [((s.heading or "").replace(" ", ""), s.topic) for s in secs if s.level == 1]


def _assert_well_formed(text: str, secs: list[Section]) -> None:
    """Offsets point into the original text, headings are cut from it, same-level sections never overlap."""
    assert secs[0].topic == "preamble" and secs[0].char_start == 0
    for s in secs:
        assert 0 <= s.char_start <= s.char_end <= len(text)
        assert s.char_start < s.char_end or s.level == 0  # only the preamble may be empty
        if s.heading:
            assert text[s.char_start : s.char_start + len(s.heading)] == s.heading
    for level in (1, 2):
        same = sorted((s.char_start, s.char_end) for s in secs if s.level == level)
        for (_a0, a1), (b0, _b1) in zip(same, same[1:], strict=False):
            assert a1 <= b0, f"level {level} sections overlap"
    level1 = [s for s in secs if s.level == 1]
    for s in secs:
        if s.level == 2:
            parent = [p for p in level1 if p.char_start <= s.char_start and s.char_end <= p.char_end]
            assert parent and s.parent_topic == parent[0].topic


@pytest.mark.parametrize(
    ("heading", "topic"),
    [
        ("一、概述", "overview"),
        ("一、总体情况", "overview"),
        ("二、主动公开政府信息情况", "proactive"),
        ("三、依申请公开政府信息和不予公开政府信息的情况", "on_request"),
        ("三、收到和处理政府信息公开申请情况", "on_request"),
        ("三、政府信息公开申请办理情况", "on_request"),
        ("四、政府信息公开的收费及减免情况", "fees"),
        ("三、依申请信息公开收费情况", "fees"),
        ("四、咨询情况", "consultation"),
        ("五、举报、投诉、行政复议、行政诉讼情况", "review_litigation"),
        ("四、政府信息公开行政复议、行政诉讼情况", "review_litigation"),
        ("五、因政府信息公开申请行政复议、提起行政诉讼情况", "review_litigation"),
        ("三、回应解读情况", "response"),
        ("六、机构建设和保障经费情况", "organisation"),
        ("七、政府信息公开会议和培训情况", "meetings_training"),
        ("五、存在的主要问题及改进情况", "problems"),
        ("六、主要问题和改进措施", "problems"),
        ("六、其他需要报告的事项", "other"),
        ("六、政府信息公开情况统计表", "statistics_table"),
        ("七、附表", "statistics_table"),
        ("二、具体措施抓成效", "other"),  # 措施 alone is not the problems section
    ],
)
def test_topic_of(heading: str, topic: str) -> None:
    assert topic_of(heading) == topic


def test_line_headings_family_a_seed_001() -> None:
    text = _seed("001")
    secs = segment(text, "freeform")
    _assert_well_formed(text, secs)
    assert _l1(secs) == [
        ("一、概述", "overview"),
        ("二、主动公开政府信息情况", "proactive"),
        ("三、依申请公开政府信息和不予公开政府信息的情况", "on_request"),
        ("四、政府信息公开的收费情况", "fees"),
        ("五、申请行政复议和提起行政诉讼的情况", "review_litigation"),
        ("六、存在的问题和改进措施", "problems"),
    ]
    assert secs[1].char_start > 200  # the portal header stays in the preamble
    subs = [s for s in secs if s.level == 2 and s.parent_topic == "overview"]
    assert [s.heading for s in subs] == ["(一)加强组织领导", "(二)优化工作流程", "(三)拓宽信息公开渠道"]


def test_seed_000_shi_and_arabic_sub_headings() -> None:
    text = _seed("000")
    secs = segment(text, "freeform")
    _assert_well_formed(text, secs)
    assert [t for _h, t in _l1(secs)] == [
        "overview",
        "proactive",
        "on_request",
        "consultation",
        "review_litigation",
        "problems",
    ]
    proactive_subs = [s.heading for s in secs if s.level == 2 and s.parent_topic == "proactive"]
    assert proactive_subs == ["1、公开内容", "2、信息公开形式"]


def test_seed_002_level2_topics_under_an_untopical_level1() -> None:
    text = _seed("002")
    secs = segment(text, "freeform")
    _assert_well_formed(text, secs)
    subs = [(s.heading, s.topic, s.parent_topic) for s in secs if s.level == 2][:3]
    assert subs == [
        ("（一）主动公开政府信息", "proactive", "other"),
        ("（二）依申请公开政府信息情况", "on_request", "other"),
        ("（三）行政复议及行政诉讼情况", "review_litigation", "other"),
    ]


def test_seed_003_appendix_is_one_statistics_section() -> None:
    text = _seed("003")
    secs = segment(text, "stat2014")
    _assert_well_formed(text, secs)
    assert [t for _h, t in _l1(secs)][-1] == "statistics_table"
    # the table's row labels (一、主动公开情况 … 十、…) are not headings
    assert sum(1 for s in secs if s.level == 1) == 9
    table = [s for s in secs if s.topic == "statistics_table"][0]
    assert "统　计　指　标" in text[table.char_start : table.char_end]


def test_seed_004_std_headings_and_table_labels() -> None:
    text = _seed("004")
    secs = segment(text, "std2019")
    _assert_well_formed(text, secs)
    assert _l1(secs) == [
        ("一、总体情况", "overview"),
        ("二、主动公开政府信息情况", "proactive"),
        ("三、收到和处理政府信息公开申请情况", "on_request"),
        ("四、政府信息公开行政复议、行政诉讼情况", "review_litigation"),
        ("五、存在的主要问题及下步工作思路", "problems"),
        ("六、其他需要报告的事项", "other"),
    ]


def test_one_line_crawler_text_with_page_chrome() -> None:
    text = _dev("r076")  # one long line, page chrome before the body, appended 统计表
    secs = segment(text, "freeform")
    _assert_well_formed(text, secs)
    assert _l1(secs) == [
        ("一、概述", "overview"),
        ("二、主动公开政府信息情况", "proactive"),
        ("三、政府信息依申请公开工作情况", "on_request"),
        ("四、政府信息公开工作存在的主要问题及改进情况", "problems"),
        ("附件1：平潭综合实验区管委会2011年政府信息公开情况统计表", "statistics_table"),
    ]
    assert "当前位置" in text[: secs[1].char_start]  # chrome stays in the preamble
    subs = [s for s in secs if s.level == 2 and s.parent_topic == "proactive"]
    assert [s.heading for s in subs] == [
        "（一）主动公开政府信息的数量",
        "（二）主动公开政府信息的主要类别",
        "（三）主动公开政府信息的主要形式",
    ]


def test_headings_without_numerals_and_missing_numbers() -> None:
    text = _dev("r121")  # 概述 / 政府信息主动公开情况 unnumbered, then 三、…
    secs = segment(text, "freeform")
    _assert_well_formed(text, secs)
    got = _l1(secs)
    assert got[:3] == [
        ("概述", "overview"),
        ("政府信息主动公开情况", "proactive"),
        ("三、依申请公开政府信息情况", "on_request"),
    ]
    assert got[-1][1] == "statistics_table"


def test_duplicated_and_jumping_numbering() -> None:
    dup = segment(_dev("r116"), "freeform")  # 一、概述 then 一、主动公开… then 三、
    assert [t for _h, t in _l1(dup)] == ["overview", "proactive", "on_request", "fees", "problems"]
    jump = segment(_dev("r110"), "freeform")  # 四 → 七、附表
    assert [t for _h, t in _l1(jump)][-1] == "statistics_table"
    assert sum(1 for s in jump if s.topic == "statistics_table") == 1


def test_glued_std_text_and_spaced_headings() -> None:
    glued = segment(_dev("r105"), "std2019")  # 政府集中采购2832995元三、收到和处理… (no separator)
    assert [t for _h, t in _l1(glued)] == [
        "overview",
        "proactive",
        "on_request",
        "review_litigation",
        "problems",
        "other",
    ]
    spaced = segment(_dev("r067"), "freeform")  # "一 概 述" at line starts
    assert [t for _h, t in _l1(spaced)][:5] == [
        "overview",
        "proactive",
        "on_request",
        "consultation",
        "review_litigation",
    ]


def test_pdf_text_table_row_labels_are_not_headings() -> None:
    text = _dev("r002")  # pdftotext: table 3 row labels 一、本年新收… / 四、结转下年度继续办理 at line starts
    secs = segment(text, "std2021")
    _assert_well_formed(text, secs)
    assert [t for _h, t in _l1(secs)] == [
        "overview",
        "proactive",
        "on_request",
        "review_litigation",
        "problems",
        "other",
    ]


def test_arabic_section_numbers_when_list_numbering_was_lost() -> None:
    secs = segment(_dev("r041"), "std2021")
    assert _l1(secs) == [("1、总体情况", "overview")]


@pytest.mark.parametrize(
    ("marker", "family_text"),
    [
        ("（一）", "（一）主动公开情况\n全年主动公开信息10条。\n（二）依申请公开情况\n未收到申请。\n"),
        ("(一)", "(一)主动公开情况\n全年主动公开信息10条。\n(二)依申请公开情况\n未收到申请。\n"),
        ("1、", "1、主动公开情况\n全年主动公开信息10条。\n2、依申请公开情况\n未收到申请。\n"),
        ("1.", "1.主动公开情况\n全年主动公开信息10条。\n2.依申请公开情况\n未收到申请。\n"),
        ("一是", "一是主动公开。全年主动公开信息10条。二是依申请公开。未收到申请。\n"),
    ],
)
def test_level2_families(marker: str, family_text: str) -> None:
    text = (
        "2012年政府信息公开工作年度报告\n一、公开情况\n"
        + family_text
        + "二、存在的主要问题及改进措施\n无。\n"
    )
    secs = segment(text, "freeform")
    _assert_well_formed(text, secs)
    subs = [s for s in secs if s.level == 2]
    assert len(subs) == 2 and subs[0].heading.startswith(marker)
    assert [s.topic for s in subs] == ["proactive", "on_request"]
    assert all(s.parent_topic == "other" for s in subs)


def test_run_in_headings_without_line_breaks() -> None:
    text = (
        "现将有关情况报告如下。一、概述 2013年我局认真贯彻条例。二、主动公开政府信息情况（一）主动公开政府信息的数量"
        "2013年主动公开政府信息45条。三、依申请公开政府信息情况2013年未收到申请。四、存在的主要问题及改进措施 无。"
    )
    secs = segment(text, "freeform")
    _assert_well_formed(text, secs)
    assert [t for _h, t in _l1(secs)] == ["overview", "proactive", "on_request", "problems"]
    sub = [s for s in secs if s.level == 2]
    assert sub[0].heading == "（一）主动公开政府信息的数量" and sub[0].parent_topic == "proactive"


def test_every_corpus_text_segments_cleanly() -> None:
    for f in sorted((REPO / "data" / "raw").rglob("*.txt")):
        text = f.read_text(encoding="utf-8")
        _assert_well_formed(text, segment(text, None))


# The heading patterns as first written ([X]{1,3}); pipeline.segment writes them [X][X]{0,2} so the regex
# engine can scan for their first character. The matches must be the same.
_CN = segment_module._CN
PLAIN_HEADING_PATTERNS = {
    "_L1": (segment_module._L1, rf"(?P<num>[{_CN}]{{1,3}})(?:[、.．]|(?P<sp>[ \t]+))"),
    "_STRONG_L1": (
        segment_module._STRONG_L1,
        segment_module._STRONG_L1.pattern.replace(
            rf"(?P<num>[{_CN}][{_CN}]?)", rf"(?P<num>[{_CN}]{{1,2}})", 1
        ),
    ),
    "arabic": (segment_module._L2_FAMILIES["arabic"], r"(?P<num>\d{1,2})[、.．](?!\d)"),
    "shi": (segment_module._L2_FAMILIES["shi"], rf"(?P<num>[{_CN}]{{1,3}})是"),
}


@pytest.mark.parametrize("name", PLAIN_HEADING_PATTERNS)
def test_heading_patterns_match_as_written_plainly(name: str) -> None:
    fast, plain_source = PLAIN_HEADING_PATTERNS[name]
    plain = re.compile(plain_source)
    assert plain.pattern != fast.pattern
    texts = [
        normalized(f.read_text(encoding="utf-8")) for f in sorted((REPO / "data" / "raw").rglob("*.txt"))
    ]
    texts += ["一、概述", "十二、其他", "(一)是", "三是加强", "1、2.3. 45、", "一二三四、"]

    def found(rx: re.Pattern[str], t: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
        return [(m.span(), m.groups()) for m in rx.finditer(t)]

    assert sum(len(found(plain, t)) for t in texts) > 0
    assert [i for i, t in enumerate(texts) if found(fast, t) != found(plain, t)] == []
