"""Narrative metrics (``narr.*``) from the sentences that state them.

Entry point: ``extract_narrative(text, sections, meta) -> list[Metric]``.

How it works (one pass per pattern family over the compact normalised text, see ``pipeline.numbers``):
1. Every quantity (number + optional 万/亿 + qualifier + unit) is found in one regex pass.
2. Each quantity is classified by the words of its clause (``pipeline.narrative_patterns``): the rule whose
   left context (and optionally right context) matches gives the metric; the section topic decides between
   readings of the same phrase (网上… under 依申请公开 vs 咨询) and keeps numbers out of plans and tables.
3. Scope guards: figures of subordinate units (区直各部门…), of another year (2010年… in a 2011 report), cumulative
   totals (累计/历年/以来 → the ``*_cumulative`` id where there is one, else dropped), deltas and plans are skipped.
4. Zero statements (未收到…申请, 没有发生…行政复议, 零收费 …) give value 0 with qualifier ``zero_statement``;
   they are only read from text that is there (nothing is inferred for a missing section).
5. One reading per metric: the one in the metric's home section, then stated numbers before zero statements,
   then the earliest.

Evidence is the shortest verbatim span from the defining words to the number (``text[char_start:char_end]``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from pipeline.catalog import catalog
from pipeline.narrative_patterns import (
    ACTIVE_CHANNELS,
    APP_CHANNEL_LEFT,
    APP_CHANNEL_MAP,
    APP_CHANNEL_RIGHT,
    APP_TOPICS,
    BARE_CHANNEL,
    BARE_CHANNEL_APP,
    BARE_CHANNEL_CONSULT,
    CASE_WORDS,
    CHANNEL_NOUN_TAIL,
    CHANNEL_TAIL,
    CHANNEL_UNITS,
    CONSULT_CHANNELS,
    CONSULT_EXPLICIT,
    CONSULT_SHARE,
    CONSULT_TOTAL_LEFT,
    CONSULT_TOTAL_RIGHT,
    CONSULT_UNITS,
    COUNT_ITEMS,
    HOTLINE,
    INFO_TOPICS,
    NEG_RE,
    NUMBER_RULES,
    SUBORDINATE,
    ZERO_APP,
    ZERO_APP_BARE,
    ZERO_CASE_CLAUSE_FORBIDS,
    ZERO_CASES,
    ZERO_CONSULT,
    ZERO_FEES,
    ZERO_FEES_FIXED,
    ZERO_FULL_TIME,
    ZERO_NORMATIVE,
    ZERO_WAIVED,
    ZERO_WITHHELD,
    NumberRule,
)
from pipeline.numbers import Quantity, convert_money, find_quantities
from pipeline.records import Metric, ReportMeta, Section
from pipeline.textview import views

_SENT_END = re.compile(r"[。!?;]")
_PERIOD_END = re.compile(r"[。!?]")
_CLAUSE_END = re.compile(r"[。!?;,:]")
_YEAR = re.compile(r"(\d{4})年")
_BOOK = re.compile(r"《[^》]{0,60}》")
_PLAN = re.compile(r"计划|拟|力争|预计|争取|下一步|明年|今后|将继续")
_DELTA = re.compile(
    r"增加|增长|减少|下降|提高|同比|环比|比上年|较上年|比去年|(?<!结转)(?:上(?:一)?年度?|去年)(?!度?结转)"
)
_SINCE_THIS_YEAR = re.compile(r"(?:今年|本年|年初)以来")
_SINCE = re.compile(r"以来|历年|开通至今|成立至今")
_CUTOFF = re.compile(r"截至|截止")
_THIS_YEAR_WORDS = re.compile(r"全年|今年|本年|年度|一年来")
# 截止2009年12月底,水利部已主动公开政府信息8400多条: 已 after a cut-off states the stock
_ALREADY = re.compile(r"已(?:经)?(?:累计)?(?:主动)?(?:公开|发布|公布)")
# …累计访问量4746万人次,其中2009年度1499万人次: the year's share of a running total
_OF_WHICH_YEAR = re.compile(r"其中(?:(?:19|20)\d\d年度?|本年度?|当年|全年)$")  # matched at the clause start
# 各级行政机关累计主动公开…: a sum over the units of the year, not a stock
_SUMMED_OVER = re.compile(r"各级|各部门|各单位")
# figures of every level of a place are the figures of that place's government-wide report
_GOVERNMENT_WIDE = re.compile(
    r"各级(?:行政机关|政府|各部门)|全(?:省|市|区|县|州|旗|盟)|我(?:省|市|区|县|州|旗|盟)"
)
_CN_YEAR_STMT = re.compile(r"(?:统计|数据)期限")
_NO_NUMBER_TOPICS = frozenset({"statistics_table", "problems"})
# 信息内容 only as the header cell of table 二 (…公开信息内容更新及时 in running text is not a table)
_STD_TABLE_ANCHOR = re.compile(
    r"第二十条第\(一\)项|信息内容[|\t]*(?:本年|上一年|采购)|本列数据的[勾钩]稽关系|申请人情况|结果维持"
)
_AUX_IDS = {
    "narr.consult.onsite": "narr.consult.share.onsite",
    "narr.consult.phone": "narr.consult.share.phone",
    "narr.consult.online": "narr.consult.share.online",
    "narr.consult.other": "narr.consult.share.other",
}
_HOME: list[tuple[str, tuple[str, ...]]] = [
    ("narr.consult.", ("consultation",)),
    ("narr.app.", ("on_request",)),
    ("narr.review.", ("review_litigation", "on_request")),
    ("narr.litigation.", ("review_litigation", "on_request")),
    ("narr.appeal.", ("review_litigation", "on_request")),
    ("narr.complaint.", ("review_litigation", "on_request")),
    ("narr.fees.", ("fees",)),
    ("narr.staff.", ("organisation",)),
    ("narr.budget", ("organisation", "fees")),
    ("narr.training.", ("meetings_training",)),
    ("narr.meetings", ("meetings_training",)),
    ("narr.press_conferences", ("response", "proactive")),
    ("narr.interpretations", ("response", "proactive")),
    ("narr.online_interviews", ("response", "proactive")),
    ("narr.proposals.", ("other",)),
    ("narr.", ("proactive",)),
]


@dataclass
class _Cand:
    metric: str
    value: float
    qualifier: str
    raw: str | None
    cs: int  # compact span of the evidence
    ce: int
    rule_id: str
    topic: str | None
    kind: int  # 0 stated number, 1 zero statement
    priority: int = 0  # lower wins (a 合计 total over the parts listed before it)


class _Ctx:
    """Per-report lookups: compact text, sentence/clause boundaries, topics, excluded table zones."""

    def __init__(self, text: str, sections: list[Section], meta: ReportMeta):
        self.text = text
        v = views(text)
        self.norm, self.compact, self.idx = v.norm, v.compact, v.index
        self.year = meta.report_year
        self.layout = meta.layout
        # a government-wide report (人民政府/管委会): its figures cover every level of the place
        self.government = meta.agency_type == "government"
        self.sections = sorted(sections, key=lambda s: (s.char_start, s.level))
        c = self.compact
        starts = {self._to_c(s.char_start) for s in self.sections if s.level >= 1}
        starts |= self._heading_ends()
        self.sent_bounds = sorted({m.end() for m in _SENT_END.finditer(c)} | starts | {0, len(c)})
        self.period_bounds = sorted({m.end() for m in _PERIOD_END.finditer(c)} | starts | {0, len(c)})
        self.clause_bounds = sorted(set(self.sent_bounds) | {m.end() for m in _CLAUSE_END.finditer(c)})
        self.zones = self._zones()
        self._by_level: list[tuple[list[int], list[tuple[int, int, str, str]]]] = []
        for level in (2, 1, 0):
            secs = sorted(
                (self._to_c(x.char_start), self._to_c(x.char_end), x.topic, x.heading or "")
                for x in self.sections
                if x.level == level
            )
            self._by_level.append(([a for a, _b, _t, _h in secs], secs))

    def _heading_ends(self) -> set[int]:
        """Compact offsets where a heading line ends: (一)主动公开情况 is not part of the next sentence."""
        out = set()
        for x in self.sections:
            if x.level >= 1 and x.heading:
                nl = self.norm.find("\n", x.char_start, min(x.char_end, x.char_start + 60))
                # only a heading alone on its line (a run-in heading wrapped by pdftotext is not one)
                if nl != -1 and len(self.norm[x.char_start : nl].strip()) <= len(x.heading.strip()) + 1:
                    out.add(self._to_c(nl))
        return out

    def _to_c(self, orig: int) -> int:
        """First compact index at or after an original offset."""
        return bisect_left(self.idx, orig)

    def _zones(self) -> list[tuple[int, int]]:
        from pipeline.tables.stat import locate_stat_tables

        zones = [(self._to_c(a), self._to_c(b)) for a, b in locate_stat_tables(self.norm)]
        # std tables (二/三/四): from the first table anchor of a section to the section end
        for s in self.sections:
            if s.level != 1 or s.topic not in ("proactive", "on_request", "review_litigation"):
                continue
            a, b = self._to_c(s.char_start), self._to_c(s.char_end)
            m = _STD_TABLE_ANCHOR.search(self.compact, a, b)
            if m:
                zones.append((m.start(), b))
        return zones

    def excluded(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.zones)

    def open_spans(self) -> list[tuple[int, int]]:
        """The compact text outside the excluded zones, as sorted disjoint spans."""
        spans, pos = [], 0
        for a, b in sorted(self.zones):
            if a > pos:
                spans.append((pos, a))
            pos = max(pos, b)
        if pos < len(self.compact):
            spans.append((pos, len(self.compact)))
        return spans

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.sent_bounds, pos)
        return self.sent_bounds[i - 1], self.sent_bounds[min(i, len(self.sent_bounds) - 1)]

    def period(self, pos: int) -> tuple[int, int]:
        """The whole sentence up to 。/!/? (a ; does not end it)."""
        i = bisect_right(self.period_bounds, pos)
        return self.period_bounds[i - 1], self.period_bounds[min(i, len(self.period_bounds) - 1)]

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """Clause around [start, end): from the last , : ; 。 before start to the next one after end."""
        i = bisect_right(self.clause_bounds, start)
        j = bisect_left(self.clause_bounds, end)
        lo = self.clause_bounds[i - 1]
        hi = self.clause_bounds[j] if j < len(self.clause_bounds) else len(self.compact)
        return lo, max(hi, end)

    def topic(self, pos: int) -> str | None:
        """Topic of the innermost section at compact position ``pos``."""
        for starts, secs in self._by_level:
            i = bisect_right(starts, pos) - 1
            if i >= 0 and pos < secs[i][1]:
                return secs[i][2]
        return None

    def headings(self, pos: int) -> str:
        """Headings of the sections containing ``pos`` (四、因政府信息公开申请行政复议…情况 qualifies its figures)."""
        out = []
        for starts, secs in self._by_level:
            i = bisect_right(starts, pos) - 1
            if i >= 0 and pos < secs[i][1]:
                out.append(secs[i][3])
        return "".join(out)

    def span(self, cs: int, ce: int) -> tuple[int, int]:
        return self.idx[cs], self.idx[ce - 1] + 1


# --------------------------------------------------------------------------------------------------
# Scope guards


def _other_year(ctx: _Ctx, sent: str) -> bool:
    """The nearest year written before the number (outside 《》) is not the report year."""
    if ctx.year is None:
        return False
    years = _YEAR.findall(_BOOK.sub("", sent))
    return bool(years) and int(years[-1]) != ctx.year


def _scope(ctx: _Ctx, s0: int, pos: int, depth: int = 0, unit: str | None = None) -> str:
    """Scope of a figure at ``pos`` (sentence from ``s0``): "year", "cumulative" or "skip"."""
    s = ctx.compact[s0:pos]
    lc0, _ = ctx.clause(pos, pos)
    if _OF_WHICH_YEAR.match(ctx.compact, lc0, pos) and lc0 < pos:
        return "year"
    if (
        unit
        and "累计" in ctx.compact[lc0:pos]
        and lc0 > s0
        and re.search(rf"\d(?:万|亿)?(?:余|多)?{re.escape(unit)}", ctx.compact[s0:lc0])
    ):
        return "cumulative"  # "…共40条，累计发布信息270条": a stock after the year's figure
    own_scope = bool(_YEAR.search(s) or _THIS_YEAR_WORDS.search(s))
    if (
        s.startswith("其中")
        and not own_scope
        and not re.search("累计|历年|截至|截止", s)
        and depth == 0
        and s0 > 0
    ):
        p0, _ = ctx.sentence(s0 - 1)
        return _scope(ctx, p0, s0 - 1, depth + 1)
    s_clean = _SINCE_THIS_YEAR.sub("今年", s)
    if _SINCE.search(s_clean):
        return "cumulative"
    if "累计" in s_clean:
        if _CUTOFF.search(s_clean):
            return "cumulative"
        year_scoped = (ctx.year is not None and f"{ctx.year}年" in s_clean) or bool(
            _THIS_YEAR_WORDS.search(s_clean)
        )
        if year_scoped:
            return "year"
        if ctx.layout in ("std2019", "std2021"):
            # a std report covers one year: 各级行政机关累计… sums the year's figures; 累计 alone is undecided
            return "year" if _SUMMED_OVER.search(s_clean) else "skip"
        return "cumulative"
    if _CUTOFF.search(s_clean):
        if re.search(r"今年|本年|全年", s_clean):
            return "year"
        return "cumulative" if _ALREADY.search(s_clean) else "skip"
    return "year"


def _subordinate(ctx: _Ctx, lc: str, s0: int) -> bool:
    """The figure belongs to subordinate units (its clause, or the sentence a 其中 sentence details).

    In a government-wide report, the figures of every level of the place (全省各级行政机关…, 我市各级各部门…)
    are the report's own figures.
    """
    if SUBORDINATE.search(lc):
        return not (ctx.government and _GOVERNMENT_WIDE.search(lc))
    p0, _ = ctx.period(s0)
    if ctx.compact.startswith("其中", p0) and p0 > 0:
        b0, _ = ctx.period(p0 - 1)
        return bool(SUBORDINATE.search(ctx.compact[b0:p0]))
    return False


def _common_guards(ctx: _Ctx, q: Quantity, lc: str, sent: str) -> bool:
    """True when the figure must not be read at all (plans, deltas, another year)."""
    if _PLAN.search(lc) or _DELTA.search(lc):
        return True
    if _other_year(ctx, sent):
        return True
    return False


# --------------------------------------------------------------------------------------------------
# Number rules


def _value_for(metric: str, q: Quantity) -> float | None:
    unit = catalog()[metric].unit if metric in catalog() else None
    if q.unit in ("元", "万元"):
        if unit not in ("元", "万元"):
            return None
        return convert_money(q.value, q.unit, unit)
    if unit == "%" and q.unit != "%":
        return None
    return q.value


_RULES_BY_UNIT: dict[str, list[NumberRule]] = {}
for _r in NUMBER_RULES:
    for _unit in _r.units:
        _RULES_BY_UNIT.setdefault(_unit, []).append(_r)


def _rule_cands(
    ctx: _Ctx, q: Quantity, lc: str, lc0: int, rc: str, clause: str, sent_full: str
) -> list[_Cand]:
    out: list[_Cand] = []
    s0, _ = ctx.sentence(q.start)
    topic = ctx.topic(q.num_start)
    for r in _RULES_BY_UNIT.get(q.unit, ()):
        if r.topics is not None and topic not in r.topics:
            continue
        m = r.left.search(lc)
        if not m:
            continue
        end = q.end
        if r.right is not None:
            mr = r.right.match(rc)
            if not mr:
                continue
            end = q.end + mr.end()
        if not _sentence_ok(r, sent_full, clause, ctx.headings(q.start)):
            continue
        if r.check_subordinate and _subordinate(ctx, lc, s0):
            continue
        metric = _scoped_metric(ctx, r, s0, q.start, q.unit)
        if metric is None:
            continue
        v = _value_for(metric, q)
        if v is None:
            continue
        start = lc0 + m.start() if m.end() > m.start() else q.start
        out.append(
            _Cand(metric, v, q.qualifier, q.raw, start, end, "narr:" + r.rule_id, topic, 0, r.priority)
        )
    return out


def _sentence_ok(r: NumberRule, sent_full: str, clause: str, headings: str = "") -> bool:
    if (
        r.sentence_needs is not None
        and not r.sentence_needs.search(sent_full)
        and not r.sentence_needs.search(headings)
    ):
        return False
    if r.sentence_forbids is not None and r.sentence_forbids.search(sent_full):
        return False
    if r.clause_forbids is not None and r.clause_forbids.search(clause):
        return False
    return True


def _scoped_metric(ctx: _Ctx, r: NumberRule, s0: int, pos: int, unit: str) -> str | None:
    sc = _scope(ctx, s0, pos, unit=unit)
    if sc == "year":
        return r.metric
    if sc == "cumulative" and r.cumulative_twin:
        return r.cumulative_twin
    return None


def _enumeration_item(lc: str, lc0: int) -> tuple[str, int]:
    """The current item of an enumeration of figures (…88条、规范性文件2条、微信公众号推送信息 → the last part).

    An item starts after a figure closed by 、 (…88条、); a list of channels before one figure (网站、微信
    发布信息N条) is not split.
    """
    last = None
    for m in _ITEM_BOUNDARY.finditer(lc):
        last = m
    if last is None:
        return lc, lc0
    return lc[last.end() :], lc0 + last.end()


def _channel_cands(ctx: _Ctx, q: Quantity, lc: str, lc0: int, topic: str | None) -> list[_Cand]:
    """Proactive channels (网站/微信/微博/大厅/媒体 …) and items stated without 主动公开."""
    if q.unit not in CHANNEL_UNITS or topic not in INFO_TOPICS:
        return []
    lc, lc0 = _enumeration_item(lc, lc0)
    if "主动公开" in lc or _NOT_CHANNEL_OBJECT.search(lc[-_OBJECT_SPAN:]):
        return []
    s0, _ = ctx.sentence(q.start)
    if _subordinate(ctx, lc, s0):
        return []
    if _AGGREGATE.search(lc) or len(_channels_named(lc)) >= 2:
        # 通过政府网站、信息查阅场所等公开信息N条 / 网站、微信、微博共发布N条: one figure for several channels
        return _items_cand(q, lc, lc0, topic)
    if _scope(ctx, s0, q.start) != "year":
        return []
    tail = CHANNEL_TAIL.search(lc) or CHANNEL_NOUN_TAIL.search(lc)
    if tail:
        found = _last_channel(lc)
        if found is None and _BARE_VERB.search(lc):
            # "（1）…网站：在…设立专栏，公开信息5769条": the channel is named earlier in the sentence
            found = _last_channel(ctx.compact[s0:lc0])
            if found is not None:
                found = (found[0], found[1] + s0 - lc0)
        if found is not None:
            metric, cpos = found
            start = lc0 + min(cpos, tail.start())
            return [_Cand(metric, q.value, q.qualifier, q.raw, start, q.end, "narr:active.channel", topic, 0)]
    return _items_cand(q, lc, lc0, topic)


def _items_cand(q: Quantity, lc: str, lc0: int, topic: str | None) -> list[_Cand]:
    """Items stated without 主动公开 (发布各类信息 / 公开政府信息 / 通过…等渠道发布信息)."""
    m = _ITEMS_NO_ACTIVE.search(lc) if q.unit in COUNT_ITEMS else None
    if not m:
        return []
    return [
        _Cand(
            "narr.active.items",
            q.value,
            q.qualifier,
            q.raw,
            lc0 + m.start(),
            q.end,
            "narr:active.items/A3",
            topic,
            0,
        )
    ]


_ITEM_BOUNDARY = re.compile(r"\d(?:万|亿)?(?:余|多)?(?:条|件|篇|份|个|次|期|项)、")
_OBJECT_SPAN = 12  # the object of the publishing verb is the last few characters before the figure


def _channels_named(s: str) -> set[str]:
    """The distinct proactive channels named in ``s`` (overlapping words are one channel: 信息公开网站)."""
    spans = sorted((m.start(), m.end(), metric) for rx, metric in ACTIVE_CHANNELS for m in rx.finditer(s))
    named: set[str] = set()
    end = -1
    for a, b, metric in spans:
        if a >= end:
            named.add(metric)
        end = max(end, b)
    return named


_NOT_CHANNEL_OBJECT = re.compile(
    r"申请|规范性|现行有效|事项|清单|文件|制度|留言|信件|诉求|咨询|接收|报送|送交|移交|利用"
)
_AGGREGATE = re.compile(r"等(?:多种)?渠道|多种渠道|各种渠道|多种方式|多种形式|多种途径|等途径")
_BARE_VERB = re.compile(r"^(?:共|并)?(?:公开|发布)(?:了)?信息(?:共计?)?$")


def _last_channel(s: str) -> tuple[str, int] | None:
    """The channel named last in ``s`` (the one nearest to the number) and its offset."""
    best: tuple[str, int] | None = None
    for rx, metric in ACTIVE_CHANNELS:
        for cm in rx.finditer(s):
            if best is None or cm.start() > best[1]:
                best = (metric, cm.start())
    return best


_ITEMS_NO_ACTIVE = re.compile(
    r"(?:发布|公开|公布)(?:了)?各类(?:主动公开)?(?:政府|政务)?信息(?:共计?)?$|(?:公开|公布|发布)(?:了)?(?:政府|政务)信息(?:共计?)?$"
    r"|(?:渠道|方式|途径)(?:共|累计)?(?:发布|公开|公布)(?:了)?(?:各类)?(?:政府|政务)?信息(?:共计?)?$"
    r"|等(?:共|累计)?(?:公开|发布|公布)(?:了)?(?:各类)?(?:政府|政务)?信息(?:共计?)?$"
    r"|(?:发布|公开|公布)(?:了)?[^,;:]{0,60}?等各类(?:政府|政务)?信息(?:共计?)?$"
)


def _consult_cands(
    ctx: _Ctx, q: Quantity, lc: str, lc0: int, rc: str, sent_full: str, topic: str | None
) -> list[_Cand]:
    if q.unit not in CONSULT_UNITS:
        return []
    if topic != "consultation" and not CONSULT_EXPLICIT.search(sent_full):
        return []
    if HOTLINE.search(sent_full) and topic != "consultation":
        return []
    s0, _ = ctx.sentence(q.start)
    if _scope(ctx, s0, q.start) != "year":
        return []
    metric = None
    start = q.start
    for rx, mid in CONSULT_CHANNELS:
        m = rx.search(lc)
        if m:
            metric, start = mid, lc0 + m.start()
            break
    end = q.end
    if metric is None:
        bm = BARE_CHANNEL.search(lc) if topic == "consultation" else None
        if bm and bm.group("ch") in BARE_CHANNEL_CONSULT and not CONSULT_TOTAL_LEFT.search(lc):
            metric, start = BARE_CHANNEL_CONSULT[bm.group("ch")], lc0 + bm.start("ch")
    if metric is None:
        m = CONSULT_TOTAL_LEFT.search(lc)
        if m:
            metric, start = "narr.consult.total", lc0 + m.start()
        else:
            mr = CONSULT_TOTAL_RIGHT.match(rc)
            if mr and not any(rx.search(rc[: mr.end()]) for rx, _ in CONSULT_CHANNELS):
                metric, end = "narr.consult.total", q.end + mr.end()
    if metric is None:
        return []
    out = [_Cand(metric, q.value, q.qualifier, q.raw, start, end, "narr:" + metric[5:], topic, 0)]
    _, s1 = ctx.sentence(q.end)
    share = CONSULT_SHARE.match(ctx.compact, q.end, min(s1, q.end + 20))
    if share and metric in _AUX_IDS and ("占" in share.group(0)):
        out.append(
            _Cand(
                _AUX_IDS[metric],
                float(share.group("pct")),
                "exact",
                share.group("pct"),
                start,
                share.end(),
                "narr:consult.share",
                topic,
                0,
            )
        )
    return out


def _app_channel_cands(ctx: _Ctx, q: Quantity, lc: str, lc0: int, topic: str | None) -> list[_Cand]:
    if topic not in APP_TOPICS or q.unit not in ("件", "条", "宗", "起", "项", "份", "个"):
        return []
    m = APP_CHANNEL_LEFT.search(lc)
    metric = APP_CHANNEL_MAP.get(m.group("ch")) if m else None
    start = lc0 + m.start() if m else q.start
    if metric is None and topic == "on_request":
        bm = BARE_CHANNEL.search(lc)
        if bm and bm.group("ch") in BARE_CHANNEL_APP:
            metric, start = BARE_CHANNEL_APP[bm.group("ch")], lc0 + bm.start("ch")
    end = q.end
    if metric is None and topic == "on_request" and q.unit in ("件", "份", "宗"):
        rm = APP_CHANNEL_RIGHT.match(ctx.compact, q.end)  # 其中8份是网络依申请公开
        if rm and lc.startswith("其中"):
            metric, start, end = BARE_CHANNEL_APP[rm.group("ch")], q.start, rm.end()
    if metric is None:
        return []
    s0, _ = ctx.sentence(q.start)
    if _scope(ctx, s0, q.start) != "year" or SUBORDINATE.search(lc):
        return []
    return [_Cand(metric, q.value, q.qualifier, q.raw, start, end, "narr:" + metric[5:], topic, 0)]


def _classify(ctx: _Ctx, q: Quantity) -> list[_Cand]:
    if ctx.excluded(q.start):
        return []
    topic = ctx.topic(q.num_start)
    if topic in _NO_NUMBER_TOPICS:
        return []
    c = ctx.compact
    lc0, ce = ctx.clause(q.start, q.end)
    lc = c[lc0 : q.start]
    rc = c[q.end : ce]
    s0, _ = ctx.sentence(q.start)
    p0, p1 = ctx.period(q.start)
    sent_before = c[s0 : q.start]
    sent_full = c[p0:p1]
    if _common_guards(ctx, q, lc, sent_before):
        return []
    clause = c[lc0:ce]
    cands = _rule_cands(ctx, q, lc, lc0, rc, clause, sent_full)
    if not cands:
        cands = _channel_cands(ctx, q, lc, lc0, topic)
    cands += _consult_cands(ctx, q, lc, lc0, rc, sent_full, topic)
    if not any(x.metric.startswith("narr.app.channel") for x in cands) and not any(
        x.metric.startswith("narr.consult") for x in cands
    ):
        cands += _app_channel_cands(ctx, q, lc, lc0, topic)
    return cands


# --------------------------------------------------------------------------------------------------
# Zero statements


def _zero(ctx: _Ctx, metric: str, m0: int, m1: int, neg: str, rule: str, topic: str | None) -> _Cand:
    return _Cand(metric, 0.0, "zero_statement", neg, m0, m1, "zero:" + rule, topic, 1)


def _zero_ok(ctx: _Ctx, pos: int) -> tuple[bool, str | None, str]:
    """Position allowed for a zero statement: not in a table/plan, not about another year."""
    if ctx.excluded(pos):
        return False, None, ""
    topic = ctx.topic(pos)
    if topic in _NO_NUMBER_TOPICS:
        return False, topic, ""
    s0, _ = ctx.sentence(pos)
    if _other_year(ctx, ctx.compact[s0:pos]):
        return False, topic, ""
    p0, p1 = ctx.period(pos)
    return True, topic, ctx.compact[p0:p1]


def _neg_word(s: str) -> str:
    m = re.match(r"没有|未曾|从未|均未|并未|不存在|未|无|零|暂不|不收取", s)
    return m.group() if m else s[:2]


_CASE_WORDS_ANY = re.compile(r"复议|诉讼|申诉|举报|投诉")
_CASES_CONTEXT = re.compile(r"信息公开|政务公开|依申请公开")
_FEES_CONTEXT = re.compile(r"信息公开|申请人|依申请|公开信息|信息处理费")
_STAFF_CONTEXT = re.compile(r"信息公开|政务公开")
_WAIVED = re.compile(r"减免")


def _at_negations(rx: re.Pattern[str], c: str, negs: list[int]) -> list[re.Match[str]]:
    """Matches of a negation-led pattern, tried only where a negation word starts."""
    out = []
    last_end = -1
    for pos in negs:
        if pos < last_end:
            continue
        m = rx.match(c, pos)
        if m:
            out.append(m)
            last_end = m.end()
    return out


def _zero_cands(ctx: _Ctx) -> list[_Cand]:
    c = ctx.compact
    out: list[_Cand] = []
    negs = [m.start() for m in NEG_RE.finditer(c)]
    for m in _at_negations(ZERO_APP, c, negs):
        ok, topic, sent = _zero_ok(ctx, m.start())
        _, ce = ctx.clause(m.start(), m.end())
        if ok and not _CASE_WORDS_ANY.search(c, m.start(), ce) and not HOTLINE.search(sent):
            out.append(
                _zero(ctx, "narr.app.received", m.start(), m.end(), _neg_word(m.group()), "app", topic)
            )
    for m in ZERO_APP_BARE.finditer(c):
        ok, topic, sent = _zero_ok(ctx, m.start())
        if ok and topic == "on_request":
            out.append(_zero(ctx, "narr.app.received", m.start(), m.end(), "无", "app", topic))
    for m in _at_negations(ZERO_NORMATIVE, c, negs):
        ok, topic, _sent = _zero_ok(ctx, m.start())
        if ok and topic in INFO_TOPICS:
            neg = _neg_word(m.group())
            out.append(_zero(ctx, "narr.active.normative_docs", m.start(), m.end(), neg, "normative", topic))
    for m in _at_negations(ZERO_CASES, c, negs):
        ok, topic, sent = _zero_ok(ctx, m.start())
        if not ok:
            continue
        _, ce = ctx.clause(m.start(), m.end())
        clause = c[m.start() : ce]
        if ZERO_CASE_CLAUSE_FORBIDS.search(clause):
            continue
        if topic != "review_litigation" and not _CASES_CONTEXT.search(sent):
            continue
        for rx, metric in CASE_WORDS:
            wm = rx.search(clause)
            if wm:
                out.append(
                    _zero(ctx, metric, m.start(), m.start() + wm.end(), _neg_word(m.group()), "cases", topic)
                )
    fee_matches = _at_negations(ZERO_FEES, c, negs) + list(ZERO_FEES_FIXED.finditer(c))
    for m in fee_matches:
        ok, topic, sent = _zero_ok(ctx, m.start())
        if not ok or (topic != "fees" and not _FEES_CONTEXT.search(sent)):
            continue
        neg = _neg_word(m.group())
        out.append(_zero(ctx, "narr.fees.collected", m.start(), m.end(), neg, "fees", topic))
        _, ce = ctx.clause(m.start(), m.end())
        wm = _WAIVED.search(c, m.end(), ce)
        if wm:
            out.append(_zero(ctx, "narr.fees.waived", m.start(), wm.end(), neg, "fees", topic))
    for m in _at_negations(ZERO_WAIVED, c, negs):
        ok, topic, sent = _zero_ok(ctx, m.start())
        if ok and (topic == "fees" or _FEES_CONTEXT.search(sent)):
            out.append(
                _zero(ctx, "narr.fees.waived", m.start(), m.end(), _neg_word(m.group()), "fees", topic)
            )
    for rx, metric, need in (
        (ZERO_CONSULT, "narr.consult.total", _STAFF_CONTEXT),
        (ZERO_FULL_TIME, "narr.staff.full_time", _STAFF_CONTEXT),
        (ZERO_WITHHELD, "narr.app.withheld", None),
    ):
        for m in _at_negations(rx, c, negs):
            ok, topic, sent = _zero_ok(ctx, m.start())
            if ok and (need is None or need.search(sent)):
                out.append(_zero(ctx, metric, m.start(), m.end(), _neg_word(m.group()), metric[5:], topic))
    return out


# --------------------------------------------------------------------------------------------------
# Choice and output


def _topic_rank(metric: str, topic: str | None) -> int:
    for prefix, home in _HOME:
        if metric.startswith(prefix):
            if topic in home:
                return 0
            return 1 if topic == "overview" else 2
    return 2


def _choose(ctx: _Ctx, cands: list[_Cand]) -> list[Metric]:
    cat = catalog()
    best: dict[str, _Cand] = {}
    for cd in sorted(cands, key=lambda x: (_topic_rank(x.metric, x.topic), x.kind, x.priority, x.cs)):
        if cd.metric in cat and cd.metric not in best:
            best[cd.metric] = cd
    for year_id, cum_id in (
        ("narr.active.items", "narr.active.items_cumulative"),
        ("narr.app.received", "narr.app.received_cumulative"),
    ):
        if year_id in best and cum_id in best and best[cum_id].value <= best[year_id].value:
            del best[cum_id]  # a "累计" restating the year figure (or below it) is not a stock
    out: list[Metric] = []
    for cd in best.values():
        a, b = ctx.span(cd.cs, cd.ce)
        zero = cd.qualifier == "zero_statement"
        out.append(
            Metric(
                metric_id=cd.metric,
                value=float(cd.value),
                qualifier=cd.qualifier,
                method="zero_statement" if zero else "narrative",
                evidence=ctx.text[a:b],
                char_start=a,
                char_end=b,
                raw_value=cd.raw,
                section_topic=cd.topic,
                table_id=None,
                confidence=0.85 if zero else 0.9,
                decided_by=cd.rule_id,
            )
        )
    out.sort(key=lambda m: (m.char_start, m.metric_id))
    return out


def extract_narrative(text: str, sections: list[Section], meta: ReportMeta) -> list[Metric]:
    """Narrative metrics of one report (one row per metric id at most)."""
    if not text:
        return []
    if not sections:
        from pipeline.segment import segment

        sections = segment(text, meta.layout)
    ctx = _Ctx(text, sections, meta)
    cands: list[_Cand] = []
    for q in find_quantities(ctx.compact, ctx.open_spans()):
        cands.extend(_classify(ctx, q))
    cands.extend(_zero_cands(ctx))
    return _choose(ctx, cands)
