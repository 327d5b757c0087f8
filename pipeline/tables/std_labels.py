"""Templates of the standard tables 二/三/四 (std2019, std2021): rows, columns, metric ids, label patterns.

Everything the std parser needs to know about the *printed form* of the national templates lives here:
which row labels exist, how they are recognised (see ``flatten.LabelMatcher``), which catalog metric each
(row, column) cell maps to, and which columns are money. No parsing logic.

Labels are matched on the normalised text (``pipeline.text.normalize``: full-width brackets are ASCII
``()``, ``，`` is ``,``, ``、`` stays ``、``) with any whitespace allowed between characters. A label's ``core``
is a literal *prefix* of the printed label, so local explanations appended to a label ("规章(设区的市…)"),
typos further on ("其他法律行政止公开") and wrapped or split labels still match.
Item numerals ("1." "2、") are optional but, when printed, belong to the label (never to the digits before
it: crawler text glues "…申请10000012.申请人逾期…").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.std_ids import APPLICANTS, NP, OT21, UN, WH

# ---------------------------------------------------------------------------------------------------
# Shared pieces

_SEP_CHARS = r"[.、,]"


def _item(n: int) -> str:
    """Arabic item numeral of a sub-row label: "1." / "1、" / "1," / "(1)"."""
    return rf"\(?\s*{n}\s*\)?\s*{_SEP_CHARS}"


def _group(cn: str) -> str:
    """Chinese group numeral: "(三)" or "三、"."""
    return rf"\(\s*{cn}\s*\)|{cn}\s*{_SEP_CHARS}"


@dataclass(frozen=True)
class RowDef:
    """One printed row (or group label) of a table and how its label is recognised.

    ``core`` is a literal prefix of the printed label, matched with any whitespace between its characters;
    ``prefix`` is the numeral that may (``required=False``) or must precede it; ``not_followed`` lists
    continuations that make the core belong to another label ("3.其他" vs "其他法律…").
    """

    key: str
    core: str
    kind: str  # data | group | header | caption
    metric: str | None  # metric id prefix ("app.result.granted"); None for header rows
    label: str  # canonical printed label
    row_no: int
    prefix: str | None = None
    required: bool = False
    not_followed: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------------
# Table 二 (主动公开政府信息情况)

T2_ROWS: tuple[RowDef, ...] = (
    RowDef("rules", "规章", "data", "active.rules", "规章", 1),
    RowDef(
        "normative_docs", "规范性文件", "data", "active.normative_docs", "规范性文件", 2, prefix=r"行\s*政"
    ),
    RowDef("other_docs", "其他主动公开文件", "data", "active.other_docs", "其他主动公开文件", 3),
    RowDef("licensing", "行政许可", "data", "active.licensing", "行政许可", 4),
    RowDef(
        "other_services", "其他对外管理服务事项", "data", "active.other_services", "其他对外管理服务事项", 5
    ),
    RowDef("penalty", "行政处罚", "data", "active.penalty", "行政处罚", 6),
    RowDef("coercion", "行政强制", "data", "active.coercion", "行政强制", 7),
    RowDef("fees", "行政事业性收费", "data", "active.fees", "行政事业性收费", 8),
    RowDef("procurement", "政府集中采购", "data", "active.procurement", "政府集中采购", 9),
)
T2_CAPTION_OF = {
    "rules": "一",
    "normative_docs": "一",
    "other_docs": "一",
    "licensing": "五",
    "other_services": "五",
    "penalty": "六",
    "coercion": "六",
    "fees": "八",
    "procurement": "九",
}
# Sub-table captions "第二十条第（一）项" (matched on the working text, whitespace tolerated).
CAPTION_RE = re.compile(r"第\s*二\s*十\s*条\s*第?\s*\(\s*([一二三四五六七八九十]{1,2})\s*\)\s*项")

# Header cells of the sub-tables: their key is the era they belong to (2019 试行 vs 2021), which decides
# the meaning of the sub-table's columns.
T2_HEADERS: tuple[RowDef, ...] = tuple(
    RowDef(era, core, "header", None, core, 0)
    for era, cores in (
        (
            "2019",
            (
                "本年新制作数量",
                "本年新公开数量",
                "对外公开总数量",
                "上一年项目数量",
                "本年增",
                "处理决定数量",
                "采购项目数量",
                "采购总金额",
            ),
        ),
        ("2021", ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额")),
        ("any", ("信息内容",)),
    )
    for core in cores
)
UNIT_IN_HEADER = re.compile(r"单位:?(万元|元)|\((万元|元)\)")


@dataclass(frozen=True)
class ColDef:
    """One value column: metric suffix, printed label, kind (count | signed | money)."""

    suffix: str
    label: str
    kind: str


_DOCS_2019 = (
    ColDef("new_made", "本年新制作数量", "count"),
    ColDef("new_published", "本年新公开数量", "count"),
    ColDef("published_total", "对外公开总数量", "count"),
)
_DOCS_2021 = (
    ColDef("made", "本年制发件数", "count"),
    ColDef("repealed", "本年废止件数", "count"),
    ColDef("in_force", "现行有效件数", "count"),
)
_ITEMS_2019 = (
    ColDef("items_prev_year", "上一年项目数量", "count"),
    ColDef("items_change", "本年增/减", "signed"),
    ColDef("decisions", "处理决定数量", "count"),
)
_DECISIONS_2021 = (ColDef("decisions", "本年处理决定数量", "count"),)
_PROCUREMENT = (
    ColDef("items", "采购项目数量", "count"),
    ColDef("amount", "采购总金额", "money"),
)


def t2_columns(row_key: str, era: str) -> tuple[ColDef, ...]:
    """Value columns of a table-二 row in the given era ('2019' | '2021'); empty when the row has no metrics."""
    if row_key == "procurement":
        return _PROCUREMENT
    if row_key in ("rules", "normative_docs"):
        return _DOCS_2019 if era == "2019" else _DOCS_2021
    if row_key == "other_docs":
        return _DOCS_2019 if era == "2019" else ()
    if row_key == "fees":
        return (
            _ITEMS_2019[:2] if era == "2019" else (ColDef("amount", "本年收费金额（单位：万元）", "money"),)
        )
    return _ITEMS_2019 if era == "2019" else _DECISIONS_2021


# ---------------------------------------------------------------------------------------------------
# Table 三 (收到和处理政府信息公开申请情况)

T3_ROWS: tuple[RowDef, ...] = (
    RowDef(
        "new",
        "本年新收政府信息公开申请",
        "data",
        "app.new",
        "一、本年新收政府信息公开申请数量",
        1,
        _group("一"),
    ),
    RowDef(
        "carried_over",
        "上年结转政府信息公开申请",
        "data",
        "app.carried_over",
        "二、上年结转政府信息公开申请数量",
        2,
        _group("二"),
    ),
    RowDef("results", "本年度办理结果", "header", None, "三、本年度办理结果", 0, r"三+\s*[、.,]?"),
    RowDef("granted", "予以公开", "data", "app.result.granted", "（一）予以公开", 3, _group("一")),
    RowDef("partial", "部分公开", "data", "app.result.partial", "（二）部分公开", 4, _group("二")),
    RowDef("wh", "不予公开", "group", "app.result.withheld.subtotal", "（三）不予公开", 5, _group("三")),
    RowDef(
        "wh.state_secret",
        "属于国家秘密",
        "data",
        "app.result.withheld.state_secret",
        "1.属于国家秘密",
        6,
        _item(1),
    ),
    RowDef(
        "wh.law_prohibited",
        "其他法律行政",
        "data",
        "app.result.withheld.law_prohibited",
        "2.其他法律行政法规禁止公开",
        7,
        _item(2),
    ),
    RowDef(
        "wh.security_stability",
        "危及",
        "data",
        "app.result.withheld.security_stability",
        "3.危及“三安全一稳定”",
        8,
        _item(3),
    ),
    RowDef(
        "wh.third_party",
        "保护第三方",
        "data",
        "app.result.withheld.third_party",
        "4.保护第三方合法权益",
        9,
        _item(4),
    ),
    RowDef(
        "wh.internal_affairs",
        "属于三类内部",
        "data",
        "app.result.withheld.internal_affairs",
        "5.属于三类内部事务信息",
        10,
        _item(5),
    ),
    RowDef(
        "wh.process_info",
        "属于四类过程",
        "data",
        "app.result.withheld.process_info",
        "6.属于四类过程性信息",
        11,
        _item(6),
    ),
    RowDef(
        "wh.enforcement_file",
        "属于行政执法案卷",
        "data",
        "app.result.withheld.enforcement_file",
        "7.属于行政执法案卷",
        12,
        _item(7),
    ),
    RowDef(
        "wh.admin_query",
        "属于行政查询",
        "data",
        "app.result.withheld.admin_query",
        "8.属于行政查询事项",
        13,
        _item(8),
    ),
    RowDef("un", "无法提供", "group", "app.result.unable.subtotal", "（四）无法提供", 14, _group("四")),
    RowDef(
        "un.not_held",
        "本机关不掌握",
        "data",
        "app.result.unable.not_held",
        "1.本机关不掌握相关政府信息",
        15,
        _item(1),
    ),
    RowDef(
        "un.needs_creation",
        "没有现成信息",
        "data",
        "app.result.unable.needs_creation",
        "2.没有现成信息需要另行制作",
        16,
        _item(2),
    ),
    RowDef(
        "un.unclear",
        "补正后申请内容",
        "data",
        "app.result.unable.unclear",
        "3.补正后申请内容仍不明确",
        17,
        _item(3),
    ),
    RowDef(
        "np", "不予处理", "group", "app.result.not_processed.subtotal", "（五）不予处理", 18, _group("五")
    ),
    RowDef(
        "np.petition",
        "信访举报投诉",
        "data",
        "app.result.not_processed.petition",
        "1.信访举报投诉类申请",
        19,
        _item(1),
    ),
    RowDef(
        "np.duplicate", "重复申请", "data", "app.result.not_processed.duplicate", "2.重复申请", 20, _item(2)
    ),
    RowDef(
        "np.publication",
        "要求提供公开出版物",
        "data",
        "app.result.not_processed.publication",
        "3.要求提供公开出版物",
        21,
        _item(3),
    ),
    RowDef(
        "np.mass_repeated",
        "无正当理由大量反复",
        "data",
        "app.result.not_processed.mass_repeated",
        "4.无正当理由大量反复申请",
        22,
        _item(4),
    ),
    RowDef(
        "np.confirm_reissue",
        "要求行政机关确认",
        "data",
        "app.result.not_processed.confirm_reissue",
        "5.要求行政机关确认或重新出具已获取信息",
        23,
        _item(5),
    ),
    RowDef("ot", "其他处理", "group", "app.result.other.total", "（六）其他处理", 24, _group("六")),
    RowDef(
        "ot.overdue_correction",
        "申请人无正当理由逾期",
        "data",
        "app.result.other.overdue_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        25,
        _item(1),
    ),
    RowDef(
        "ot.overdue_fee",
        "申请人逾期未按收费",
        "data",
        "app.result.other.overdue_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        26,
        _item(2),
    ),
    RowDef(
        "ot.other",
        "其他",
        "data",
        "app.result.other.other",
        "3.其他",
        27,
        _item(3),
        required=True,
        not_followed=("法律", "处理", "结果", "对外", "主动", "情形", "组织"),
    ),
    RowDef(
        "total",
        "总计",
        "data",
        "app.result.total",
        "（七）总计",
        28,
        rf"\(?\s*七\s*\)?\s*{_SEP_CHARS}?",
        required=True,
    ),
    RowDef(
        "carried_forward",
        "结转下年度继续办理",
        "data",
        "app.carried_forward",
        "四、结转下年度继续办理",
        29,
        _group("四"),
    ),
)
T3_BY_KEY = {r.key: r for r in T3_ROWS}

# Leaf rows in printed order, per (六) variant; group rows print their subtotal just before their children.
T3_LEAVES_HEAD = (
    "new",
    "carried_over",
    "granted",
    "partial",
    *(f"wh.{k}" for k in WH),
    *(f"un.{k}" for k in UN),
    *(f"np.{k}" for k in NP),
)
T3_LEAVES_TAIL = ("total", "carried_forward")


def t3_leaf_rows(other_split: bool) -> tuple[str, ...]:
    """Data rows of the national template: 23 (2019 single （六） row) or 25 (2021, three （六） sub-rows)."""
    mid = tuple(f"ot.{k}" for k in OT21) if other_split else ("ot",)
    return (*T3_LEAVES_HEAD, *mid, *T3_LEAVES_TAIL)


T3_GROUP_CHILDREN = {
    "wh": tuple(f"wh.{k}" for k in WH),
    "un": tuple(f"un.{k}" for k in UN),
    "np": tuple(f"np.{k}" for k in NP),
    "ot": tuple(f"ot.{k}" for k in OT21),
}

T3_COLS_7: tuple[ColDef, ...] = (
    ColDef("natural_person", "自然人", "count"),
    ColDef("business", "商业企业", "count"),
    ColDef("research", "科研机构", "count"),
    ColDef("social_welfare", "社会公益组织", "count"),
    ColDef("legal_service", "法律服务机构", "count"),
    ColDef("other_org", "其他", "count"),
    ColDef("total", "总计", "count"),
)
LEGAL_TOTAL = ColDef("legal_total", "法人或其他组织（小计）", "count")
T3_APPLICANT = APPLICANTS
T3_ORG = T3_APPLICANT[1:]

T3_SUBTOTAL_HEADER = re.compile(r"小计")

# ---------------------------------------------------------------------------------------------------
# Table 四 (政府信息公开行政复议、行政诉讼情况)

T4_BLOCKS = (
    ("review", "行政复议"),
    ("litigation.direct", "行政诉讼/未经复议直接起诉"),
    ("litigation.after_review", "行政诉讼/复议后起诉"),
)
T4_RESULTS = (
    ("maintained", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
T4_COLS: tuple[tuple[str, str], ...] = tuple(
    (f"{b}.{r}", f"{bl}-{rl}") for b, bl in T4_BLOCKS for r, rl in T4_RESULTS
)
# Header words of table 四: reading of the data row starts after one of them.
T4_HEADERS: tuple[RowDef, ...] = tuple(
    RowDef("t4header", core, "header", None, core, 0)
    for core in (
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "未经复议直接起诉",
        "复议后起诉",
        "行政复议",
        "行政诉讼",
        "总计",
    )
)
# Characters of broken-up header words ("结 果", "尚未审", "其他结") that may sit between the numbers of table 四
# in pdftotext output.
T4_HEADER_CHARS = frozenset("结果维持纠正其他尚未审总计复议后起诉未经直接行政法合")
