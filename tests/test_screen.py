"""`pipeline.screen.screen_text`: every real report (and fragment) passes; realistic non-reports do not.

The negatives are generated here: news items, error pages, unrelated notices, lorem ipsum, CSV dumps and
random CJK characters, each with the kind of reason it must get.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ingest import read_document
from pipeline.screen import error_page_phrase, evidence, screen_text

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
CORPUS = sorted(p for p in RAW.rglob("*") if p.is_file())
PDF_LAYOUT = sorted((ROOT / "tests" / "fixtures" / "corpus" / "pdf").glob("*.txt"))


def _id(p: Path) -> str:
    return p.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", CORPUS + PDF_LAYOUT, ids=_id)
def test_every_real_report_is_accepted(path: Path):
    assert screen_text(path.read_text("utf-8")) == (True, None)


@pytest.mark.parametrize("n_chars", [200, 300, 500])
def test_truncated_beginnings_are_accepted(n_chars: int):
    rejected = [_id(p) for p in CORPUS if not screen_text(p.read_text("utf-8")[:n_chars])[0]]
    assert rejected == []


def test_flip_book_page_is_accepted_even_without_its_page_header():
    page = (RAW / "dev" / "r098.txt").read_text("utf-8")
    assert screen_text(page) == (True, None)
    body = page.split("\n", 2)[2]  # drop "Page 4 - <title>" and "P. 4": a mid-document fragment
    assert evidence(body).title is None
    assert screen_text(body) == (True, None)


def test_title_alone_is_enough():
    assert screen_text("某某县人民政府办公室2016年度政府信息公开工作年度报告") == (True, None)
    assert screen_text("虹山乡人民政府2011年度信息公开的报告") == (True, None)


def test_a_table_fragment_of_a_std2021_report_is_accepted():
    frag = (
        "三、收到和处理政府信息公开申请情况\n本年新收政府信息公开申请数量\t12\n上年结转政府信息公开申请数量\t0\n"
        "（一）予以公开\t8\n（二）部分公开\t1\n（三）不予公开\t0\n"
    )
    assert screen_text(frag) == (True, None)


# --------------------------------------------------------------------------------------------------------
# Negatives
# --------------------------------------------------------------------------------------------------------

NEWS = """新华社北京3月5日电 第十四届全国人民代表大会第二次会议5日上午在人民大会堂开幕。国务院总理李强作政府工作报告。
报告指出，2023年国内生产总值超过126万亿元，增长5.2%，增速居世界主要经济体前列。城镇新增就业1244万人。
居民消费价格上涨0.2%。粮食产量6954亿斤，创历史新高。报告提出，今年发展主要预期目标是国内生产总值增长5%左右。
（记者 王某某）责任编辑：张某"""

NEWS_WITH_PORTAL_FOOTER = """本报讯（记者 李明）12日上午，我市举行2024年重点项目集中开工仪式，共有86个项目集中开工，总投资320亿元。
据悉，此次开工项目涵盖先进制造业、现代服务业、基础设施和社会民生等领域。全年将推进重点项目500个以上，年度计划投资1200亿元。
【打印本页】【关闭窗口】 网站地图 | 联系我们 | 政府信息公开 | 无障碍浏览 主办：某某市人民政府办公室"""

NEWS_ON_GOV_SERVICES = """本报讯 近日，市政务服务中心召开2024年度工作会议，总结2023年工作，部署2024年重点任务。过去一年，中心共受理各类办件120万件，
办结率99.8%，群众满意度持续提升。会议要求，要深化“一网通办”改革，加强政府网站和政务新媒体建设，做好政务公开工作。（记者 赵某）"""

NOTICE = """某某市人民政府办公室关于做好2024年元旦春节期间安全生产工作的通知
各区县人民政府，市政府各部门：
元旦、春节将至，为切实做好节日期间安全生产工作，确保全市安全形势稳定，经市政府同意，现就有关事项通知如下：
一、提高思想认识。各地各部门要深刻认识做好节日期间安全生产工作的重要性。
二、强化隐患排查。要组织开展安全生产大检查，重点检查道路交通、消防、燃气、危险化学品等领域。
三、严格值班值守。要严格落实领导带班和24小时值班制度，遇有突发事件及时报告。
某某市人民政府办公室
2023年12月25日
（此件公开发布）
根据《中华人民共和国政府信息公开条例》，本文件主动公开。"""

FUNDS_NOTICE = """关于公布2023年度市级财政专项资金分配结果的公告
根据《某某市市级财政专项资金管理办法》，经市政府研究同意，现将2023年度市级财政专项资金分配结果予以公告。
附件：2023年度市级财政专项资金分配表
公示期为2023年11月1日至11月7日。如有异议，请在公示期内向市财政局反映。联系电话：0531-12345678。"""

ERROR_404 = """404 Not Found
很抱歉，您访问的页面不存在或已被删除！
返回首页 | 政府信息公开 | 政府信息公开年报 | 依申请公开 | 政府信息公开指南 | 政府信息公开目录
主办单位：某某市人民政府办公室 网站标识码：3700000001"""

ERROR_APACHE = """Not Found
The requested URL was not found on this server.
Apache/2.4.41 (Ubuntu) Server at www.example.gov.cn Port 80"""

ERROR_CN = "系统提示\n对不起，找不到您要访问的页面，可能已被删除或移动。\n5秒后自动返回首页"

LOREM = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et "
    "dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip.\n"
) * 5

CSV_CN = "序号,姓名,部门,年度,金额\n" + "\n".join(f"{i},张{i},办公室,2023,{i * 100}" for i in range(1, 60))
TSV_CN = "地区\t指标\t数值\n" + "\n".join(f"第{i}区\t常住人口\t{i * 1234}" for i in range(1, 40))
CSV_EN = "id,name,value,date\n" + "\n".join(
    f"{i},item{i},{i * 3.5},2023-01-{i % 28 + 1:02d}" for i in range(60)
)


def _random_cjk(seed: int, n: int, line: int = 0) -> str:
    rng = random.Random(seed)
    chars = [chr(rng.randrange(0x4E00, 0x9FA6)) for _ in range(n)]
    if line:
        for i in range(line, n, line):
            chars[i] = "\n"
    return "".join(chars)


NEGATIVES = {
    "news": (NEWS, "not a report: no sign of an information-disclosure annual report"),
    "news with portal footer": (NEWS_WITH_PORTAL_FOOTER, "not a report: no sign of"),
    "news on government services": (NEWS_ON_GOV_SERVICES, "not a report: no sign of"),
    "notice citing the 条例": (NOTICE, "not a report: no sign of"),
    "funds notice": (FUNDS_NOTICE, "not a report: no sign of"),
    "404 page with disclosure navigation": (ERROR_404, "not a report: looks like a web error page"),
    "apache 404": (ERROR_APACHE, "not a report: looks like a web error page"),
    "chinese error page": (ERROR_CN, "not a report: looks like a web error page"),
    "lorem ipsum": (LOREM, "not a report: hardly any Chinese text (0% CJK characters)"),
    "csv dump": (CSV_CN, "not a report: looks like a table/CSV dump (60 delimited rows)"),
    "tsv dump": (TSV_CN, "not a report: looks like a table/CSV dump (40 delimited rows)"),
    "english csv": (CSV_EN, "not a report: hardly any Chinese text"),
    "random cjk": (_random_cjk(1, 3000), "not a report: no sign of"),
    "random cjk lines": (_random_cjk(2, 3000, line=40), "not a report: no sign of"),
    "tiny": ("你好", "not a report: too short (2 characters)"),
    "whitespace": (" \n\t ", "not a report: no text"),
    "empty": ("", "not a report: no text"),
}


@pytest.mark.parametrize(("text", "reason"), NEGATIVES.values(), ids=NEGATIVES.keys())
def test_non_reports_are_rejected_with_a_readable_reason(text: str, reason: str):
    ok, why = screen_text(text)
    assert ok is False
    assert why is not None and why.startswith(reason), why


def test_rejection_reason_names_what_was_found():
    _, why = screen_text(NOTICE)
    assert "1 strong term(s)" in why and "政府信息公开条例" in why


def test_html_error_page_through_ingest(tmp_path: Path):
    page = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>"
    (tmp_path / "report.txt").write_text(page, encoding="utf-8")
    doc = read_document(tmp_path, "report.txt")
    assert doc.status == "ok" and doc.status_reason == "html converted to text"
    ok, why = screen_text(doc.text)
    assert not ok and why.startswith("not a report: looks like a web error page ('404 Not Found')")


def test_gbk_copy_of_a_non_report_is_still_rejected(tmp_path: Path):
    (tmp_path / "n.txt").write_bytes(NEWS.encode("gbk"))
    doc = read_document(tmp_path, "n.txt")
    assert doc.encoding == "gb18030" and not screen_text(doc.text)[0]


def test_repetition_does_not_add_up():
    # distinct terms count once, so a long text does not pass by repeating one weak word
    assert not screen_text("公开。" * 5000)[0]


def test_nested_terms_count_once():
    ev = evidence("根据《中华人民共和国政府信息公开条例》")
    assert ev.terms == ("政府信息公开条例",)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_screen_never_raises(text: str):
    ok, why = screen_text(text)
    assert (why is None) == ok


# The error-page phrases as one case-insensitive alternation: the plain definition that
# `error_page_phrase` (three faster patterns) must agree with, match for match.
ERROR_PAGE_ONE_REGEX = re.compile(
    r"\b(?:400|401|403|404|500|502|503|504)\b\s*(?:-|:|：)?\s*(?:Not Found|Forbidden|Bad Request|"
    r"Unauthorized|Internal Server Error|Bad Gateway|Service (?:Temporarily )?Unavailable|Gateway Time-?out|"
    r"错误|页面)|页面(?:不存在|未找到|找不到|已删除|已失效|无法访问)|"
    r"找不到(?:您|你)?(?:要|所)?(?:访问|请求|查找)?的(?:页面|网页)|"
    r"(?:您|你)(?:所)?(?:访问|请求)的(?:页面|网页|内容)(?:不存在|已被?删除|已失效|暂时无法访问)|"
    r"Page Not Found|File Not Found|The requested URL was not found",
    re.IGNORECASE,
)
ERROR_PAGE_CASES = [
    "404 Not Found",
    "1404 Not Found",  # not a code: it does not start a word
    "x404 Not Found 2024年 404: not found",
    "　503 - Service Temporarily Unavailable",
    "页面404错误 您访问的页面不存在",
    "THE REQUESTED URL WAS NOT FOUND on this server",
    "404：页面 找不到您要访问的页面",
    "ab页面不存在 503 Service Unavailable",
    "受理申请404件，您访问的内容已被删除",
    "file not found 你所请求的网页暂时无法访问",
]


def _same_error_match(head: str) -> bool:
    want, got = ERROR_PAGE_ONE_REGEX.search(head), error_page_phrase(head)
    return (want and (want.span(), want.group())) == (got and (got.span(), got.group()))


@pytest.mark.parametrize("text", ERROR_PAGE_CASES)
def test_error_page_phrase_is_the_one_regex_match(text: str):
    assert _same_error_match(text)


def test_error_page_phrase_agrees_on_every_real_text():
    heads = [p.read_text("utf-8", "replace")[:5000] for p in CORPUS]
    assert [p for p, head in zip(CORPUS, heads, strict=True) if not _same_error_match(head)] == []
