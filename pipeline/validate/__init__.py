"""Identity rules of spec/identities.md, evaluated per report into check rows.

Rule modules: `rules_std` (tables 二/三/四 and section 六), `rules_stat` (the 2014 statistics table),
`rules_narr` (free-form narrative). Importing this package registers them all.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.records import Check, Metric
from pipeline.validate import rules_narr, rules_stat, rules_std  # noqa: F401  (registration)
from pipeline.validate.framework import Values, registered_rules


def evaluate_report(metrics: Iterable[Metric], layout: str | None) -> list[Check]:
    """Evaluate every rule that applies to the report's layout."""
    values = Values(metrics, layout)
    checks: list[Check] = []
    for fn in registered_rules(layout):
        checks.extend(fn(values))
    return checks
