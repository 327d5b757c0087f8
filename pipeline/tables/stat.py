"""The stat2014 national statistics table and the older provincial tables, in every flattening.

Entry points:
- ``parse_stat_tables(text, layout) -> TableParse``: one ``Cell`` per value cell, mapped to its metric id.
- ``locate_stat_tables(norm) -> list[(start, end)]``: where the tables are (segmentation and the narrative
  extractor skip them).

Two table families (formats.md §1.2, §2):
- ``stat2014``: 《政府信息公开情况统计表》 of 国办发〔2014〕32号 (统计指标 / 单位 / 统计数), rows → ``stat.*``.
  Rows are found by their known labels in template order, section by section (四/五/六 decide which
  维持具体行政行为数 / 其他情形数 a row is), so tab cells, one cell per line, space-separated and glued
  flattenings all read the same way.
- ``prov``: provincial tables (Fujian 指标名称 / 计量单位 / 本年度 / 历年累计, one-column 年末统计 variants, the
  2009/2010 Shanghai-style rows), rows → ``narr.*``; the 历年累计 column maps to a ``*_cumulative`` id where the
  catalog has one and is otherwise kept as an unmapped cell.

Labels are located on a whitespace-free view of the text; the value cells are read from the original spacing
between two labels. A digit run that holds two glued cells (主动公开文件数条346085376) is split by the table's
own constraints: no leading zeros, cumulative ≥ year value, parts ≤ / = their total, and the narrative of the
same report when it states the year value. Exactly one reading → cells with ``decided_by``; several → no value,
status ``ambiguous`` and a ``SPLIT-AMBIGUOUS`` check. A label numeral glued to the digits (…数条0182.传真) is
taken by the next label, whose numbering is part of its pattern.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.numbers import NULL_MARKERS, parse_cell
from pipeline.records import Cell, Check
from pipeline.tables import TableParse
from pipeline.text import strip_ws
from pipeline.textview import compact_of, normalized

UNITS = ("人次", "万元", "条", "件", "次", "篇", "个", "人", "元", "份", "项")
_UNIT_PREFIX = re.compile(rf"^\(?(?:{'|'.join(UNITS)})\)?")  # 条 / (条) printed as a cell or after a label
_NUM_TOKEN = re.compile(r"^\d+(?:\.\d+)?$")


# --------------------------------------------------------------------------------------------------
# Row specifications


@dataclass(frozen=True)
class RowSpec:
    """One template row: its label pattern (compact, no numbering), expected numbering and metric ids."""

    label: str  # regex on the compact normalised text
    metric: str | None
    prefix: str = ""  # expected numbering regex, e.g. r"\(一\)", r"1[.、．]", r"一[、.．]"
    cum_metric: str | None = None
    has_value: bool = True


def _num(n: int) -> str:
    return rf"{n}[.、．]"


def _cn(n: str) -> str:
    return rf"\({n}\)"


def _sec(n: str) -> str:
    return rf"{n}[、.．]"


_PAREN = r"(?:\([^()]{0,40}\))?"  # an optional parenthetical explanation printed after a label

# stat2014: (section row, rows) in template order. Section rows carry the 四/五/六 context.
STAT2014: list[tuple[RowSpec, list[RowSpec]]] = [
    (
        RowSpec("主动公开情况", None, _sec("一"), has_value=False),
        [
            RowSpec(r"主动公开政府信息数" + _PAREN, "stat.active.items", _cn("一")),
            RowSpec(r"主动公开规范性文件数", "stat.active.normative_docs_published", r"其中:?"),
            RowSpec(r"制发规范性文件总数", "stat.active.normative_docs_issued"),
            RowSpec(r"通过不同渠道和方式公开政府信息的情况", None, _cn("二"), has_value=False),
            RowSpec(r"政府公报公开政府信息数", "stat.active.channel.gazette", _num(1)),
            RowSpec(r"政府网站公开政府信息数", "stat.active.channel.website", _num(2)),
            RowSpec(r"政务微博公开政府信息数", "stat.active.channel.weibo", _num(3)),
            RowSpec(r"政务微信公开政府信息数", "stat.active.channel.wechat", _num(4)),
            RowSpec(r"其他方式公开政府信息数", "stat.active.channel.other", _num(5)),
        ],
    ),
    (
        RowSpec("回应解读情况", None, _sec("二"), has_value=False),
        [
            RowSpec(r"回应公众关注热点或重大舆情数" + _PAREN, "stat.response.hotspots", _cn("一")),
            RowSpec(r"通过不同渠道和方式回应解读的情况", None, _cn("二"), has_value=False),
            RowSpec(r"参加或举办新闻发布会总次数", "stat.response.press_conferences", _num(1)),
            RowSpec(
                r"主要负责同志参加新闻发布会次数", "stat.response.press_conferences_principal", r"其中:?"
            ),
            RowSpec(r"政府网站在线访谈次数", "stat.response.online_interviews", _num(2)),
            RowSpec(
                r"主要负责同志参加政府网站在线访谈次数",
                "stat.response.online_interviews_principal",
                r"其中:?",
            ),
            RowSpec(r"政策解读稿件发布数", "stat.response.interpretations", _num(3)),
            RowSpec(r"微博微信回应事件数", "stat.response.weibo_wechat_events", _num(4)),
            RowSpec(r"其他方式回应事件数", "stat.response.other_events", _num(5)),
        ],
    ),
    (
        RowSpec("依申请公开情况", None, _sec("三"), has_value=False),
        [
            RowSpec(r"收到申请数", "stat.app.received", _cn("一")),
            RowSpec(r"当面申请数", "stat.app.channel.in_person", _num(1)),
            RowSpec(r"传真申请数", "stat.app.channel.fax", _num(2)),
            RowSpec(r"(?:网络|网上)申请数", "stat.app.channel.online", _num(3)),
            RowSpec(r"信函申请数", "stat.app.channel.letter", _num(4)),
            RowSpec(r"其他形式(?:申请数)?", "stat.app.channel.other", _num(5)),
            RowSpec(r"申请办结数", "stat.app.closed", _cn("二")),
            RowSpec(r"按时办结数", "stat.app.closed.on_time", _num(1)),
            RowSpec(r"延期办结数", "stat.app.closed.extended", _num(2)),
            RowSpec(r"申请答复数", "stat.app.replies", _cn("三")),
            RowSpec(r"属于已主动公开范围数", "stat.app.replies.already_public", _num(1)),
            RowSpec(r"同意公开答复数", "stat.app.replies.granted", _num(2)),
            RowSpec(r"同意部分公开答复数", "stat.app.replies.partial", _num(3)),
            RowSpec(r"不同意公开答复数", "stat.app.replies.denied", _num(4)),
            RowSpec(r"涉及国家秘密", "stat.app.replies.denied.state_secret", r"其中:?"),
            RowSpec(r"涉及商业秘密", "stat.app.replies.denied.commercial_secret"),
            RowSpec(r"涉及个人隐私", "stat.app.replies.denied.privacy"),
            RowSpec(
                r"危及国家安全[、,]?公共安全[、,]?经济安全和社会稳定",
                "stat.app.replies.denied.security_stability",
            ),
            RowSpec(r"不是《条例》所指政府信息", "stat.app.replies.denied.not_gov_info"),
            RowSpec(r"法律法规规定的其他情形", "stat.app.replies.denied.other_legal"),
            RowSpec(r"不属于本行政机关公开数", "stat.app.replies.not_this_agency", _num(5)),
            RowSpec(r"申请信息不存在数", "stat.app.replies.not_exist", _num(6)),
            RowSpec(r"告知作出更改补充数", "stat.app.replies.correction_requested", _num(7)),
            RowSpec(r"告知通过其他途径办理数", "stat.app.replies.other_channel", _num(8)),
        ],
    ),
    (
        RowSpec("行政复议数量", "stat.review.total", _sec("四")),
        [
            RowSpec(r"维持具体行政行为数", "stat.review.maintained", _cn("一")),
            RowSpec(r"被依法纠错数", "stat.review.corrected", _cn("二")),
            RowSpec(r"其他情形数", "stat.review.other", _cn("三")),
        ],
    ),
    (
        RowSpec("行政诉讼数量", "stat.litigation.total", _sec("五")),
        [
            RowSpec(r"维持具体行政行为或者驳回原告诉讼请求数", "stat.litigation.maintained", _cn("一")),
            RowSpec(r"被依法纠错数", "stat.litigation.corrected", _cn("二")),
            RowSpec(r"其他情形数", "stat.litigation.other", _cn("三")),
        ],
    ),
    (
        RowSpec("(?:被)?举报投诉数量", "stat.complaint.total", _sec("六")),
        [
            RowSpec(r"维持具体行政行为数", "stat.complaint.maintained", _cn("一")),
            RowSpec(r"被(?:依法)?纠错数", "stat.complaint.corrected", _cn("二")),
            RowSpec(r"其他情形数", "stat.complaint.other", _cn("三")),
        ],
    ),
    (
        RowSpec("向图书馆[、,]?档案馆等查阅场所报送信息数", "stat.archive.items", _sec("七")),
        [
            RowSpec(r"纸质文件数", "stat.archive.paper", _cn("一")),
            RowSpec(r"电子文件数", "stat.archive.electronic", _cn("二")),
        ],
    ),
    (RowSpec("依申请公开信息收取的费用", "stat.fees.collected", _sec("八")), []),
    (
        RowSpec("机构建设和保障经费情况", None, _sec("九"), has_value=False),
        [
            RowSpec(r"政府信息公开工作专门机构数", "stat.org.units", _cn("一")),
            RowSpec(r"设置政府信息公开查阅点数", "stat.org.reading_points", _cn("二")),
            RowSpec(r"从事政府信息公开工作人员数", "stat.org.staff", _cn("三")),
            RowSpec(r"专职人员数" + _PAREN, "stat.org.staff.full_time", _num(1)),
            RowSpec(r"兼职人员数", "stat.org.staff.part_time", _num(2)),
            RowSpec(r"政府信息公开专项经费" + _PAREN, "stat.org.budget", _cn("四")),
        ],
    ),
    (
        RowSpec("政府信息公开会议和培训情况", None, _sec("十"), has_value=False),
        [
            RowSpec(r"召开政府信息公开工作会议或专题会议数", "stat.training.meetings", _cn("一")),
            RowSpec(r"举办各类培训班数", "stat.training.courses", _cn("二")),
            RowSpec(r"接受培训人员数", "stat.training.trainees", _cn("三")),
        ],
    ),
]

# Provincial tables: row vocabulary (any order). Longest labels are tried first.
PROV_ROWS: list[RowSpec] = [
    RowSpec(r"全文电子化的主动公开信息数", "narr.active.fulltext_items"),
    RowSpec(
        r"主动公开(?:政府)?(?:信息|文件)数", "narr.active.items", cum_metric="narr.active.items_cumulative"
    ),
    RowSpec(r"(?:政府)?网站公开(?:数|信息数)?", "narr.active.channel.website"),
    RowSpec(r"政府公报公开(?:数|信息数)?", "narr.active.channel.gazette"),
    RowSpec(r"新增的(?:行政)?规范性文件数", "narr.active.normative_docs"),
    RowSpec(r"网站专栏页面访问量", "narr.website.visits"),
    RowSpec(r"现场接待人数", "narr.reading.visitors"),
    RowSpec(r"网上咨询数", "narr.consult.online"),
    RowSpec(r"咨询电话接听数", "narr.consult.phone"),
    RowSpec(r"依申请公开信息目录数", None),
    RowSpec(
        r"受理(?:政府信息)?依申请公开(?:信息)?总数|受理政府信息公开申请总数|申请总数",
        "narr.app.received",
        cum_metric="narr.app.received_cumulative",
    ),
    RowSpec(r"当面申请数", "narr.app.channel.in_person"),
    RowSpec(r"信函[、,]传真申请数", "narr.app.channel.letter_fax"),
    RowSpec(r"传真申请数", "narr.app.channel.fax"),
    RowSpec(r"电子邮件申请数", "narr.app.channel.email"),
    RowSpec(r"(?:网上|网络)申请数", "narr.app.channel.online"),
    RowSpec(r"信函申请数", "narr.app.channel.letter"),
    RowSpec(r"其[它他]形式申请数", "narr.app.channel.other"),
    RowSpec(r"对申请的答复(?:总)?数", "narr.app.answered"),
    RowSpec(r"同意部分公开答复数", "narr.app.partial"),
    RowSpec(r"同意公开答复数", "narr.app.granted"),
    RowSpec(r"(?:否决|不予|不同意)公开答复(?:总)?数", "narr.app.withheld"),
    RowSpec(r"其他类型答复数", "narr.app.other_reply"),
    RowSpec(r"\"?非《规定》所指政府信息\"?数", "narr.app.not_gov_info"),
    RowSpec(r"\"?信息不存在\"?数", "narr.app.not_exist"),
    RowSpec(r"\"?非本部门掌握\"?数", "narr.app.not_this_agency"),
    RowSpec(r"\"?申请内容不明确\"?数", "narr.app.unclear"),
    RowSpec(r"\"?免予公开范围\d{0,2}\"?数", None),
    RowSpec(r"其[它他]原因", None),
    RowSpec(r"提供服务类信息数", None),
    RowSpec(r"对本部门首次处理不满意的行政申诉数", None),
    RowSpec(r"政府信息公开收费减免金额", "narr.fees.charged_or_waived"),
    RowSpec(r"(?:接受)?行政(?:申诉|申述|诉讼)[、,]举报数", "narr.appeal_complaint.count"),
    RowSpec(r"行政复议数", "narr.review.count"),
    RowSpec(r"行政诉讼数", "narr.litigation.count"),
    RowSpec(r"行政申诉数", "narr.appeal.count"),
]

# Parent rows and their parts (provincial): "le" = every part ≤ the total, "sum" = parts add up to it.
PROV_GROUPS: list[tuple[str, tuple[str, ...], str]] = [
    ("narr.active.items", ("narr.active.channel.website", "narr.active.channel.gazette"), "le"),
    ("narr.active.items", ("narr.active.fulltext_items",), "le"),
    (
        "narr.app.received",
        (
            "narr.app.channel.in_person",
            "narr.app.channel.fax",
            "narr.app.channel.email",
            "narr.app.channel.online",
            "narr.app.channel.letter",
            "narr.app.channel.letter_fax",
            "narr.app.channel.other",
        ),
        "sum",
    ),
    (
        "narr.app.answered",
        ("narr.app.granted", "narr.app.partial", "narr.app.withheld", "narr.app.other_reply"),
        "sum",
    ),
    (
        "narr.app.withheld",
        ("narr.app.not_gov_info", "narr.app.not_exist", "narr.app.not_this_agency", "narr.app.unclear"),
        "le",
    ),
]

_PROV_PREFIX = r"(?:其中[:：]?\d?)?(?:\d[.、．]|\(\d{1,2}\))?"
_PROV_ALT = re.compile(
    _PROV_PREFIX + "(?:" + "|".join(f"(?P<r{i}>{spec.label})" for i, spec in enumerate(PROV_ROWS)) + ")"
)
_STAT_HEADER = re.compile(r"统计指标|指标名称|一[、.．]主动公开情况(?=.{0,40}主动公开政府信息数)")
_PROV_HEADER = re.compile(r"指标名称")
_TITLE_BEFORE = re.compile(r"(?:附(?:件|表)?\d*[:：]?)?[^。:：]{0,40}?(?:统计表|统计数据)$")


# --------------------------------------------------------------------------------------------------
# Locating rows


@dataclass
class _Row:
    spec: RowSpec
    label_c: tuple[int, int]  # compact span of the label (numbering included)
    seg: tuple[int, int] = (0, 0)  # normalised span of the value segment
    label_raw: str = ""
    label_span: tuple[int, int] = (0, 0)  # normalised span of the label


@dataclass
class _Table:
    kind: str  # stat2014 | prov
    start: int  # normalised offset (title or header)
    end: int
    ncols: int
    col_labels: list[str]
    rows: list[_Row] = field(default_factory=list)
    roles: list[str] = field(default_factory=lambda: ["year"])
    code_col: bool = False  # a 代码 column (01, 02 …) precedes the values


def _norm_span(idx: list[int], a: int, b: int, n_norm: int) -> tuple[int, int]:
    """Normalised span of compact [a, b) (b may be len(compact))."""
    s = idx[a] if a < len(idx) else n_norm
    e = idx[b - 1] + 1 if b > a else s
    return s, e


def _segment_end(idx: list[int], next_c: int | None, n_norm: int) -> int:
    return idx[next_c] if next_c is not None and next_c < len(idx) else n_norm


def _find_stat2014(compact: str, idx: list[int], norm: str) -> _Table | None:
    hm = _STAT_HEADER.search(compact)
    if not hm:
        return None
    cursor = hm.end()
    # Section rows first (bounded search keeps the three 其他情形数 rows apart).
    found_secs: list[tuple[RowSpec, list[RowSpec], re.Match[str]]] = []
    for sec, rows in STAT2014:
        m = re.compile(f"(?:{sec.prefix})?{sec.label}").search(compact, cursor)
        if m and m.start() - cursor < 4000:
            found_secs.append((sec, rows, m))
            cursor = m.end()
    if len(found_secs) < 3:
        return None
    rows_out: list[_Row] = []
    for k, (sec, rows, m) in enumerate(found_secs):
        rows_out.append(_Row(sec, (m.start(), m.end())))
        bound = found_secs[k + 1][2].start() if k + 1 < len(found_secs) else len(compact)
        cur = m.end()
        for spec in rows:
            rm = re.compile(f"(?:{spec.prefix})?{spec.label}").search(compact, cur, bound)
            if rm:
                rows_out.append(_Row(spec, (rm.start(), rm.end())))
                cur = rm.end()
    start = _table_start(compact, idx, hm.start(), len(norm))
    t = _Table("stat2014", start, len(norm), 1, ["统计数"], rows_out)
    _fill_segments(t, compact, idx, norm, stop_at=None)
    return t


def _table_start(compact: str, idx: list[int], anchor_c: int, n_norm: int) -> int:
    tm = _TITLE_BEFORE.search(compact, max(0, anchor_c - 60), anchor_c)
    a = tm.start() if tm else anchor_c
    return idx[a] if a < len(idx) else n_norm


_YEAR_COL = re.compile(r"\d{4}年度?|本年度|本年")


def _prov_columns(header: str) -> tuple[list[str], list[str], bool]:
    """Value-column labels, their roles and whether a 代码 column precedes them, from the header text.

    Roles: ``year`` (the report year's figure), ``cum`` (历年累计, since the start), ``period`` (本期实际 of a
    monthly/quarterly template whose 本年累计 column is the year's figure).
    """
    h = re.sub(r"[\s|]+", "", header)
    code_col = "代码" in h
    if "历年累计" in h or ("累计" in h and "本年累计" not in h):
        m = _YEAR_COL.search(h)
        return [m.group() if m else "本年度", "历年累计"], ["year", "cum"], code_col
    if "本年累计" in h:
        return ["本期实际", "本年累计"], ["period", "year"], code_col
    m = _YEAR_COL.search(h)
    return [m.group() if m else ("年末统计" if "年末统计" in h else "本年度")], ["year"], code_col


def _find_prov(compact: str, idx: list[int], norm: str) -> list[_Table]:
    tables: list[_Table] = []
    for hm in _PROV_HEADER.finditer(compact):
        first = _PROV_ALT.search(compact, hm.end())
        if not first or first.start() - hm.end() > 30:
            continue
        col_labels, roles, code_col = _prov_columns(compact[hm.start() : first.start()])
        ncols = len(col_labels)
        rows: list[_Row] = []
        pos = first.start()
        while True:
            m = _PROV_ALT.match(compact, pos) if rows == [] else _PROV_ALT.search(compact, pos)
            if not m:
                break
            if rows:
                gap = compact[rows[-1].label_c[1] : m.start()]
                if not _plausible_gap(gap):
                    break
            spec = next(PROV_ROWS[i] for i in range(len(PROV_ROWS)) if m.group(f"r{i}") is not None)
            rows.append(_Row(spec, (m.start(), m.end())))
            pos = m.end()
        if len(rows) < 3:
            continue
        t = _Table(
            "prov", _table_start(compact, idx, hm.start(), len(norm)), len(norm), ncols, col_labels, rows
        )
        t.roles, t.code_col = roles, code_col
        _fill_segments(t, compact, idx, norm, stop_at=None)
        tables.append(t)
    return tables


_GAP = re.compile(rf"^\|*(?:{'|'.join(UNITS)})?[\d.\-/—无|]*$")
_TOKEN = re.compile(r"[^\s|]+")  # cells are separated by whitespace or markdown pipes


def _plausible_gap(gap: str) -> bool:
    """Between two row labels there is only a unit and value digits (else the table has ended)."""
    return bool(_GAP.match(gap)) and len(gap) <= 24


def _fill_segments(t: _Table, compact: str, idx: list[int], norm: str, stop_at: int | None) -> None:
    """Set each row's value segment (normalised span between its label and the next) and the table end."""
    n = len(norm)
    for i, r in enumerate(t.rows):
        a, b = _norm_span(idx, r.label_c[0], r.label_c[1], n)
        r.label_raw = strip_ws(norm[a:b])
        r.label_span = (a, b)
        nxt = t.rows[i + 1].label_c[0] if i + 1 < len(t.rows) else None
        r.seg = (b, _segment_end(idx, nxt, n))
    if t.rows:
        last = t.rows[-1]
        toks = _tokens(norm, last.seg[0], last.seg[1], t.ncols + t.code_col)
        t.end = toks[-1][1] if toks else last.seg[0]
        last.seg = (last.seg[0], t.end)


def _tokens(norm: str, a: int, b: int, ncols: int) -> list[tuple[int, int, str]]:
    """Unit and value tokens of a segment: (start, end, text), stopping at the first non-value token."""
    out: list[tuple[int, int, str]] = []
    for m in _TOKEN.finditer(norm, a, b):
        tok = m.group()
        s, e = m.start(), m.end()
        if not out:
            um = _UNIT_PREFIX.match(tok)
            if um:
                out.append((s, s + um.end(), um.group().strip("()")))
                tok = tok[um.end() :]
                s += um.end()
                if not tok:
                    continue
        if not (_NUM_TOKEN.match(tok) or tok in NULL_MARKERS):
            break
        out.append((s, e, tok))
        if sum(1 for x in out if x[2] not in UNITS) > ncols:
            break
    return out


@lru_cache(maxsize=16)
def _find_tables(norm: str) -> tuple[_Table, ...]:
    if "指" not in norm and "统" not in norm:
        return ()
    compact, idx = compact_of(norm)
    tables: list[_Table] = []
    t = _find_stat2014(compact, idx, norm)
    if t:
        tables.append(t)
    for p in _find_prov(compact, idx, norm):
        if not any(p.start < x.end and x.start < p.end for x in tables):
            tables.append(p)
    return tuple(sorted(tables, key=lambda x: x.start))


def locate_stat_tables(norm: str) -> list[tuple[int, int]]:
    """Spans (normalised = original offsets) of the statistics tables of a report."""
    return [(t.start, t.end) for t in _find_tables(norm)]


# --------------------------------------------------------------------------------------------------
# Reading cells


@dataclass
class _RowValues:
    """Candidate readings of one row: tuples of raw cell strings (None = blank), one per column."""

    row: _Row
    row_no: int
    unit: str | None
    spans: list[tuple[int, int]]  # normalised spans of the value tokens
    candidates: list[tuple[str | None, ...]]
    reasons: list[str] = field(default_factory=list)
    glued: bool = False


def _valid_part(s: str) -> bool:
    return s == "0" or (s[:1] != "0" and s != "")


def _splits(d: str) -> list[tuple[str | None, ...]]:
    """All two-cell readings of a glued digit run without leading zeros."""
    return [(d[:i], d[i:]) for i in range(1, len(d)) if _valid_part(d[:i]) and _valid_part(d[i:])]


def _read_row(t: _Table, r: _Row, row_no: int, norm: str) -> _RowValues:
    toks = _tokens(norm, r.seg[0], r.seg[1], t.ncols + t.code_col)
    unit = toks[0][2] if toks and toks[0][2] in UNITS else None
    vals = [x for x in toks if x[2] not in UNITS]
    if t.code_col and vals:
        vals = vals[1:]  # the row's code (01, 02 …) is not a value
    spans = [(x[0], x[1]) for x in vals]
    raw = [x[2] for x in vals]
    rv = _RowValues(r, row_no, unit, spans, [])
    if t.ncols == 1 or not r.spec.has_value:
        rv.candidates = [(raw[0],)] if raw else [(None,)]
        if len(raw) > 1:
            rv.candidates = []  # more values than columns: not this template
            rv.reasons.append("extra-values")
    elif len(raw) == 2:
        rv.candidates = [(raw[0], raw[1])]
    elif len(raw) == 1 and _NUM_TOKEN.match(raw[0]) and len(raw[0]) >= 2 and "." not in raw[0]:
        rv.glued = True
        rv.candidates = _splits(raw[0])
    elif len(raw) == 1:
        rv.candidates = [(raw[0], None), (None, raw[0])]
        rv.reasons.append("one-value-two-columns")
    elif not raw:
        rv.candidates = [(None, None)]
    else:
        rv.candidates = []
        rv.reasons.append("extra-values")
    return rv


def _val(s: str | None) -> float | None:
    if s is None or s in NULL_MARKERS:
        return None
    return parse_cell(s).value


def _filter(rv: _RowValues, keep, reason: str) -> None:
    """Keep the candidates satisfying ``keep`` (only when at least one does); record the reason."""
    kept = [c for c in rv.candidates if keep(c)]
    if kept and len(kept) < len(rv.candidates):
        rv.candidates = kept
        rv.reasons.append(reason)


def _cum_ge_year(c: tuple[str | None, ...]) -> bool:
    y, cu = _val(c[0]), _val(c[1]) if len(c) > 1 else None
    return y is None or cu is None or cu >= y


def _apply_groups(by_metric: dict[str, _RowValues], ncols: int) -> None:
    """Narrow glued rows by parent/part relations (arc consistency over each group, 3 passes)."""
    for _ in range(3):
        changed = False
        for parent, parts, kind in PROV_GROUPS:
            if parent not in by_metric:
                continue
            members = [by_metric[parent]] + [by_metric[p] for p in parts if p in by_metric]
            if len(members) < 2 or not any(len(m.candidates) > 1 for m in members):
                continue
            n_combos = 1
            for m in members:
                n_combos *= max(1, len(m.candidates))
            if n_combos > 50_000 or any(not m.candidates for m in members):
                continue
            ok: list[tuple] = []
            for combo in itertools.product(*[m.candidates for m in members]):
                if _group_ok(combo, kind, ncols):
                    ok.append(combo)
            if not ok:
                continue
            for k, m in enumerate(members):
                allowed = {combo[k] for combo in ok}
                if len(allowed) < len(m.candidates):
                    m.candidates = [c for c in m.candidates if c in allowed]
                    m.reasons.append("parts=total" if kind == "sum" else "parts<=total")
                    changed = True
        if not changed:
            break


def _group_ok(combo: tuple, kind: str, ncols: int) -> bool:
    parent, parts = combo[0], combo[1:]
    for col in range(ncols):
        pv = _val(parent[col])
        vs = [_val(p[col]) for p in parts]
        if pv is None:
            continue
        known = [v for v in vs if v is not None]
        if any(v > pv for v in known):
            return False
        if kind == "sum" and len(known) == len(vs) and abs(sum(known) - pv) > 1e-9:
            return False
    return True


def _narrative_values(text: str) -> dict[str, float]:
    """Exact narrative values of the same report (used to split glued cells)."""
    from pipeline.narrative import extract_narrative
    from pipeline.records import ReportMeta
    from pipeline.segment import segment

    out: dict[str, float] = {}
    for m in extract_narrative(text, segment(text, None), ReportMeta()):
        if m.qualifier == "exact" and m.metric_id not in out:
            out[m.metric_id] = m.value
    return out


def _cells_of(t: _Table, rv: _RowValues, table_id: str, text: str) -> tuple[list[Cell], list[Check]]:
    spec = rv.row.spec
    by_role = {"year": spec.metric, "cum": spec.cum_metric, "period": None}
    metrics = [by_role[r] for r in t.roles] if t.kind == "prov" else [spec.metric]
    cells: list[Cell] = []
    checks: list[Check] = []
    decided = None
    if rv.glued and len(rv.candidates) == 1:
        decided = "split:" + ("+".join(rv.reasons) if rv.reasons else "unique")
    elif rv.reasons and len(rv.candidates) == 1 and "one-value-two-columns" not in rv.reasons:
        decided = "+".join(rv.reasons)
    ambiguous = len(rv.candidates) != 1
    if ambiguous and rv.candidates:
        readings = " | ".join("/".join(x if x is not None else "blank" for x in c) for c in rv.candidates)
        checks.append(
            Check(
                rule_id="SPLIT-AMBIGUOUS",
                status="ambiguous",
                strength="hard",
                severity="warning",
                scope=f"{table_id} row {rv.row_no} {rv.row.label_raw}",
                metric_ids=[m for m in metrics if m],
                message=f"readings: {readings}",
            )
        )
    span_all = (rv.spans[0][0], rv.spans[-1][1]) if rv.spans else rv.row.seg
    for col in range(t.ncols):
        raw = None if ambiguous else rv.candidates[0][col] if rv.candidates else None
        if ambiguous:
            status, value = ("ambiguous" if rv.candidates else "unparsed"), None
        elif raw is None:
            status, value = "blank", None
        elif raw in NULL_MARKERS:
            status, value = "null_marker", None
        else:
            pc = parse_cell(raw)
            status, value = ("ok", pc.value) if pc.value is not None else ("unparsed", None)
        if rv.glued or ambiguous:
            cs, ce = span_all
        elif len(rv.spans) == t.ncols:
            cs, ce = rv.spans[col]
        elif rv.spans and raw is not None:
            cs, ce = rv.spans[0]
        else:
            cs, ce = rv.row.label_span  # blank cell: point at its row label
        cells.append(
            Cell(
                table_id=table_id,
                row_no=rv.row_no,
                col_no=col + 1,
                row_label=rv.row.label_raw,
                col_label=t.col_labels[col] if col < len(t.col_labels) else None,
                raw=raw if not (rv.glued or ambiguous) else text[cs:ce],
                value=value,
                metric_id=metrics[col],
                status=status,
                decided_by=decided if status == "ok" else None,
                char_start=cs,
                char_end=ce,
            )
        )
    return cells, checks


def _parse_table(t: _Table, text: str, norm: str, narr: dict[str, float] | None) -> tuple[TableParse, bool]:
    """Cells of one table; returns (parse, needs_narrative) when a glued split stays open."""
    out = TableParse()
    rvs = [_read_row(t, r, i + 1, norm) for i, r in enumerate(t.rows) if r.spec.has_value]
    for rv in rvs:
        if rv.glued:
            _filter(rv, _cum_ge_year, "cum>=year")
    by_metric = {rv.row.spec.metric: rv for rv in rvs if rv.row.spec.metric}
    if t.kind == "prov":
        _apply_groups(by_metric, t.ncols)
    open_rows = [rv for rv in rvs if rv.glued and len(rv.candidates) > 1]
    if open_rows and narr is None:
        return out, True
    if narr:
        for rv in open_rows:
            spec = rv.row.spec
            year_col = t.roles.index("year")
            if spec.metric in narr:
                _filter(rv, lambda c, v=narr[spec.metric], k=year_col: _val(c[k]) == v, "narrative")
            if spec.cum_metric and spec.cum_metric in narr and "cum" in t.roles:
                _filter(rv, lambda c, v=narr[spec.cum_metric]: _val(c[1]) == v, "narrative-cumulative")
        if t.kind == "prov":
            _apply_groups(by_metric, t.ncols)
    table_id = "stat2014" if t.kind == "stat2014" else "prov"
    for rv in rvs:
        cells, checks = _cells_of(t, rv, table_id, text)
        out.cells += cells
        out.checks += checks
    return out, False


def parse_stat_tables(text: str, layout: str | None) -> TableParse:
    """Return the cells of an appended statistics table (national stat2014 or provincial)."""
    norm = normalized(text)
    out = TableParse()
    narr: dict[str, float] | None = None
    for t in _find_tables(norm):
        r, need = _parse_table(t, text, norm, narr)
        if need:
            narr = _narrative_values(text)
            r, _ = _parse_table(t, text, norm, narr)
        out.cells += r.cells
        out.checks += r.checks
    return out
