"""Rules for the standardised tables (std2019 / std2021): tables 二, 三, 四 and section 六.

See docs/spec/identities.md. Column sets and rule ids follow that file exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.records import Check
from pipeline.validate.framework import Values, compare, rule

A = ["natural_person", "business", "research", "social_welfare", "legal_service", "other_org"]
C = [*A, "total"]
T4C = ["maintained", "corrected", "other", "pending"]


@rule(layouts=["std2019", "std2021"])
def t3_balance(v: Values) -> Iterable[Check]:
    """T3-BAL: new + carried over = results total + carried forward, per column."""
    for c in C:
        yield compare(
            "T3-BAL",
            v,
            [f"app.new.{c}", f"app.carried_over.{c}"],
            [f"app.result.total.{c}", f"app.carried_forward.{c}"],
            strength="hard",
            scope=c,
        )


@rule(layouts=["std2019", "std2021"])
def t4_sums(v: Values) -> Iterable[Check]:
    """T4-REV / T4-DIR / T4-AFT: each block's total is the sum of its four results."""
    for rid, block in (
        ("T4-REV", "review"),
        ("T4-DIR", "litigation.direct"),
        ("T4-AFT", "litigation.after_review"),
    ):
        yield compare(rid, v, [f"{block}.total"], [f"{block}.{k}" for k in T4C], strength="hard")
