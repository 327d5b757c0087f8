"""SQL of the DuckDB views researchers reach for (name → (comment, SELECT))."""

from __future__ import annotations

VIEWS: dict[str, tuple[str, str]] = {
    "harmonized_series": (
        "One row per agency, year and harmonised concept (metric_catalog.harmonized_id) across all eras; "
        "where a report gives several metrics for one concept, the table value is preferred.",
        """
        SELECT agency_id, agency_name, report_year, harmonized_id,
               arg_min(value, CASE method WHEN 'table' THEN 0 WHEN 'derived' THEN 1 ELSE 2 END) AS value,
               arg_min(unit, CASE method WHEN 'table' THEN 0 WHEN 'derived' THEN 1 ELSE 2 END) AS unit,
               arg_min(metric_id, CASE method WHEN 'table' THEN 0 WHEN 'derived' THEN 1 ELSE 2 END) AS metric_id,
               arg_min(qualifier, CASE method WHEN 'table' THEN 0 WHEN 'derived' THEN 1 ELSE 2 END) AS qualifier,
               arg_min(layout, CASE method WHEN 'table' THEN 0 WHEN 'derived' THEN 1 ELSE 2 END) AS layout
        FROM metrics
        WHERE harmonized_id IS NOT NULL
        GROUP BY ALL
        """,
    ),
    "report_issue_summary": (
        "Per report: how many identity checks passed, failed, were ambiguous or not assessable.",
        """
        SELECT r.report_id, r.source_file, r.agency_name, r.report_year, r.layout, r.status,
               count(c.rule_id) FILTER (WHERE c.status = 'pass') AS n_pass,
               count(c.rule_id) FILTER (WHERE c.status = 'fail') AS n_fail,
               count(c.rule_id) FILTER (WHERE c.status = 'fail' AND c.severity = 'error') AS n_fail_error,
               count(c.rule_id) FILTER (WHERE c.status = 'ambiguous') AS n_ambiguous,
               count(c.rule_id) FILTER (WHERE c.status = 'not_assessable') AS n_not_assessable
        FROM reports r LEFT JOIN identity_checks c USING (report_id)
        GROUP BY ALL
        """,
    ),
}
