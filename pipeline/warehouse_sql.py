"""SQL of the DuckDB views researchers reach for, and the documentation of their columns.

``VIEWS`` maps a view name to ``(comment, SELECT)``; ``publish.build_warehouse`` creates them, in this
order, after the tables. ``VIEW_COLUMNS`` documents every column of every view: the data dictionary, the
DuckDB column comments and a test that compares them with the views as built all read it.

The views only read the published tables (``metrics``, ``reports``, ``identity_checks``), so the same SQL
also runs over the Parquet files (``pipeline.coverage`` does that). The lists the std views need (which
metric ids form table 3, which cells a complete report prints) come from the metric catalog, so a catalog
addition shows up here without editing SQL.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline import catalog

STD_LAYOUTS = ("std2019", "std2021")
TABLE_LAYOUTS = ("stat2014", *STD_LAYOUTS)
APPLICANT_COLUMNS: dict[str, str] = {
    "natural_person": "自然人 (natural persons)",
    "business": "商业企业 (businesses)",
    "research": "科研机构 (research institutions)",
    "social_welfare": "社会公益组织 (public-interest organisations)",
    "legal_service": "法律服务机构 (legal service providers)",
    "other_org": "其他 (other legal persons or organisations)",
    "legal_total": "法人或其他组织（小计） (sum of the five organisation columns; printed only in local 8-column tables, otherwise derived)",
    "total": "总计 (all applicants)",
}
# Precedence inside harmonized_series when one report gives several metrics for one concept.
METHOD_PRECEDENCE = ("table", "derived", "narrative", "zero_statement")
QUALIFIER_PRECEDENCE = ("exact", "zero_statement", "lower_bound", "approx")
MONEY_TO_YUAN: dict[str, int] = {"元": 1, "万元": 10_000, "亿元": 100_000_000}

_LAYOUT_WORD = re.compile(r"\b(freeform|stat2014|std2019|std2021)\b")
_NOT_PRINTED = re.compile(r"not printed in (the )?national template", re.IGNORECASE)
_LOCAL = re.compile(r"local variant|local \([^)]*\) addition", re.IGNORECASE)


# ----------------------------------------------------------------------------------------------------
# Catalog-derived lists.


def is_derived(notes: str, layout: str) -> bool:
    """True when the catalog notes say the metric is computed (not a printed cell) in ``layout``.

    A clause (``;``-separated) that says "not printed in national template", or says "derived" without
    naming a layout, applies everywhere; "derived … in std2021" applies to std2021 only.
    """
    for clause in notes.split(";"):
        if _NOT_PRINTED.search(clause):
            return True
        if "derived" in clause.lower():
            named = set(_LAYOUT_WORD.findall(clause))
            if not named or layout in named:
                return True
    return False


def is_local_variant(notes: str) -> bool:
    """True for rows/columns that only some local templates print."""
    return bool(_LOCAL.search(notes))


def _is_national_table_metric(d: catalog.MetricDef) -> bool:
    """A cell of a national table (std 表二/三/四 or the 2014 统计表), not a local or narrative one."""
    return d.table_section.startswith(("表", "附表")) and not d.metric_id.startswith("narr.")


@cache
def expected_metric_ids(layout: str) -> tuple[str, ...]:
    """Metric ids a complete report of ``layout`` prints as table cells (catalog order).

    std2019/std2021: the cells of tables 二/三/四 of the national template; stat2014: the rows of the
    national statistics table. Derived values and local variants are not expected. Free-form reports
    have no table, so nothing is expected of them.
    """
    return tuple(
        d.metric_id
        for d in catalog.catalog().values()
        if layout in TABLE_LAYOUTS
        and layout in d.layouts
        and _is_national_table_metric(d)
        and not is_derived(d.notes, layout)
        and not is_local_variant(d.notes)
    )


def _split_t3(metric_id: str) -> tuple[str, str]:
    row, _, col = metric_id.rpartition(".")
    return row, col


def _t3_defs() -> list[catalog.MetricDef]:
    return [
        d
        for d in catalog.catalog().values()
        if d.table_section.startswith("表三") and _split_t3(d.metric_id)[1] in APPLICANT_COLUMNS
    ]


@cache
def table3_rows() -> tuple[tuple[str, str, str], ...]:
    """Rows of std table 3 in template order: (row_id, row_label, ';'-separated layouts)."""
    rows: dict[str, tuple[str, str]] = {}
    for d in _t3_defs():
        row, _ = _split_t3(d.metric_id)
        if row not in rows:
            rows[row] = (d.row_label, ";".join(x for x in d.layouts if x in STD_LAYOUTS))
    return tuple((row, label, layouts) for row, (label, layouts) in rows.items())


@cache
def wide_metric_ids() -> tuple[str, ...]:
    """The cells ``std_tables_wide`` shows: every table 二 and 四 cell, and table 3's 总计 column."""
    return tuple(
        d.metric_id
        for d in catalog.catalog().values()
        if d.table_section.startswith(("表二", "表四"))
        or (d.table_section.startswith("表三") and d.metric_id.endswith(".total"))
    )


