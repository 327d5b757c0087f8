"""Synthetic std tables (二/三/四) with known values, rendered in every flattening seen in the corpus.

``generate(seed, layout, holes, glued)`` draws random tables whose values satisfy the identities of
``docs/spec/identities.md`` and records the cells a parser must return (``Model.expected``);
``RENDERERS[style](model, rng)`` flattens them to text the way real reports reach us (TAB cells, one cell
per line, ``|`` rows, TSV dumps, markdown, squeezed rows, ``pdftotext`` with and without ``-layout``,
glued crawler text). Used by the round-trip tests (``tests/test_std_roundtrip.py``) and by the scale
benchmark's corpus generator (``benchmarks/corpus.py``), so both share one source of truth.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from pipeline.catalog import catalog

A = ["natural_person", "business", "research", "social_welfare", "legal_service", "other_org"]
ORG = A[1:]
WH = [
    ("state_secret", "1.属于国家秘密"),
    ("law_prohibited", "2.其他法律行政法规禁止公开"),
    ("security_stability", "3.危及“三安全一稳定”"),
    ("third_party", "4.保护第三方合法权益"),
    ("internal_affairs", "5.属于三类内部事务信息"),
    ("process_info", "6.属于四类过程性信息"),
    ("enforcement_file", "7.属于行政执法案卷"),
    ("admin_query", "8.属于行政查询事项"),
]
UN = [
    ("not_held", "1.本机关不掌握相关政府信息"),
    ("needs_creation", "2.没有现成信息需要另行制作"),
    ("unclear", "3.补正后申请内容仍不明确"),
]
NP = [
    ("petition", "1.信访举报投诉类申请"),
    ("duplicate", "2.重复申请"),
    ("publication", "3.要求提供公开出版物"),
    ("mass_repeated", "4.无正当理由大量反复申请"),
    ("confirm_reissue", "5.要求行政机关确认或重新出具已获取信息"),
]
OT = [
    ("overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("overdue_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other", "3.其他"),
]
GROUPS = {
    "withheld": ("（三）不予公开", WH),
    "unable": ("（四）无法提供", UN),
    "not_processed": ("（五）不予处理", NP),
    "other": ("（六）其他处理", OT),
}
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T4_HEAD = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
T4_BLOCKS = ["review", "litigation.direct", "litigation.after_review"]
T4_KEYS = ["maintained", "corrected", "other", "pending", "total"]
CATALOG = catalog()


@dataclass
class Row:
    """One printed row: its label cells (group label first when the row starts a group) and value cells."""

    label: str
    values: list[str]
    ids: list[str]
    group: str | None = None  # group label printed in this row (first child of a merged group cell)
    results_header: bool = False  # this row also carries the merged "三、本年度办理结果" cell


@dataclass
class Sub:
    """A table-二 sub-table."""

    caption: str
    header: list[str]
    rows: list[Row]


@dataclass
class Model:
    """A generated report: tables as printed, and the cells the parser must return."""

    layout: str
    t2: list[Sub]
    t3_cols: list[str]
    t3: list[Row]
    t4: list[str]
    expected: dict[str, tuple[str, float | None]] = field(default_factory=dict)
    hole_rows: set[str] = field(default_factory=set)  # ids of cells sharing a row with a blank cell


# ---------------------------------------------------------------------------------------------------
# Generation


def _count(r: random.Random, big: bool = True) -> int:
    x = r.random()
    if x < 0.55:
        return 0
    if x < 0.85:
        return r.randint(1, 9)
    if x < 0.97 or not big:
        return r.randint(10, 99)
    return r.randint(100, 5000)


def _fmt_money(r: random.Random, v: float, glued: bool) -> tuple[str, float, str | None]:
    """A money cell printed with a unit (or none) and its value in 万元."""
    style = r.choice(["none", "万", "万元", "元"])
    if style == "元":
        yuan = int(round(v * 10000))
        return f"{yuan}元", yuan / 10000, "元"
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    if style == "none":
        return s, float(s), None
    return s + style, float(s), style


def generate(seed: int, layout: str, holes: str, glued: bool) -> Model:
    """A random set of tables 二/三/四 whose values satisfy the identities of identities.md.

    ``holes``: where blank cells / null markers may be printed: "all", "t3" or "none".
    """
    r = random.Random(seed)
    m = Model(layout, [], [], [], [])
    exp = m.expected
    table = {"now": "t2"}

    def cell(mid: str | None, value: float | None, printed: str | None = None) -> str:
        """Printed form of a value; blank/null markers where the flattening keeps them."""
        if (holes == "all" or holes == table["now"]) and r.random() < 0.04:
            marker = r.choice(["", "/", "—", "-", "无"])
            if mid:
                exp[mid] = ("blank" if marker == "" else "null_marker", None)
            return marker
        if mid:
            exp[mid] = ("ok", value)
        return printed if printed is not None else str(int(value))  # type: ignore[arg-type]

    # ---- table 二
    if layout == "std2019":
        docs = [("rules", "规章"), ("normative_docs", "规范性文件")]
        if r.random() < 0.3:
            docs.append(("other_docs", "其他主动公开文件"))
        rows = []
        for key, label in docs:
            made, total = _count(r), _count(r)
            pub = r.randint(0, total)
            if r.random() < 0.2:
                label += "(设区的市、自治州人民政府应提供相关数据)" if key == "rules" else ""
            ids = [f"active.{key}.{c}" for c in ("new_made", "new_published", "published_total")]
            rows.append(Row(label, [cell(ids[0], made), cell(ids[1], pub), cell(ids[2], total)], ids))
        m.t2.append(
            Sub(
                "第二十条第（一）项", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"], rows
            )
        )
        for cap, pairs in (
            ("五", [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")]),
            ("六", [("penalty", "行政处罚"), ("coercion", "行政强制")]),
        ):
            rows = []
            for key, label in pairs:
                ids = [f"active.{key}.{c}" for c in ("items_prev_year", "items_change", "decisions")]
                change = _count(r) * (-1 if r.random() < 0.2 else 1)
                rows.append(
                    Row(label, [cell(ids[0], _count(r)), cell(ids[1], change), cell(ids[2], _count(r))], ids)
                )
            m.t2.append(
                Sub(
                    f"第二十条第（{cap}）项",
                    ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
                    rows,
                )
            )
        ids = ["active.fees.items_prev_year", "active.fees.items_change"]
        m.t2.append(
            Sub(
                "第二十条第（八）项",
                ["信息内容", "上一年项目数量", "本年增/减"],
                [Row("行政事业性收费", [cell(ids[0], _count(r)), cell(ids[1], _count(r))], ids)],
            )
        )
        ids = ["active.procurement.items", "active.procurement.amount"]
        printed, value, _unit = _fmt_money(r, r.choice([0, r.randint(1, 99999) / 100]), glued)
        m.t2.append(
            Sub(
                "第二十条第（九）项",
                ["信息内容", "采购项目数量", "采购总金额"],
                [Row("政府集中采购", [cell(ids[0], _count(r)), cell(ids[1], value, printed)], ids)],
            )
        )
    else:
        rows = []
        for key, label in (("rules", "规章"), ("normative_docs", "行政规范性文件")):
            ids = [f"active.{key}.{c}" for c in ("made", "repealed", "in_force")]
            rows.append(Row(label, [cell(i, _count(r)) for i in ids], ids))
        m.t2.append(
            Sub("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], rows)
        )
        m.t2.append(
            Sub(
                "第二十条第（五）项",
                ["信息内容", "本年处理决定数量"],
                [
                    Row(
                        "行政许可",
                        [cell("active.licensing.decisions", _count(r))],
                        ["active.licensing.decisions"],
                    )
                ],
            )
        )
        m.t2.append(
            Sub(
                "第二十条第（六）项",
                ["信息内容", "本年处理决定数量"],
                [
                    Row(lab, [cell(f"active.{k}.decisions", _count(r))], [f"active.{k}.decisions"])
                    for k, lab in (("penalty", "行政处罚"), ("coercion", "行政强制"))
                ],
            )
        )
        amount = r.choice([0, r.randint(1, 999999) / 100])
        s = f"{amount:.2f}".rstrip("0").rstrip(".")
        m.t2.append(
            Sub(
                "第二十条第（八）项",
                ["信息内容", "本年收费金额（单位：万元）"],
                [Row("行政事业性收费", [cell("active.fees.amount", float(s), s)], ["active.fees.amount"])],
            )
        )

    # ---- table 三
    table["now"] = "t3"
    other_split = layout == "std2021" and r.random() < 0.85
    legal_total = r.random() < 0.2
    subtotals = r.random() < 0.2
    cols = [*A, "legal_total", "total"] if legal_total else [*A, "total"]
    m.t3_cols = cols
    leaves: dict[str, dict[str, int]] = {}

    def leaf(key: str) -> dict[str, int]:
        v = {c: (_count(r, big=False) if r.random() < 0.5 else 0) for c in A}
        leaves[key] = v
        return v

    result_keys = ["result.granted", "result.partial"]
    for g, (_gl, items) in GROUPS.items():
        if g == "other" and not other_split:
            result_keys.append("result.other.total")
            continue
        result_keys += [f"result.{g}.{k}" for k, _ in items]
    for k in result_keys:
        leaf(k)
    total = {c: sum(leaves[k][c] for k in result_keys) for c in A}
    co = {c: _count(r, big=False) for c in A}
    fwd = {c: _count(r, big=False) for c in A}
    new = {}
    for c in A:
        new[c] = total[c] + fwd[c] - co[c]
        if new[c] < 0:
            co[c] -= new[c]
            new[c] = 0

    def row_of(key: str, label: str, vals: dict[str, int], **kw: object) -> Row:
        full = dict(vals)
        full["legal_total"] = sum(vals[c] for c in ORG)
        full["total"] = sum(vals[c] for c in A)
        ids = [f"app.{key}.{c}" for c in cols]
        printed = [cell(i, full[c]) for i, c in zip(ids, cols, strict=True)]
        if any(exp[i][0] == "blank" for i in ids):
            m.hole_rows.update(ids)
        return Row(label, printed, ids, **kw)  # type: ignore[arg-type]

    rows = [
        row_of("new", "一、本年新收政府信息公开申请数量", new),
        row_of("carried_over", "二、上年结转政府信息公开申请数量", co),
        row_of("result.granted", "（一）予以公开", leaves["result.granted"], results_header=True),
        row_of(
            "result.partial",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            leaves["result.partial"],
        ),
    ]
    for g, (glabel, items) in GROUPS.items():
        if g == "other" and not other_split:
            rows.append(row_of("result.other.total", glabel, leaves["result.other.total"]))
            continue
        if subtotals:
            sub = {c: sum(leaves[f"result.{g}.{k}"][c] for k, _ in items) for c in A}
            subkey = "result.other.total" if g == "other" else f"result.{g}.subtotal"
            rows.append(row_of(subkey, glabel, sub))
        for i, (k, label) in enumerate(items):
            if g == "other" and r.random() < 0.3:
                label = label.replace("、", "，")
            rows.append(
                row_of(
                    f"result.{g}.{k}",
                    label,
                    leaves[f"result.{g}.{k}"],
                    group=glabel if (i == 0 and not subtotals) else None,
                )
            )
    rows.append(row_of("result.total", "（七）总计", total))
    rows.append(row_of("carried_forward", "四、结转下年度继续办理", fwd))
    m.t3 = rows

    # ---- table 四
    table["now"] = "t4"
    t4: list[str] = []
    for b in T4_BLOCKS:
        parts = [_count(r, big=False) for _ in range(4)]
        for k, v in zip(T4_KEYS, [*parts, sum(parts)], strict=True):
            t4.append(cell(f"{b}.{k}", v))
    m.t4 = t4
    for mid in m.expected:
        assert mid in CATALOG, mid
    return m


# ---------------------------------------------------------------------------------------------------
# Rendering

PREAMBLE = "一、总体情况\n2019年，我局共收到政府信息公开申请12件，行政复议1件。\n\n二、主动公开政府信息情况\n本年主动公开信息45条。\n\n"
SEC3 = "\n三、收到和处理政府信息公开申请情况\n本年度共办理申请3件。\n\n"
SEC4 = "\n四、政府信息公开行政复议、行政诉讼情况\n本年度发生行政复议2件。\n\n"
SEC5 = "\n五、存在的主要问题及改进情况\n2020年，我们将继续努力。\n六、其他需要报告的事项\n无。\n"


def _t3_header(m: Model) -> list[str]:
    head = [
        NOTE,
        "申请人情况",
        "自然人",
        "法人或其他组织",
        "总计",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    return [*head, "小计"] if "legal_total" in m.t3_cols else head


def _t4_header() -> list[str]:
    return ["行政复议", "行政诉讼", *T4_HEAD, "未经复议直接起诉", "复议后起诉", *T4_HEAD, *T4_HEAD]


def _vertical(s: str) -> str:
    return "\n".join("\xa0 " + ch for ch in s)


def render_tab(m: Model, r: random.Random) -> str:
    """Seed-004 style: TAB-prefixed cells, blank line between rows, vertical header text."""
    out = [PREAMBLE, "\t主动公开政府信息情况\n\n"]
    for sub in m.t2:
        out.append(f"\t{sub.caption}\n\n")
        out.append("".join(f"\t{h}\n" for h in sub.header) + "\n")
        for row in sub.rows:
            out.append(f"\t{row.label}\n" + "".join(f"\t{v}\n" for v in row.values) + "\n")
    out.append(SEC3 + "\t收到和处理政府信息公开申请情况\n\n")
    head = _t3_header(m)
    out.append(f"\t{head[0]}\n\t{head[1]}\n\n\t\n\t自\n然\n人\n\t法人或其他组织\n\t总计\n\n\t\n\t\n")
    out.append("".join(f"\t{h}\n" for h in head[5:]) + "\t\n\n")
    for row in m.t3:
        cells: list[str] = []
        if row.results_header:
            cells += ["三、\n" + _vertical("本年度办理结果")]
        elif row.label.startswith(("（", "1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.")):
            cells.append("")
        if row.group:
            cells.append(row.group[:3] + "\n" + _vertical(row.group[3:]))
        elif row.label[0].isdigit():
            cells.append("")
        cells.append(row.label)
        out.append("".join(f"\t{c}\n" for c in [*cells, *row.values]) + "\n")
    out.append(SEC4 + "\t政府信息公开行政复议、行政诉讼情况\n\n\t行政复议\n\t行政诉讼\n\n")
    out.append("".join(f"\t{_vertical(h)}\n" for h in T4_HEAD) + "\t未经复议直接起诉\n\t复议后起诉\n\n")
    out.append("\t\n" * 5 + "".join(f"\t{_vertical(h)}\n" for h in T4_HEAD * 2) + "\n")
    out.append("".join(f"\t{v}\n" for v in m.t4) + "\n" + SEC5)
    return "".join(out)


def _rows_flat(
    m: Model, with_groups: bool = True
) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    """Tables as lists of printed rows (label cells + values)."""
    t2: list[list[str]] = []
    for sub in m.t2:
        t2.append([sub.caption])
        t2.append(sub.header)
        t2 += [[row.label, *row.values] for row in sub.rows]
    t3: list[list[str]] = [_t3_header(m)]
    for row in m.t3:
        lead = []
        if row.results_header:
            lead.append("三、本年度办理结果")
        if row.group and with_groups:
            lead.append(row.group)
        t3.append([*lead, row.label, *row.values])
    t4 = [_t4_header(), m.t4]
    return t2, t3, t4


def render_lines(m: Model, r: random.Random) -> str:
    """One cell per line (single newlines or blank lines between cells)."""
    sep = r.choice(["\n", "\n\n"])
    t2, t3, t4 = _rows_flat(m)
    body = lambda rows: sep.join(c for row in rows for c in row) + "\n"  # noqa: E731
    return PREAMBLE + body(t2) + SEC3 + body(t3) + SEC4 + body(t4) + SEC5


def render_pipes(m: Model, r: random.Random) -> str:
    """Markdown-like rows: ``| a | b | c |`` (r039, r057, r072)."""
    t2, t3, t4 = _rows_flat(m)
    body = lambda rows: "".join("| " + " | ".join(row) + " |\n" for row in rows)  # noqa: E731
    return PREAMBLE + body(t2) + SEC3 + body(t3) + SEC4 + body(t4) + SEC5


def render_tsv(m: Model, r: random.Random) -> str:
    """HTML-to-text converters: one row per line, TAB between cells (KIROGOVCOMPARE's [TABLE_START] dumps)."""
    t2, t3, t4 = _rows_flat(m)
    body = lambda rows: "[TABLE_START]\n" + "".join("\t".join(row) + "\n" for row in rows) + "[TABLE_END]\n"  # noqa: E731
    return PREAMBLE + body(t2) + SEC3 + body(t3) + SEC4 + body(t4) + SEC5


def render_markdown(m: Model, r: random.Random) -> str:
    """Markdown tables (``|---|`` under each header row); caption rows are sometimes left out."""
    t2, t3, t4 = _rows_flat(m)
    drop_captions = r.random() < 0.5

    def body(rows: list[list[str]]) -> str:
        out = []
        for row in rows:
            if drop_captions and len(row) == 1 and row[0].startswith("第二十条"):
                continue
            out.append("| " + " | ".join(row) + " |\n")
            if row[0] in ("信息内容", NOTE, "行政复议"):
                out.append("|" + "---|" * len(row) + "\n")
        return "".join(out)

    return PREAMBLE + body(t2) + SEC3 + body(t3) + SEC4 + body(t4) + SEC5


def render_pipe_lines(m: Model, r: random.Random) -> str:
    """A ``|`` line between cells and no row breaks (web dumps, r028)."""
    t2, t3, t4 = _rows_flat(m)
    body = lambda rows: "\n|\n".join(c for row in rows for c in row) + "\n|\n"  # noqa: E731
    return PREAMBLE + body(t2) + SEC3 + body(t3) + SEC4 + body(t4) + SEC5


def render_squeezed(m: Model, r: random.Random) -> str:
    """Each row squeezed onto one line with single spaces (or whole tables on one line)."""
    t2, t3, t4 = _rows_flat(m)
    end = r.choice(["\n", " "])
    body = lambda rows: end.join(" ".join(row) for row in rows) + "\n"  # noqa: E731
    return PREAMBLE + body(t2) + SEC3 + body(t3) + SEC4 + body(t4) + SEC5


def render_layout(m: Model, r: random.Random) -> str:
    """``pdftotext -layout``: aligned columns, long labels wrapped around the values line, blanks as spaces."""
    width = 9

    def line(label: str, values: list[str]) -> str:
        head, rest = (label[:14], label[14:]) if len(label) > 16 else (label, "")
        vals = "".join(v.ljust(width) for v in values).rstrip()
        s = "   " + head.ljust(20, "\u3000") + "  " + vals + "\n"
        return s + (f"      {rest}\n" if rest else "")

    out = [PREAMBLE]
    for sub in m.t2:
        out.append(f"          {sub.caption}\n\n")
        out.append("   " + "   ".join(sub.header) + "\n\n")
        out += [line(row.label, row.values) + "\n" for row in sub.rows]
    out.append(SEC3 + "                申请人情况\n" + NOTE + "\n       自然人   法人或其他组织   总计\n")
    out.append("          " + "  ".join(_t3_header(m)[5:]) + "\n\n")
    for row in m.t3:
        if row.group:
            out.append(f"   {row.group}\n")
        out.append(line(row.label, row.values))
    out.append(
        SEC4 + "      行政复议                 行政诉讼\n              未经复议直接起诉      复议后起诉\n"
    )
    out.append("  ".join(T4_HEAD * 3) + "\n\n")
    out.append("   " + "".join(v.ljust(6) for v in m.t4).rstrip() + "\n" + SEC5)
    return "".join(out)


def render_pdftotext(m: Model, r: random.Random) -> str:
    """Plain ``pdftotext`` output: one cell per paragraph, labels displaced, a column-major block.

    Some labels are printed after their values and one run of table-三 rows is printed column by column
    (as in r001–r003).
    """
    t2, _t3, t4 = _rows_flat(m)
    out = [PREAMBLE, "\n\n".join(c for row in t2 for c in row), "\n\n", SEC3]
    out.append("\n\n".join(_t3_header(m)) + "\n\n")
    rows = m.t3
    n = len(rows)
    i0 = r.randint(2, n - 4)
    k = r.randint(2, min(6, n - 2 - i0))
    pending: list[str] = []
    i = 0
    while i < n:
        if i == i0:
            block = rows[i : i + k]
            width = len(block[0].values)
            out.append("\n\n".join("\n".join(row.values[c] for row in block) for c in range(width)) + "\n\n")
            pending += [row.label for row in block]
            i += k
            continue
        row = rows[i]
        if r.random() < 0.15:
            out.append("\n\n".join(row.values) + "\n\n")
            pending.append(row.label)
        else:
            out.append(row.label + "\n\n" + "\n\n".join(row.values) + "\n\n")
        if pending and r.random() < 0.5:
            out.append("\n".join(pending) + "\n\n")
            pending = []
        i += 1
    out.append("\n".join(pending) + "\n\n")
    head = _t4_header()
    out.append(
        SEC4 + "\n".join(head[:8]) + "\n\n" + "\n\n".join(m.t4[:14]) + "\n\n总计\n\n" + m.t4[14] + "\n"
    )
    return "".join(out) + SEC5


def render_glued(m: Model, r: random.Random) -> str:
    """Crawler text: cells concatenated without separators, now and then a stray space."""

    def join(cells: list[str]) -> str:
        return "".join(c + (" " if r.random() < 0.1 else "") for c in cells)

    t2, t3, t4 = _rows_flat(m)
    return (
        PREAMBLE.replace("\n", "")
        + join([c for row in t2 for c in row])
        + SEC3.replace("\n", "")
        + join([c for row in t3 for c in row])
        + SEC4.replace("\n", "")
        + join(t4[0])
        + join(t4[1])
        + SEC5.replace("\n", "")
    )


RENDERERS = {
    "tab": render_tab,
    "lines": render_lines,
    "pipes": render_pipes,
    "pipe_lines": render_pipe_lines,
    "tsv": render_tsv,
    "markdown": render_markdown,
    "squeezed": render_squeezed,
    "layout": render_layout,
    "pdftotext": render_pdftotext,
    "glued": render_glued,
}
EXPLICIT = {"tab", "pipes", "pipe_lines", "tsv", "markdown"}  # blank cells survive the flattening
