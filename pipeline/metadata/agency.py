"""Who wrote the report: the agency's full official name, where it was read, and the evidence.

Candidates are collected from every place a text names its author, then one is chosen by a fixed
precedence (docs/metadata.md §Agency):

1. the title's agency part (市商务局2014年… → 市商务局);
2. when the title names a place only (平潭综合实验区2019年…, 2022年上海市…), the report is the place's
   government-wide report and is credited to that place's government (上海市人民政府, 平潭综合实验区管委会),
   whichever office compiled it (the compiler is kept in the evidence) — as a title naming the government
   itself (淮安市人民政府, compiled by its 办公室) is;
3. without a title: a statement naming a place only (现公布贵港市2021年…报告) is read like such a title;
   else a statement naming the report (现公布泰州市人民政府2017年…报告, also 现发布《…报告》) or its
   compiler (由朔州市统计局编制; a government's own disclosure office compiles the government's report),
   then the signature, the byline, the portal's 发布机构, the contact office (请与平度市政府办公室联系),
   a 本级政府 statement with the government's web site, the agency most often named in the body, a place
   that is itself the subject of the text (2022年，乌鲁木齐市坚持…), and finally 我委/我局 + the dominant
   sector + the place. A compilation of the subordinate reports (综合…各县… / 在…各市…报告的基础上编制)
   is the place's government's report.

The chosen name is then completed: short forms written out (names.expand), a bare level prefix
(市商务局, 区管委会办公室, 自治区生态环境厅) filled with the place the text names, and the name
replaced by a longer form of itself found in a strong candidate (钟祥镇 → 钟祥镇人民政府, 教育部 →
中华人民共和国教育部, 平潭市场监督管理局 → 平潭综合实验区市场监督管理局). A name that already has a
proper place prefix is never given a higher-level one (南关区人民政府 stays as printed).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.metadata import region
from pipeline.metadata.dates import find_dates
from pipeline.metadata.header import Header
from pipeline.metadata.names import cut_name, expand, is_name, is_town, valid_start
from pipeline.metadata.title import Mention, Title, is_place_only

BODY_SCAN = 3000
TAIL_SCAN = 400

_CJK_RUN = re.compile(r"[\u4e00-\u9fff()（）]{2,80}")
_LEAD_WORDS = re.compile(
    r"^(?:年度|年|在|由|对|经|按照|根据|依据|为|向|与|是|把|被|从|并|现|特|经过|通过|充分发挥|以及|及)+"
)
_COMPILER_BY = re.compile(r"由\s*([\u4e00-\u9fff()（）]{2,40})")
_CONTACT = re.compile(r"请(?:与|联系|致电)\s*([\u4e00-\u9fff()（）]{2,50})")
_SELF = re.compile(r"我(局|委|厅|办)")
# A government-wide report: compiled from the reports of the subordinate governments and departments
# (综合…各县(市、区)… / 在…各市…年度报告的基础上编制 / 综合…全区盟市… ) or describing the work of every
# level of the place (是2018年贵州省各级行政机关…的情况). ``lead`` may hold the place.
_WIDE = (
    re.compile(
        r"(?:综合|汇总)(?:\d{4}年度?)?(?P<lead>[\u4e00-\u9fff]{0,12}?)各(?:县|区|市|地市|乡镇|州|盟市)[^。]{0,80}?"
        r"(?:编制|编写|汇编|而成)"
    ),
    re.compile(
        r"在(?P<lead>[\u4e00-\u9fff]{0,12}?)(?:\d{4}年度?)?各(?:市|县|区|地市|盟市|州)[^。]{0,80}?报告(?:的)?基础上"
        r"[^。]{0,30}?(?:编制|编写|而成)"
    ),
    re.compile(r"综合(?:\d{4}年度?)?全(?:省|市|区|县|州)(?P<lead>)[^。]{0,60}?(?:编制|编写|而成)"),
    re.compile(r"是\d{4}年度?(?P<lead>[\u4e00-\u9fff]{2,12}?)各级(?:行政机关|政府)[^。]{0,30}?情况"),
)
# 由太原市政府信息公开领导小组办公室编制: the place's government compiled its own report through its
# disclosure office (an internal unit, not an agency)
_GOV_DISCLOSURE_OFFICE = re.compile(
    r"^([\u4e00-\u9fff]{2,12}?(?:省|市|县|区|自治区|自治州|州|盟|旗))(?:人民)?政府(?:信息公开|政务公开)(?:工作)?"
    r"(?:领导小组)?办公室"
)
# 特向社会公布2018年度本级政府信息公开年度报告 … 本报告的电子版可在高邑县人民政府网站下载
_GOV_SITE = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:省|市|县|区|旗|州|盟))(?:人民)?政府(?:门户)?网站")
# 2022年，乌鲁木齐市坚持… / 海南省各级政府重视…: the place itself is the subject of the report
_PLACE_SUBJECT = re.compile(
    r"(?:^|(?<=[\n。]))[ \t]*(?:(?:19|20)\d\d年度?[，,][ \t]*)?(?P<run>[\u4e00-\u9fff]{2,20})", re.M
)
# 由广西壮族自治区北部湾经济区规划建设管理办公室(以下简称自治区北部湾办)编制: the text's own short name
_ALIAS = re.compile(r"([\u4e00-\u9fff]{2,40})[(（]以下简称[\"“]?([\u4e00-\u9fff]{2,20})[\"”]?[)）]")
_SUBJECT_NEXT = re.compile(r"^(?:各级|坚持|按照|认真|深入|全面|紧紧|严格|积极|持续|进一步|以|在)")
_ZONE_IN_TEXT = re.compile(r"[\u4e00-\u9fff]{2,12}(?:综合实验区|新区|示范区|开发区)")
_TOKEN_SPLIT = re.compile(r"[\s,，。；;：:、》>|]")
_GOVERNMENT_END = re.compile(r"(?:政府|管委会|管理委员会)(?:办公室|办公厅|办)?$")
BODY_NAMES_SCAN = 2000
_SECTORS = (
    "商务",
    "统计",
    "审计",
    "教育",
    "财政",
    "公安",
    "民政",
    "司法",
    "自然资源",
    "生态环境",
    "环境保护",
    "住房和城乡建设",
    "交通运输",
    "水利",
    "水务",
    "农业农村",
    "文化和旅游",
    "卫生健康",
    "应急管理",
    "市场监督管理",
    "税务",
    "医疗保障",
    "林业",
    "粮食",
    "体育",
    "工业和信息化",
    "发展和改革",
    "人力资源和社会保障",
    "退役军人事务",
    "药品监督管理",
)
_SELF_SUFFIX = {"局": "局", "委": "委员会", "厅": "厅", "办": "办公室"}
_SOURCE = {
    "title": "title",
    "statement": "body",
    "compiler": "body",
    "contact": "body",
    "body": "body",
    "signature": "signature",
    "byline": "signature",
    "header": "header",
    "inferred": "inferred",
}


@dataclass(frozen=True)
class Candidate:
    """One place where the text names an agency."""

    name: str  # as printed (cut to the name)
    source: str  # title | statement | compiler | signature | byline | header | contact | body | inferred
    start: int
    end: int


@dataclass(frozen=True)
class AgencyResult:
    """The chosen agency and its provenance."""

    name: str | None
    source: str | None
    evidence: str | None
    place: region.Division | None
    national: bool = False


# ---------------------------------------------------------------------------------------------------
# name validity


def strict_name(s: str) -> bool:
    """An agency name whose start is also recognisable (for names cut out of running text)."""
    return is_name(s) and valid_start(s)


def _cut_run(run: str) -> str | None:
    """Longest valid name at the start of ``run`` (a leading preposition dropped first when possible)."""
    for r in (_LEAD_WORDS.sub("", run), run):
        name = cut_name(r)
        if name and valid_start(name):
            return name
    return None


def _outside_book_titles(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of ``norm[start:end]`` that are not inside 《…》 (cited documents)."""
    spans, pos = [], start
    while pos < end:
        o = norm.find("《", pos, end)
        if o == -1:
            spans.append((pos, end))
            break
        spans.append((pos, o))
        c = norm.find("》", o, end)
        pos = end if c == -1 else c + 1
    return spans


