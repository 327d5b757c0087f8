"""Coverage report of a build: what the published dataset holds and how complete and consistent it is.

``write_coverage(out_dir)`` reads the published Parquet files (never ``warehouse.duckdb``, so it takes no
lock and can run while readers hold the DuckDB file), binds them as tables of an in-memory DuckDB, reuses
the warehouse views of ``pipeline.warehouse_sql`` and writes ``<out>/coverage/``:

- ``coverage.json``: every number below, machine-readable;
- ``coverage.md``: the same as Markdown tables;
- ``coverage.png``: a four-panel chart (matplotlib, Agg backend; English labels and metric/rule ids only,
  so no CJK font is needed);
- ``coverage.html``: one self-contained page (tables plus the chart inlined as a data URI; no CDN).

Reported: input files by year × layout and by status; the share of the printed table cells a complete
report of its layout has that were found (complete and partial reports separately, the expected ids
being ``warehouse_sql.expected_metric_ids``); metrics by layout and method; identity pass rates by rule
and layout. Outputs carry no timestamps (a re-run over unchanged tables gives identical files) and each
file is replaced atomically. Without matplotlib the PNG is skipped and the JSON says so.
"""

from __future__ import annotations

import base64
import html
import importlib.util
import json
from pathlib import Path

import duckdb

from pipeline import config
from pipeline.storage import OutputLayout, atomic_replace, atomic_write_text, temp_path_for
from pipeline.warehouse_sql import TABLE_LAYOUTS, VIEWS, expected_metric_ids

TABLES = ("reports", "metrics", "identity_checks", "metric_catalog")
LAYOUT_ORDER = ("freeform", "stat2014", "std2019", "std2021", "unknown")
LAYOUT_COLORS = {
    "freeform": "#4C72B0",
    "stat2014": "#DD8452",
    "std2019": "#55A868",
    "std2021": "#C44E52",
    "unknown": "#8C8C8C",
}
METHOD_COLORS = {
    "table": "#4C72B0",
    "derived": "#8172B3",
    "narrative": "#55A868",
    "zero_statement": "#CCB974",
}


# ----------------------------------------------------------------------------------------------------
# Reading.


