"""pandera DataFrameModels: one per table of the output contract (types, ranges, keys, descriptions).

These models are the single source of truth for the published tables: `pipeline.dictionary` derives the
Arrow schemas, the DuckDB DDL and comments, the Dagster column schemas and DATA_DICTIONARY.md from them.
Intermediate (core_*) frames use the same models, so a frame validated here can be published as is.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

LAYOUTS = ["freeform", "stat2014", "std2019", "std2021", "unknown"]
STATUSES = ["ok", "quarantined", "duplicate"]
QUALIFIERS = ["exact", "approx", "lower_bound", "zero_statement"]
METHODS = ["table", "narrative", "zero_statement", "derived"]
CHECK_STATUSES = ["pass", "fail", "not_assessable", "ambiguous"]
SEVERITIES = ["error", "warning", "info"]
AGENCY_LEVELS = ["national", "provincial", "municipal", "county", "township", "unknown"]
HEX16 = r"^[0-9a-f]{16}$"


def _f(description: str, **kw) -> pa.Field:  # noqa: ANN003 - thin wrapper
    return pa.Field(description=description, **kw)


class ReportsModel(pa.DataFrameModel):
    """One row per input file under the raw dir, quarantined and duplicate files included."""

    report_id: Series[str] = _f(
        "Stable id of the input file: first 16 hex digits of sha256 of its relative path.",
        str_matches=HEX16,
        unique=True,
    )
    source_file: Series[str] = _f(
        "Path of the input file relative to the raw dir (POSIX separators).", unique=True
    )
    sha256: Series[str] = _f("sha256 of the file's bytes (empty for unreadable files).", nullable=True)
    n_bytes: Series[pd.Int64Dtype] = _f("File size in bytes.", ge=0, nullable=True)
    encoding: Series[str] = _f(
        "Detected text encoding (utf-8, gb18030, utf-16 …); null when undecodable.", nullable=True
    )
    status: Series[str] = _f(
        "ok: parsed; quarantined: not parsed (see status_reason); duplicate: same report as duplicate_of.",
        isin=STATUSES,
    )
    status_reason: Series[str] = _f(
        "Readable reason for a non-ok status, or notes on an ok one.", nullable=True
    )
    duplicate_of: Series[str] = _f(
        "report_id of the report chosen instead of this one (status = duplicate).", nullable=True
    )
    n_chars: Series[pd.Int64Dtype] = _f(
        "Length of the decoded text in characters (offsets count these).", ge=0, nullable=True
    )
    text_sha256: Series[str] = _f(
        "sha256 of the decoded text with all whitespace removed: equal for re-encoded or re-wrapped copies.",
        nullable=True,
    )
    title: Series[str] = _f("Title line of the report as printed, when one was found.", nullable=True)
    agency_id: Series[str] = _f(
        "Stable id of the agency (hash of its normalised full name); the same across years.", nullable=True
    )
    agency_name: Series[str] = _f(
        "Full official name of the reporting agency, with place prefix where the text gives it.",
        nullable=True,
    )
    agency_name_source: Series[str] = _f(
        "Where the agency name came from: title, header (portal/crawler 发布机构), signature, body, inferred (我局/我委 + sector + place); "
        "'+'-joined when the place prefix came from elsewhere (e.g. title+body).",
        nullable=True,
    )
    agency_name_evidence: Series[str] = _f("Verbatim text the agency name was read from.", nullable=True)
    province: Series[str] = _f("Province-level division of the agency.", nullable=True)
    city: Series[str] = _f("Prefecture-level division of the agency.", nullable=True)
    county: Series[str] = _f("County-level division of the agency.", nullable=True)
    admin_code: Series[str] = _f(
        "National 6-digit 行政区划代码 of the most specific division resolved.",
        nullable=True,
        str_matches=r"^\d{6}$",
    )
    agency_level: Series[str] = _f(
        "national / provincial / municipal / county / township / unknown.", isin=AGENCY_LEVELS, nullable=True
    )
    agency_type: Series[str] = _f(
        "government (人民政府), government_office (办公室/厅), department (局/委/厅 …), street_office, township, other.",
        nullable=True,
    )
    report_year: Series[pd.Int16Dtype] = _f(
        "Year the report covers (统计年度), not the publication year.", ge=2007, le=2030, nullable=True
    )
    report_year_source: Series[str] = _f(
        "Which evidence decided report_year: title, period, body, signature, header, filename.", nullable=True
    )
    report_year_evidence: Series[str] = _f("Verbatim text report_year was read from.", nullable=True)
    layout: Series[str] = _f(
        "freeform | stat2014 (free-form + 2014 national statistics table) | std2019 | std2021 | unknown.",
        isin=LAYOUTS,
        nullable=True,
    )
    is_partial: Series[pd.BooleanDtype] = _f(
        "True when the text is truncated: the metrics of missing sections are absent, not zero.",
        nullable=True,
    )
    partial_reason: Series[str] = _f(
        "Why the text is judged truncated, and which sections/tables are missing.", nullable=True
    )
    n_sections: Series[pd.Int32Dtype] = _f("Number of sections found.", ge=0, nullable=True)
    n_metrics: Series[pd.Int32Dtype] = _f(
        "Number of metric rows extracted from this file.", ge=0, nullable=True
    )
    parser_version: Series[str] = _f("Version of the parsing code that produced this row.")

    class Config:
        """Table-level rules."""

        strict = True
        coerce = True


class SectionsModel(pa.DataFrameModel):
    """One row per section of a report: heading, canonical topic, span and text."""

    report_id: Series[str] = _f("Report the section belongs to.", str_matches=HEX16)
    section_no: Series[pd.Int32Dtype] = _f(
        "Order of the section in the report, from 0 (0 = preamble before the first heading).", ge=0
    )
    level: Series[pd.Int16Dtype] = _f(
        "Heading level: 0 preamble, 1 一、, 2 （一）, 3 1、 / 一是.", ge=0, le=3
    )
    heading: Series[str] = _f("Heading text as printed (normalised whitespace).", nullable=True)
    topic: Series[str] = _f(
        "Canonical topic: overview, proactive, on_request, consultation, fees, review_litigation, response, organisation, meetings_training, problems, other, statistics_table, preamble."
    )
    parent_topic: Series[str] = _f(
        "Topic of the enclosing level-1 section (same as topic for level 1).", nullable=True
    )
    char_start: Series[pd.Int64Dtype] = _f(
        "Offset of the section's first character in the decoded source text.", ge=0
    )
    char_end: Series[pd.Int64Dtype] = _f("Offset one past the section's last character.", ge=0)
    text: Series[str] = _f("The section's text, verbatim from the source.")

    class Config:
        """Table-level rules."""

        strict = True
        coerce = True
        unique = ["report_id", "section_no"]


class TableCellsModel(pa.DataFrameModel):
    """One row per printed value cell of a recognised statistics table."""

    report_id: Series[str] = _f("Report the cell belongs to.", str_matches=HEX16)
    table_id: Series[str] = _f(
        "t2 / t3 / t4 (std tables 二/三/四), stat2014, or prov (older provincial statistics table)."
    )
    row_no: Series[pd.Int32Dtype] = _f("Row index within the table (data rows only).", ge=0)
    col_no: Series[pd.Int32Dtype] = _f("Value-column index within the row.", ge=0)
    row_label: Series[str] = _f("Row label (group labels carried forward), as printed.", nullable=True)
    col_label: Series[str] = _f("Column label, canonical.", nullable=True)
    raw: Series[str] = _f(
        "The cell as printed (or the digits assigned to it when split from a glued run).", nullable=True
    )
    value: Series[float] = _f(
        "Parsed value in the metric's catalog unit; null for blank cells and null markers.", nullable=True
    )
    metric_id: Series[str] = _f(
        "Catalog metric id this cell maps to (null when the row/column is not in the catalog).", nullable=True
    )
    status: Series[str] = _f(
        "ok, blank, null_marker, ambiguous (glued digits with several valid splits), unparsed."
    )
    decided_by: Series[str] = _f(
        "For cells split from glued digits: the identity rule(s) that made the split unique.", nullable=True
    )
    char_start: Series[pd.Int64Dtype] = _f(
        "Offset of the cell (or of its glued run) in the decoded source text.", ge=0, nullable=True
    )
    char_end: Series[pd.Int64Dtype] = _f("Offset one past the cell.", ge=0, nullable=True)

    class Config:
        """Table-level rules."""

        strict = True
        coerce = True
        unique = ["report_id", "table_id", "row_no", "col_no"]


class MetricsModel(pa.DataFrameModel):
    """One row per report and metric: the dataset researchers use (published rows: one per agency-year-metric)."""

    source_file: Series[str] = _f("Input file the value was read from, relative to the raw dir.")
    report_id: Series[str] = _f("Report id (see reports).", str_matches=HEX16)
    agency_id: Series[str] = _f("Stable agency id (see agencies).", nullable=True)
    agency_name: Series[str] = _f("Full name of the reporting agency.", nullable=True)
    report_year: Series[pd.Int16Dtype] = _f("Year the report covers.", ge=2007, le=2030, nullable=True)
    layout: Series[str] = _f("Layout of the report the value comes from.", isin=LAYOUTS, nullable=True)
    metric_id: Series[str] = _f("Metric id from the catalog (metric_catalog.metric_id).")
    value: Series[float] = _f(
        "The value, in the catalog unit of the metric (counts are whole numbers; money in 元 or 万元 as the unit says).",
        nullable=False,
    )
    unit: Series[str] = _f("Catalog unit of the metric (件, 条, 人次, 万元, 元, % …).")
    qualifier: Series[str] = _f(
        "exact; approx (约/近/左右); lower_bound (余/多/以上); zero_statement (a sentence saying none).",
        isin=QUALIFIERS,
    )
    method: Series[str] = _f(
        "table (a printed cell), narrative (a sentence), zero_statement, or derived (computed from printed parts).",
        isin=METHODS,
    )
    harmonized_id: Series[str] = _f(
        "Cross-era concept id (metric_catalog.harmonized_id) for building 2008–2025 series.", nullable=True
    )
    evidence: Series[str] = _f(
        "Verbatim source text the value was read from: decoded_text[char_start:char_end]."
    )
    char_start: Series[pd.Int64Dtype] = _f("Offset of the evidence in the decoded source text.", ge=0)
    char_end: Series[pd.Int64Dtype] = _f("Offset one past the evidence.", ge=0)
    raw_value: Series[str] = _f(
        "The number as printed (before unit conversion), e.g. '210.8万', '二十余'.", nullable=True
    )
    section_topic: Series[str] = _f("Canonical topic of the section the evidence lies in.", nullable=True)
    table_id: Series[str] = _f(
        "t2/t3/t4/stat2014/prov for table values, null for narrative ones.", nullable=True
    )
    confidence: Series[float] = _f(
        "Parser confidence 0–1 (1 = printed cell read directly; lower for glued splits and loose phrasing).",
        ge=0,
        le=1,
    )
    decided_by: Series[str] = _f(
        "Identity rule(s) that decided a glued-digit split, or the pattern id of a narrative match.",
        nullable=True,
    )

    class Config:
        """Table-level rules."""

        strict = True
        coerce = True
        unique = ["report_id", "metric_id"]


class IdentityChecksModel(pa.DataFrameModel):
    """One row per evaluation of a rule of identities.md (or a parse-level check) on one report."""

    report_id: Series[str] = _f("Report the rule was evaluated on.", str_matches=HEX16)
    rule_id: Series[str] = _f(
        "Rule id from identities.md (T3-BAL, S-APP-RECV, …) or a parse check (SPLIT-AMBIGUOUS, UNIT-UNCERTAIN, …)."
    )
    scope: Series[str] = _f(
        "Column / row / part the rule was evaluated on (e.g. natural_person, row 5, '').", nullable=True
    )
    strength: Series[str] = _f(
        "hard (template-defined), soft (usually holds), info (plausibility only).",
        isin=["hard", "soft", "info", "definition"],
    )
    status: Series[str] = _f(
        "pass, fail, not_assessable (a term is blank/missing), ambiguous (several readings).",
        isin=CHECK_STATUSES,
    )
    severity: Series[str] = _f("error / warning / info: how much a failure matters.", isin=SEVERITIES)
    metric_ids: Series[str] = _f("Metric ids involved, ';'-separated (lhs terms first).", nullable=True)
    lhs: Series[float] = _f("Value of the left-hand side.", nullable=True)
    rhs: Series[float] = _f("Value of the right-hand side.", nullable=True)
    diff: Series[float] = _f("lhs − rhs.", nullable=True)
    message: Series[str] = _f("Readable explanation.", nullable=True)

    class Config:
        """Table-level rules."""

        strict = True
        coerce = True


class ValidationIssuesModel(IdentityChecksModel):
    """Failed and ambiguous checks, with the report's file, agency and year: what needs a human look."""

    source_file: Series[str] = _f("Input file of the report.")
    agency_name: Series[str] = _f("Agency of the report.", nullable=True)
    report_year: Series[pd.Int16Dtype] = _f("Report year.", nullable=True)
    layout: Series[str] = _f("Layout of the report.", nullable=True)
    report_status: Series[str] = _f(
        "Status of the report (ok, or duplicate: its metrics are not in the metrics table).", isin=STATUSES
    )

    class Config:
        """Table-level rules."""

        strict = True
        coerce = True