# ---------------------------------------------------------------------------------------------------
# candidates


def statement_candidates(mentions: list[Mention]) -> list[Candidate]:
    """Sentences naming the report with its agency (现公布泰州市人民政府2017年…报告)."""
    return [
        Candidate(x.agency, "statement", x.agency_start, x.agency_end)
        for x in mentions
        if x.kind == "statement"
        and x.agency
        and x.agency_start is not None
        and x.agency_end is not None
        and strict_name(x.agency)
    ]


def compiler_candidates(norm: str, start: int, end: int) -> list[Candidate]:
    """由X编制 / X编制完成了本报告 statements."""
    out = []
    for m in _COMPILER_BY.finditer(norm, start, end):
        if "编制" not in norm[m.start(1) : m.start(1) + 120].split("。")[0]:
            continue
        name = _cut_run(m.group(1))
        office = _GOV_DISCLOSURE_OFFICE.match(m.group(1))
        if name:
            out.append(Candidate(name, "compiler", m.start(1), m.start(1) + len(name)))
        elif office and _is_place_like(office.group(1)):
            gov = _place_government(office.group(1), norm)
            out.append(Candidate(gov, "compiler", m.start(1), m.start(1) + len(office.group())))
    pos = norm.find("编制完成", start, end)
    while pos != -1:
        if norm.startswith(("本报告", "了本报告", "本年度报告", "了本年度报告"), pos + 4):
            run = _CJK_RUN.search(norm, max(start, pos - 40), pos)
            while run and run.end() < pos:
                run = _CJK_RUN.search(norm, run.end(), pos)
            if run:
                txt = run.group()
                for i in range(len(txt) - 1):
                    if strict_name(txt[i:]):
                        out.append(Candidate(txt[i:], "compiler", run.start() + i, run.end()))
                        break
        pos = norm.find("编制完成", pos + 4, end)
    return sorted(out, key=lambda c: c.start)


