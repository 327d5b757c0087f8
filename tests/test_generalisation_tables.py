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
