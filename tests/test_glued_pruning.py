"""The glued-digit search's shortcuts (closing cell, casting out nines) never change its readings.

Rows are glued from random true values in the shapes of the standard tables (table 三 of 2019 and
2021, table 四), then cut twice: with the shortcuts and with them switched off. Both searches must
give the same readings, and the true row must be one of them.
"""

from __future__ import annotations

import random

import pytest

from pipeline.tables import glued
from pipeline.tables.glued import RowSpec, RunToken

T3_2019 = RowSpec(["count"] * 7, {6: (0, 1, 2, 3, 4, 5)}, 6)
T3_2021 = RowSpec(["count"] * 8, {6: (1, 2, 3, 4, 5), 7: (0, 6)}, 6)
T4 = RowSpec(["count"] * 15, {4: (0, 1, 2, 3), 9: (5, 6, 7, 8), 14: (10, 11, 12, 13)}, 6)


def _true_row(spec: RowSpec, rng: random.Random) -> list[int]:
    """Values that satisfy the spec's forced sums (small counts, zeros common, as in real tables)."""
    row = [0] * len(spec.kinds)
    for c in range(len(row)):
        if c in spec.forced:
            row[c] = sum(row[s] for s in spec.forced[c])
        else:
            row[c] = rng.choice([0, 0, rng.randint(1, 9), rng.randint(10, 99), rng.randint(100, 999)])
    return row


def _glue(row: list[int], rng: random.Random) -> list[RunToken]:
    """The row's digits in one run, or split at a random cell boundary into two runs."""
    cells = [str(v) for v in row]
    cut = rng.choice([len(cells), rng.randint(1, len(cells) - 1)])
    runs = ["".join(cells[:cut]), "".join(cells[cut:])]
    return [RunToken(r, 0) for r in runs if r]


def _cuts(tokens: list[RunToken], spec: RowSpec) -> tuple[list[list[str]], bool]:
    readings, capped = glued._enumerate_readings(tokens, spec, 20000, 60_000)
    return [[p.raw for p in r] for r in readings], capped


@pytest.mark.parametrize("spec", [T3_2019, T3_2021, T4], ids=["t3-2019", "t3-2021", "t4"])
def test_shortcuts_keep_every_reading(spec: RowSpec, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    rows = [_true_row(spec, rng) for _ in range(150)]
    glued_rows = [_glue(row, rng) for row in rows]
    fast = [_cuts(tokens, spec) for tokens in glued_rows]
    monkeypatch.setattr(glued, "_closing_cells", lambda *_args: None)
    monkeypatch.setattr(glued, "_nines_multiplier", lambda *_args: None)
    slow = [_cuts(tokens, spec) for tokens in glued_rows]
    for row, tokens, f, s in zip(rows, glued_rows, fast, slow, strict=True):
        assert f == s, [t.text for t in tokens]
        assert f[1] or [str(v) for v in row] in f[0]


def test_shortcuts_apply_to_the_table_three_rows() -> None:
    """Both table-三 shapes get a shortcut; table 四's blocks (sums of their own cells) get none."""
    assert glued._nines_multiplier(T3_2019, 6, frozenset(range(6))) == 1
    assert glued._closing_cells(T3_2021, 7, frozenset(range(6))) == (1, 1, 6)
    assert glued._nines_multiplier(T3_2021, 7, frozenset(range(6))) is None
    assert glued._nines_multiplier(T4, 14, frozenset(range(10, 14))) is None


def test_a_degenerate_spec_gets_no_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty forced sum (never built by the table parsers, but legal) is searched as before."""
    spec = RowSpec(["count"] * 4, {2: (), 3: (0, 2)}, 6)
    tokens = [RunToken("12345", 0)]
    fast = _cuts(tokens, spec)
    monkeypatch.setattr(glued, "_closing_cells", lambda *_args: None)
    monkeypatch.setattr(glued, "_nines_multiplier", lambda *_args: None)
    assert fast == _cuts(tokens, spec)