def signature_candidates(
    norm: str, body_start: int, content_end: int, title: Title | None
) -> list[Candidate]:
    """Agency names standing right before a date at the end (signature) or after the title (byline)."""
    out: list[Candidate] = []
    zones = [(max(body_start, content_end - TAIL_SCAN), content_end, "signature")]
    if title is not None:
        zones.append((title.end, min(len(norm), title.end + 120), "byline"))
    for zs, ze, kind in zones:
        dates = find_dates(norm, zs, ze)
        if kind == "signature":
            dates = [d for d in dates if not norm[d.end : content_end].strip(" \t\n。")]
        for d in dates:
            seg_start = max(zs, d.start - 60)
            seg = norm[seg_start : d.start]
            cut = max(seg.rfind(c) for c in "。；;：:\n") + 1
            for line in (seg[cut:], seg):
                name = _last_strict_name(line.rstrip())
                if name:
                    e = seg_start + seg.rfind(name) + len(name)
                    out.append(Candidate(name, kind, e - len(name), e))
                    break
    return out


def _last_strict_name(phrase: str) -> str | None:
    tok = _TOKEN_SPLIT.split(phrase.strip())[-1] if phrase.strip() else ""
    for i in range(len(tok) - 1):
        if strict_name(tok[i:]):
            return tok[i:]
    return None


def header_candidates(header: Header) -> list[Candidate]:
    """发布机构 / 发文机构 / 来源 values that are agency names."""
    out = []
    for key in ("发布机构", "发文机构", "来源", "信息来源"):
        for val, s, _e in header.fields.get(key, []):
            name = cut_name(val)
            if name and name == val.strip() and valid_start(name):
                out.append(Candidate(name, "header", s, s + len(name)))
    return out


def contact_candidates(norm: str, start: int, end: int) -> list[Candidate]:
    """The office readers are told to contact (请与平度市政府办公室联系)."""
    out = []
    for m in _CONTACT.finditer(norm, start, end):
        name = _cut_run(m.group(1))
        if name:
            out.append(Candidate(name, "contact", m.start(1), m.start(1) + len(name)))
    return out


