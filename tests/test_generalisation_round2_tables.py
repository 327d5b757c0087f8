"""Table rules added after the second held-out round (docs/evaluation.md, Round 2), on synthetic tables."""

from __future__ import annotations

from pipeline.tables.std import parse_std_tables


def _t2(text: str) -> dict[str, float | None]:
    res = parse_std_tables(text, "std2019")
    return {c.metric_id: c.value for c in res.cells if c.table_id == "t2" and c.status == "ok"}


def test_table_two_that_lost_its_first_caption_starts_at_the_header() -> None:
    text = (
        "二、主动公开政府信息情况\n信息内容 |\n本年新制作数量 |\n本年新公开数量 |\n对外公开总数量 |\n"
        "规章 |\n0 |\n0 |\n2 |\n规范性文件 |\n4 |\n4 |\n31 |\n第二十条第(五)项 |\n|||\n信息内容 |\n"
        "上一年项目数量 |\n本年增/减 |\n处理决定数量 |\n行政许可 |\n12 |\n0 |\n95 |\n"
        "三、收到和处理政府信息公开申请情况\n"
    )
    got = _t2(text)
    assert got["active.rules.published_total"] == 2
    assert got["active.normative_docs.new_made"] == 4 and got["active.normative_docs.published_total"] == 31
    assert got["active.licensing.decisions"] == 95
