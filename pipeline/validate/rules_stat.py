"""Rules for the stat2014 statistics table (S-*). See docs/spec/identities.md."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.records import Check
from pipeline.validate.framework import Values, compare, rule


@rule(layouts=["stat2014"])
def s_staff(v: Values) -> Iterable[Check]:
    """S-STAFF: staff = full-time + part-time."""
    yield compare(
        "S-STAFF",
        v,
        ["stat.org.staff"],
        ["stat.org.staff.full_time", "stat.org.staff.part_time"],
        strength="hard",
    )
