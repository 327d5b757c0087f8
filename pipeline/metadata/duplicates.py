"""The same report twice: identical bytes, the same text in another encoding, or two versions of one agency-year.

``duplicate_of(frame)`` groups report rows that are the same report and keeps one per group:

- same ``sha256`` (identical files), or
- same ``text_hash`` (sha256 of the normalised text: the same report re-encoded or re-saved), or
- same ``agency_name`` and ``report_year`` (two copies or versions of one agency's report for a year, e.g.
  a truncated mirror copy and the full page).

Groups are joined transitively (a union-find over the three keys). Only rows with ``status == "ok"``
take part: a quarantined file is never chosen and never marked.

The kept row is the first by this rule (docs/metadata.md §Duplicates):
complete over partial (``is_partial`` False, then unknown, then True) → more metrics (``n_metrics``) →
longer text (``n_chars``) → smaller ``source_file`` (so the choice is deterministic).
"""

from __future__ import annotations

import pandas as pd

KEYS = ("sha256", "text_hash", ("agency_name", "report_year"))


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v) or v is pd.NA or v == ""


def _find(parent: dict[int, int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _groups(frame: pd.DataFrame) -> dict[int, list[int]]:
    """Row positions grouped by the union of the duplicate keys (ok rows only)."""
    ok = [i for i, s in enumerate(frame["status"].tolist()) if s == "ok"]
    parent = {i: i for i in ok}
    for key in KEYS:
        cols = key if isinstance(key, tuple) else (key,)
        if not all(c in frame.columns for c in cols):
            continue
        values = list(zip(*(frame[c].tolist() for c in cols), strict=True))
        first: dict[tuple, int] = {}
        for i in ok:
            v = values[i]
            if any(_blank(x) for x in v):
                continue
            if v in first:
                a, b = _find(parent, first[v]), _find(parent, i)
                if a != b:
                    parent[b] = a
            else:
                first[v] = i
    groups: dict[int, list[int]] = {}
    for i in ok:
        groups.setdefault(_find(parent, i), []).append(i)
    return groups


def _rank(row: dict) -> tuple:
    """Sort key: smaller is better."""
    partial = row.get("is_partial")
    partial_rank = 1 if _blank(partial) else (2 if bool(partial) else 0)
    n_metrics = row.get("n_metrics")
    n_chars = row.get("n_chars")
    return (
        partial_rank,
        -(0 if _blank(n_metrics) else int(n_metrics)),
        -(0 if _blank(n_chars) else int(n_chars)),
        str(row.get("source_file") or ""),
    )


def duplicate_of(frame: pd.DataFrame) -> pd.Series:
    """For each row, the ``report_id`` of the row kept instead of it, or None (kept, unique or not ok)."""
    out: list[str | None] = [None] * len(frame)
    records = frame.to_dict("records")
    for members in _groups(frame).values():
        if len(members) < 2:
            continue
        keep = min(members, key=lambda i: _rank(records[i]))
        for i in members:
            if i != keep:
                out[i] = records[keep]["report_id"]
    return pd.Series(out, index=frame.index, name="duplicate_of", dtype="object")
