"""The stat2014 national table and the provincial tables: every row, every flattening, glued cells."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.catalog import catalog
from pipeline.records import Cell
from pipeline.tables.stat import locate_stat_tables, parse_stat_tables
from pipeline.text import compact_label, normalize
from tests.truth import provincial_table, seed003_stat2014

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "data" / "raw" / "dev"
SEED003 = next((REPO / "data" / "raw" / "seeds").glob("003_*.txt")).read_text(encoding="utf-8")

# Seed 003 appendix, every row, read by hand from the seed (None = blank cell, which is not 0).
SEED003_ROWS = seed003_stat2014()


def _cells(text: str, layout: str | None = "stat2014") -> dict[str, Cell]:
    return {c.metric_id: c for c in parse_stat_tables(text, layout).cells if c.metric_id}


def _seed_rows() -> tuple[str, list[list[str]]]:
    start = SEED003.index("\t统")
    rows = []
    for block in SEED003[start:].split("\n\n"):
        cells = [re.sub(r"\s+", "", c) for c in block.split("\n\t")]
        cells = [c for i, c in enumerate(cells) if i > 0 or c]
        if any(cells):
            rows.append(cells)
    return SEED003[:start], rows


def _flatten(style: str, rows: list[list[str]] | None = None) -> str:
    head, seed_rows = _seed_rows()
    rows = rows if rows is not None else seed_rows
    if style == "lines":
        body = "\n".join(c for r in rows for c in r if c)
    elif style == "spaces":
        body = " ".join(c for r in rows for c in r if c)
    elif style == "glued":
        body = "".join(c for r in rows for c in r)
    else:
        body = "\n".join("| " + " | ".join(r) + " |" for r in rows)
    return head + body + "\n"


def _check_seed003(cells: dict[str, Cell], text: str) -> None:
    assert set(cells) == set(SEED003_ROWS)
    for mid, want in SEED003_ROWS.items():
        c = cells[mid]
        assert c.table_id == "stat2014"
        if want is None:
            assert c.value is None and c.status == "blank", mid  # blank ≠ 0
        else:
            assert c.status == "ok" and c.value == want, mid
            assert text[c.char_start : c.char_end] == c.raw


def test_seed_003_every_row_as_printed() -> None:
    cells = _cells(SEED003)
    _check_seed003(cells, SEED003)
    assert len(cells) == 65
    assert all(mid in catalog() for mid in cells)
    assert all(c.decided_by is None for c in cells.values())


@pytest.mark.parametrize("style", ["lines", "spaces", "glued", "pipes"])
def test_seed_003_every_flattening(style: str) -> None:
    text = _flatten(style)
    _check_seed003(_cells(text), text)


def test_three_maintained_and_other_rows_by_their_section() -> None:
    _head, rows = _seed_rows()
    values = {"四、行政复议数量": "3", "五、行政诉讼数量": "4", "六、被举报投诉数量": "5"}
    section = ""
    new_rows = []
    for r in rows:
        label = r[0]
        if label in values:
            section = label
            r = [label, r[1], values[label]]
        elif section and label.startswith(("（一）", "（三）")):
            r = [label, r[1], {"四": "2", "五": "3", "六": "4"}[section[0]] if "（一）" in label else "1"]
        elif label.startswith("七、"):
            section = ""
        new_rows.append(r)
    cells = _cells(_flatten("glued", new_rows))
    assert cells["stat.review.maintained"].value == 2 and cells["stat.review.other"].value == 1
    assert cells["stat.litigation.maintained"].value == 3 and cells["stat.litigation.other"].value == 1
    assert cells["stat.complaint.maintained"].value == 4 and cells["stat.complaint.other"].value == 1
    assert cells["stat.review.corrected"].status == "blank"


def test_local_row_absent_and_extra_columns() -> None:
    _head, rows = _seed_rows()
    without_other = [r for r in rows if r[0] != "5.其他形式"]
    cells = _cells(_flatten("spaces", without_other))
    assert "stat.app.channel.other" not in cells
    assert cells["stat.app.closed"].value == 0
    # a local copy with two 统计数 columns: a row with two values is not read as one
    two_cols = [r + ["7"] if r[0].startswith("（一）收到申请数") else r for r in rows]
    cells = _cells(_flatten("lines", two_cols))
    assert cells["stat.app.received"].value is None and cells["stat.app.received"].status != "ok"


@pytest.mark.parametrize("rid", ["r100", "r101", "r102", "r103", "r104", "r121", "r134", "r136"])
def test_provincial_tables_against_truth(rid: str) -> None:
    text = (DEV / f"{rid}.txt").read_text(encoding="utf-8")
    cells = [c for c in parse_stat_tables(text, "freeform").cells if c.table_id == "prov"]
    rows: dict[int, dict[int, Cell]] = {}
    for c in cells:
        rows.setdefault(c.row_no, {})[c.col_no] = c
    truth = provincial_table(rid)
    assert len(rows) == len(truth)
    for (label, want), row_no in zip(truth, sorted(rows), strict=True):
        row = rows[row_no]
        assert compact_label(label) == compact_label(row[1].row_label or "")
        for col, w in enumerate(want, start=1):
            c = row[col]
            if c.status == "ok":
                assert c.value == w, (rid, label, col)  # never a wrong value
            else:
                assert c.status == "ambiguous", (
                    rid,
                    label,
                    col,
                )  # the only allowed miss: an honest ambiguity


def test_glued_cells_decided_by_the_narrative_and_the_total() -> None:
    text = (DEV / "r103.txt").read_text(
        encoding="utf-8"
    )  # 主动公开文件数条346085376, text: 主动公开政府信息3460条
    cells = [c for c in parse_stat_tables(text, "freeform").cells if c.row_no in (1, 2)]
    items, items_cum, site, site_cum = cells
    assert (items.metric_id, items.value) == ("narr.active.items", 3460)
    assert (items_cum.metric_id, items_cum.value) == ("narr.active.items_cumulative", 85376)
    assert "narrative" in (items.decided_by or "")
    assert (site.metric_id, site.value, site_cum.metric_id, site_cum.value) == (
        "narr.active.channel.website",
        3460,
        None,  # the cumulative website column has no catalog id: kept as a cell, not a metric
        85376,
    )
    assert "parts<=total" in (site.decided_by or "")
    assert text[items.char_start : items.char_end] == "346085376"


def test_label_numeral_bleed_and_leading_zeros() -> None:
    text = (DEV / "r102.txt").read_text(encoding="utf-8")  # 当面申请数条0182.传真申请数 = 0 / 18, label 2.
    cells = {(c.metric_id, c.col_no): c for c in parse_stat_tables(text, "freeform").cells}
    row = [
        c for c in parse_stat_tables(text, "freeform").cells if c.row_label and "当面申请数" in c.row_label
    ]
    assert [c.value for c in row] == [0, 18]
    assert (
        cells[("narr.app.received", 1)].value == 7 and cells[("narr.app.received_cumulative", 2)].value == 28
    )
    assert cells[("narr.app.channel.fax", 1)].value == 0  # the next row keeps its own "2." label


def test_several_readings_give_no_value_and_a_check() -> None:
    text = (DEV / "r108.txt").read_text(encoding="utf-8")  # 主动公开信息数条2626: 2/626 or 26/26
    parsed = parse_stat_tables(text, "freeform")
    items = [c for c in parsed.cells if c.row_no == 1]
    assert all(c.value is None and c.status == "ambiguous" for c in items)
    checks = [k for k in parsed.checks if k.rule_id == "SPLIT-AMBIGUOUS"]
    assert checks and checks[0].status == "ambiguous"
    assert "2/626" in (checks[0].message or "") and "26/26" in (checks[0].message or "")


def test_one_value_in_a_two_column_row_is_ambiguous() -> None:
    text = (DEV / "r101.txt").read_text(
        encoding="utf-8"
    )  # 2、政府公报公开 条 0 (one of the two cells is blank)
    parsed = parse_stat_tables(text, "freeform")
    row = [c for c in parsed.cells if c.row_label and "政府公报公开" in c.row_label]
    assert [c.status for c in row] == ["ambiguous", "ambiguous"]
    assert any(k.rule_id == "SPLIT-AMBIGUOUS" for k in parsed.checks)


def test_synthetic_glued_splits() -> None:
    base = "附表：\n指标名称计量单位2012年度历年累计主动公开信息数条{a}其中：1、网站公开条{b}2、政府公报公开条00受理依申请公开信息总数条00\n"
    # 1020: 1/020 has a leading zero, 102/0 breaks cumulative ≥ year → 10/20
    cells = [c for c in parse_stat_tables(base.format(a="1020", b="1020"), "freeform").cells if c.row_no == 1]
    assert [c.value for c in cells] == [10, 20]
    # 1515: 1/515 or 15/15 both fit, and nothing else decides → ambiguous
    cells = [c for c in parse_stat_tables(base.format(a="1515", b="1515"), "freeform").cells if c.row_no == 1]
    assert [c.status for c in cells] == ["ambiguous", "ambiguous"]


def test_one_column_tables_and_truncated_tables() -> None:
    cells = [c for c in parse_stat_tables((DEV / "r110.txt").read_text(encoding="utf-8"), None).cells]
    assert [(c.metric_id, c.value) for c in cells][:3] == [
        ("narr.active.items", 51),
        ("narr.active.channel.website", 7),
        ("narr.active.channel.gazette", 0),
    ]
    assert all(c.col_no == 1 and c.col_label == "年末统计" for c in cells)
    truncated = parse_stat_tables((DEV / "r127.txt").read_text(encoding="utf-8"), None).cells
    assert [(c.metric_id, c.value) for c in truncated][-1] == ("narr.app.channel.in_person", 0)


def test_tables_are_located_for_segmentation_and_narrative() -> None:
    text = (DEV / "r076.txt").read_text(encoding="utf-8")
    spans = locate_stat_tables(normalize(text))
    assert len(spans) == 1
    a, b = spans[0]
    assert text[a:].startswith("附件1") and "指标名称" in text[a:b] and text[b:].strip() == "附件下载"
    assert locate_stat_tables(normalize("一、概述\n全年主动公开政府信息10条。")) == []


def test_monthly_template_with_code_column() -> None:
    # 定西-style 统计报表 (formats.md §1.2): 代码 column, 本期实际 / 本年累计 (year-to-date = the year's figure)
    text = (
        "附件3 政府信息公开情况统计报表\n指 标 名 称 | 计量 单位 | 代码 | 本期实际 | 本年累计 |\n甲 | 乙 | 丙 | 1 | 2 |\n"
        "主动公开信息数 | 条 | 01 | 35 | 120 |\n其中:全文电子化的主动公开信息数 | 条 | 02 | 30 | 100 |\n"
        "申请总数 | 条 | 10 | 0 | 2 |\n其中:1.当面申请数 | 条 | 11 | 0 | 2 |\n"
        "其中:(1)“信息不存在”数 | 条 | 22 | 0 | 1 |\n行政复议数 | 件 | 32 | 0 | 0 |\n"
    )
    cells = parse_stat_tables(text, "freeform").cells
    year = {c.metric_id: c.value for c in cells if c.col_label == "本年累计"}
    assert year == {
        "narr.active.items": 120,
        "narr.active.fulltext_items": 100,
        "narr.app.received": 2,
        "narr.app.channel.in_person": 2,
        "narr.app.not_exist": 1,
        "narr.review.count": 0,
    }
    assert all(c.metric_id is None for c in cells if c.col_label == "本期实际")  # a period, not the year