def body_candidates(norm: str, start: int, end: int) -> list[Candidate]:
    """Agency names in running text outside 《》, in order (bare-prefixed governments left out)."""
    out = []
    for s, e in _outside_book_titles(norm, start, end):
        for m in _CJK_RUN.finditer(norm, s, e):
            if m.start() > 0 and norm[m.start() - 1] == "、":
                continue  # …各行署、拉萨市人民政府主动公开…: one item of an enumeration, not the author
            out.extend(
                Candidate(n, "body", m.start() + i, m.start() + i + len(n))
                for i, n in _names_in_run(m.group())
            )
    return out


def _names_in_run(run: str) -> list[tuple[int, str]]:
    """(offset, name) of a name opening a clause (after a preposition or 年度), the way authors name themselves."""
    stripped = _LEAD_WORDS.sub("", run)
    for r in (stripped, run) if stripped != run else (run,):
        name = cut_name(r[:32])
        # 国务院(办公厅) in running text issues guidance (…2018年度政务公开工作要点出台后); it is not the author
        if name and valid_start(name) and not _bare_government(name) and not name.startswith("国务院"):
            return [(len(run) - len(r), name)]
    return []


def _bare_government(name: str) -> bool:
    """市政府办公厅 / 区人民政府: a superior government named without its place (not the author)."""
    return bool(region.parse_place_prefix(name).bare) and bool(_GOVERNMENT_END.search(name))


def _most_frequent(cands: list[Candidate]) -> Candidate | None:
    if not cands:
        return None
    counts = Counter(expand(c.name) for c in cands)
    best = max(counts.values())
    return next(c for c in cands if counts[expand(c.name)] == best)


# ---------------------------------------------------------------------------------------------------
# completion


def _place_government(place: str, norm: str) -> str:
    """The government of a place named alone in a title (上海市 → 上海市人民政府)."""
    if place.endswith(region.ZONE_SUFFIXES):
        for form in ("管委会", "管理委员会"):
            if place + form in norm or place[-1] + form in norm:  # 平潭综合实验区管委会 / 区管委会
                return place + form
        return place + "管理委员会"
    return place + "人民政府"


def _is_place_like(p: str) -> bool:
    """A string that is only place names: 中华人民共和国, 济宁市, 平潭综合实验区, 遂溪县."""
    if p in ("中华人民共和国", "国家"):
        return True
    pp = region.parse_place_prefix(p)
    return bool(pp.divisions) and pp.text == p


def extends(longer: str, name: str) -> bool:
    """Is ``longer`` a fuller form of ``name`` (more place before it, 人民政府 after a town)?"""
    if longer == name or len(longer) <= len(name):
        return False
    core = longer
    for suf in ("人民政府", "办事处"):
        if core.endswith(suf) and not name.endswith(suf) and is_town(name):
            core = core[: -len(suf)]
    if core == name:
        return True
    if core.endswith(name) and _is_place_like(core[: -len(name)]):
        return True
    pp = region.parse_place_prefix(name)
    if pp.divisions and pp.text and core.startswith(pp.text):
        rest = name[len(pp.text) :]
        middle = core[len(pp.text) : len(core) - len(rest)] if rest and core.endswith(rest) else None
        if middle and middle.endswith(region.ZONE_SUFFIXES):
            return True
    return False


def _prefixed_occurrences(norm: str, name: str) -> list[str]:
    """Every ``<place>name`` string in the text (济宁市商务局 for 市商务局 …), places validated."""
    out = []
    pos = norm.find(name)
    while pos != -1:
        run = _CJK_RUN.search(norm, max(0, pos - 14), pos)
        while run and run.end() < pos:
            run = _CJK_RUN.search(norm, run.end(), pos)
        if run:
            out.extend(
                run.group()[i:] for i in range(len(run.group()) - 1) if _is_place_like(run.group()[i:])
            )
        pos = norm.find(name, pos + len(name))
    return out