def wide_column(metric_id: str) -> str:
    """Column name of a metric in ``std_tables_wide`` (dots become underscores)."""
    return metric_id.replace(".", "_")


@cache
def concept_units() -> dict[str, str]:
    """The one unit each harmonised concept is expressed in by ``harmonized_series``.

    A concept whose metrics share a unit keeps it. Mixed money units (万元 / 元) become 元, the smallest;
    mixed count words (件 / 条) are the same count and take the unit of the concept's table metric.
    """
    units: dict[str, list[tuple[str, str]]] = {}
    for d in catalog.catalog().values():
        if d.harmonized_id:
            units.setdefault(d.harmonized_id, []).append((d.metric_id, d.unit))
    out: dict[str, str] = {}
    for concept, pairs in units.items():
        distinct = {u for _, u in pairs}
        if len(distinct) == 1:
            out[concept] = distinct.pop()
        elif distinct <= MONEY_TO_YUAN.keys():
            out[concept] = min(distinct, key=MONEY_TO_YUAN.__getitem__)
        else:
            table_units = [u for m, u in sorted(pairs) if not m.startswith("narr.")]
            out[concept] = (table_units or sorted(distinct))[0]
    return out


# ----------------------------------------------------------------------------------------------------
# SQL helpers.


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _rank(column: str, order: tuple[str, ...]) -> str:
    whens = " ".join(f"WHEN {_q(v)} THEN {i}" for i, v in enumerate(order))
    return f"CASE {column} {whens} ELSE {len(order)} END"


def _lit(v: object) -> str:
    return _q(v) if isinstance(v, str) else repr(v)


def _values(rows: list[tuple], alias: str) -> str:
    """An inline table: ``(VALUES (…), (…)) AS alias(col, …)``."""
    body = ",\n            ".join("(" + ", ".join(_lit(v) for v in r) + ")" for r in rows)
    return f"(VALUES {body}) AS {alias}"


def _list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


# ----------------------------------------------------------------------------------------------------
# The views.


def _harmonized_series_sql() -> str:
    defs = catalog.catalog().values()
    mixed = [
        (c, u)
        for c, u in sorted(concept_units().items())
        if len({d.unit for d in defs if d.harmonized_id == c}) > 1
    ]
    order = (
        f"{_rank('m.method', METHOD_PRECEDENCE)}, {_rank('m.qualifier', QUALIFIER_PRECEDENCE)}, "
        "m.confidence DESC, m.metric_id"
    )
    money = [(u, float(f)) for u, f in MONEY_TO_YUAN.items()]
    return f"""
        WITH candidates AS (
            SELECT m.*,
                   row_number() OVER (PARTITION BY m.report_id, m.harmonized_id ORDER BY {order}) AS precedence,
                   count(*) OVER (PARTITION BY m.report_id, m.harmonized_id) AS n_candidates,
                   string_agg(m.metric_id, ';' ORDER BY m.metric_id)
                       OVER (PARTITION BY m.report_id, m.harmonized_id) AS candidate_metric_ids
            FROM metrics m
            WHERE m.harmonized_id IS NOT NULL
        )
        SELECT c.agency_id, c.agency_name, c.report_year, c.harmonized_id,
               CASE WHEN s.to_yuan IS NOT NULL AND t.to_yuan IS NOT NULL AND s.unit <> t.unit
                    THEN round(c.value * s.to_yuan / t.to_yuan, 6) ELSE c.value END AS value,
               coalesce(cu.unit, c.unit) AS unit,
               c.value AS source_value, c.unit AS source_unit,
               c.metric_id, c.method, c.qualifier, c.confidence, c.layout,
               c.n_candidates, c.candidate_metric_ids,
               c.report_id, c.source_file, c.evidence, c.char_start, c.char_end
        FROM candidates c
        LEFT JOIN {_values(mixed, "cu(harmonized_id, unit)")} ON cu.harmonized_id = c.harmonized_id
        LEFT JOIN {_values(money, "s(unit, to_yuan)")} ON s.unit = c.unit
        LEFT JOIN {_values(money, "t(unit, to_yuan)")} ON t.unit = coalesce(cu.unit, c.unit)
        WHERE c.precedence = 1
    """


