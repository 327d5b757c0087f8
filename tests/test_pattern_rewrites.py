"""Metadata patterns rewritten for the regex engine's sake match exactly as their plain forms do.

A pattern that opens on a literal or a character class is searched by scanning for it; one that opens
on a lookbehind, an optional group or a repeat is tried at every position. The rewrites move the
lookbehinds after the first character; these tests compare every match (span and groups) with the
plain form on every real text in data/raw and on crafted edge cases.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline import text as text_module
from pipeline.metadata import header, title
from pipeline.textview import normalized

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
TEXTS = [f.read_text(encoding="utf-8") for f in sorted(RAW.rglob("*.txt"))]

PLAIN_KEYS = "|".join(header.FIELD_KEYS)
PLAIN = {
    "header field": (
        header._FIELD,
        header._FIELD.pattern.replace(
            f"(?P<key>{header._KEY_AT_BOUNDARY})", rf"(?:(?<=[\s|>])|^)(?P<key>{PLAIN_KEYS})"
        ),
        header._FIELD.flags,
        ["发布时间:2020-01-02  来源:本站", "x时间:2020", "|发布机构:某局|", ">信息名称:报告\n时间:2021"],
    ),
    "report mention": (
        title.REPORT_MENTION,
        title.REPORT_MENTION.pattern.replace(
            r"(?P<year>[12二](?:(?<=1)9\d\d|(?<=2)0\d\d|(?<=二)[〇零一二三四五六七八九]{3}))",
            r"(?P<year>(?:19|20)\d\d|二[〇零一二三四五六七八九]{3})",
        ),
        title.REPORT_MENTION.flags,
        ["2019年政府信息公开工作年度报告", "二〇一九年度信息公开报告", "1919 2020年", "12020年信息公开年报"],
    ),
    "pinyin ruby": (
        text_module.RUBY,
        text_module.RUBY.pattern.replace(r"\((?<=[\u4e00-\u9fff]\()", r"(?<=[\u4e00-\u9fff])\("),
        text_module.RUBY.flags,
        ["統(tǒng)計(jì)局", "a(tong)", "(tong)"],
    ),
}


@pytest.mark.parametrize("name", PLAIN)
def test_rewritten_pattern_matches_as_written_plainly(name: str) -> None:
    fast, plain_source, flags, crafted = PLAIN[name]
    plain = re.compile(plain_source, flags)
    assert plain.pattern != fast.pattern

    def found(
        rx: re.Pattern[str], s: str, pos: int = 0
    ) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
        return [(m.span(), m.groups()) for m in rx.finditer(s, pos)]

    texts = [normalized(t) for t in TEXTS] + crafted
    assert sum(len(found(plain, t)) for t in texts) > 0
    assert [i for i, t in enumerate(texts) if found(fast, t) != found(plain, t)] == []
    # and from a start offset, as the parsers call them (a lookbehind sees the text before it)
    assert [i for i, t in enumerate(texts) if found(fast, t, 1) != found(plain, t, 1)] == []