def _complete_bare(
    name: str, bare: str, norm: str, title: Title | None, context: Counter[str]
) -> tuple[str, str | None]:
    """Fill a bare level prefix (市商务局 → 济宁市商务局) with the place the text names."""
    rest = name[len(bare) :]
    if title is not None and title.place_only and title.agency and title.agency.endswith(bare):
        return title.agency + rest, title.agency
    literal = Counter(p for p in _prefixed_occurrences(norm, rest) if p.endswith(bare) and p != bare)
    if literal:
        full = literal.most_common(1)[0][0]
        return full + rest, full
    place = _place_for_bare(bare, norm, context)
    if place is not None:
        return place + rest, place
    return name, None


def _place_for_bare(bare: str, norm: str, context: Counter[str]) -> str | None:
    """The division of the given level the text names most often (full names count double)."""
    idx = region.index()
    if bare == "区":
        zones = Counter(z for m in _ZONE_IN_TEXT.finditer(norm) if (z := _zone_name(m.group())))
        if zones:
            return zones.most_common(1)[0][0]
    kinds = {
        "市": (region.PREFECTURE, region.COUNTY),
        "州": (region.PREFECTURE,),
        "省": (region.PROVINCE,),
        "自治区": (region.PROVINCE,),
        "县": (region.COUNTY,),
        "区": (region.COUNTY,),
        "旗": (region.COUNTY,),
    }.get(bare)
    if kinds is None:
        return None
    scores: Counter[str] = Counter()
    for nm, n in context.items():
        if nm.endswith(bare) and any(d.kind in kinds for d in idx.lookup(nm)):
            scores[nm] += 2 * n
    for nm, n in region.short_mentions(_scan_text(norm), (region.PREFECTURE, region.PROVINCE)).items():
        if nm.endswith(bare) and any(d.kind in kinds for d in idx.lookup(nm)):
            scores[nm] += n
    if bare == "自治区":
        for d in region.autonomous_regions():
            scores[d.name] += norm.count("全" + d.short[-1])
    ranked = [kv for kv in scores.most_common(2) if kv[1] > 0] + [("", 0), ("", 0)]
    return ranked[0][0] if ranked[0][1] > ranked[1][1] else None


def _zone_name(run: str) -> str | None:
    """The zone name ending ``run`` whose first part is a known place (…通过平潭综合实验区 → 平潭综合实验区)."""
    for i in range(len(run) - 2):
        if _is_place_like(run[i:]):
            return run[i:]
    return None


def _scan_text(norm: str) -> str:
    return norm[:BODY_SCAN] + "\n" + norm[-TAIL_SCAN:] if len(norm) > BODY_SCAN + TAIL_SCAN else norm


def _self_reference(norm: str, context: Counter[str]) -> tuple[str, int, int] | None:
    """我委 + the dominant sector + the place the text names → 重庆市商务委员会 (inferred)."""
    head = norm[:BODY_SCAN]
    first = _SELF.search(head)
    if first is None:
        return None
    kind = Counter(m.group(1) for m in _SELF.finditer(head)).most_common(1)[0][0]
    sectors = Counter({s: head.count(s) for s in _SECTORS if s in head})
    ranked = sectors.most_common(2) + [("", 0)]
    if not sectors or ranked[0][1] < 2 or ranked[0][1] < 2 * ranked[1][1]:
        return None
    place = _dominant_place(context)
    if place is None:
        return None
    return place + ranked[0][0] + _SELF_SUFFIX[kind], first.start(), first.end()


def _dominant_place(context: Counter[str]) -> str | None:
    """The only province- or prefecture-level place named at least twice, when there is one."""
    idx = region.index()
    named = [
        nm
        for nm, n in context.items()
        if n >= 2 and any(d.kind in (region.PROVINCE, region.PREFECTURE) for d in idx.lookup(nm))
    ]
    return named[0] if len(named) == 1 else None


# ---------------------------------------------------------------------------------------------------
# choice


