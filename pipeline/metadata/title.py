"""Report mentions: ``<agency><year>年…信息公开…报告`` phrases, as a title or inside a sentence.

Every place where the text names *this* report is found by one pattern (a year followed within a few
characters by 信息公开 … 报告/年报/情况). Each mention is then classified:

- ``title``: it stands at a line/segment boundary (start of a line, after a crawler ``标题:`` field,
  after page chrome such as ``-->`` or ``Page 4 -``) and what precedes the year is a name or nothing;
- ``statement``: it follows a publishing verb in a sentence (现公布 / 特向社会公布 / 编制 …).

The agency part is what stands before the year (市商务局2014年…) or between the year and 政府信息公开
(2022年上海市政府信息公开…, 关于2017年教育部政府信息公开…); a name on the line above a title that
has none is taken too (淮安市人民政府 / 2024 年政府信息公开工作年度报告).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.metadata.dates import cn_year
from pipeline.metadata.names import VERB_LEAD as _VERB_LEAD
from pipeline.metadata.names import is_name, valid_start

HEAD_CHARS = 2500

REPORT_MENTION = re.compile(
    # the year, (?:19|20)\d\d or 二 and three numerals, opening on one character class so that the regex
    # engine scans for it (a lookbehind picks the branch); same matches as written plainly
    r"(?P<year>[12二](?:(?<=1)9\d\d|(?<=2)0\d\d|(?<=二)[〇零一二三四五六七八九]{3}))(?:\s*年度?|(?<=[\u4e00-\u9fff]\d{4})[ \t]*(?=\n))\s*(?:的)?"
    r"(?P<post>[\u4e00-\u9fff()]{0,24}?)"
    r"(?:政府|政务)?信息公开(?:工作)?(?:年度|年)?(?:工作)?(?:情况|报告|年报|的报告)"
)
_BOUNDARY_BEFORE = re.compile(r"(?:^|\n|[>:|《\-]|\s{2,}|[ \t]|关于|报送)$")
_VERB = re.compile(
    r"现将|现公布|现予公布|现公开|现予公开|特向社会公布|特向社会公开|向社会公布|特编制|公布|编制"
)
# 现发布《X2023年政府信息公开工作年度报告》: the report published under its own title (not a cited document)
_PUBLISH_BOOK = re.compile(
    r"(?:现发布|现公布|现予公布|现予发布|现将|现向社会公开|向社会公开|向社会公布|特发布|编制完成|发布)\s*$"
)
_PRE_RUN = re.compile(r"[\u4e00-\u9fff()（）]{1,40}\Z")


@dataclass(frozen=True)
class Mention:
    """One mention of the report (title or statement)."""

    kind: str  # title | statement
    year: int
    agency: str | None
    start: int  # start of the printed title/statement (agency included)
    end: int
    year_start: int
    year_end: int
    agency_start: int | None = None
    agency_end: int | None = None


def _year(s: str) -> int:
    """2019 / 二〇一九 → 2019."""
    return int(s) if s.isdigit() else cn_year(s) or 0


def _in_book_title(norm: str, pos: int) -> bool:
    """Is ``pos`` inside 《…》 (a cited document, not this report)?"""
    open_ = norm.rfind("《", max(0, pos - 80), pos)
    return open_ != -1 and norm.find("》", open_, pos) == -1


def _pre_part(norm: str, year_start: int, floor: int) -> tuple[str, int]:
    """CJK run ending right before the year (one space allowed between it and the year)."""
    j = year_start
    if j > floor and norm[j - 1] in " \t":
        j -= 1
    m = _PRE_RUN.search(norm, max(floor, j - 40), j)
    if not m:
        return "", year_start
    return m.group(), m.start()


def find_mentions(norm: str, start: int, end: int) -> list[Mention]:
    """All report mentions in ``norm[start:end]``."""
    out: list[Mention] = []
    for m in REPORT_MENTION.finditer(norm, start, end):
        published = False
        if _in_book_title(norm, m.start()):
            book = norm.rfind("《", 0, m.start())
            published = bool(_PUBLISH_BOOK.search(norm, max(0, book - 8), book))
            if not published and not norm.startswith("关于报送", max(0, book - 4)):
                continue
        year = _year(m.group("year"))
        post = m.group("post")
        pre, pre_start = _pre_part(norm, m.start(), start)
        verbs = list(_VERB.finditer(pre)) if pre else []
        ys, ye = m.start("year"), m.end("year")
        if verbs:
            cut = verbs[-1].end()
            agency_txt, a_start = (
                pre[cut:].lstrip("《"),
                pre_start + cut + (1 if pre[cut:].startswith("《") else 0),
            )
            kind = "statement"
        else:
            agency_txt, a_start = pre, pre_start
            for lead in ("关于报送", "关于", "报送"):
                if lead in agency_txt:
                    i = agency_txt.rindex(lead)
                    if i + len(lead) < len(agency_txt):
                        agency_txt, a_start = agency_txt[i + len(lead) :], a_start + i + len(lead)
                    else:
                        agency_txt = agency_txt[:i]
                    break
            # a preceding sentence fragment (…如下：平潭) is not part of a title
            kind = (
                "title"
                if not published
                and (_BOUNDARY_BEFORE.search(norm[max(0, pre_start - 4) : pre_start]) or pre_start == start)
                else "statement"
            )
            if agency_txt and not (
                (is_name(agency_txt) and not _VERB_LEAD.match(agency_txt)) or is_place_only(agency_txt)
            ):
                trimmed = _trim_to_name(agency_txt)
                if trimmed is None:
                    kind = "statement"
                    agency_txt = ""
                else:
                    a_start += len(agency_txt) - len(trimmed)
                    agency_txt = trimmed
        agency: str | None = agency_txt or None
        a_end = a_start + len(agency_txt) if agency else None
        start_at = a_start if agency else ys
        if post and (is_name(post) or is_place_only(post)):
            # 2022年上海市政府信息公开… / 关于2017年教育部政府信息公开…: the subject follows the year
            agency, a_start, a_end = post, m.start("post"), m.end("post")
        out.append(Mention(kind, year, agency, start_at, m.end(), ys, ye, a_start if agency else None, a_end))
    return out


def _trim_to_name(s: str) -> str | None:
    """Longest suffix of ``s`` that is a name or a place (…年报 平潭综合实验区 → 平潭综合实验区).

    The suffix must start like an agency: 本报告主要内容为鄯善县人民政府 gives 鄯善县人民政府, not
    告主要内容为鄯善县人民政府.
    """
    unled = _VERB_LEAD.sub("", s)
    if unled != s and ((is_name(unled) and valid_start(unled)) or is_place_only(unled)):
        return unled  # 结合复兴镇 → 复兴镇
    for i in range(len(s) - 1):
        if (is_name(s[i:]) and valid_start(s[i:])) or is_place_only(s[i:]):
            return s[i:]
    return None


_PLACE_ONLY = re.compile(
    r"^[\u4e00-\u9fff]{2,14}?(?:省|市|县|区|自治区|自治州|自治县|州|盟|旗|综合实验区|实验区|示范区|新区|开发区)$"
)


def is_place_only(s: str) -> bool:
    """A bare place name standing for its government (上海市, 平潭综合实验区)."""
    return bool(_PLACE_ONLY.match(s)) and not is_name(s)


@dataclass(frozen=True)
class Title:
    """The report's title as printed, its year and agency part."""

    text: str
    year: int | None
    agency: str | None
    agency_start: int | None
    agency_end: int | None
    start: int
    end: int
    source: str  # crawler | page

    @property
    def place_only(self) -> bool:
        """The title names a place, not an agency: the report covers the place's government."""
        return bool(self.agency) and is_place_only(self.agency)


