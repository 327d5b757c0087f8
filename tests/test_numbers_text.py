"""Numbers as printed in running text: Chinese numerals, 万/亿, qualifiers, quantities, compact view."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.numbers import (
    CN_NUMBER_CLASS,
    NULL_MARKERS,
    QUANTITY_RE,
    QUANTITY_UNITS,
    compact_view,
    convert_money,
    find_quantities,
    parse_cell,
    parse_cn_integer,
    parse_number_token,
    qualifier_of,
)
from pipeline.textview import views


@pytest.mark.parametrize(
    ("s", "v"),
    [
        ("三", 3),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("四十", 40),
        ("两", 2),
        ("一百零五", 105),
        ("千", 1000),
        ("百", 100),
        ("一千零一", 1001),
        ("三千二百万", 32_000_000),
        ("两万", 20_000),
        ("零", 0),
    ],
)
def test_parse_cn_integer(s: str, v: int) -> None:
    assert parse_cn_integer(s) == v


def test_parse_cn_integer_rejects_non_numerals() -> None:
    assert parse_cn_integer("") is None
    assert parse_cn_integer("二十余") is None
    assert parse_cn_integer("条") is None


def test_parse_number_token() -> None:
    assert parse_number_token("1,234.5") == 1234.5
    assert parse_number_token("25.4") == 25.4
    assert parse_number_token("四十") == 40
    assert parse_number_token("x") is None


@pytest.mark.parametrize(
    ("pre", "post", "post2", "q"),
    [
        (None, None, None, "exact"),
        ("约", None, None, "approx"),
        ("近", None, None, "approx"),
        (None, None, "左右", "approx"),
        (None, "余", None, "lower_bound"),
        (None, "多", None, "lower_bound"),
        (None, None, "以上", "lower_bound"),
        ("逾", None, None, "lower_bound"),
    ],
)
def test_qualifier_of(pre: str | None, post: str | None, post2: str | None, q: str) -> None:
    assert qualifier_of(pre, post, post2) == q


def _quantities(s: str) -> list[tuple[float, str, str, str]]:
    compact, _ = compact_view(s)
    return [(q.value, q.raw, q.qualifier, q.unit) for q in find_quantities(compact)]


def test_find_quantities_multipliers_qualifiers_and_spaces() -> None:
    got = _quantities("全年网站访问量约25.4 万人次，日访问量达700 多人次，其中全文电子化达 80 %")
    assert got == [
        (254_000, "25.4万", "approx", "人次"),
        (700, "700", "lower_bound", "人次"),
        (80, "80", "exact", "%"),
    ]


def test_find_quantities_chinese_numerals() -> None:
    assert _quantities("共发布各类信息四十余条，召开两次会议，收到三件申请") == [
        (40, "四十", "lower_bound", "条"),
        (2, "两", "exact", "次"),
        (3, "三", "exact", "件"),
    ]
    assert _quantities("近千名群众") == [(1000, "千", "approx", "名")]
    assert _quantities("二十余条") == [(20, "二十", "lower_bound", "条")]


def test_find_quantities_skips_article_numbers_and_inner_digits() -> None:
    # 第二十条 is an article number, 12365 a hot-line number (no unit after it)
    assert _quantities("《条例》第二十条规定") == []
    assert _quantities("全年受理12365投诉举报211次") == [(211, "211", "exact", "次")]
    assert _quantities("政务服务事项1.36万项") == [(13_600, "1.36万", "exact", "项")]


def test_compact_view_offsets_point_into_the_original() -> None:
    s = "公开信息5769 条，\n达 80 %"
    compact, idx = compact_view(s)
    assert compact == "公开信息5769条，达80%"
    for i, ch in enumerate(compact):
        assert s[idx[i]] == ch


def test_compact_view_drops_exactly_the_unicode_whitespace_of_str_isspace() -> None:
    """The vectorised compact view drops every regex-whitespace character (NBSP, ideographic space, U+2028 …), nothing else."""
    s = "a\u3000b\xa0c\u2028d\u200be\U0001f600 f\x85g\u205fh"
    compact, idx = compact_view(s)
    assert compact == "".join(ch for ch in s if not ch.isspace())
    assert [s[i] for i in idx] == list(compact)


def test_existing_public_names_still_work() -> None:
    assert parse_cell("210.8万").value == 210.8
    assert parse_cell("210.8万").multiplier_unit == "万"
    assert parse_cell("减少3").value == -3
    assert parse_cell("/").value is None and parse_cell("/").is_null_marker
    assert parse_cell("").value is None
    assert "—" in NULL_MARKERS
    assert convert_money(1.0, "万元", "元") == 10_000
    assert convert_money(5.0, None, "元") is None


# QUANTITY_RE written plainly: the faster pattern in pipeline.numbers must find exactly these matches.
PLAIN_QUANTITY_RE = re.compile(
    rf"(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|[{CN_NUMBER_CLASS}]+)(?P<mul>万|亿)?(?P<post>余|多)?(?P<mul2>万|亿)?"
    rf"(?P<unit>{'|'.join(QUANTITY_UNITS)})(?P<post2>左右|以上)?"
)
RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def _matches(rx: re.Pattern[str], s: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in rx.finditer(s)]


@pytest.mark.parametrize(
    "s",
    [
        "1,2345件",
        "1,234.5万元",
        "共1,23件",
        "2.件",
        "十二件三十余万条",
        "约1.36万人次左右",
        "第3期",
        "0.5%",
        "一二三四",
    ],
)
def test_quantity_pattern_is_the_plain_one(s: str) -> None:
    assert _matches(QUANTITY_RE, s) == _matches(PLAIN_QUANTITY_RE, s)


def test_quantity_pattern_is_the_plain_one_on_every_real_text() -> None:
    texts = [views(p.read_text("utf-8", "replace")).compact for p in sorted(RAW.rglob("*.txt"))]
    assert texts and sum(len(_matches(PLAIN_QUANTITY_RE, t)) for t in texts) > 1000
    assert [
        i for i, t in enumerate(texts) if _matches(QUANTITY_RE, t) != _matches(PLAIN_QUANTITY_RE, t)
    ] == []