def choose_agency(
    text: str,
    norm: str,
    header: Header,
    title: Title | None,
    mentions: list[Mention],
    body_start: int,
    content_end: int,
) -> AgencyResult:
    """Pick, complete and resolve the agency of one report."""
    head_end = min(len(norm), body_start + BODY_SCAN)
    tail_start = max(head_end, content_end - TAIL_SCAN)
    context = region.mentions(norm[body_start:head_end]) + region.mentions(norm[tail_start:content_end])
    stated = compiler_candidates(norm, body_start, head_end) + statement_candidates(mentions)
    sigs = signature_candidates(norm, body_start, content_end, title)
    signatures = [c for c in sigs if c.source == "signature"]
    bylines = [c for c in sigs if c.source == "byline"]
    headers = header_candidates(header)
    # the report's other titles (龙归镇… / 武江区龙归镇人民政府2016年…) give fuller forms of the name
    titled = [
        Candidate(x.agency, "title", x.agency_start, x.agency_end)
        for x in mentions
        if x.kind == "title"
        and x.agency
        and x.agency_start is not None
        and x.agency_end is not None
        and strict_name(x.agency)
    ]
    strong = stated + signatures + bylines + headers + titled

    primary: Candidate | None = None
    wide = (
        None if title is not None and title.agency else _government_wide(norm, body_start, head_end, context)
    )
    if wide is not None:
        return _finish(wide, text[wide.start : wide.end], norm, title, context, [])
    place_statement = _place_statement(mentions) if title is None or not title.agency else None
    if title is not None and title.agency and not title.place_only:
        primary = Candidate(title.agency, "title", title.agency_start or 0, title.agency_end or 0)
    elif place_statement is not None:
        # 现公布贵港市2021年…报告: a statement naming a place only, read like a title naming a place only
        gov = _place_government(place_statement.agency or "", norm)
        s0, e0 = place_statement.agency_start or 0, place_statement.agency_end or 0
        compiled = next(iter(stated + headers), None)
        evidence = text[s0:e0] + (f" … {text[compiled.start : compiled.end]}" if compiled else "")
        return _finish(Candidate(gov, "statement", s0, e0), evidence, norm, title, context, [])
    elif title is not None and title.place_only:
        # a government-wide report: credited to the place's government, whoever compiled it
        gov = _place_government(title.agency or "", norm)
        primary = Candidate(gov, "title", title.agency_start or 0, title.agency_end or 0)
        compiled = next(iter(stated + headers), None)
        evidence = text[primary.start : primary.end]
        if compiled is not None:
            evidence += f" … {text[compiled.start : compiled.end]}"
        return _finish(primary, evidence, norm, title, context, [])
    else:
        for group in (stated, signatures, bylines, headers):
            if group:
                primary = group[0]
                break
        if primary is None:
            primary = next(iter(contact_candidates(norm, body_start, head_end)), None)
        if primary is None:
            primary = _own_level_government(norm, mentions, body_start, head_end)
        if primary is None:
            primary = _most_frequent(
                body_candidates(norm, body_start, min(head_end, body_start + BODY_NAMES_SCAN))
            )
    if primary is None:
        primary = _place_subject(norm, body_start, head_end, context)
    if primary is None:
        inferred = _self_reference(norm, context)
        if inferred is None:
            return AgencyResult(None, None, None, None)
        name, s, e = inferred
        return _finish(Candidate(name, "inferred", s, e), text[s:e], norm, title, context, strong)
    return _finish(primary, text[primary.start : primary.end], norm, title, context, strong)


def _place_statement(mentions: list[Mention]) -> Mention | None:
    """The first statement that names the report by a place only (现发布《辽宁省2019年度…报告》)."""
    return next((x for x in mentions if x.kind == "statement" and x.agency and is_place_only(x.agency)), None)


def _own_level_government(norm: str, mentions: list[Mention], start: int, end: int) -> Candidate | None:
    """特向社会公布2018年度本级政府信息公开年度报告 + the place of the government's own web site."""
    if not any("本级政府" in norm[x.start : x.end] for x in mentions if x.kind == "statement"):
        return None
    for m in _GOV_SITE.finditer(norm, start, end):
        place = next(
            (m.group(1)[i:] for i in range(len(m.group(1)) - 1) if _is_place_like(m.group(1)[i:])), None
        )
        if place:
            return Candidate(_place_government(place, norm), "statement", m.start(1), m.end(1))
    return None