_LINE_NAME = re.compile(r"([\u4e00-\u9fff()（）]{2,30})[ \t]*\n[ \t]*\n?[ \t]*$")
# the same name printed letter-spaced, as headings often are
_SPACED_LINE_NAME = re.compile(r"((?:[\u4e00-\u9fff][ \t\u3000]{0,3}){2,30})\n[ \t]*\n?[ \t]*$")
_SPACES = re.compile(r"[ \t\u3000]+")


def find_title(norm: str, body_start: int, crawler_title: tuple[str, int, int] | None) -> Title | None:
    """The report title: the crawler's 标题 field, else the first title-like mention in the head."""
    if crawler_title and crawler_title[0]:
        for x in find_mentions(norm, crawler_title[1], crawler_title[2]):
            return _as_title(norm, x, "crawler")
    head_end = min(len(norm), body_start + HEAD_CHARS)
    titles = [
        _as_title(norm, x, "page") for x in find_mentions(norm, body_start, head_end) if x.kind == "title"
    ]
    if titles:
        # a breadcrumb (首页 > 年报 > 2013年政府信息公开年度报告) comes before the real, named title
        return next((t for t in titles if t.agency), titles[0])
    m = _YEARLESS_TITLE.search(norm, body_start, min(len(norm), body_start + YEARLESS_HEAD))
    if m and is_name(m.group("agency")):
        a, year = m.group("agency"), int(m.group("year")) if m.group("year") else None
        return Title(
            m.group().strip(), year, a, m.start("agency"), m.end("agency"), m.start("agency"), m.end(), "page"
        )
    return None


YEARLESS_HEAD = 600
# A title line without a leading year: 某某局政府信息公开工作年度报告 / …年度报告（2019年度）
_YEARLESS_TITLE = re.compile(
    r"^[ \t]*(?P<agency>[\u4e00-\u9fff()（）]{2,30}?)(?:关于)?(?:政府|政务)?信息公开(?:工作)?(?:年度)?报告"
    r"(?:[ \t]*[(（][ \t]*(?P<year>(?:19|20)\d\d)[ \t]*年度?[ \t]*[)）])?[ \t]*$",
    re.M,
)


def _as_title(norm: str, x: Mention, source: str) -> Title:
    agency, a_start, a_end, start = x.agency, x.agency_start, x.agency_end, x.start
    if agency is None:
        line_start = norm.rfind("\n", 0, x.year_start) + 1
        if not norm[line_start : x.year_start].strip():
            m = _LINE_NAME.search(norm, max(0, line_start - 40), line_start)
            if m and is_name(m.group(1)):
                agency, a_start, a_end, start = m.group(1), m.start(1), m.end(1), m.start(1)
            else:
                m = _SPACED_LINE_NAME.search(norm, max(0, line_start - 100), line_start)
                name = _SPACES.sub("", m.group(1)) if m else ""
                if m and is_name(name) and valid_start(name):
                    agency, a_start, a_end, start = name, m.start(1), m.end(1), m.start(1)
    return Title(norm[start : x.end], x.year, agency, a_start, a_end, start, x.end, source)
