"""Cross-year identity rules: they compare one agency's reports of consecutive years.

These cannot run per report, so they run once at publishing time, in DuckDB over the metrics of the
non-duplicate reports (see `pipeline.publish`). All of them are soft (identities.md): agencies are
restructured, rules are amended, and the 2019 carry-over cannot match a 2018 free-form report.

- T3-XYEAR: ``app.carried_over.c[y] = app.carried_forward.c[y-1]`` for every applicant column c.
- T2-STOCK-R / T2-STOCK-N: ``in_force[y] = in_force[y-1] + made[y] - repealed[y]`` (std2021).
- T2-19-CHAIN: ``items_prev_year[y+1] = items_prev_year[y] + items_change[y]`` (std2019, 2019→2020).

Each evaluation is one row on the later year's report, with the previous report named in ``message``.
"""

from __future__ import annotations

from pipeline.std_ids import T3_COLS

CHAIN_ITEMS = ["licensing", "other_services", "penalty", "coercion", "fees"]


def _rule_terms() -> list[tuple[str, str, list[str], list[str]]]:
    """(rule id, scope, lhs terms, rhs terms); a term is 'cur:<metric>' or 'prev:<metric>'."""
    out: list[tuple[str, str, list[str], list[str]]] = []
    for c in T3_COLS:
        out.append(("T3-XYEAR", c, [f"cur:app.carried_over.{c}"], [f"prev:app.carried_forward.{c}"]))
    for rid, x in (("T2-STOCK-R", "rules"), ("T2-STOCK-N", "normative_docs")):
        out.append(
            (
                rid,
                x,
                [f"cur:active.{x}.in_force"],
                [f"prev:active.{x}.in_force", f"cur:active.{x}.made", f"neg:cur:active.{x}.repealed"],
            )
        )
    for x in CHAIN_ITEMS:
        out.append(
            (
                "T2-19-CHAIN",
                x,
                [f"cur:active.{x}.items_prev_year"],
                [f"prev:active.{x}.items_prev_year", f"prev:active.{x}.items_change"],
            )
        )
    return out


def _term_sql(term: str) -> tuple[str, str]:
    """SQL expression of a term and the metric id it names."""
    sign = ""
    if term.startswith("neg:"):
        sign, term = "-", term[4:]
    side, metric = term.split(":", 1)
    return f"{sign}{side}_v['{metric}']", metric


def cross_year_sql(metrics: str, reports: str) -> str:
    """A SELECT producing identity_checks rows for every cross-year rule.

    ``metrics`` and ``reports`` are table expressions (e.g. ``read_parquet('…')``) of the published
    metrics and reports. Pairs are (agency_id, year) with (agency_id, year - 1), both non-duplicate.
    """
    rules = []
    used: dict[str, None] = {}
    for rule_id, scope, lhs, rhs in _rule_terms():
        lhs_sql = [_term_sql(t) for t in lhs]
        rhs_sql = [_term_sql(t) for t in rhs]
        ids = [m for _, m in lhs_sql + rhs_sql]
        used.update(dict.fromkeys(ids))
        lhs_expr = " + ".join(e for e, _ in lhs_sql)
        rhs_expr = " + ".join(e for e, _ in rhs_sql)
        present = " AND ".join(f"{e.lstrip('-')} IS NOT NULL" for e, _ in lhs_sql + rhs_sql)
        any_present = " OR ".join(f"{e.lstrip('-')} IS NOT NULL" for e, _ in lhs_sql)
        rules.append(
            f"""SELECT cur_report_id AS report_id, '{rule_id}' AS rule_id, '{scope}' AS scope,
                   CASE WHEN {present} THEN (CASE WHEN abs(({lhs_expr}) - ({rhs_expr})) < 1e-9 THEN 'pass' ELSE 'fail' END)
                        ELSE 'not_assessable' END AS status,
                   {lhs_expr} AS lhs, {rhs_expr} AS rhs,
                   '{";".join(ids)}' AS metric_ids,
                   'previous report: ' || prev_source_file || ' (' || prev_year || ')' AS message
            FROM pairs WHERE {any_present}"""
        )
    union = "\nUNION ALL\n".join(rules)
    return f"""
    WITH ok AS (
        SELECT report_id, agency_id, report_year, source_file FROM {reports}
        WHERE status = 'ok' AND agency_id IS NOT NULL AND report_year IS NOT NULL
    ),
    vals AS (
        SELECT report_id, map_from_entries(list(struct_pack(k := metric_id, v := value))) AS v
        FROM {metrics} WHERE metric_id IN ({", ".join(f"'{m}'" for m in used)}) GROUP BY report_id
    ),
    with_metrics AS (SELECT DISTINCT report_id FROM {metrics}),
    pairs AS (
        SELECT c.report_id AS cur_report_id, p.report_id AS prev_report_id, p.source_file AS prev_source_file,
               p.report_year AS prev_year, cv.v AS cur_v, pv.v AS prev_v
        FROM ok c JOIN ok p ON c.agency_id = p.agency_id AND p.report_year = c.report_year - 1
        SEMI JOIN with_metrics hc ON hc.report_id = c.report_id
        SEMI JOIN with_metrics hp ON hp.report_id = p.report_id
        LEFT JOIN vals cv ON cv.report_id = c.report_id LEFT JOIN vals pv ON pv.report_id = p.report_id
    ),
    checks AS ({union})
    SELECT report_id, rule_id, scope, 'soft' AS strength, status,
           CASE WHEN status = 'fail' THEN 'warning' ELSE 'info' END AS severity,
           metric_ids, lhs, rhs, lhs - rhs AS diff,
           message
    FROM checks
    """