def _place_subject(norm: str, start: int, end: int, context: Counter[str]) -> Candidate | None:
    """A text that names no agency but opens its sentences with the place (2022年，乌鲁木齐市坚持…).

    Only when the text never speaks as a department (我局/我委/我厅/我办) and the place is the one the
    text names most; the report is the place's government-wide report.
    """
    if _SELF.search(norm, start, end):
        return None
    hits: Counter[str] = Counter()
    first: dict[str, tuple[int, int]] = {}
    for m in _PLACE_SUBJECT.finditer(norm, start, end):
        run = m.group("run")
        pp = region.parse_place_prefix(run)
        if not (pp.divisions and pp.full) or not _SUBJECT_NEXT.match(run[len(pp.text) :]):
            continue
        hits[pp.text] += 1
        first.setdefault(pp.text, (m.start("run"), m.start("run") + len(pp.text)))
    if len(hits) != 1:
        return None
    place = next(iter(hits))
    if _dominant_place(context) not in (None, place):
        return None
    s, e = first[place]
    return Candidate(_place_government(place, norm), "body", s, e)


def _aliased(norm: str, name: str) -> str | None:
    """The full name a text introduces with (以下简称<name>), when it is a valid name."""
    if "以下简称" not in norm[:BODY_SCAN]:
        return None  # the pattern opens with a CJK run: cheap to rule out first
    for m in _ALIAS.finditer(norm, 0, min(len(norm), BODY_SCAN)):
        if m.group(2) != name:
            continue
        run = m.group(1)
        full = next((run[i:] for i in range(len(run) - 1) if strict_name(run[i:])), None)
        if full and full != name:
            return full
    return None


def _government_wide(norm: str, start: int, end: int, context: Counter[str]) -> Candidate | None:
    """A report compiled from the subordinate governments' reports is the place's government's report.

    The place is the one printed before 各县 (综合丽水市各县(市、区)…), else the only province or prefecture
    the text names repeatedly (由市政府办公厅综合各区(县)… in a 上海 text).
    """
    found = [m for rx in _WIDE if (m := rx.search(norm, start, min(end, start + 600)))]
    if not found:
        return None
    m = min(found, key=lambda x: x.start())
    lead = m.group("lead")
    place = next((lead[i:] for i in range(len(lead) - 1) if _is_place_like(lead[i:])), None)
    if place is None:
        place = _dominant_place(context)
    if place is None:
        return None
    return Candidate(_place_government(place, norm), "compiler", m.start(), m.end())


def _finish(
    primary: Candidate,
    evidence: str,
    norm: str,
    title: Title | None,
    context: Counter[str],
    strong: list[Candidate],
) -> AgencyResult:
    """Expand, complete the place prefix, prefer a fuller form, and resolve the place."""
    full = _aliased(norm, primary.name)
    if full is not None:
        primary, evidence = (
            Candidate(full, primary.source, primary.start, primary.end),
            f"{evidence} … {full}",
        )
    name, source = expand(primary.name), _SOURCE[primary.source]
    pp = region.parse_place_prefix(name)
    if pp.bare and not is_town(name):
        completed, place_txt = _complete_bare(name, pp.bare, norm, title, context)
        if place_txt:
            name, source, evidence = completed, source + "+body", f"{evidence} … {place_txt}"
            pp = region.parse_place_prefix(name)
    fuller: list[str] = []
    if not (pp.divisions and pp.full):  # a name with a proper place keeps its printed form
        longer = [expand(c.name) for c in strong]
        if not pp.divisions and not is_town(name):
            longer += [p + name for p in _prefixed_occurrences(norm, name)]
        fuller = [x for x in longer if strict_name(x) and extends(x, name)]
    if fuller:
        best = max(fuller, key=len)
        name, evidence = best, f"{evidence} … {best}"
        pp = region.parse_place_prefix(name)
    place = region.resolve_chain(pp.divisions, context) if pp.divisions else None
    if place is None and is_town(name):
        place = region.infer_home(context, _scan_text(norm))
    return AgencyResult(name, source, evidence, place, national=pp.national)
