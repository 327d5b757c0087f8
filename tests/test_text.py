"""Length-preserving normalisation, including traditional-character texts."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline import text as text_module
from pipeline.text import _TABLE, _translate, has_traditional_char, is_traditional, normalize, strip_ws
from tests.conftest import RAW


def test_normalize_keeps_length_and_maps_widths_spaces_and_line_ends() -> None:
    s = "全年主动公开１２３条（含\u3000规范性文件）\r\n共收到申请\xa02件\r"
    n = normalize(s)
    assert len(n) == len(s)
    assert n == "全年主动公开123条(含 规范性文件) \n共收到申请 2件\n"


def test_traditional_text_is_read_as_simplified_character_by_character() -> None:
    s = "本報告所列數據統計期限自2012年1月1日起至12月31日止。全年主動公開政府資訊1234條，收到政府資訊公開申請3件。"
    assert is_traditional(s)
    n = normalize(s)
    assert len(n) == len(s)
    assert "主动公开政府信息1234条" in n and "收到政府信息公开申请3件" in n


def test_simplified_texts_are_never_converted() -> None:
    for p in sorted(Path(RAW).rglob("*.txt")):
        text = p.read_text(encoding="utf-8")
        assert not is_traditional(text), p
    # Characters valid in both scripts stay as printed in a simplified text (乾, 於 …).
    s = "我局于乾隆路办公，显著提高了政府信息公开工作水平，全年主动公开政府信息100条。"
    assert normalize(s).count("乾") == 1


def test_whole_text_paths_match_the_per_character_definitions() -> None:
    r"""The vectorised map and the split-based whitespace removal equal their plain definitions.

    Long texts take the numpy path of ``normalize``; every real text, plus one built from the mapped,
    astral and lone-surrogate code points, must translate exactly as ``str.translate`` does, and
    ``strip_ws`` must remove exactly what regex ``\s`` removes.
    """
    odd = "".join(chr(c) for c in [*range(0x80), *range(0xFF00, 0xFF70), 0x3000, 0xA0, 0x2019, 0x25CB])
    odd += "\ud800\udc80\U0001f600\U00020000\U0010ffff\uffff" + "报告" * 200
    texts = [odd] + [p.read_text(encoding="utf-8") for p in sorted(Path(RAW).rglob("*.txt"))]
    for t in texts:
        assert _translate(t) == t.translate(_TABLE)
        assert strip_ws(t) == re.sub(r"\s+", "", t)
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert strip_ws(every) == re.sub(r"\s+", "", every)


def test_traditional_character_test_agrees_with_the_set() -> None:
    """The code-point table and the set of traditional-only characters give the same answer."""
    chars = frozenset(map(chr, text_module._t2s()[0]))
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(RAW).rglob("*.txt"))]
    samples = [t[i : i + n] for t in texts for i in (0, 500) for n in (40, 300, 1000)]
    samples += ["報告", "报告" * 200 + "統", "𠀀" * 300, "\ud800" * 300, ""]
    answers = [has_traditional_char(s) for s in samples]
    assert answers == [not chars.isdisjoint(s) for s in samples]
    assert any(answers) and not all(answers)