class MetricCatalogModel(pa.DataFrameModel):
    """The metric catalog (spec/catalog.csv plus documented additions)."""

    metric_id: Series[str] = _f("Metric id.", unique=True)
    label_zh: Series[str] = _f("Chinese label as printed in the template (or the usual phrasing).")
    label_en: Series[str] = _f("English description.")
    unit: Series[str] = _f("Canonical unit of stored values.")
    layouts: Series[str] = _f("Layouts the metric occurs in, ';'-separated.")
    table_section: Series[str] = _f("Table / section the metric is read from.", nullable=True)
    row_label: Series[str] = _f("Row label (tables) or phrasing pattern (narrative).", nullable=True)
    col_label: Series[str] = _f("Column label (tables).", nullable=True)
    harmonized_id: Series[str] = _f("Cross-era concept id.", nullable=True)
    notes: Series[str] = _f("Notes from the catalog.", nullable=True)
    origin: Series[str] = _f(
        "spec (from spec/catalog.csv) or added (documented addition of this project).", isin=["spec", "added"]
    )

    class Config:
        """Table-level rules."""

        strict = True
        coerce = True


class AgenciesModel(pa.DataFrameModel):
    """Agency dimension: one row per agency_id, stable across years."""

    agency_id: Series[str] = _f(
        "Stable agency id: first 12 hex of sha256 of the normalised full name.", unique=True
    )
    agency_name: Series[str] = _f("Full official name.")
    province: Series[str] = _f("Province-level division.", nullable=True)
    city: Series[str] = _f("Prefecture-level division.", nullable=True)
    county: Series[str] = _f("County-level division.", nullable=True)
    admin_code: Series[str] = _f(
        "6-digit 行政区划代码 of the most specific division resolved.", nullable=True
    )
    agency_level: Series[str] = _f(
        "national / provincial / municipal / county / township / unknown.", nullable=True
    )
    agency_type: Series[str] = _f("Kind of agency.", nullable=True)
    first_year: Series[pd.Int16Dtype] = _f("First report year seen.", nullable=True)
    last_year: Series[pd.Int16Dtype] = _f("Last report year seen.", nullable=True)
    n_reports: Series[pd.Int32Dtype] = _f("Number of (non-duplicate) reports of the agency.", ge=0)

    class Config:
        """Table-level rules."""

        strict = True
        coerce = True