def connect(out_dir: Path) -> duckdb.DuckDBPyConnection:
    """In-memory DuckDB with the published tables bound to their Parquet files and the warehouse views."""
    layout = OutputLayout(out_dir)
    # The same memory and thread limits as the publishing connections (DuckDB's default is 80 % of RAM).
    con = duckdb.connect(
        config={"memory_limit": config.duckdb_memory_limit(), "threads": config.duckdb_threads()}
    )
    for t in TABLES:
        path = layout.published_table(t)
        if not path.is_file():
            raise FileNotFoundError(f"published table missing: {path} (run the build first)")
        con.execute(f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{path.as_posix()}')")
    for name, (_comment, sql) in VIEWS.items():
        con.execute(f"CREATE VIEW {name} AS {sql}")
    return con


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    rel = con.sql(sql)
    cols = rel.columns
    return [dict(zip(cols, (_plain(v) for v in r), strict=True)) for r in rel.fetchall()]


def _plain(v: object) -> object:
    """JSON-friendly, stable values (floats rounded to 4 decimals)."""
    if isinstance(v, float):
        return round(v, 4)
    return v


# ----------------------------------------------------------------------------------------------------
# The numbers.


def totals(con: duckdb.DuckDBPyConnection) -> dict:
    """Headline counts."""
    return _rows(
        con,
        """
        SELECT (SELECT count(*) FROM reports) AS files,
               (SELECT count(*) FROM reports WHERE status = 'ok') AS parsed_reports,
               (SELECT count(*) FROM reports WHERE status = 'quarantined') AS quarantined,
               (SELECT count(*) FROM reports WHERE status = 'duplicate') AS duplicates,
               (SELECT count(*) FROM reports WHERE status = 'ok' AND report_year IS NULL) AS parsed_without_year,
               (SELECT count(*) FROM reports WHERE status = 'ok' AND agency_name IS NULL) AS parsed_without_agency,
               (SELECT count(*) FROM metrics) AS metrics,
               (SELECT count(DISTINCT metric_id) FROM metrics) AS distinct_metric_ids,
               (SELECT count(*) FROM identity_checks) AS identity_checks
        """,
    )[0]


def reports_by_year_layout(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Input files by report year, layout and status (null year/layout shown as null)."""
    return _rows(
        con,
        """
        SELECT report_year, coalesce(layout, 'unknown') AS layout, status, count(*) AS n
        FROM reports GROUP BY ALL ORDER BY report_year NULLS LAST, layout, status
        """,
    )


def status_reasons(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Why files were not parsed (quarantined / duplicate), most common first."""
    return _rows(
        con,
        """
        SELECT status, coalesce(status_reason, '') AS status_reason, count(*) AS n
        FROM reports WHERE status <> 'ok' GROUP BY ALL ORDER BY n DESC, status, status_reason LIMIT 20
        """,
    )


def completeness_by_layout(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Share of the expected printed cells found, per layout, complete and partial reports apart."""
    return _rows(
        con,
        """
        SELECT layout, coalesce(is_partial, false) AS is_partial,
               count(*) AS reports,
               max(n_expected) AS expected_cells,
               avg(share_found) AS mean_share,
               median(share_found) AS median_share,
               min(share_found) AS min_share,
               max(share_found) AS max_share,
               count(*) FILTER (WHERE n_found = n_expected) AS complete_reports,
               count(*) FILTER (WHERE n_found = 0) AS reports_without_cells
        FROM report_completeness
        WHERE n_expected > 0
        GROUP BY ALL ORDER BY layout, is_partial
        """,
    )


def report_shares(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """One row per table-layout report: the share of expected cells found (for the chart)."""
    return _rows(
        con,
        """
        SELECT layout, coalesce(is_partial, false) AS is_partial, share_found, report_id
        FROM report_completeness WHERE n_expected > 0 ORDER BY layout, report_id
        """,
    )


def missing_cells(con: duckdb.DuckDBPyConnection, layout: str, limit: int = 10) -> list[dict]:
    """The expected cells of ``layout`` most often missing in complete (non-partial) reports."""
    ids = list(expected_metric_ids(layout))
    if not ids:
        return []
    con.execute("CREATE OR REPLACE TEMP TABLE _expected(metric_id VARCHAR)")
    con.executemany("INSERT INTO _expected VALUES (?)", [[i] for i in ids])
    return _rows(
        con,
        f"""
        WITH complete AS (
            SELECT report_id FROM reports
            WHERE status = 'ok' AND layout = '{layout}' AND NOT coalesce(is_partial, false)
        ),
        present AS (  -- per metric id, over all ids (one row per report and metric id in metrics)
            SELECT m.metric_id, count(*) AS n
            FROM metrics m JOIN complete c USING (report_id)
            WHERE m.layout = '{layout}'
            GROUP BY 1
        )
        SELECT e.metric_id, (SELECT count(*) FROM complete) - coalesce(p.n, 0) AS reports_missing
        FROM _expected e LEFT JOIN present p USING (metric_id)
        WHERE reports_missing > 0
        ORDER BY reports_missing DESC, e.metric_id LIMIT {int(limit)}
        """,
    )


def narrative_by_layout(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Metrics per parsed report by layout (free-form reports have no expected cells: this is their measure)."""
    return _rows(
        con,
        """
        SELECT coalesce(r.layout, 'unknown') AS layout, count(*) AS reports,
               avg(coalesce(r.n_metrics, 0)) AS mean_metrics,
               median(coalesce(r.n_metrics, 0)) AS median_metrics,
               count(*) FILTER (WHERE coalesce(r.n_metrics, 0) = 0) AS reports_without_metrics
        FROM reports r WHERE r.status = 'ok' GROUP BY ALL ORDER BY layout
        """,
    )


def metrics_by_layout_method(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Metric rows by layout and method."""
    return _rows(
        con,
        """
        SELECT coalesce(layout, 'unknown') AS layout, method, count(*) AS n
        FROM metrics GROUP BY ALL ORDER BY layout, method
        """,
    )


def rule_pass_rates(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Identity pass rates by rule and layout (the ``rule_pass_rates`` view)."""
    return _rows(
        con,
        "SELECT * REPLACE (coalesce(layout, 'unknown') AS layout) FROM rule_pass_rates ORDER BY rule_id, layout",
    )


def compute(out_dir: Path) -> dict:
    """Every number of the coverage report, from the published tables of ``out_dir``."""
    con = connect(out_dir)
    try:
        return {
            "totals": totals(con),
            "reports_by_year_layout": reports_by_year_layout(con),
            "status_reasons": status_reasons(con),
            "expected_cells": {lay: len(expected_metric_ids(lay)) for lay in TABLE_LAYOUTS},
            "completeness_by_layout": completeness_by_layout(con),
            "report_shares": report_shares(con),
            "most_missing_cells": {lay: missing_cells(con, lay) for lay in TABLE_LAYOUTS},
            "metrics_per_report": narrative_by_layout(con),
            "metrics_by_layout_method": metrics_by_layout_method(con),
            "rule_pass_rates": rule_pass_rates(con),
        }
    finally:
        con.close()


# ----------------------------------------------------------------------------------------------------
# Markdown.


def _fmt(v: object) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.1%}" if 0 <= v <= 1 else f"{v:.1f}"
    return str(v)


def _md_table(rows: list[dict], columns: list[str] | None = None) -> list[str]:
    if not rows:
        return ["(none)", ""]
    cols = columns or list(rows[0])
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    out += ["| " + " | ".join(_fmt(r.get(c)).replace("|", "/") for c in cols) + " |" for r in rows]
    return out + [""]


def year_layout_matrix(rows: list[dict]) -> list[dict]:
    """Parsed (status ok) reports as a year × layout matrix, one dict per year (null year last)."""
    years = sorted({r["report_year"] for r in rows}, key=lambda y: (y is None, y or 0))
    layouts = [lay for lay in LAYOUT_ORDER if any(r["layout"] == lay and r["status"] == "ok" for r in rows)]
    out = []
    for y in years:
        cells = {
            lay: sum(
                r["n"] for r in rows if r["report_year"] == y and r["layout"] == lay and r["status"] == "ok"
            )
            for lay in layouts
        }
        other = sum(r["n"] for r in rows if r["report_year"] == y and r["status"] != "ok")
        out.append({"year": "unknown" if y is None else str(y), **cells, "not parsed": other})
    return out


def markdown(summary: dict) -> str:
    """coverage.md."""
    t = summary["totals"]
    lines = [
        "# Coverage report",
        "",
        f"{t['files']} input files: {t['parsed_reports']} parsed, {t['quarantined']} quarantined, "
        f"{t['duplicates']} duplicates; {t['metrics']} metric rows ({t['distinct_metric_ids']} distinct ids); "
        f"{t['identity_checks']} identity-check evaluations. Parsed reports without a year: "
        f"{t['parsed_without_year']}; without an agency name: {t['parsed_without_agency']}.",
        "",
        "![coverage chart](coverage.png)"
        if summary.get("chart")
        else f"(Chart not drawn: {summary.get('chart_missing_reason', 'unknown reason')}.)",
        "",
        "## Parsed reports by year and layout",
        "",
        "Counts of parsed (status ok) reports; `not parsed` counts quarantined and duplicate files of that year.",
        "",
        *_md_table(year_layout_matrix(summary["reports_by_year_layout"])),
        "## Files not parsed",
        "",
        *_md_table(summary["status_reasons"]),
        "## Expected table cells found",
        "",
        "Expected = the printed cells of a complete report of the layout ("
        + ", ".join(f"{k}: {v}" for k, v in summary["expected_cells"].items())
        + "; derived subtotals and local variants excluded). Partial (truncated) reports are counted apart.",
        "",
        *_md_table(summary["completeness_by_layout"]),
        "Expected cells most often missing in non-partial reports:",
        "",
    ]
    for lay, rows in summary["most_missing_cells"].items():
        if rows:
            lines += [f"**{lay}**", "", *_md_table(rows)]
    lines += [
        "## Metrics per parsed report",
        "",
        "Free-form reports have no table, so nothing is expected of them: the number of metrics read is their measure.",
        "",
        *_md_table(summary["metrics_per_report"]),
        "## Metric rows by layout and method",
        "",
        *_md_table(summary["metrics_by_layout_method"]),
        "## Identity checks: pass rate by rule and layout",
        "",
        "pass_rate = pass / (pass + fail + ambiguous); not-assessable evaluations (a term blank or missing) are left out.",
        "",
        *_md_table(
            summary["rule_pass_rates"],
            [
                "rule_id",
                "layout",
                "strength",
                "n_reports",
                "n_pass",
                "n_fail",
                "n_ambiguous",
                "n_not_assessable",
                "pass_rate",
            ],
        ),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


# ----------------------------------------------------------------------------------------------------
# The chart.


def has_matplotlib() -> bool:
    """Whether the chart can be drawn."""
    return importlib.util.find_spec("matplotlib") is not None


def _panel_years(ax, summary: dict) -> None:  # noqa: ANN001 - matplotlib Axes
    matrix = year_layout_matrix(summary["reports_by_year_layout"])
    labels = [r["year"] for r in matrix]
    bottom = [0] * len(matrix)
    for lay in LAYOUT_ORDER:
        vals = [r.get(lay, 0) for r in matrix]
        if any(vals):
            ax.bar(labels, vals, bottom=bottom, color=LAYOUT_COLORS[lay], label=lay)
            bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
    other = [r["not parsed"] for r in matrix]
    if any(other):
        ax.bar(
            labels, other, bottom=bottom, color="white", edgecolor="#555555", hatch="//", label="not parsed"
        )
    ax.set_ylim(0, max([b + o for b, o in zip(bottom, other, strict=True)] + [1]) * 1.25)
    ax.set_title("Input files by report year and layout")
    ax.set_ylabel("reports")
    ax.tick_params(axis="x", labelrotation=60)
    ax.legend(fontsize=8, ncols=3, loc="upper left")


def _panel_completeness(ax, summary: dict) -> None:  # noqa: ANN001
    shares = summary["report_shares"]
    layouts = list(TABLE_LAYOUTS)
    for i, lay in enumerate(layouts):
        for partial, marker, dx in ((False, "o", -0.15), (True, "x", 0.15)):
            pts = [r["share_found"] for r in shares if r["layout"] == lay and r["is_partial"] == partial]
            if not pts:
                continue
            n = len(pts)
            xs = [i + dx + (k - (n - 1) / 2) * min(0.2 / max(n, 1), 0.02) for k in range(n)]
            ax.scatter(
                xs,
                [100 * p for p in pts],
                marker=marker,
                color=LAYOUT_COLORS[lay],
                alpha=0.8,
                label=f"{lay} {'partial' if partial else 'complete'} (n={n})",
            )
            ax.hlines(100 * sum(pts) / n, i + dx - 0.12, i + dx + 0.12, color="black", linewidth=2)
    ax.set_xticks(range(len(layouts)))
    ax.set_xticklabels(
        [f"{lay}\n(expected {summary['expected_cells'][lay]} cells)" for lay in layouts], fontsize=9
    )
    ax.set_xlim(-0.6, len(layouts) - 0.4)
    ax.set_ylim(-5, 130)
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel("% of expected printed cells found")
    ax.set_title("Table completeness per report (o complete, x partial; bar = mean)")
    if shares:
        ax.legend(fontsize=8, loc="upper center", ncols=3)
    else:
        ax.text(0.5, 0.5, "no table-layout reports", ha="center", va="center", transform=ax.transAxes)


def _panel_methods(ax, summary: dict) -> None:  # noqa: ANN001
    rows = summary["metrics_by_layout_method"]
    layouts = [lay for lay in LAYOUT_ORDER if any(r["layout"] == lay for r in rows)]
    left = [0] * len(layouts)
    for method, color in METHOD_COLORS.items():
        vals = [sum(r["n"] for r in rows if r["layout"] == lay and r["method"] == method) for lay in layouts]
        if any(vals):
            ax.barh(layouts, vals, left=left, color=color, label=method)
            left = [a + b for a, b in zip(left, vals, strict=True)]
    for y, total in enumerate(left):
        ax.text(total, y, f" {total}", va="center", fontsize=9)
    ax.set_title("Metric rows by layout and method")
    ax.set_xlabel("metric rows")
    ax.set_xlim(0, max(left or [1]) * 1.12)
    ax.invert_yaxis()
    if layouts:
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=4)
    else:
        ax.text(0.5, 0.5, "no metrics", ha="center", va="center", transform=ax.transAxes)


def _panel_rules(ax, summary: dict) -> None:  # noqa: ANN001
    rows = summary["rule_pass_rates"]
    rules = sorted({r["rule_id"] for r in rows})
    layouts = [lay for lay in LAYOUT_ORDER if any(r["layout"] == lay for r in rows)]
    grid = [[float("nan")] * len(layouts) for _ in rules]
    for r in rows:
        i, j = rules.index(r["rule_id"]), layouts.index(r["layout"])
        assessable = r["n_pass"] + r["n_fail"] + r["n_ambiguous"]
        label = f"{r['n_pass']}/{assessable}" if assessable else f"n/a ({r['n_not_assessable']})"
        if r["pass_rate"] is not None:
            grid[i][j] = r["pass_rate"]
        ax.text(j, i, label, ha="center", va="center", fontsize=7 if len(rules) > 70 else 9)
    if rules:
        import matplotlib as mpl

        cmap = mpl.colormaps["RdYlGn"].with_extremes(bad="#e0e0e0")
        im = ax.imshow(grid, cmap=cmap, vmin=0, vmax=1, aspect="auto")
        ax.figure.colorbar(im, ax=ax, fraction=0.04, label="pass rate")
        ax.set_xticks(range(len(layouts)), layouts)
        ax.set_yticks(range(len(rules)), rules, fontsize=7 if len(rules) > 70 else 9)
    else:
        ax.text(0.5, 0.5, "no identity checks", ha="center", va="center", transform=ax.transAxes)
    ax.set_title("Identity checks: passed / assessable (grey: n/a = none assessable; blank = not evaluated)")


def draw_png(summary: dict, path: Path) -> None:
    """The four-panel chart, written atomically to ``path`` (needs matplotlib).

    Left column: files by year, table completeness, metrics by method; right column (full height, so
    that every rule gets a readable row): identity pass rates by rule and layout.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n_rules = len({r["rule_id"] for r in summary["rule_pass_rates"]})
    fig = plt.figure(figsize=(19, max(14.0, 2.5 + 0.3 * n_rules)), dpi=100, layout="constrained")
    grid = fig.add_gridspec(3, 2, width_ratios=[1.3, 1])
    _panel_years(fig.add_subplot(grid[0, 0]), summary)
    _panel_completeness(fig.add_subplot(grid[1, 0]), summary)
    _panel_methods(fig.add_subplot(grid[2, 0]), summary)
    _panel_rules(fig.add_subplot(grid[:, 1]), summary)
    t = summary["totals"]
    fig.suptitle(
        f"OGI annual reports: coverage of the published dataset - {t['files']} files, "
        f"{t['parsed_reports']} parsed, {t['metrics']} metric rows",
        fontsize=15,
    )
    tmp = temp_path_for(path)
    try:
        fig.savefig(tmp, format="png", metadata={"Software": None})
    finally:
        plt.close(fig)
    atomic_replace(tmp, path)


# ----------------------------------------------------------------------------------------------------
# HTML.


def _html_table(rows: list[dict], columns: list[str] | None = None) -> str:
    if not rows:
        return "<p>(none)</p>"
    cols = columns or list(rows[0])
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_fmt(r.get(c)))}</td>" for c in cols) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_page(summary: dict, png: Path | None) -> str:
    """coverage.html: self-contained (inline CSS, chart as a data URI, no external resources)."""
    t = summary["totals"]
    img = (
        f'<img alt="coverage chart" src="data:image/png;base64,{base64.b64encode(png.read_bytes()).decode()}">'
        if png is not None and png.is_file()
        else "<p><em>Chart not drawn: matplotlib is not installed.</em></p>"
    )
    missing = "".join(
        f"<h3>{html.escape(lay)}</h3>{_html_table(rows)}"
        for lay, rows in summary["most_missing_cells"].items()
        if rows
    )
    sections = [
        (
            "Parsed reports by year and layout",
            _html_table(year_layout_matrix(summary["reports_by_year_layout"])),
        ),
        ("Files not parsed", _html_table(summary["status_reasons"])),
        ("Expected table cells found", _html_table(summary["completeness_by_layout"])),
        ("Expected cells most often missing (non-partial reports)", missing or "<p>(none)</p>"),
        ("Metrics per parsed report", _html_table(summary["metrics_per_report"])),
        ("Metric rows by layout and method", _html_table(summary["metrics_by_layout_method"])),
        ("Identity checks: pass rate by rule and layout", _html_table(summary["rule_pass_rates"])),
    ]
    body = "".join(f"<h2>{html.escape(h)}</h2>{content}" for h, content in sections)
    style = (
        "body{font-family:sans-serif;margin:2em;max-width:1400px}"
        "table{border-collapse:collapse;margin:.5em 0 1.5em}"
        "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}"
        "th{background:#f0f0f0}img{max-width:100%}"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Coverage report</title>'
        f"<style>{style}</style></head><body><h1>Coverage report</h1>"
        f"<p>{t['files']} input files: {t['parsed_reports']} parsed, {t['quarantined']} quarantined, "
        f"{t['duplicates']} duplicates; {t['metrics']} metric rows.</p>{img}{body}</body></html>\n"
    )


# ----------------------------------------------------------------------------------------------------
# Entry point.


def write_coverage(out_dir: Path) -> dict:
    """Write ``<out>/coverage/coverage.{json,md,png,html}`` from the published tables; returns the summary."""
    out_dir = Path(out_dir)
    target = out_dir / "coverage"
    target.mkdir(parents=True, exist_ok=True)
    summary = compute(out_dir)
    png = target / "coverage.png"
    if has_matplotlib():
        draw_png(summary, png)
        summary["chart"] = "coverage.png"
    else:
        png.unlink(missing_ok=True)
        summary["chart"] = None
        summary["chart_missing_reason"] = "matplotlib is not installed"
    atomic_write_text(target / "coverage.md", markdown(summary))
    atomic_write_text(target / "coverage.html", html_page(summary, png if summary["chart"] else None))
    atomic_write_text(
        target / "coverage.json", json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    )
    return summary
