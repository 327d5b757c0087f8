"""Text normalisation for matching.

Everything here is *length-preserving*: character i of the normalised text corresponds to character i of
the original decoded text, so a regex match on the normalised text gives char offsets that are valid in
the original. Evidence is always cut from the original text with those offsets.

Texts in traditional characters (mirror sites convert pages) are mapped character by character to
simplified ones with OpenCC's single-character table, so every parser reads them; the table is applied
only when a text is detected as traditional, never to simplified texts (some characters are valid in both).
"""

from __future__ import annotations

import importlib.resources
import re
from functools import lru_cache

import numpy as np

# One character in, one character out.
_MAP: dict[int, str] = {}
# Full-width ASCII block (！ .. ～) → ASCII.
for _cp in range(0xFF01, 0xFF5F):
    _MAP[_cp] = chr(_cp - 0xFEE0)
_MAP.update(
    {
        0x3000: " ",  # ideographic space
        0x00A0: " ",  # no-break space
        0x2002: " ",
        0x2003: " ",
        0x2009: " ",
        0x200B: " ",  # zero-width space (kept as a space so offsets survive)
        0x200C: " ",
        0x200D: " ",
        0xFEFF: " ",  # BOM / zero-width no-break space
        0x0000: " ",  # NUL bytes from broken downloads
        0x201C: '"',
        0x201D: '"',
        0x2018: "'",
        0x2019: "'",
        0x3014: "(",  # 〔 (document numbers)  – kept as bracket
        0x3015: ")",
        0x2014: "-",  # em dash
        0x2013: "-",
        0x2212: "-",  # minus sign
        0x3007: "〇",  # keep
        0x25CB: "〇",  # ○ used as zero in dates (二○一二)
        0x039F: "〇",  # Greek capital omicron, same use
        0x2236: ":",  # ratio colon
        0xFE30: ":",
    }
)
# A list indexed by code point translates faster than a dict; code points past its end are left as they are.
_TABLE: list[str] = [chr(i) for i in range(0x10000)]
for _cp, _to in _MAP.items():
    _TABLE[_cp] = _to
# The same map as an array of code points, for whole texts (vectorised; ~5x faster than translate).
_CODE_MAP = np.arange(0x10000, dtype=np.uint32)
for _cp, _to in _MAP.items():
    _CODE_MAP[_cp] = ord(_to)
_VECTOR_MIN = 256  # below this many characters str.translate is faster


def code_points(s: str) -> np.ndarray:
    """The code points of ``s`` as a uint32 array (lone surrogates kept), for vectorised lookups."""
    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def from_code_points(codes: np.ndarray) -> str:
    """The string of a uint32 array of code points (the inverse of ``code_points``)."""
    return codes.tobytes().decode("utf-32-le", "surrogatepass")


def _translate(text: str) -> str:
    """``text.translate(_TABLE)``: code points past the table's end are left as they are."""
    if len(text) < _VECTOR_MIN:
        return text.translate(_TABLE)
    codes = code_points(text)
    out = _CODE_MAP[np.minimum(codes, 0xFFFF)]
    high = codes > 0xFFFF
    if high.any():
        out = np.where(high, codes, out)
    return from_code_points(out)


_CJK = re.compile(r"[\u4e00-\u9fff]")
TRADITIONAL_MIN_SHARE = 0.03  # share of CJK characters that exist only in traditional script
TRADITIONAL_SAMPLE = 1000  # characters looked at to decide


# Same-length Taiwan/Hong Kong wordings of the disclosure vocabulary (applied after the character map).
T2S_WORDS = {"资讯": "信息", "网路": "网络", "谘询": "咨询"}

# Mirror sites that convert pages to traditional characters sometimes print the pinyin of a character
# after it (報(bào)告, 統(tǒng)計局): the annotation is blanked (same length), so 报告 / 统计局 read whole in
# the compact view. Only in traditional texts, and only when the text is annotated throughout.
# "(pinyin)" right after a CJK character; the lookbehind comes after the "(" so that the regex engine
# scans for "(" instead of trying the pattern at every position
RUBY = re.compile(r"\((?<=[\u4e00-\u9fff]\()[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{1,7}\)")
RUBY_MIN = 3  # annotations in the sample before a text counts as annotated


def has_ruby(text: str) -> bool:
    """True when the text carries pinyin annotations after its characters (a mirror-site artefact)."""
    return len(RUBY.findall(text[: TRADITIONAL_SAMPLE * 2])) >= RUBY_MIN


@lru_cache(maxsize=1)
def _t2s() -> tuple[dict[int, str], dict[int, None]]:
    """OpenCC's traditional → simplified single-character table (first candidate) and its keys.

    The second table deletes the keys: ``len(s) - len(s.translate(it))`` counts traditional-only
    characters at C speed.
    """
    res = importlib.resources.files("opencc") / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    for line in res.read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        target = simp.split(" ")[0]
        if len(trad) == 1 and len(target) == 1 and target != trad:
            table[ord(trad)] = target
    return table, dict.fromkeys(table)


@lru_cache(maxsize=1)
def _traditional_table() -> np.ndarray:
    """A table over code points, True at each traditional-only character."""
    table = np.zeros(0x110000, dtype=bool)
    table[list(_t2s()[0])] = True
    return table


def has_traditional_char(s: str) -> bool:
    """Whether ``s`` holds a traditional-only character (a fast first test for ``is_traditional``).

    The code points are looked up in the table at once; a set of characters would need a one-character
    string made of every CJK character first (``frozenset.isdisjoint``, ~6x slower on a sample).
    """
    return bool(_traditional_table()[code_points(s)].any())


def is_traditional(text: str) -> bool:
    """True when the text is written in traditional characters (by the share of traditional-only ones)."""
    sample = text[:TRADITIONAL_SAMPLE]
    if not has_traditional_char(sample):
        return False
    n_trad = len(sample) - len(sample.translate(_t2s()[1]))
    n_cjk = len(_CJK.findall(sample))
    return n_cjk >= 20 and n_trad >= TRADITIONAL_MIN_SHARE * n_cjk


def normalize(text: str) -> str:
    """Return a same-length copy of ``text`` for pattern matching.

    Full-width ASCII becomes ASCII, exotic spaces become a plain space, curly quotes straight quotes,
    CR or CRLF line ends become LF (CRLF → space + LF, so lengths are unchanged), and a text in
    traditional characters becomes simplified, character by character.
    """
    out = _translate(text)
    if "\r" in out:
        out = out.replace("\r\n", " \n").replace("\r", "\n")
    if is_traditional(out):
        out = out.translate(_t2s()[0])
        for trad, simp in T2S_WORDS.items():
            out = out.replace(trad, simp)
        if has_ruby(out):
            out = RUBY.sub(lambda m: " " * len(m.group()), out)
    return out


_SPACES = re.compile(r"[ \t\u3000\xa0]+")


def strip_ws(s: str) -> str:
    r"""``s`` without any whitespace (the ``str.isspace`` characters, the same set as regex ``\s``).

    ``str.split`` + ``join`` runs at C speed, several times faster than ``re.sub(r"\s+", "", s)``.
    """
    return "".join(s.split())


def squash_spaces(s: str) -> str:
    """Remove all horizontal whitespace (for comparing labels, never for offsets)."""
    return _SPACES.sub("", s)


def compact_label(s: str) -> str:
    """Canonical form of a table label: normalised, no whitespace at all."""
    return strip_ws(normalize(s))