class RawReportsModel(pa.DataFrameModel):
    """Intermediate: one row per input file with its decoded text (not published as a table)."""

    report_id: Series[str] = _f("Stable id of the input file.", str_matches=HEX16, unique=True)
    source_file: Series[str] = _f("Path relative to the raw dir.", unique=True)
    sha256: Series[str] = _f("sha256 of the bytes.", nullable=True)
    n_bytes: Series[pd.Int64Dtype] = _f("Size in bytes.", ge=0, nullable=True)
    encoding: Series[str] = _f("Detected encoding.", nullable=True)
    status: Series[str] = _f("ok or quarantined at read time.", isin=STATUSES)
    status_reason: Series[str] = _f("Reason for the status.", nullable=True)
    text: Series[str] = _f("Decoded text (null when undecodable).", nullable=True)

    class Config:
        """Table-level rules."""

        strict = True
        coerce = True


class ReportTextsModel(pa.DataFrameModel):
    """The decoded text of every parsed report, so any evidence offset can be checked: text[char_start:char_end]."""

    report_id: Series[str] = _f("Report id.", str_matches=HEX16, unique=True)
    text: Series[str] = _f("Decoded source text (the text all char offsets point into).")

    class Config:
        """Table-level rules."""

        strict = True
        coerce = True


TABLE_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "reports": ReportsModel,
    "sections": SectionsModel,
    "table_cells": TableCellsModel,
    "metrics": MetricsModel,
    "identity_checks": IdentityChecksModel,
    "validation_issues": ValidationIssuesModel,
    "metric_catalog": MetricCatalogModel,
    "agencies": AgenciesModel,
    "report_texts": ReportTextsModel,
}

INTERMEDIATE_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "raw_reports": RawReportsModel,
    "core_reports": ReportsModel,
    "core_sections": SectionsModel,
    "core_table_cells": TableCellsModel,
    "core_metrics": MetricsModel,
    "core_identity_checks": IdentityChecksModel,
}
