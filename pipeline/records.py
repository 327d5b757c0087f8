"""Plain record types passed between the per-report parsing functions.

The parsing code works on one report at a time with these dataclasses; `pipeline.stages` turns lists of
records into DataFrames (one batch of reports at a time) and back. Field names match the columns of the
models in `pipeline.schemas`, so `dataclasses.asdict` gives a ready row.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Document:
    """A decoded input file. ``text`` is the original decoded text; all offsets point into it."""

    report_id: str
    source_file: str
    sha256: str | None
    n_bytes: int | None
    encoding: str | None
    text: str | None
    status: str = "ok"  # ok | quarantined | duplicate
    status_reason: str | None = None


@dataclass(slots=True)
class ReportMeta:
    """Who and when: everything `core_reports` knows about one report beyond its file."""

    title: str | None = None
    agency_name: str | None = None
    agency_name_source: str | None = None
    agency_name_evidence: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    admin_code: str | None = None
    agency_level: str | None = None
    agency_type: str | None = None
    report_year: int | None = None
    report_year_source: str | None = None
    report_year_evidence: str | None = None
    layout: str | None = None
    is_partial: bool | None = None
    partial_reason: str | None = None
    is_report: bool = True  # False: the text is not an annual report at all (→ quarantined)
    not_report_reason: str | None = None


@dataclass(slots=True)
class Section:
    """One section of a report. ``char_start``/``char_end`` include the heading."""

    section_no: int
    level: int
    heading: str | None
    topic: str
    char_start: int
    char_end: int
    parent_topic: str | None = None


@dataclass(slots=True)
class Cell:
    """One value cell of a recognised table."""

    table_id: str
    row_no: int
    col_no: int
    row_label: str | None
    col_label: str | None
    raw: str | None
    value: float | None
    metric_id: str | None
    status: str = "ok"  # ok | blank | null_marker | ambiguous | unparsed
    decided_by: str | None = None
    char_start: int | None = None
    char_end: int | None = None
    unit_printed: str | None = None  # 万 / 万元 / 元 when printed in the cell (not a column of table_cells)


@dataclass(slots=True)
class Metric:
    """One extracted value. ``evidence`` must equal ``text[char_start:char_end]`` of the source text."""

    metric_id: str
    value: float
    qualifier: str  # exact | approx | lower_bound | zero_statement
    method: str  # table | narrative | zero_statement | derived
    evidence: str
    char_start: int
    char_end: int
    raw_value: str | None = None
    section_topic: str | None = None
    table_id: str | None = None
    confidence: float = 1.0
    decided_by: str | None = None


@dataclass(slots=True)
class Check:
    """One evaluation of an identity rule (or a parse-level check) on one report."""

    rule_id: str
    status: str  # pass | fail | not_assessable | ambiguous
    strength: str  # hard | soft | info | definition
    severity: str  # error | warning | info
    scope: str | None = None
    metric_ids: list[str] = field(default_factory=list)
    lhs: float | None = None
    rhs: float | None = None
    message: str | None = None

    @property
    def diff(self) -> float | None:
        """Lhs − rhs when both sides are known."""
        if self.lhs is None or self.rhs is None:
            return None
        return self.lhs - self.rhs
