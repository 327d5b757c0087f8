"""Unit tests of the pieces behind the std table parser: flattening readers, label matching, glued splits."""

from __future__ import annotations

import time

from pipeline.tables.flatten import LabelMatcher, looks_glued, read_ws, working_text
from pipeline.tables.glued import Equality as Eq
from pipeline.tables.glued import RowSpec, RunToken, enumerate_readings, interleaved_blocks, solve_table
from pipeline.tables.std import parse_std_tables
from pipeline.tables.std_labels import T3_ROWS

T3 = LabelMatcher(T3_ROWS)
ROW7 = RowSpec(["count"] * 7, {6: (0, 1, 2, 3, 4, 5)}, 6)


def _vals(text: str, glued: bool = False) -> list[str]:
    work = working_text(text)
    return [t.raw for t in read_ws(work, 0, len(work), glued)]


def test_label_numeral_belongs_to_the_label_not_the_digits() -> None:
    work = working_text("1.本机关不掌握相关政府信息10000012.没有现成信息需要另行制作0000000")
    hits = T3.find(work, 0, len(work))
    assert [h.key for h in hits] == ["un.not_held", "un.needs_creation"]
    assert work[hits[1].start : hits[1].start + 2] == "2."
    assert work[hits[0].end + len("相关政府信息") : hits[1].start] == "1000001"


def test_three_other_is_not_other_law_or_other_handling() -> None:
    work = working_text("2.其他法律行政法规禁止公开 0 （六）其他处理 3.其他 1 其他情形")
    assert [h.key for h in T3.find(work, 0, len(work))] == ["wh.law_prohibited", "ot", "ot.other"]


def test_labels_tolerate_vertical_text_and_full_width_brackets() -> None:
    work = working_text(
        "\t三、\n\xa0 本\n\xa0 年\n\xa0 度\n\xa0 办\n\xa0 理\n\xa0 结\n\xa0 果\n\t（一）予以公开\n\t0"
    )
    assert [h.key for h in T3.find(work, 0, len(work))] == ["results", "granted"]


def test_reading_skips_label_notes_and_stops_at_text() -> None:
    assert _vals("(指2019年事项数) 3 -8 12 第二十条") == ["3", "-8", "12"]
    assert _vals("（区分处理的，只计这一情\n   447  7  0\n  形，不计其他情形）") == ["447", "7", "0"]
    assert _vals(" 7816 (二)主动公开政府信息 2021年，198条") == ["7816"]
    assert _vals(" 210.8万 / — 无") == ["210.8万", "/", "-", "无"]


def test_quantities_in_sentences_are_not_cells() -> None:
    assert _vals(" 5 件，其中") == []
    assert _vals("2019年共12件") == []


def test_glued_runs_need_glued_mode() -> None:
    assert _vals("0000000", glued=True) == ["0000000"]
    assert _vals("行政许可3960181", glued=False) == []


def test_page_footers_are_blanked() -> None:
    work = working_text("（四）无\n\n-4-\n\n法提供\n第 3 页 共 5 页\n1")
    assert (
        "-4-" not in work
        and "第 3 页" not in work
        and len(work) == len("（四）无\n\n-4-\n\n法提供\n第 3 页 共 5 页\n1")
    )


def test_glued_detection_needs_evidence_in_rows() -> None:
    text = "规章 12 3 行政许可 0591-86175957 行政处罚 4"
    segs = [(2, 8), (13, 28), (33, 35)]
    assert not looks_glued(text, segs)
    glued = "规章000规范性文件5845546行政许可1396"
    assert looks_glued(glued, [(2, 5), (10, 17), (21, 25)])


def test_row_sum_decides_a_glued_row() -> None:
    readings, capped = enumerate_readings([RunToken("713000074", 0)], ROW7)
    assert not capped
    assert [[p.raw for p in r] for r in readings] == [["71", "3", "0", "0", "0", "0", "74"]]


def test_memoised_readings_are_shifted_to_where_the_row_stands() -> None:
    """The same glued run at two places (the memo's hit) yields the same cuts at each place's offsets."""
    first, _ = enumerate_readings([RunToken("713000074", 0)], ROW7)
    again, _ = enumerate_readings([RunToken("713000074", 500)], ROW7)
    assert [[p.raw for p in r] for r in again] == [[p.raw for p in r] for r in first]
    assert [(p.start, p.end) for p in again[0]] == [(p.start + 500, p.end + 500) for p in first[0]]
    assert again[0][0].start == 500 and again[0][-1].end == 509


def test_unit_and_decimal_stay_in_one_cell() -> None:
    spec = RowSpec(["count", "money"])
    readings, _ = enumerate_readings([RunToken("1018703元", 0)], spec)
    assert [[p.raw for p in r] for r in readings] == [["10", "18703元"], ["101", "8703元"], ["1018", "703元"],
                                                      ["101870", "3元"]]  # fmt: skip
    readings, _ = enumerate_readings([RunToken("13575394432.52元", 0)], spec)
    assert all(r[1].raw.endswith(".52元") for r in readings) and len(readings) == 10


def test_joint_table_identities_prune_rows() -> None:
    """Row a reads 1/1 or 0/11; the column identity t = a + b (2 = a + 1) keeps only 1/1."""
    survivors, used = solve_table(
        {"a": [(1.0, 1.0), (0.0, 11.0)], "b": [(1.0, 5.0)], "t": [(2.0, 6.0)]},
        [Eq("SUM", (("t", 0),), (("a", 0), ("b", 0)))],
    )
    assert survivors == {"b": [0], "t": [0], "a": [0]} and used == {"SUM"}
    # no joint reading at all: the caller keeps the row-level readings
    assert solve_table({"a": [(1.0,), (3.0,)], "t": [(9.0,)]}, [Eq("SUM", (("t", 0),), (("a", 0),))]) == (
        None,
        set(),
    )


def test_scrambled_table_four_keeps_only_what_all_readings_share() -> None:
    # r001 pdftotext order: 72 64 178 37 | 12 1 1 6 | 351 | 13 4 8 1 26 | 20
    values = [72.0, 64, 178, 37, 12, 1, 1, 6, 351, 13, 4, 8, 1, 26, 20]
    readings = interleaved_blocks(values, 5, 3)
    assert readings and all([values[i] for i in r[0]] == [72, 64, 178, 37, 351] for r in readings)
    assert {tuple(values[i] for i in r[1]) for r in readings} >= {(12, 1, 1, 6, 20), (13, 4, 8, 1, 26)}


def test_enumeration_is_capped_not_exhaustive() -> None:
    t0 = time.process_time()
    readings, capped = enumerate_readings([RunToken("9" * 60, 0)], RowSpec(["count"] * 15), node_cap=20_000)
    assert capped and time.process_time() - t0 < 2.0
    del readings


def test_capped_rows_are_ambiguous_never_guessed() -> None:
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n结果维持结果纠正其他结果尚未审结总计"
        + "1" * 60
        + "\n五、存在的主要问题"
    )
    glued_doc = "规章000规范性文件000行政许可00\n" + text
    res = parse_std_tables(
        "第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量" + glued_doc, "std2019"
    )
    t4 = [c for c in res.cells if c.table_id == "t4"]
    assert t4 and all(c.status == "ambiguous" for c in t4)
