"""Narrative regressions on real dev reports (values checked by hand) and the gold-set scores."""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline.layout import detect_layout
from pipeline.narrative import extract_narrative
from pipeline.records import ReportMeta
from pipeline.segment import segment

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "data" / "raw" / "dev"
GOLD = REPO / "tools" / "gold_narrative.csv"


def narr(rid: str, year: int) -> dict[str, tuple[float, str]]:
    text = (DEV / f"{rid}.txt").read_text(encoding="utf-8")
    layout = detect_layout(text)
    ms = extract_narrative(text, segment(text, layout), ReportMeta(report_year=year, layout=layout))
    for m in ms:
        assert m.evidence == text[m.char_start : m.char_end]
    return {m.metric_id: (m.value, m.qualifier) for m in ms}


def test_std2021_overview_r001() -> None:
    got = narr("r001", 2024)
    assert got == {
        "narr.active.items": (
            5500,
            "lower_bound",
        ),  # 市政府网站主动公开各类政府信息 5500 余条 (PDF line break inside)
        "narr.interpretations": (21, "exact"),  # 制作政策解读 21 个
        "narr.gazette.issues": (6, "exact"),  # 制作《淮安市人民政府公报》6 期
        "narr.press_conferences": (12, "exact"),  # …等新闻发布会 12 场
        "narr.app.received": (3119, "exact"),  # 全市共受理政府信息公开申请 3119 件
        "narr.app.answered": (3050, "exact"),  # 答复 3050 件
        "narr.app.carried_over": (34, "exact"),  # （含上年度结转申请 34 件
        "narr.app.pending": (103, "exact"),  # 另有 103 件顺延到下年度答复
        "narr.review.count": (351, "exact"),  # 政府信息公开行政复议 351 件
        "narr.litigation.count": (46, "exact"),  # 政府信息公开行政诉讼 46 件
    }


def test_request_outcomes_with_quotes_r033() -> None:
    got = narr("r033", 2011)
    assert got["narr.app.received"] == (10, "exact")  # 受理依申请公开信息 10宗
    assert got["narr.app.answered"] == (9, "exact")  # 已答复9宗
    assert got["narr.app.granted"] == (7, "exact")  # “同意公开”的 7宗
    assert got["narr.app.withheld"] == (2, "exact")  # “不同意公开”的 2宗
    assert got["narr.fees.collected"] == (0, "zero_statement")  # 均未向申请人收取任何费用


def test_consultation_and_staff_r078() -> None:
    got = narr("r078", 2013)
    assert got["narr.consult.total"] == (4900, "approx")  # 有约4900人次通过各种方式…咨询
    assert got["narr.consult.onsite"] == (1600, "exact")
    assert got["narr.consult.share.onsite"] == (32.65, "exact")
    assert got["narr.consult.share.online"] == (2.04, "exact")  # 网上咨询100人次，2.04%占
    assert got["narr.review.count"] == (0, "exact")  # 收到以有关政府信息公开行政复议0件
    assert got["narr.staff.full_time"] == (0, "zero_statement")  # 没有…全职人员
    assert got["narr.staff.part_time"] == (1, "exact")  # 兼职人员1人
    assert got["narr.budget"] == (1, "exact")  # 政府信息公开费用1万元 (catalog unit 万元)
    assert got["narr.app.withheld"] == (0, "zero_statement")  # 我局无不予公开政府信息情况
    # 解答纳税人咨询达3000多人次 is in 四、审批事项 (not the consultation section)
    assert got["narr.consult.total"][0] != 3000


def test_cumulative_then_year_r121() -> None:
    got = narr("r121", 2016)
    assert got["narr.active.items_cumulative"] == (1224, "exact")  # 截止2016年12月31日…累计…1224条
    assert got["narr.active.items"] == (207, "exact")  # 其中2016年度我局共主动公开政府信息207条
    assert got["narr.active.channel.weibo"] == (2654, "exact")  # 全年共发布各类警务微博2654条
    assert got["narr.active.channel.wechat"] == (1365, "exact")  # 编发警务微信1365条


