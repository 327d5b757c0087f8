"""Splitting glued digit runs into cells, decided by table identities — or reported as ambiguous.

Crawler text concatenates table cells without separators (``行政规范性文件5845546`` = 58 / 45 / 546). A
row's printed tokens (whitespace-separated digit runs) must be cut into exactly ``width`` cells. Readings are
enumerated under structural constraints (every token yields ≥ 1 cell, no leading zeros in multi-digit
numbers, decimals only in money columns and never split, a unit only on a token's last cell) and pruned by
identities:

- row level: *forced sums* (a column that equals the sum of earlier columns of the same row: T3-ROW,
  T3-LEG, T4 block totals) are applied while enumerating, which keeps the search tiny; row predicates
  (T2-19-PUB) are applied after;
- table level: linear equalities across rows (T3-BAL, T3-RES, T3-SUB-*, T3-OT21) by a small backtracking
  search over the rows that still have several readings.

A constraint that no reading satisfies is dropped for that row (the printed table may itself violate it);
cells on which all surviving readings agree are decided, the others are ambiguous. Nothing is guessed.
Pure functions; no knowledge of labels or metric ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

_TOKEN_PARTS = re.compile(r"^(?P<sign>[-+])?(?P<digits>\d+(?:\.\d+)?)(?P<unit>万元|亿元|万|亿|元)?$")


class Piece(NamedTuple):
    """One cell of a reading: printed digits, value, unit, and its offsets in the source.

    A NamedTuple rather than a frozen dataclass: the search creates many of them, and a tuple is built
    about three times faster.
    """

    raw: str
    value: float
    unit: str | None
    start: int
    end: int


Reading = tuple[Piece, ...]


@dataclass(frozen=True)
class RunToken:
    """One whitespace-delimited token of a glued run ("0000000", "13575394432.52元")."""

    text: str
    start: int  # offset of text[0] in the source


@dataclass
class RowSpec:
    """How a row's cells must look.

    ``kinds``: per column, count | signed | money. ``forced``: column -> earlier columns whose sum it
    must equal (T3-ROW, T3-LEG, T4 block totals). ``max_digits``: longest plausible count (a digit-count
    constraint; None = unbounded).
    """

    kinds: Sequence[str]
    forced: dict[int, tuple[int, ...]] = field(default_factory=dict)
    max_digits: int | None = None


def _valid_piece(p: str, kind: str, max_digits: int | None) -> bool:
    if not p or p[0] == "." or p[-1] == ".":
        return False
    if "." in p:
        if kind != "money":
            return False
        ip = p.split(".", 1)[0]
        return not (len(ip) > 1 and ip[0] == "0")
    if max_digits is not None and kind != "money" and len(p) > max_digits:
        return False
    return not (len(p) > 1 and p[0] == "0")


_Part = tuple[str, "str | None", int]  # digits, unit, offset of digits[0]


INF = float("inf")
_READINGS_CACHE: dict[Hashable, tuple[list[Reading], bool]] = {}
_READINGS_CACHE_MAX = 4096


def enumerate_readings(
    tokens: Sequence[RunToken], spec: RowSpec, cap: int = 20000, node_cap: int = 60_000
) -> tuple[list[Reading], bool]:
    """All ways to cut ``tokens`` into ``len(spec.kinds)`` cells (forced sums applied); (readings, capped).

    The same runs under the same spec recur (all-zero rows, repeated rows, re-published reports), so the
    readings are memoised on the tokens' texts and relative offsets and shifted to where the row stands.
    """
    if not tokens:
        return _enumerate_readings(tokens, spec, cap, node_cap)
    base = tokens[0].start
    forced = tuple(sorted((c, tuple(src)) for c, src in spec.forced.items()))
    key = (
        tuple((t.text, t.start - base) for t in tokens),
        tuple(spec.kinds),
        forced,
        spec.max_digits,
        cap,
        node_cap,
    )
    hit = _READINGS_CACHE.get(key)
    if hit is None:
        rel = [RunToken(t.text, t.start - base) for t in tokens]
        hit = _enumerate_readings(rel, spec, cap, node_cap)
        if len(_READINGS_CACHE) >= _READINGS_CACHE_MAX:
            _READINGS_CACHE.clear()
        _READINGS_CACHE[key] = hit
    readings, capped = hit
    if base:
        readings = [
            tuple(Piece(p.raw, p.value, p.unit, p.start + base, p.end + base) for p in r) for r in readings
        ]
    else:
        readings = list(readings)
    return readings, capped


def _enumerate_readings(
    tokens: Sequence[RunToken], spec: RowSpec, cap: int, node_cap: int
) -> tuple[list[Reading], bool]:
    """``enumerate_readings`` without the memo.

    When the last column is a forced sum (a row or block total), its possible values are the suffixes of
    the last token: each fixes a target, and the rest is searched with the running sum bounded by it.
    """
    width = len(spec.kinds)
    parts: list[_Part] = []
    signs: list[bool] = []
    for t in tokens:
        m = _TOKEN_PARTS.match(t.text)
        if m is None:
            return [], False
        sign = m.group("sign") == "-"
        parts.append((m.group("digits"), m.group("unit"), t.start + (1 if m.group("sign") else 0)))
        signs.append(sign)
    if not parts or len(parts) > width:
        return [], False
    if not any(signs):
        fast = _one_digit_per_cell(parts, spec)
        if fast is not None:
            return fast, False
    last = width - 1
    state = {"nodes": 0, "capped": False}
    if last not in spec.forced:
        out: list[Reading] = []
        _dfs(parts, spec, width, None, out, cap, node_cap, state, signs)
        return out, bool(state["capped"])
    if any(signs):
        return [], False  # sums of counts: a negative cell cannot take part
    srcs = spec.forced[last]
    bound_cols = _expand(srcs, spec.forced)
    digits, unit, tstart = parts[-1]
    before = sum(len(d) - d.count(".") for d, _u, _s in parts[:-1])
    capacity = _digit_capacity(spec, width - 1, bound_cols)
    nines = None if any("." in d for d, _u, _s in parts) else _nines_multiplier(spec, last, bound_cols)
    if nines is not None:
        digit_sum = sum(map(int, "".join(d for d, _u, _s in parts[:-1])))
        head_sums = [0]
        for ch in digits:
            head_sums.append(head_sums[-1] + int(ch))
    out = []
    for k in range(len(digits)):
        piece = digits[k:]
        if not _valid_piece(piece, spec.kinds[last], spec.max_digits) or (k and digits[k - 1] == "."):
            continue
        if unit is not None and spec.kinds[last] != "money":
            continue
        if nines is not None and (digit_sum + head_sums[k] - nines * int(piece)) % 9:
            continue  # casting out nines: however the digits before are cut, they cannot sum to this total
        if before + k - digits.count(".", 0, k) > capacity(len(piece)):
            continue  # the digits before the total cannot all fit in cells that are each at most the total
        value = float(piece)
        tail = Piece(piece + (unit or ""), value, unit, tstart + k, tstart + len(digits) + len(unit or ""))
        prefix = [*parts[:-1], (digits[:k], None, tstart)] if k else parts[:-1]
        if not prefix:
            continue
        found: list[Reading] = []
        _dfs(prefix, spec, width - 1, (bound_cols, value), found, cap, node_cap, state)
        for r in found:
            if abs(sum(r[c].value for c in srcs) - value) < 1e-9:
                out.append((*r, tail))
        if state["capped"] or len(out) >= cap:
            return out, True
    return out, bool(state["capped"])


def _nines_multiplier(spec: RowSpec, last: int, bound_cols: frozenset[int]) -> int | None:
    """The m for which the cells before ``last`` always sum to m × the total, if there is one.

    A number is congruent to its digit sum modulo 9, so the digits before the total, however they are
    cut, sum to the sum of the cells modulo 9. When every cell before the total is one of its bounded
    leaves or a subtotal of them, and every leaf is counted the same number of times m (once, plus once
    per subtotal that contains it), that sum is m × the total: a necessary condition on each candidate
    total that needs no search. None when the cells do not have that shape (or any is money).
    """
    if "money" in spec.kinds:
        return None
    counts: dict[int, int] = {}
    for c in range(last):
        for leaf in _expand(spec.forced[c], spec.forced) if c in spec.forced else (c,):
            counts[leaf] = counts.get(leaf, 0) + 1
    if set(counts) != bound_cols or len(set(counts.values())) != 1:
        return None
    return next(iter(counts.values()))


def _digit_capacity(spec: RowSpec, n_cols: int, bound_cols: frozenset[int]) -> Callable[[int], float]:
    """How many digits cells 0..n_cols-1 can hold, as a function of the digits of the total they sum to.

    A necessary condition, cheap enough to try before a search: the bounded cells (and subtotals of
    them) are non-negative counts that sum to the total, so none exceeds it, and without leading zeros
    none has more digits than it. Other cells hold at most ``max_digits`` (money cells: any number).
    """
    n_bounded, other = 0, 0.0
    for c in range(n_cols):
        if spec.kinds[c] == "money":
            return lambda _digits: INF
        if c in bound_cols or (c in spec.forced and _expand(spec.forced[c], spec.forced) <= bound_cols):
            n_bounded += 1
        elif spec.max_digits is not None:
            other += spec.max_digits
        else:
            return lambda _digits: INF
    top = spec.max_digits
    return lambda digits: n_bounded * (digits if top is None else min(digits, top)) + other


def _expand(srcs: tuple[int, ...], forced: dict[int, tuple[int, ...]]) -> frozenset[int]:
    """Leaf columns of a sum whose terms may themselves be forced sums (总计 = 自然人 + 小计, 小计 = Σ 法人)."""
    out: set[int] = set()
    for c in srcs:
        out |= _expand(forced[c], forced) if c in forced else {c}
    return frozenset(out)


def _closing_cells(
    spec: RowSpec, width: int, bound_cols: frozenset[int]
) -> tuple[int, int, int | None] | None:
    """Columns at which the last cell's value is known, when that cell closes the bounded sum.

    The bound says the cells of ``bound_cols`` sum to the total. When the last cell (``width - 1``) is
    a forced sum of some of them (小计 = Σ 法人, under 总计 = 自然人 + 小计), then as soon as the other
    bounded cells are cut (columns ≥ lo) and none of its own (columns ≤ hi), it must equal the total
    minus what is cut so far. Returns (lo, hi, the most digits a cell before the last one can take),
    or None when the row has no such cell.
    """
    last = width - 1
    if last not in spec.forced:
        return None
    leaves = _expand(spec.forced[last], spec.forced)
    if not leaves or not leaves <= bound_cols:
        return None  # an empty sum is no subtotal
    others = bound_cols - leaves
    lo, hi = (max(others) + 1 if others else 0), min(leaves)
    if lo > hi:
        return None
    # a forced cell is as long as its sum, whatever max_digits says: then the cells before the last
    # one have no digit limit
    bounded = spec.max_digits is not None and not any(c in spec.forced for c in range(lo, last))
    return lo, hi, spec.max_digits if bounded else None


def _dfs(
    parts: Sequence[_Part],
    spec: RowSpec,
    width: int,
    bound: tuple[frozenset[int], float] | None,
    out: list[Reading],
    cap: int,
    node_cap: int,
    state: dict[str, int | bool],
    signs: Sequence[bool] = (),
) -> None:
    """Cut ``parts`` into exactly ``width`` cells; forced columns < width are matched digit for digit."""
    remaining = [0] * (len(parts) + 1)
    for i in range(len(parts) - 1, -1, -1):
        remaining[i] = remaining[i + 1] + len(parts[i][0]) - parts[i][0].count(".")
    cur: list[Piece] = []
    bound_cols, bound_value = bound if bound is not None else (frozenset(), 0.0)
    has_money = "money" in spec.kinds or any("." in d for d, _u, _s in parts)
    memo: dict[tuple[int, int, int], tuple[float, float] | None] = {}
    kinds, forced_cols, max_digits = spec.kinds, spec.forced, spec.max_digits
    n_parts = len(parts)
    dotted = [("." in d) for d, _u, _s in parts]
    use_bound = bound is not None and not has_money
    closing = _closing_cells(spec, width, bound_cols) if use_bound and bound_value < 2**53 else None
    last_digits = parts[-1][0] if parts else ""

    def span(ti: int, pos: int, col: int) -> tuple[float, float] | None:
        """(min, max) of the bounded columns' sum over cells col.. when cutting the rest from (ti, pos).

        Other columns (forced sums, money) may take any valid piece and count 0: a relaxation, so the
        bounds are safe. None when the rest cannot be cut into the remaining cells at all.
        """
        key = (ti, pos, col)
        if key in memo:
            return memo[key]
        res: tuple[float, float] | None = None
        if ti == n_parts or col == width:
            res = (0.0, 0.0) if (ti == n_parts and col == width) else None
        else:
            digits = parts[ti][0]
            n_digits = len(digits)
            has_dot = dotted[ti]
            counted = col in bound_cols
            top = n_digits
            if max_digits is not None and kinds[col] != "money":
                top = min(top, pos + max_digits)
            ends = (
                [pos + 1]
                if digits[pos] == "0" and not digits.startswith("0.", pos)
                else range(pos + 1, top + 1)
            )
            lo, hi = INF, -INF
            for e in ends:
                if has_dot and ("." in digits[pos:e] or (e < n_digits and digits[e] == ".")):
                    continue
                rest = span(ti + 1, 0, col + 1) if e == n_digits else span(ti, e, col + 1)
                if rest is None:
                    continue
                v = float(digits[pos:e]) if counted else 0.0
                if v + rest[0] < lo:
                    lo = v + rest[0]
                if v + rest[1] > hi:
                    hi = v + rest[1]
            res = (lo, hi) if lo != INF else None
        memo[key] = res
        return res

    def rec(ti: int, pos: int, col: int, bsum: float) -> None:
        nodes = int(state["nodes"]) + 1
        state["nodes"] = nodes
        if state["capped"] or nodes > node_cap:
            state["capped"] = True
            return
        if ti == n_parts:
            if col == width:
                out.append(tuple(cur))
                if len(out) >= cap:
                    state["capped"] = True
            return
        if col == width:
            return
        digits, unit, tstart = parts[ti]
        cells_left = width - col
        if cells_left < n_parts - ti:
            return
        has_dot = dotted[ti]
        rest_here = len(digits) - pos - (digits.count(".", pos) if has_dot else 0)
        if cells_left > rest_here + remaining[ti + 1]:
            return
        if use_bound:
            b = span(ti, pos, col)
            if b is None or bsum + b[0] > bound_value + 1e-9 or bsum + b[1] < bound_value - 1e-9:
                return
            if closing is not None and closing[0] <= col <= closing[1]:
                # the closing cell's value is now known: the row must end with it, and the cells
                # before it must take exactly the digits in between
                need = bound_value - bsum
                if need < -1e-9 or need != int(need):
                    return
                target = str(int(need))
                if not last_digits.endswith(target):
                    return
                n_mid = width - 1 - col
                mid = rest_here + remaining[ti + 1] - len(target)
                if mid < n_mid or (n_mid == 0 and mid):
                    return
                if closing[2] is not None and n_mid * closing[2] < mid:
                    return
        kind = kinds[col]
        neg = pos == 0 and ti < len(signs) and signs[ti]  # a printed minus opens this cell
        if neg and kind != "signed":
            return
        forced = forced_cols.get(col)
        if forced is not None:
            total = sum(cur[c].value for c in forced)
            if total != int(total):
                return
            target = str(int(total))
            ends: Sequence[int] = [pos + len(target)] if digits.startswith(target, pos) else []
        elif digits[pos] == "0" and (kind != "money" or not digits.startswith("0.", pos)):
            ends = [pos + 1]  # no leading zeros: a "0" is a cell of its own
        else:
            later = max(0, width - col - 1 - remaining[ti + 1])  # digits this token must leave to later cells
            top = len(digits) - later
            if max_digits is not None and kind != "money":
                top = min(top, pos + max_digits)
            ends = range(pos + 1, top + 1)
        # Pieces of the last branch are valid by construction (digits only, no leading zero, at most
        # max_digits) unless the token has a decimal point or the cell is money or a forced sum.
        check_piece = has_dot or kind == "money" or forced is not None
        in_bound = col in bound_cols
        n_digits = len(digits)
        for e in ends:
            if e > n_digits:
                continue
            piece = digits[pos:e]
            if check_piece and not _valid_piece(piece, kind, max_digits):
                continue
            at_end = e == n_digits
            if not at_end and digits[e] == ".":
                continue  # never cut through a decimal point
            if at_end:
                if width - col - 1 < n_parts - ti - 1:
                    continue
            elif width - col - 1 < n_parts - ti:
                continue
            u = unit if at_end else None
            if u is not None and kind != "money":
                continue
            value = float(piece)
            if neg:
                if value == 0:
                    continue
                value, piece = -value, "-" + piece
            nsum = bsum + value if in_bound else bsum
            if bound is not None and nsum > bound_value + 1e-9:
                break  # longer pieces only grow
            end_off = tstart + e + (len(unit) if (at_end and unit) else 0)
            cur.append(Piece(piece + (u or ""), value, u, tstart + pos - (1 if neg else 0), end_off))
            if at_end:
                rec(ti + 1, 0, col + 1, nsum)
            else:
                rec(ti, e, col + 1, nsum)
            cur.pop()

    rec(0, 0, 0, 0.0)


def _one_digit_per_cell(parts: list[tuple[str, str | None, int]], spec: RowSpec) -> list[Reading] | None:
    """The only reading when there are exactly as many digits as cells ("0000000" → 0/0/0/0/0/0/0)."""
    width = len(spec.kinds)
    if sum(len(d) for d, _u, _s in parts) != width or any("." in d or u for d, u, _s in parts):
        return None
    cells = [Piece(ch, float(ch), None, st + k, st + k + 1) for d, _u, st in parts for k, ch in enumerate(d)]
    for col, srcs in spec.forced.items():
        if cells[col].value != sum(cells[c].value for c in srcs):
            return []
    return [tuple(cells)]


RowKey = Hashable
CellRef = tuple[RowKey, int]


@dataclass(frozen=True)
class Equality:
    """Σ lhs == Σ rhs over cells (row key, column index); ``rule_id`` names the identity."""

    rule_id: str
    lhs: tuple[CellRef, ...]
    rhs: tuple[CellRef, ...]


@dataclass
class RowResult:
    """Outcome for one row: surviving readings and the rules that were needed to get there."""

    readings: list[tuple[float | None, ...]]
    rules: list[str]


def _cell_value(assign: dict[RowKey, tuple[float | None, ...]], ref: CellRef) -> float | None:
    row = assign.get(ref[0])
    if row is None or ref[1] >= len(row):
        return None
    return row[ref[1]]


def _holds(eq: Equality, assign: dict[RowKey, tuple[float | None, ...]]) -> bool | None:
    """True/False when every term is known, None when a term is blank or missing."""
    total = 0.0
    for ref in eq.lhs:
        v = _cell_value(assign, ref)
        if v is None:
            return None
        total += v
    for ref in eq.rhs:
        v = _cell_value(assign, ref)
        if v is None:
            return None
        total -= v
    return abs(total) < 1e-6


def solve_table(
    rows: dict[RowKey, list[tuple[float | None, ...]]],
    equalities: Sequence[Equality],
    node_cap: int = 200_000,
) -> tuple[dict[RowKey, list[int]] | None, set[str]]:
    """Joint pruning of rows with several readings by table-level equalities.

    Returns (indices of the surviving readings per row, rule ids that eliminated something), or
    (None, set()) when no joint assignment exists or the search is too large (the caller keeps the
    row-level readings).
    """
    open_rows = [k for k, v in rows.items() if len(v) > 1]
    if not open_rows:
        return {k: list(range(len(v))) for k, v in rows.items()}, set()
    open_set = set(open_rows)
    fixed = {k: v[0] for k, v in rows.items() if len(v) == 1}
    relevant = [eq for eq in equalities if any(r[0] in open_set for r in (*eq.lhs, *eq.rhs))]
    if not relevant:
        return {k: list(range(len(v))) for k, v in rows.items()}, set()
    open_rows.sort(key=lambda k: len(rows[k]))
    pos = {k: i for i, k in enumerate(open_rows)}
    # check each equality as soon as its last open row is assigned
    by_depth: dict[int, list[Equality]] = {}
    for eq in relevant:
        depth = max(pos[r[0]] for r in (*eq.lhs, *eq.rhs) if r[0] in open_set)
        by_depth.setdefault(depth, []).append(eq)
    survivors: dict[RowKey, set[int]] = {k: set() for k in open_rows}
    used: set[str] = set()
    assign = dict(fixed)
    chosen: list[int] = []
    nodes = 0
    aborted = False

    def rec(d: int) -> None:
        nonlocal nodes, aborted
        if aborted:
            return
        if d == len(open_rows):
            for k, i in zip(open_rows, chosen, strict=True):
                survivors[k].add(i)
            return
        k = open_rows[d]
        for i, reading in enumerate(rows[k]):
            nodes += 1
            if nodes > node_cap:
                aborted = True
                return
            assign[k] = reading
            ok = True
            for eq in by_depth.get(d, ()):
                if _holds(eq, assign) is False:
                    ok = False
                    used.add(eq.rule_id)
                    break
            if ok:
                chosen.append(i)
                rec(d + 1)
                chosen.pop()
        assign.pop(k, None)

    rec(0)
    if aborted or not any(survivors[k] for k in open_rows):
        return None, set()
    out = {k: list(range(len(v))) for k, v in rows.items() if len(v) == 1}
    for k in open_rows:
        out[k] = sorted(survivors[k])
    return out, used


def filter_readings(
    readings: list[Reading], predicates: Sequence[tuple[str, Callable[[tuple[float, ...]], bool]]]
) -> tuple[list[Reading], list[str]]:
    """Apply row predicates one by one, skipping any that no reading satisfies; (kept, rule ids applied)."""
    applied: list[str] = []
    for rule_id, pred in predicates:
        kept = [r for r in readings if pred(tuple(p.value for p in r))]
        if kept and len(kept) < len(readings):
            applied.append(rule_id)
        if kept:
            readings = kept
    return readings, applied


def interleaved_blocks(
    values: Sequence[float], block: int, nblocks: int
) -> list[tuple[tuple[int, ...], ...]]:
    """Ways to read ``values`` as ``nblocks`` interleaved blocks of ``block`` cells whose last cell is the sum.

    Used for table 四 when its numbers come out of pdftotext in a scrambled reading order: each block
    (复议, 直接起诉, 复议后起诉) keeps its internal order, and the first number belongs to the first block.
    Returns, for each reading, the positions of each block in block order (first block first, then the
    remaining blocks in every order).
    """
    n = len(values)
    if n != block * nblocks:
        return []
    results: list[tuple[tuple[int, ...], ...]] = []

    def blocks_from(avail: tuple[int, ...], must_first: bool) -> list[tuple[int, ...]]:
        """Increasing position tuples in ``avail`` whose last value is the sum of the others."""
        found: list[tuple[int, ...]] = []
        m = len(avail)
        suffix_max = [float("-inf")] * (m + 1)
        for k in range(m - 1, -1, -1):
            suffix_max[k] = max(suffix_max[k + 1], values[avail[k]])

        def rec(chosen: list[int], k: int, s: float) -> None:
            if len(chosen) == block - 1:
                for t in range(k, m):
                    if abs(values[avail[t]] - s) < 1e-9:
                        found.append((*chosen, avail[t]))
                return
            need = block - 1 - len(chosen)
            for t in range(k, m - need):
                ns = s + values[avail[t]]
                if ns > suffix_max[t + 1] + 1e-9:
                    continue  # no later cell can be this large a total
                chosen.append(avail[t])
                rec(chosen, t + 1, ns)
                chosen.pop()

        for t in [0] if must_first else range(m):
            if values[avail[t]] <= suffix_max[t + 1] + 1e-9:
                rec([avail[t]], t + 1, values[avail[t]])
        return found

    def split(avail: tuple[int, ...], acc: list[tuple[int, ...]], first: bool) -> None:
        if not avail:
            results.append(tuple(acc))
            return
        for blk in blocks_from(avail, first):
            rest = tuple(i for i in avail if i not in blk)
            split(rest, [*acc, blk], False)

    split(tuple(range(n)), [], True)
    return results