def _std_tables_wide_sql() -> str:
    ids = wide_metric_ids()
    cols = ",\n               ".join(
        f"max(m.value) FILTER (WHERE m.metric_id = {_q(i)}) AS {wide_column(i)}" for i in ids
    )
    return f"""
        SELECT r.report_id, r.source_file, r.agency_id, r.agency_name, r.report_year, r.layout, r.is_partial,
               count(m.metric_id) AS n_values,
               {cols}
        FROM reports r
        LEFT JOIN metrics m ON m.report_id = r.report_id AND m.metric_id IN ({", ".join(_q(i) for i in ids)})
        WHERE r.status = 'ok' AND r.layout IN ({", ".join(_q(x) for x in STD_LAYOUTS)})
        GROUP BY ALL
    """


def _std_table3_wide_sql() -> str:
    rows = [(i, row, label, layouts) for i, (row, label, layouts) in enumerate(table3_rows(), start=1)]
    cols = ",\n               ".join(
        f"max(c.value) FILTER (WHERE c.col = {_q(k)}) AS {k}" for k in APPLICANT_COLUMNS
    )
    return f"""
        WITH t3_rows AS (
            SELECT * FROM {_values(rows, "t(row_no, row_id, row_label, layouts)")}
        ),
        cells AS (
            SELECT m.report_id, regexp_extract(m.metric_id, '^(.*)\\.([a-z_]+)$', 1) AS row_id,
                   regexp_extract(m.metric_id, '^(.*)\\.([a-z_]+)$', 2) AS col, m.value, m.method
            FROM metrics m
            WHERE m.metric_id LIKE 'app.%'
              AND regexp_extract(m.metric_id, '^(.*)\\.([a-z_]+)$', 2) IN ({", ".join(_q(k) for k in APPLICANT_COLUMNS)})
        ),
        t3_reports AS (
            SELECT r.* FROM reports r
            WHERE r.status = 'ok' AND r.layout IN ({", ".join(_q(x) for x in STD_LAYOUTS)})
              AND r.report_id IN (SELECT c.report_id FROM cells c JOIN t3_rows t USING (row_id))
        )
        SELECT r.report_id, r.source_file, r.agency_id, r.agency_name, r.report_year, r.layout,
               t.row_no, t.row_id, t.row_label,
               {cols},
               count(c.value) AS n_values,
               coalesce(bool_or(c.method = 'derived'), false) AS has_derived
        FROM t3_reports r
        JOIN t3_rows t ON list_contains(string_split(t.layouts, ';'), r.layout)
        LEFT JOIN cells c ON c.report_id = r.report_id AND c.row_id = t.row_id
        GROUP BY ALL
    """


def _report_completeness_sql() -> str:
    expected = ",\n                   ".join(
        f"({_q(layout)}, {_list(expected_metric_ids(layout))})" for layout in TABLE_LAYOUTS
    )
    return f"""
        WITH expected AS (
            SELECT layout, unnest(ids) AS metric_id
            FROM (VALUES {expected}) AS e(layout, ids)
        ),
        n_expected AS (SELECT layout, count(*) AS n_expected FROM expected GROUP BY layout),
        found AS (  -- metrics rows carry their report's layout (and exist for parsed reports only)
            SELECT m.report_id, count(*) AS n_found
            FROM metrics m JOIN expected e ON e.layout = m.layout AND e.metric_id = m.metric_id
            GROUP BY m.report_id
        )
        SELECT r.report_id, r.source_file, r.agency_id, r.agency_name, r.report_year, r.layout, r.is_partial,
               r.n_metrics,
               coalesce(x.n_expected, 0) AS n_expected,
               CASE WHEN x.n_expected IS NULL THEN 0 ELSE coalesce(f.n_found, 0) END AS n_found,
               coalesce(f.n_found, 0) / nullif(x.n_expected, 0) AS share_found
        FROM reports r LEFT JOIN n_expected x USING (layout) LEFT JOIN found f USING (report_id)
        WHERE r.status = 'ok'
    """


