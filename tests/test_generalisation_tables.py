"""Table rules added after the held-out evaluation (docs/evaluation.md), on short synthetic tables."""

from __future__ import annotations

from pipeline.tables.std import parse_std_tables

_HEAD = "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|\n"


def _t4(text: str) -> dict[str, float | None]:
    res = parse_std_tables(text, "std2021")
    return {c.metric_id: c.value for c in res.cells if c.table_id == "t4" and c.status == "ok"}


def test_table_four_printed_as_three_captioned_blocks() -> None:
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n\n### 行政复议\n" + _HEAD + "| 5 | 1 | 0 | 2 | 8 |\n\n"
        "### 行政诉讼（未经复议直接起诉）\n" + _HEAD + "| 1 | 0 | 0 | 0 | 1 |\n\n"
        "### 行政诉讼（复议后起诉）\n" + _HEAD + "| 2 | 0 | 1 | 0 | 3 |\n\n"
        "五、存在的主要问题及改进情况\n无。\n"
    )
    got = _t4(text)
    assert got["review.maintained"] == 5 and got["review.total"] == 8
    assert got["litigation.direct.maintained"] == 1 and got["litigation.direct.total"] == 1
    assert got["litigation.after_review.other"] == 1 and got["litigation.after_review.total"] == 3


def test_blocks_in_another_order_follow_their_captions() -> None:
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n\n行政诉讼（复议后起诉）\n"
        + _HEAD
        + "| 2 | 0 | 1 | 0 | 3 |\n\n"
        "行政复议\n" + _HEAD + "| 5 | 1 | 0 | 2 | 8 |\n\n"
        "行政诉讼（未经复议直接起诉）\n" + _HEAD + "| 1 | 0 | 0 | 0 | 1 |\n\n"
        "五、存在的主要问题及改进情况\n无。\n"
    )
    got = _t4(text)
    assert got["review.total"] == 8
    assert got["litigation.after_review.total"] == 3


def test_two_blocks_without_the_third_give_no_guess() -> None:
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n\n### 行政复议\n" + _HEAD + "| 5 | 1 | 0 | 2 | 8 |\n\n"
        "### 行政诉讼（复议后起诉）\n"
        + _HEAD
        + "| 2 | 0 | 1 | 0 | 3 |\n\n五、存在的主要问题及改进情况\n无。\n"
    )
    got = _t4(text)
    assert "litigation.direct.total" not in got
    assert got.get("litigation.after_review.total") in (None,)


def test_overflowing_pipe_row_with_blank_total_is_not_guessed() -> None:
    # one cell per line with "|" separators; the row's merged cells come out as a run of empty cells
    head = "三、收到和处理政府信息公开申请情况\n(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) |\n申请人情况 |\n"
    cols = (
        "自然人 |\n法人或其他组织 |\n总计 |\n商业企业 |\n科研机构 |\n社会公益组织 |\n法律服务机构 |\n其他 |\n"
    )
    rows = "一、本年新收政府信息公开申请数量 |\n4 |\n4 |\n|||||||\n二、上年结转政府信息公开申请数量 |\n0 |\n0 |\n|||||||\n"
    res = parse_std_tables(head + cols + rows + "四、政府信息公开行政复议、行政诉讼情况\n", "std2021")
    ok = {c.metric_id: c.value for c in res.cells if c.table_id == "t3" and c.status == "ok"}
    assert "app.new.business" not in ok and "app.carried_over.business" not in ok


def test_trailing_blanks_after_a_filled_total_keep_the_row() -> None:
    head = "三、收到和处理政府信息公开申请情况\n(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |\n"
    head += "自然人 | 法人或其他组织 | 总计 |\n商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n"
    rows = (
        "一、本年新收政府信息公开申请数量 | 2 | | | | | | 2 |\n"
        "三、本年度办理结果 | (一)予以公开 | | | | | | | 2 |\n"
        "| (二)部分公开(区分处理的,只计这一情形,不计其他情形) | | | | | | | 0 |\n"
    )
    res = parse_std_tables(head + rows + "四、政府信息公开行政复议、行政诉讼情况\n", "std2021")
    ok = {c.metric_id: c.value for c in res.cells if c.table_id == "t3" and c.status == "ok"}
    assert ok["app.new.total"] == 2
    assert ok["app.result.granted.total"] == 2
