"""Text normalisation for matching.

Everything here is *length-preserving*: character i of the normalised text corresponds to character i of
the original decoded text, so a regex match on the normalised text gives char offsets that are valid in
the original. Evidence is always cut from the original text with those offsets.
"""

from __future__ import annotations

import re

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
_TABLE = str.maketrans(_MAP)

_CRLF = re.compile(r"\r\n?")


def normalize(text: str) -> str:
    """Return a same-length copy of ``text`` for pattern matching.

    Full-width ASCII becomes ASCII, exotic spaces become a plain space, curly quotes straight quotes,
    and CR or CRLF line ends become LF (CRLF → space + LF, so lengths are unchanged).
    """
    out = text.translate(_TABLE)
    if "\r" in out:
        out = _CRLF.sub(lambda m: " \n" if len(m.group()) == 2 else "\n", out)
    return out


_SPACES = re.compile(r"[ \t\u3000\xa0]+")


def squash_spaces(s: str) -> str:
    """Remove all horizontal whitespace (for comparing labels, never for offsets)."""
    return _SPACES.sub("", s)


def compact_label(s: str) -> str:
    """Canonical form of a table label: normalised, no whitespace at all."""
    return re.sub(r"\s+", "", normalize(s))
