"""Narrative metrics of the five seeds, values checked by hand against the texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.catalog import catalog
from pipeline.layout import detect_layout
from pipeline.narrative import extract_narrative
from pipeline.records import Metric, ReportMeta
from pipeline.segment import segment

SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw" / "seeds"
YEARS = {"000": 2010, "001": 2011, "002": 2011, "003": 2014, "004": 2019}


def _text(n: str) -> str:
    return next(SEEDS.glob(f"{n}_*.txt")).read_text(encoding="utf-8")


def narr(n: str) -> dict[str, Metric]:
    text = _text(n)
    layout = detect_layout(text)
    ms = extract_narrative(text, segment(text, layout), ReportMeta(report_year=YEARS[n], layout=layout))
    return {m.metric_id: m for m in ms}


def _values(ms: dict[str, Metric]) -> dict[str, tuple[float, str]]:
    return {k: (m.value, m.qualifier) for k, m in ms.items()}


def test_seed_000_harbin_commerce_2010() -> None:
    assert _values(narr("000")) == {
        "narr.active.items": (6000, "exact"),  # 全年主动公开商务信息6000条
        "narr.active.fulltext_rate": (80, "exact"),  # 其中全文电子化达 80 %
        "narr.active.channel.website": (5769, "exact"),  # 政府信息公开专栏，公开信息5769 条
        "narr.website.visits": (254_000, "approx"),  # 全年网站访问量约25.4 万人次
        "narr.website.daily_visits": (700, "lower_bound"),  # 日访问量达700 多人次
        "narr.reading.visitors": (2000, "exact"),  # 全年接待公众查询数2000人次
        "narr.reading.items": (3000, "approx"),  # 查询信息数量约 3000 条
        "narr.app.received": (0, "zero_statement"),  # 2010年度没有受理依申请公开事项
        "narr.consult.total": (2000, "exact"),
        "narr.consult.onsite": (1500, "exact"),
        "narr.consult.phone": (500, "exact"),
        "narr.consult.online": (20, "exact"),
        "narr.consult.share.onsite": (80, "exact"),
        "narr.consult.share.phone": (20, "exact"),
        "narr.consult.share.online": (1, "exact"),
        "narr.review.count": (0, "zero_statement"),  # 全年没有受理…举报、投诉、行政复议以及行政诉讼
        "narr.litigation.count": (0, "zero_statement"),
        "narr.complaint.count": (0, "zero_statement"),
    }


def test_seed_000_methods_and_evidence() -> None:
    ms = narr("000")
    assert ms["narr.app.received"].method == "zero_statement"
    assert ms["narr.active.items"].method == "narrative"
    assert ms["narr.website.visits"].raw_value == "25.4万"
    assert ms["narr.website.visits"].evidence == "访问量约25.4 万人次"
    # "全系统累计主动公开商务信息6000条" restates the year figure: no cumulative metric
    assert "narr.active.items_cumulative" not in ms


def test_seed_001_quzhou_commerce_2011() -> None:
    assert _values(narr("001")) == {
        "narr.staff.part_time": (1, "exact"),  # 指定由局办公室一名同志(兼职)负责
        "narr.active.items": (40, "exact"),  # 主动公开政府信息共40条
        "narr.active.items_cumulative": (270, "exact"),  # 累计发布信息270条
        "narr.app.received": (0, "zero_statement"),  # 未受理依申请公开政府信息工作
        "narr.fees.collected": (0, "zero_statement"),  # 实行“零收费”
        "narr.review.count": (0, "zero_statement"),  # 未发生…行政复议案、行政诉讼案和有关的申诉案
        "narr.litigation.count": (0, "zero_statement"),
        "narr.appeal.count": (0, "zero_statement"),
    }


def test_seed_002_channels_and_no_hotline_complaints() -> None:
    ms = narr("002")
    assert _values(ms) == {
        "narr.active.items": (4811, "exact"),  # 全年共发布各类信息4811条
        "narr.active.channel.gov_platform": (375, "exact"),  # 在中国哈尔滨政务公开信息网发布信息375条
        "narr.active.channel.website": (590, "exact"),  # 在部门网站发布信息590条
        "narr.active.channel.onsite": (367, "exact"),  # 行政服务大厅发布信息367条
        "narr.active.channel.reading_room": (309, "exact"),  # 市政府信息查阅中心309条
        "narr.active.channel.screen": (1556, "exact"),  # 通过触摸屏和电子大屏幕以布信息1556条
        "narr.active.channel.media": (1614, "exact"),  # 通过新闻媒体发布信息1614篇
    }
    # 全年受理12365投诉举报211次 is a sector hot-line, not FOI complaints
    assert "narr.complaint.count" not in ms
    # "2010年，…本局未因申请政府信息公开引起行政复议及行政诉讼案件发生" speaks of 2010 in a 2011 report
    assert "narr.review.count" not in ms and "narr.litigation.count" not in ms
    assert sum(m.value for k, m in ms.items() if k.startswith("narr.active.channel.")) == 4811


def test_seed_003_jining_commerce_2014() -> None:
    assert _values(narr("003")) == {
        "narr.active.channel.website": (1000, "lower_bound"),  # 通过门户网站发布商务信息1000余条
        "narr.website.visits": (200_000, "lower_bound"),  # 累计访问量达20万余人次 (2014年…)
        "narr.website.peak_daily_visits": (3949, "exact"),  # 单日最高浏览量高达3949人次
        "narr.active.channel.gov_platform": (800, "lower_bound"),  # 通过市政府信息发布平台发布动态信息800余条
        "narr.app.received": (0, "zero_statement"),  # 全年未收到任何形式的政府信息公开申请
        "narr.fees.collected": (0, "zero_statement"),  # 我局未对政府信息公开实施收费
        "narr.review.count": (0, "zero_statement"),  # 未发生…行政复议、诉讼和申诉情况
        "narr.litigation.count": (0, "zero_statement"),
        "narr.appeal.count": (0, "zero_statement"),
    }


def test_seed_003_table_is_not_read_as_narrative() -> None:
    ms = narr("003")
    assert not any(m.char_start > _text("003").index("附：2014年度") for m in ms.values())


def test_seed_004_std_report() -> None:
    assert _values(narr("004")) == {
        "narr.active.items": (21, "exact"),  # 向社会公开政务信息21条
        "narr.service_items": (13_600, "exact"),  # 分批公布各类政务服务事项1.36万项
        "narr.active.channel.media": (27, "exact"),  # 等国家级媒体发布新闻报道和文章27篇
        "narr.app.received": (1, "exact"),  # 全年共收到政府信息公开申请1件
        "narr.app.on_time_rate": (100, "exact"),  # 按时办结率100%
        "narr.proposals.npc": (28, "exact"),  # 全年共收到人大代表建议28件
        "narr.proposals.cppcc": (7, "exact"),  # 政协提案7件
    }


@pytest.mark.parametrize("n", sorted(YEARS))
def test_evidence_is_verbatim_and_ids_are_in_the_catalog(n: str) -> None:
    text = _text(n)
    cat = catalog()
    for m in narr(n).values():
        assert m.evidence == text[m.char_start : m.char_end]
        assert m.metric_id in cat
        assert m.decided_by
        if m.qualifier == "zero_statement":
            assert m.value == 0 and m.method == "zero_statement"
        else:
            assert m.raw_value and m.raw_value[0] in "0123456789零〇一二两三四五六七八九十百千"
