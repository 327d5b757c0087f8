"""Agency-name grammar: what a name looks like, how to cut one out of a phrase, and how to normalise it.

A name is a run of CJK characters that ends in an agency suffix (人民政府, 办公室, 局, 委员会, 厅, 部,
街道办事处, 镇 …). Normalisation is deliberately small and general:

- ``X市政府`` → ``X市人民政府`` (the 政府 of a place is its 人民政府), ``政府办`` → ``人民政府办公室``;
- common short forms of department names are written out (质监局 → 质量技术监督局, 质检总局 →
  国家质量监督检验检疫总局), following the official naming of the period;
- the internal office of a department writes the department's report: ``X局办公室`` → ``X局`` (the
  general offices of governments and management committees are agencies in their own right and stay).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.metadata import region

# Longest first: the suffix decides both the cut and the agency type.
SUFFIXES = (
    "人民政府办公室",
    "人民政府办公厅",
    "政府办公室",
    "政府办公厅",
    "管理委员会办公室",
    "管委会办公室",
    "街道办事处",
    "人民政府",
    "管理委员会",
    "管委会",
    "委员会",
    "办事处",
    "办公室",
    "办公厅",
    "总局",
    "总署",
    "政府",
    "局",
    "厅",
    "委",
    "部",
    "署",
    "办",
    "镇",
    "乡",
    "街道",
)
_SUFFIX_RX = "|".join(SUFFIXES)
NAME_BODY = r"[\u4e00-\u9fff()（）]"
_NAME_CHARS = re.compile(NAME_BODY + "+")

# Words that show a phrase is not an agency name (an internal unit, a web site, a document …).
_NOT_A_NAME = re.compile(
    r"信息公开|政务公开|公开办|领导小组|网站|门户|公众号|栏目|专栏|条例|办法|规定|通知|意见|报告|年报|本单位|本机关|"
    r"^本|^我|^该|^各|^全|^[省市县区镇乡街]{2}|政府(?!办公室|办公厅|办$|$|国资委$|国有资产监督管理委员会$)|党政|综合办|我局|我委|我厅|我办|我区|我县|我市|我镇|我乡|各部|各局|各委|所属|下属|有关|相关|上级|全市|全区|全县|全省|"
    r"党委|党组|党工委|区委|市委|县委|省委|^[省市县区镇乡州]?(?:人民)?政府$|^[^省市县区]{0,1}(?:人民)?政府$"
)
_BARE_PREFIX = re.compile(r"(?:自治区|自治州|[省市县区州旗])")
_GOVERNMENT_END = re.compile(r"(?:政府|管委会|管理委员会)$")
_TOWN_END = re.compile(r"(?:镇|乡|街道)(?:人民政府|办事处)?$")
_DEPT_OFFICE = re.compile(r"^(.+(?:局|厅|委员会|委|部|总局|署))办公室$")
_GOV_SHORT = re.compile(r"^(.*(?:[省市县区旗州镇乡]))政府(办公室|办公厅|办)?$")

# Short forms → official forms (period-appropriate names of the reporting departments).
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("质检总局", "国家质量监督检验检疫总局"),
    ("工商总局", "国家工商行政管理总局"),
    ("税务总局", "国家税务总局"),
    ("食药监总局", "国家食品药品监督管理总局"),
    ("安监总局", "国家安全生产监督管理总局"),
    ("质监局", "质量技术监督局"),
    ("地税局", "地方税务局"),
    ("国税局", "国家税务局"),
    ("食药监局", "食品药品监督管理局"),
    ("药监局", "药品监督管理局"),
    ("市监局", "市场监督管理局"),
    ("发改委", "发展和改革委员会"),
    ("发改局", "发展和改革局"),
    ("人社局", "人力资源和社会保障局"),
    ("人社厅", "人力资源和社会保障厅"),
    ("住建局", "住房和城乡建设局"),
    ("住建委", "住房和城乡建设委员会"),
    ("住建厅", "住房和城乡建设厅"),
    ("卫计委", "卫生和计划生育委员会"),
    ("卫健委", "卫生健康委员会"),
    ("卫健局", "卫生健康局"),
    ("环保局", "环境保护局"),
    ("环保厅", "环境保护厅"),
    ("国土局", "国土资源局"),
    ("国土厅", "国土资源厅"),
    ("经信委", "经济和信息化委员会"),
    ("经信局", "经济和信息化局"),
    ("安监局", "安全生产监督管理局"),
    ("工商局", "工商行政管理局"),
    ("民宗局", "民族宗教事务局"),
    ("政府办", "人民政府办公室"),
    ("政府国资委", "人民政府国有资产监督管理委员会"),
    ("国资委", "国有资产监督管理委员会"),
)

# Ministries and national administrations that name themselves without 中华人民共和国 (水利部2009年…).
# A closed list (the State Council's departments of 2008–2025, old names included), so that a bare
# 部/署/总局 in running text is only taken as an author when it is one of them.
NATIONAL_BODIES = frozenset(
    (
        "外交部 国防部 教育部 科学技术部 工业和信息化部 公安部 国家安全部 民政部 司法部 财政部 "
        "人力资源和社会保障部 自然资源部 生态环境部 住房和城乡建设部 交通运输部 水利部 农业农村部 商务部 "
        "文化和旅游部 退役军人事务部 应急管理部 审计署 海关总署 国土资源部 环境保护部 农业部 文化部 卫生部 "
        "铁道部 监察部 建设部 人事部 国家发展和改革委员会 国家民族事务委员会 国家卫生健康委员会 "
        "国家卫生和计划生育委员会 国家人口和计划生育委员会 国家税务总局 国家统计局 国家市场监督管理总局 "
        "国家广播电视总局 国家体育总局 国家林业和草原局 国家林业局 国家知识产权局 国家能源局 国家烟草专卖局 "
        "国家移民管理局 国家铁路局 中国民用航空局 国家邮政局 国家文物局 国家中医药管理局 国家外汇管理局 "
        "国家药品监督管理局 国家医疗保障局 国家粮食和物资储备局 国家国防科技工业局 国家新闻出版署 "
        "国家宗教事务局 国家信访局 国家档案局 国家保密局 国家密码管理局 国家乡村振兴局 国家消防救援局 "
        "国家矿山安全监察局 国家数据局 国家金融监督管理总局 国家公务员局 国家航天局 国家原子能机构"
    ).split()
)


def _brackets_balanced(s: str) -> bool:
    """Every bracket in a name is closed in order (…办事处(办 and 区)和… are cut from running text)."""
    depth = 0
    for ch in s:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def is_name(s: str) -> bool:
    """Does ``s`` look like an agency name (and not an internal unit, a site or a document)?"""
    if not 2 <= len(s) <= 32 or not _NAME_CHARS.fullmatch(s) or not _brackets_balanced(s):
        return False
    if "各" in s:  # 综合各区(县)人民政府 / 市级各部门: an enumeration, never part of one agency's name
        return False
    if not s.endswith(SUFFIXES) or _NOT_A_NAME.search(s):
        return False
    bare = _BARE_PREFIX.match(s)
    return not (bare and len(s) - bare.end() < 2)


def cut_name(phrase: str) -> str | None:
    """The longest leading part of ``phrase`` that is a valid agency name (``X办公室保密处`` → ``X办公室``)."""
    phrase = phrase.strip()
    ends = sorted({m.start() + len(m.group(1)) for m in _SUFFIX_AT.finditer(phrase)}, reverse=True)
    for e in ends:
        if is_name(phrase[:e]) and not phrase.startswith(_NOT_AFTER_SUFFIX, e):
            return phrase[:e]
    return None


_SUFFIX_AT = re.compile(f"(?=({_SUFFIX_RX}))")
# 政府 followed by 信息/网站 is part of 政府信息公开 / 政府网站, not the end of a name.
# 委 followed by 会 is part of 委员会 / 管委会; 部 followed by 门 / 署 / 分 is 部门 / 部署 / 部分.
_NOT_AFTER_SUFFIX = ("信息", "网", "门户", "公报", "官网", "会", "员会", "长", "门", "署", "分")


def expand(name: str) -> str:
    """Official form of a name: abbreviations written out, 政府 → 人民政府, 局办公室 → 局."""
    for short, full in ABBREVIATIONS:
        if name.endswith(short):
            base = name[: -len(short)]
            if full.startswith("国家") and base:
                full = full[2:]
            name = base + full
            break
    m = _GOV_SHORT.match(name)
    if m and not name.endswith("人民政府") and "人民政府" not in name:
        office = {"办公室": "办公室", "办公厅": "办公厅", "办": "办公室"}.get(m.group(2) or "", "")
        name = f"{m.group(1)}人民政府{office}"
    m = _DEPT_OFFICE.match(name)
    if m and not _GOVERNMENT_END.search(m.group(1)):
        name = m.group(1)
    return name


# a town name: 2–4 characters, none of them a function word (每月对全乡 is not a town)
TOWN = re.compile(r"[^\W\d_全各每对本我该其在等和与及或月日年的是]{2,4}?(?:镇|乡|街道)")
# a verb opening the phrase (结合复兴镇2023年…情况 / 围绕城乡…): the phrase is a sentence, not a name
VERB_LEAD = re.compile(r"^(?:结合|围绕|按照|根据|依据|对照|坚持|推进|加强|做好|落实|通过|经过|关于|报送)")


@lru_cache(maxsize=8192)
def valid_start(name: str) -> bool:
    """Does a name start like an agency?

    A place, a level word, 国家/中华人民共和国, a town, an abbreviation or a State Council department.
    """
    if VERB_LEAD.match(name):
        return False
    p = region.parse_place_prefix(name)
    if p.divisions or p.bare or p.national or TOWN.match(name):
        return True
    if any(name.startswith(body) for body in NATIONAL_BODIES):
        return True
    return any(name == short for short, _ in ABBREVIATIONS)


def is_town(name: str) -> bool:
    """Township-level name (镇 / 乡 / 街道, with or without 人民政府 / 办事处)."""
    return bool(_TOWN_END.search(name))
