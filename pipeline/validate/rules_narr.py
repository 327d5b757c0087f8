"""Rules for free-form narrative metrics (F-*). See docs/spec/identities.md."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.records import Check
from pipeline.validate.framework import Values, compare, rule


@rule(layouts=["freeform", "stat2014", "std2019", "std2021"])
def f_consult(v: Values) -> Iterable[Check]:
    """F-CONSULT: total consultations = sum of the channels (only when the total and a channel were stated)."""
    parts = [
        p
        for p in ("narr.consult.onsite", "narr.consult.phone", "narr.consult.online", "narr.consult.other")
        if v.has(p)
    ]
    if v.has("narr.consult.total") and parts:
        yield compare("F-CONSULT", v, ["narr.consult.total"], parts, strength="soft")
