"""From parsed sections and table cells to metric rows: table cells, narrative values, derived totals.

Entry point: ``extract_metrics(text, meta, sections, cells) -> Extraction``; at most one row per
metric id per report, and every row's evidence is ``text[char_start:char_end]``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from pipeline.catalog import catalog
from pipeline.narrative import extract_narrative
from pipeline.records import Cell, Check, Metric, ReportMeta, Section
from pipeline.std_ids import NP, OT21, T3_COLS, T4_OUTCOMES, UN, WH

T4C = (*T4_OUTCOMES, "total")


def topic_at(sections: list[Section], pos: int, starts: list[int] | None = None) -> str | None:
    """Topic of the innermost section containing ``pos`` (``starts``: the sections' char_start, if known)."""
    best: Section | None = None
    if starts is None:
        starts = [s.char_start for s in sections]
    i = bisect_right(starts, pos)
    for s in sections[:i]:
        if s.char_start <= pos < s.char_end and (best is None or s.level >= best.level):
            best = s
    return best.topic if best else None


def section_topics(sections: list[Section]) -> tuple[list[int], list[str | None]]:
    """The sections' boundaries and the innermost topic on each stretch between two of them.

    Which sections contain a position only changes at a boundary, so ``topic_at`` evaluated once per
    boundary answers for every position up to the next one (see ``topic_lookup``).
    """
    starts = [s.char_start for s in sections]
    points = sorted({p for s in sections for p in (s.char_start, s.char_end)})
    return points, [topic_at(sections, p, starts) for p in points]


def topic_lookup(points: list[int], topics: list[str | None], pos: int) -> str | None:
    """``topic_at(sections, pos)`` from ``section_topics(sections)``."""
    i = bisect_right(points, pos) - 1
    return topics[i] if i >= 0 else None


def metrics_from_cells(text: str, cells: list[Cell], sections: list[Section]) -> list[Metric]:
    """One metric per mapped, valued cell; evidence is the cell (or glued run) as printed."""
    out: list[Metric] = []
    points, topics = section_topics(sections)
    for c in cells:
        start, end = c.char_start, c.char_end
        if c.metric_id is None or c.value is None or c.status != "ok" or start is None or end is None:
            continue
        out.append(
            Metric(
                c.metric_id,
                float(c.value),
                "exact",
                "table",
                text[start:end],
                start,
                end,
                c.raw,
                topic_lookup(points, topics, start),
                c.table_id,
                1.0 if not c.decided_by else 0.95,
                c.decided_by,
            )
        )
    return out


def _derive(text: str, have: dict[str, Metric], target: str, parts: list[str]) -> Metric | None:
    if target in have or not all(p in have for p in parts):
        return None
    ms = [have[p] for p in parts]
    start = min(m.char_start for m in ms)
    end = max(m.char_end for m in ms)
    return Metric(
        metric_id=target,
        value=float(sum(m.value for m in ms)),
        qualifier="exact",
        method="derived",
        evidence=text[start:end],
        char_start=start,
        char_end=end,
        raw_value=None,
        section_topic=ms[0].section_topic,
        table_id=ms[0].table_id,
        confidence=1.0,
        decided_by="sum of " + "+".join(parts),
    )


def _derivations() -> list[tuple[str, list[str], tuple[str, ...] | None]]:
    """(target, parts, layouts or None for all) of every derived total, in the order they are tried."""
    out: list[tuple[str, list[str], tuple[str, ...] | None]] = [
        (f"litigation.all.{k}", [f"litigation.direct.{k}", f"litigation.after_review.{k}"], None) for k in T4C
    ]
    for c in T3_COLS:
        for group, members in (("withheld", WH), ("unable", UN), ("not_processed", NP)):
            parts = [f"app.result.{group}.{k}.{c}" for k in members]
            out.append((f"app.result.{group}.subtotal.{c}", parts, ("std2019", "std2021")))
        out.append((f"app.result.other.total.{c}", [f"app.result.other.{k}.{c}" for k in OT21], ("std2021",)))
    return out


DERIVATIONS = _derivations()


def derived_metrics(text: str, metrics: list[Metric], layout: str | None) -> list[Metric]:
    """Totals that the template defines but does not print (identities.md, policy 3)."""
    have = {m.metric_id: m for m in metrics}
    out: list[Metric] = []
    for target, parts, layouts in DERIVATIONS:
        if layouts is not None and layout not in layouts:
            continue
        d = _derive(text, have, target, parts)
        if d:
            out.append(d)
    cat = catalog()
    return [m for m in out if m.metric_id in cat]


_RANK = {"table": 0, "zero_statement": 1, "narrative": 1, "derived": 2}


def _key(m: Metric) -> tuple[int, float, int]:
    return (_RANK.get(m.method, 3), -m.confidence, m.char_start)


def dedupe_metrics(metrics: list[Metric]) -> tuple[list[Metric], list[Check]]:
    """Keep one row per metric id (table beats narrative, then confidence, then position).

    When the candidates for one id disagree, the kept value stays and an X-SOURCE-CONFLICT check records
    the other reading (identities policy: flag, never fix).
    """
    groups: dict[str, list[Metric]] = {}
    for m in metrics:
        groups.setdefault(m.metric_id, []).append(m)
    kept: list[Metric] = []
    checks: list[Check] = []
    for mid, cands in groups.items():
        if len(cands) > 1:
            cands.sort(key=_key)
        best = cands[0]
        kept.append(best)
        for other in cands[1:]:
            if abs(other.value - best.value) > 1e-9:
                checks.append(
                    Check(
                        rule_id="X-SOURCE-CONFLICT",
                        status="fail",
                        strength="soft",
                        severity="warning",
                        scope=f"{best.method} vs {other.method}",
                        metric_ids=[mid],
                        lhs=best.value,
                        rhs=other.value,
                        message=f"kept {best.evidence!r} at {best.char_start}; other reading {other.evidence!r} at {other.char_start}",
                    )
                )
    kept.sort(key=lambda m: (m.char_start, m.metric_id))
    return kept, checks


@dataclass
class Extraction:
    """Metrics of one report and the checks produced while choosing between readings."""

    metrics: list[Metric] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)


def extract_metrics(text: str, meta: ReportMeta, sections: list[Section], cells: list[Cell]) -> Extraction:
    """All metrics of one report: table cells, narrative values, then derived totals."""
    table = metrics_from_cells(text, cells, sections)
    narrative = extract_narrative(text, sections, meta)
    base, checks = dedupe_metrics(table + narrative)
    derived = derived_metrics(text, base, meta.layout)
    return Extraction(sorted(base + derived, key=lambda m: (m.char_start, m.metric_id)), checks)