_REPORT_ISSUE_SUMMARY = """
        SELECT r.report_id, r.source_file, r.agency_id, r.agency_name, r.report_year, r.layout, r.status,
               r.is_partial,
               count(c.rule_id) AS n_checks,
               count(c.rule_id) FILTER (WHERE c.status = 'pass') AS n_pass,
               count(c.rule_id) FILTER (WHERE c.status = 'fail') AS n_fail,
               count(c.rule_id) FILTER (WHERE c.status = 'fail' AND c.severity = 'error') AS n_fail_error,
               count(c.rule_id) FILTER (WHERE c.status = 'ambiguous') AS n_ambiguous,
               count(c.rule_id) FILTER (WHERE c.status = 'not_assessable') AS n_not_assessable,
               n_pass / nullif(n_pass + n_fail + n_ambiguous, 0) AS pass_rate,
               string_agg(DISTINCT c.rule_id, ';' ORDER BY c.rule_id) FILTER (WHERE c.status = 'fail') AS failed_rules,
               string_agg(DISTINCT c.rule_id, ';' ORDER BY c.rule_id) FILTER (WHERE c.status = 'ambiguous') AS ambiguous_rules
        FROM reports r LEFT JOIN identity_checks c USING (report_id)
        GROUP BY ALL
"""

_RULE_PASS_RATES = """
        SELECT r.layout, c.rule_id, c.strength,
               count(DISTINCT c.report_id) AS n_reports,
               count(*) AS n_evaluations,
               count(*) FILTER (WHERE c.status = 'pass') AS n_pass,
               count(*) FILTER (WHERE c.status = 'fail') AS n_fail,
               count(*) FILTER (WHERE c.status = 'ambiguous') AS n_ambiguous,
               count(*) FILTER (WHERE c.status = 'not_assessable') AS n_not_assessable,
               n_pass / nullif(n_pass + n_fail + n_ambiguous, 0) AS pass_rate
        FROM identity_checks c JOIN reports r USING (report_id)
        WHERE r.status = 'ok'
        GROUP BY ALL
"""


# ----------------------------------------------------------------------------------------------------
# Column documentation.

_REPORT_COLS: dict[str, str] = {
    "report_id": "Report id (reports.report_id).",
    "source_file": "Input file of the report, relative to the raw dir.",
    "agency_id": "Stable agency id (agencies.agency_id); null when the agency was not resolved.",
    "agency_name": "Full name of the reporting agency.",
    "report_year": "Year the report covers.",
    "layout": "Layout of the report: freeform, stat2014, std2019, std2021.",
    "status": "Status of the report: ok, quarantined or duplicate.",
    "is_partial": "True when the text is truncated (missing sections are absent, not zero).",
}


def _cols(*names: str, **extra: str) -> dict[str, str]:
    return {**{n: _REPORT_COLS[n] for n in names}, **extra}


def _money_rule() -> str:
    converted = sorted(c for c, u in concept_units().items() if u == "元" and c in _mixed_concepts())
    return (
        f"Mixed money units are converted to 元 ({', '.join(converted) or 'none'}: stat2014 prints 万元, × 10000)"
        if converted
        else "No concept mixes money units"
    )


@cache
def _mixed_concepts() -> frozenset[str]:
    units: dict[str, set[str]] = {}
    for d in catalog.catalog().values():
        if d.harmonized_id:
            units.setdefault(d.harmonized_id, set()).add(d.unit)
    return frozenset(c for c, u in units.items() if len(u) > 1)


def precedence_text() -> str:
    """The precedence rule of ``harmonized_series``, in words (used by the comment and the dictionary)."""
    return (
        "When a report gives several metrics for one concept, one row is kept: method "
        + " > ".join(METHOD_PRECEDENCE)
        + ", then qualifier "
        + " > ".join(QUALIFIER_PRECEDENCE)
        + ", then higher confidence, then the smaller metric_id"
    )


