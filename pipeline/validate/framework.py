"""The machinery for identity rules: a value lookup, sum/inequality evaluators and a rule registry.

Rules never change values: they only record checks (pass / fail / not_assessable / ambiguous).
A rule is a function ``(values: Values) -> Iterable[Check]`` registered with ``@rule(layouts=...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import NamedTuple

from pipeline.records import Check, Metric

SEVERITY_OF = {"hard": "error", "soft": "warning", "info": "info", "definition": "warning"}


class Term(NamedTuple):
    """A value taking part in a rule."""

    value: float
    approx: bool


_APPROX_QUALIFIERS = frozenset({"approx", "lower_bound"})
_TERM_VALUE = itemgetter(0)
_TERM_APPROX = itemgetter(1)


class Values:
    """Metric values of one report, looked up by metric id (missing → None)."""

    def __init__(self, metrics: Iterable[Metric], layout: str | None):
        self.layout = layout
        self._by_id: dict[str, Metric] = {}
        for m in metrics:
            self._by_id.setdefault(m.metric_id, m)
        self.printed_ids = frozenset(k for k, m in self._by_id.items() if m.method != "derived")
        new_term = Term._make  # one C-level call per metric (the class call goes through __new__)
        self._terms = {
            k: new_term((m.value, m.qualifier in _APPROX_QUALIFIERS)) for k, m in self._by_id.items()
        }
        self._by_head: dict[str, list[str]] | None = None

    def get(self, metric_id: str) -> Term | None:
        """The term for a metric id, or None when it was not extracted (blank, absent)."""
        return self._terms.get(metric_id)

    def terms(self, metric_ids: Iterable[str]) -> list[Term | None]:
        """``get`` for several ids at once (one ``map``, no Python call per id)."""
        return list(map(self._terms.get, metric_ids))

    def has(self, metric_id: str) -> bool:
        """Whether the metric was extracted for this report."""
        return metric_id in self._by_id

    def has_any(self, metric_ids: Iterable[str]) -> bool:
        """Whether at least one of the metrics was extracted."""
        return not self._by_id.keys().isdisjoint(metric_ids)

    def qualifier(self, metric_id: str) -> str | None:
        """Qualifier of the metric (exact, approx, lower_bound, zero_statement), None when absent."""
        m = self._by_id.get(metric_id)
        return m.qualifier if m else None

    def metric(self, metric_id: str) -> Metric | None:
        """The whole metric record (position, evidence, decided_by …), None when absent."""
        return self._by_id.get(metric_id)

    def method(self, metric_id: str) -> str | None:
        """How the metric was obtained (table, narrative, derived …)."""
        m = self._by_id.get(metric_id)
        return m.method if m else None

    def ids_with_prefix(self, prefix: str) -> list[str]:
        """All extracted metric ids that start with ``prefix`` (only the ids sharing its first component are scanned)."""
        if self._by_head is None:  # ids grouped by their first component, in extraction order
            self._by_head = {}
            for k in self._by_id:
                self._by_head.setdefault(k.partition(".")[0], []).append(k)
        head, dot, _ = prefix.partition(".")
        group = self._by_head.get(head, []) if dot else self._by_id
        return [k for k in group if k.startswith(prefix)]


def _tolerance(ids: Sequence[str], money_ids: frozenset[str]) -> float:
    return 0.011 if money_ids and not money_ids.isdisjoint(ids) else 0.0


def compare(
    rule_id: str,
    values: Values,
    lhs_ids: Sequence[str],
    rhs_ids: Sequence[str],
    *,
    strength: str,
    op: str = "==",
    scope: str | None = None,
    money_ids: frozenset[str] = frozenset(),
    message: str | None = None,
) -> Check:
    """Evaluate ``Σ lhs op Σ rhs`` (op is ==, <= or >=). Any missing term → not_assessable."""
    ids = [*lhs_ids, *rhs_ids]
    terms = values.terms(ids)
    if None in terms:
        missing = [i for i, t in zip(ids, terms, strict=True) if t is None]
        return Check(
            rule_id=rule_id,
            status="not_assessable",
            strength=strength,
            severity="info",
            scope=scope,
            metric_ids=ids,
            message=f"missing: {', '.join(missing[:6])}{' …' if len(missing) > 6 else ''}",
        )
    n_lhs = len(lhs_ids)
    lhs = sum(map(_TERM_VALUE, terms[:n_lhs]))
    rhs = sum(map(_TERM_VALUE, terms[n_lhs:]))
    approx = any(map(_TERM_APPROX, terms))
    eff_strength = "soft" if approx and strength == "hard" else strength
    tol = _tolerance(ids, money_ids)
    if op == "==":
        ok = abs(lhs - rhs) <= tol
    elif op == "<=":
        ok = lhs <= rhs + tol
    elif op == ">=":
        ok = lhs + tol >= rhs
    else:  # pragma: no cover - programming error
        raise ValueError(op)
    return Check(
        rule_id=rule_id,
        status="pass" if ok else "fail",
        strength=eff_strength,
        severity="info" if ok else SEVERITY_OF[eff_strength],
        scope=scope,
        metric_ids=ids,
        lhs=lhs,
        rhs=rhs,
        message=message if (message and not ok) else None,
    )


RuleFn = Callable[[Values], Iterable[Check]]
_REGISTRY: list[tuple[frozenset[str], RuleFn]] = []


def rule(layouts: Iterable[str]) -> Callable[[RuleFn], RuleFn]:
    """Register a rule function for the given layouts ('*' = all)."""

    def deco(fn: RuleFn) -> RuleFn:
        _REGISTRY.append((frozenset(layouts), fn))
        return fn

    return deco


def registered_rules(layout: str | None) -> list[RuleFn]:
    """Rule functions that apply to a layout."""
    return [fn for lays, fn in _REGISTRY if "*" in lays or (layout in lays)]