def test_zone_totals_not_subordinate_units_r100() -> None:
    got = narr("r100", 2012)
    assert got["narr.active.items"] == (1913, "exact")  # not 区直、县直各单位…1397条 / 各乡镇…534条
    assert got["narr.active.channel.website"] == (
        3636,
        "exact",
    )  # 今年以来，通过“中国平潭网”门户网站公开…3636条
    assert got["narr.website.visits"] == (72065, "exact")


def test_subordinate_new_media_not_the_agency_r084() -> None:
    got = narr("r084", 2018)  # 我区各部门共开设新媒体数量70个。其中微博29个，共发布信息1992条；…
    assert "narr.active.channel.weibo" not in got and "narr.active.channel.wechat" not in got
    assert got["narr.active.items"] == (2069, "exact")


def test_chinese_numeral_with_lower_bound_r041() -> None:
    assert narr("r041", 2023)["narr.active.items"] == (40, "lower_bound")  # 共发布各类信息四十余条


def test_information_classification_r130() -> None:
    got = narr("r130", 2023)  # 依申请公开信息数363条，不予公开21条 classifies documents, not requests
    assert "narr.app.withheld" not in got
    assert got["narr.interpretations"] == (10, "exact")


def test_partial_interpretation_counts_r090() -> None:
    got = narr("r090", 2025)  # 文字解读18篇、图文解读22篇、音视频解读1篇: no total stated
    assert "narr.interpretations" not in got
    assert got["narr.app.pending"] == (17, "exact")  # 17件结转下年办理


def test_cumulative_with_channel_part_r014() -> None:
    got = narr("r014", 2010)  # 截止20101231日,全乡累计主动公开政府信息65条。其中,网上公开信息20条
    assert got == {"narr.active.items_cumulative": (65, "exact")}


def test_number_before_noun_r119() -> None:
    got = narr("r119", 2018)
    assert got["narr.litigation.count"] == (1, "exact")  # 发生1件针对本部门…的行政诉讼案
    assert got["narr.app.received"] == (1, "exact")
    assert got["narr.app.channel.in_person"] == (1, "exact")
    assert got["narr.app.granted"] == (1, "exact")


def test_staff_and_media_r135() -> None:
    got = narr("r135", 2018)
    assert got["narr.staff.full_time"] == (1, "exact")
    assert got["narr.staff.part_time"] == (7, "exact")
    assert got["narr.active.channel.media"] == (30, "lower_bound")  # 宣传报道了30余篇
    assert "narr.app.withheld" not in got  # 依申请公开及不予公开256份 classifies documents


def _gold_scores() -> tuple[float, float]:
    gold: dict[str, dict[str, float]] = {}
    years: dict[str, int] = {}
    with GOLD.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            years[r["file"]] = int(r["report_year"])
            gold.setdefault(r["file"], {})
            if r["metric_id"]:
                gold[r["file"]][r["metric_id"]] = float(r["value"])
    tp = fp = fn = 0
    for file, g in gold.items():
        text = (REPO / file).read_text(encoding="utf-8")
        layout = detect_layout(text)
        pred = {
            m.metric_id: m.value
            for m in extract_narrative(
                text, segment(text, layout), ReportMeta(report_year=years[file], layout=layout)
            )
        }
        tp += sum(1 for k, v in pred.items() if k in g and abs(g[k] - v) < 1e-6)
        fp += sum(1 for k, v in pred.items() if k not in g or abs(g[k] - v) >= 1e-6)
        fn += sum(1 for k, v in g.items() if k not in pred or abs(pred[k] - v) >= 1e-6)
    return tp / (tp + fp), tp / (tp + fn)


def test_gold_set_precision_and_recall() -> None:
    precision, recall = _gold_scores()
    assert precision >= 0.95
    assert recall >= 0.90
