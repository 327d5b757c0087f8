"""Round trip for the std tables: generated tables rendered in every flattening, then parsed back.

Random tables whose values satisfy the identities are rendered in every flattening seen in the corpus and
parsed back by ``pipeline.tables.std.parse_std_tables``. The generator and the renderers live in
``benchmarks/synth.py`` (shared with the scale benchmark's corpus generator).

Explicit flattenings (tab cells, one cell per line, ``|`` rows, ``|`` lines, pdftotext with displaced labels and
column-major blocks, ``-layout`` columns, squeezed rows) must come back exactly. Glued crawler text (no
separators) must never yield a wrong value: every emitted value is right and every undecided cell is
reported ``ambiguous``.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synth import EXPLICIT, RENDERERS, Model, generate
from pipeline.tables.std import parse_std_tables

# ---------------------------------------------------------------------------------------------------
# Checks


def check(m: Model, style: str, text: str) -> None:
    res = parse_std_tables(text, m.layout)
    got = {c.metric_id: c for c in res.cells if c.metric_id}
    for c in res.cells:
        if c.char_start is not None and c.status == "ok":
            assert text[c.char_start : c.char_end], (style, c)
    extra = set(got) - set(m.expected)
    assert not extra, (style, sorted(extra)[:5], text[:3000])
    for mid, (status, value) in m.expected.items():
        c = got.get(mid)
        assert c is not None, (style, "missing", mid, text)
        if style == "glued":
            assert c.status in ("ok", "ambiguous"), (style, mid, c)
            if c.status == "ok":
                assert abs(c.value - value) < 1e-9, (style, mid, c.raw, c.value, value, text)  # type: ignore[operator]
            continue
        if style == "layout" and mid in m.hole_rows:
            assert c.status in (status, "ambiguous"), (style, mid, c)
            if c.status == "ok":
                assert abs(c.value - value) < 1e-9, (style, mid, c.raw, c.value, value)  # type: ignore[operator]
            continue
        assert c.status == status, (style, mid, status, c, text)
        if status == "ok":
            assert c.value is not None and abs(c.value - value) < 1e-9, (
                style,
                mid,
                c.raw,
                c.value,
                value,
                text,
            )  # type: ignore[operator]
    amb = [ch for ch in res.checks if ch.rule_id == "SPLIT-AMBIGUOUS"]
    if style != "glued":
        assert not amb, (style, amb)


def _run(seed: int, layout: str, style: str) -> None:
    holes = "all" if style in EXPLICIT else "t3" if style == "layout" else "none"
    m = generate(seed, layout, holes=holes, glued=style == "glued")
    text = RENDERERS[style](m, random.Random(seed ^ 0x5EED))
    check(m, style, text)


SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
LAYOUTS = st.sampled_from(["std2019", "std2021"])
FAST = settings(max_examples=320, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(SEEDS, LAYOUTS)
def test_roundtrip_tab(seed: int, layout: str) -> None:
    _run(seed, layout, "tab")


@FAST
@given(SEEDS, LAYOUTS)
def test_roundtrip_lines(seed: int, layout: str) -> None:
    _run(seed, layout, "lines")


@FAST
@given(SEEDS, LAYOUTS)
def test_roundtrip_pipes(seed: int, layout: str) -> None:
    _run(seed, layout, "pipes")


@FAST
@given(SEEDS, LAYOUTS)
def test_roundtrip_pipe_lines(seed: int, layout: str) -> None:
    _run(seed, layout, "pipe_lines")


@FAST
@given(SEEDS, LAYOUTS)
def test_roundtrip_tsv(seed: int, layout: str) -> None:
    _run(seed, layout, "tsv")


@FAST
@given(SEEDS, LAYOUTS)
def test_roundtrip_markdown(seed: int, layout: str) -> None:
    _run(seed, layout, "markdown")


@FAST
@given(SEEDS, LAYOUTS)
def test_roundtrip_squeezed(seed: int, layout: str) -> None:
    _run(seed, layout, "squeezed")


@FAST
@given(SEEDS, LAYOUTS)
def test_roundtrip_layout(seed: int, layout: str) -> None:
    _run(seed, layout, "layout")


@FAST
@given(SEEDS, LAYOUTS)
def test_roundtrip_pdftotext(seed: int, layout: str) -> None:
    _run(seed, layout, "pdftotext")


@settings(max_examples=640, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SEEDS, LAYOUTS)
def test_roundtrip_glued_never_wrong(seed: int, layout: str) -> None:
    _run(seed, layout, "glued")