@cache
def view_columns() -> dict[str, dict[str, str]]:
    """Every view's columns, in order, with their meaning."""
    wide = {
        wide_column(
            i
        ): f"{catalog.catalog()[i].label_en} [{catalog.catalog()[i].unit}] (metric {i}); null when not found."
        for i in wide_metric_ids()
    }
    return {
        "harmonized_series": _cols(
            "agency_id",
            "agency_name",
            "report_year",
            harmonized_id="Cross-era concept id (metric_catalog.harmonized_id).",
            value="The value in the concept's unit (see unit): source_value converted where the concept mixes money units.",
            unit="The concept's one unit (the same in every row of a concept). " + _money_rule() + ".",
            source_value="The value as stored in metrics, in the metric's catalog unit.",
            source_unit="Catalog unit of the metric used.",
            metric_id="The metric the value comes from (the one chosen by the precedence rule).",
            method="How the chosen value was read: table, derived, narrative, zero_statement.",
            qualifier="exact, approx, lower_bound or zero_statement, as in metrics.",
            confidence="Parser confidence of the chosen value (0–1).",
            layout="Layout of the report the value comes from.",
            n_candidates="How many metrics of this report map to the concept (1 = no choice was made).",
            candidate_metric_ids="All metric ids of this report that map to the concept, ';'-separated.",
            report_id=_REPORT_COLS["report_id"],
            source_file=_REPORT_COLS["source_file"],
            evidence="Verbatim source text of the chosen value (report_texts.text[char_start:char_end]).",
            char_start="Offset of the evidence in the decoded text (0-based characters).",
            char_end="Offset one past the evidence.",
        ),
        "std_table3_wide": _cols(
            "report_id",
            "source_file",
            "agency_id",
            "agency_name",
            "report_year",
            "layout",
            row_no="Order of the row in the national template of table 3 (1 = 一、本年新收…).",
            row_id="Row id: the metric id without its column part (e.g. app.result.granted).",
            row_label="Row label as printed in the template (group labels joined with ' / ').",
            **{k: f"Cell of column {v}; null when blank or not found." for k, v in APPLICANT_COLUMNS.items()},
            n_values="Number of non-null cells in the row.",
            has_derived="True when a cell of the row is derived (a sum of printed cells), not printed.",
        ),
        "std_tables_wide": _cols(
            "report_id",
            "source_file",
            "agency_id",
            "agency_name",
            "report_year",
            "layout",
            "is_partial",
            n_values="Number of the cells below that were found for the report.",
            **wide,
        ),
        "report_completeness": _cols(
            "report_id",
            "source_file",
            "agency_id",
            "agency_name",
            "report_year",
            "layout",
            "is_partial",
            n_metrics="Number of metric rows extracted from the report (all kinds).",
            n_expected="Printed table cells a complete report of this layout has (0 for freeform: no table).",
            n_found="How many of the expected cells were found.",
            share_found="n_found / n_expected; null when nothing is expected.",
        ),
        "report_issue_summary": _cols(
            "report_id",
            "source_file",
            "agency_id",
            "agency_name",
            "report_year",
            "layout",
            "status",
            "is_partial",
            n_checks="Identity checks evaluated on the report.",
            n_pass="Checks that passed.",
            n_fail="Checks that failed.",
            n_fail_error="Failed checks of severity error.",
            n_ambiguous="Checks with several readings (e.g. an ambiguous glued-digit split).",
            n_not_assessable="Checks that could not be evaluated (a term blank or missing).",
            pass_rate="n_pass / (n_pass + n_fail + n_ambiguous); null when nothing was assessable.",
            failed_rules="Rule ids that failed, ';'-separated.",
            ambiguous_rules="Rule ids that were ambiguous, ';'-separated.",
        ),
        "rule_pass_rates": {
            "layout": _REPORT_COLS["layout"],
            "rule_id": "Rule id from identities.md or a parse check.",
            "strength": "hard, soft, info or definition.",
            "n_reports": "Reports the rule was evaluated on.",
            "n_evaluations": "Evaluations (a rule can be evaluated per column or row).",
            "n_pass": "Evaluations that passed.",
            "n_fail": "Evaluations that failed.",
            "n_ambiguous": "Evaluations with several readings.",
            "n_not_assessable": "Evaluations that could not be assessed.",
            "pass_rate": "n_pass / (n_pass + n_fail + n_ambiguous); null when nothing was assessable.",
        },
    }


VIEWS: dict[str, tuple[str, str]] = {
    "harmonized_series": (
        "One row per report and harmonised concept (metric_catalog.harmonized_id) across all eras, for "
        "2008–2025 series by agency and year. "
        + precedence_text()
        + "; metric_id, method and qualifier say which value was used. Each concept has one unit: "
        + _money_rule()
        + ".",
        _harmonized_series_sql(),
    ),
    "std_table3_wide": (
        "Table 3 (收到和处理政府信息公开申请情况) of std2019/std2021 reports as printed: one row per report and "
        "template row, one column per applicant type (7 printed columns plus legal_total).",
        _std_table3_wide_sql(),
    ),
    "std_tables_wide": (
        "One row per parsed std2019/std2021 report with the key cells as columns: every cell of tables 二 and "
        "四 and the 总计 column of table 3 (column = metric id with dots as underscores).",
        _std_tables_wide_sql(),
    ),
    "report_completeness": (
        "Per parsed report: how many of the table cells a complete report of its layout prints were found "
        "(std2019/std2021: tables 二/三/四; stat2014: the statistics table; freeform: none expected).",
        _report_completeness_sql(),
    ),
    "report_issue_summary": (
        "Per report: how many identity checks passed, failed, were ambiguous or not assessable, the pass "
        "rate and the failing rule ids.",
        _REPORT_ISSUE_SUMMARY,
    ),
    "rule_pass_rates": (
        "Per layout and rule: evaluations by status and the pass rate, over parsed (status ok) reports.",
        _RULE_PASS_RATES,
    ),
}
