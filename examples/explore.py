"""Explore the published dataset with pandas: one cross-era series, and one value traced to its source.

Usage (after ``python -m pipeline build --out-dir data/processed``)::

    python examples/explore.py --out-dir data/processed --png requests.png
    python examples/explore.py --out-dir data/processed --concept admin_review_total
    python examples/explore.py --out-dir data/processed --report-id 0123456789abcdef --metric-id app.new.total

It needs only pandas (and matplotlib for ``--png``), not the pipeline package: copy it into a notebook.

1. Series: for a harmonised concept (default ``requests_received_total``), one value per report (the
   table value when a report prints one, else a sentence, as the ``harmonized_series`` view does),
   then the reports' values and the median per report year, coloured by layout (free-form, stat2014,
   std2019, std2021): a 2008–2025 series across three templates.
2. Provenance: one metric row, its evidence cut from the decoded text (``report_texts.text[char_start:
   char_end]``) with some context around it, and the source file (checked against its sha256 when the
   raw dir is at hand).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import pandas as pd

METHOD_ORDER = {"table": 0, "derived": 1, "narrative": 2, "zero_statement": 3}
LAYOUT_COLORS = {"freeform": "#4C72B0", "stat2014": "#DD8452", "std2019": "#55A868", "std2021": "#C44E52"}
CONTEXT = 40
# Chart labels stay ASCII (no CJK font is assumed): catalog units in English.
UNIT_EN = {
    "件": "count",
    "条": "count",
    "个": "count",
    "次": "times",
    "人次": "person-times",
    "人": "persons",
}
UNIT_EN |= {"篇": "articles", "元": "yuan", "万元": "10k yuan", "%": "%"}


def load(out_dir: Path, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """One published table (``<out>/parquet/<table>/``) as a typed pandas frame."""
    return pd.read_parquet(out_dir / "parquet" / table, columns=columns)


def series(metrics: pd.DataFrame, concept: str) -> pd.DataFrame:
    """One row per report for a harmonised concept: the table value first, then derived, then narrative."""
    rows = metrics[metrics["harmonized_id"] == concept].copy()
    rows["rank"] = rows["method"].map(METHOD_ORDER).fillna(len(METHOD_ORDER))
    rows = rows.sort_values(["report_id", "rank", "metric_id"]).drop_duplicates("report_id")
    return rows.dropna(subset=["report_year"]).sort_values(["report_year", "agency_name"])


def plot_series(rows: pd.DataFrame, concept: str, png: Path) -> None:
    """Scatter of the reports' values by year (coloured by layout) with the median per year."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(11, 5.5), dpi=100)
    for layout, grp in rows.groupby("layout", sort=True):
        ax.scatter(
            grp["report_year"].astype(int),
            grp["value"],
            color=LAYOUT_COLORS.get(layout, "#8C8C8C"),
            alpha=0.75,
            label=f"{layout} ({len(grp)} reports)",
        )
    median = rows.groupby("report_year")["value"].median()
    ax.plot(median.index.astype(int), median.values, color="black", marker="_", linewidth=1, label="median")
    unit = rows["unit"].iloc[0] if len(rows) else ""
    ax.set_yscale("symlog", linthresh=1)
    ax.set_xlabel("report year")
    ax.set_ylabel(f"{concept} [{UNIT_EN.get(unit, 'catalog unit')}], symlog scale")
    ax.set_title(f"{concept}: one point per report, across the free-form, 2014 and standard templates")
    ax.legend(fontsize=9)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, metadata={"Software": None})
    plt.close(fig)


def pick(metrics: pd.DataFrame, concept: str, report_id: str | None, metric_id: str | None) -> pd.Series:
    """The metric row to trace: the one asked for, else the concept's first non-zero value (by year)."""
    if report_id or metric_id:
        sel = metrics
        if report_id:
            sel = sel[sel["report_id"] == report_id]
        if metric_id:
            sel = sel[sel["metric_id"] == metric_id]
        if sel.empty:
            raise SystemExit(f"no metric row for report_id={report_id} metric_id={metric_id}")
        return sel.iloc[0]
    candidates = series(metrics, concept)
    if candidates.empty:
        candidates = metrics
    if candidates.empty:
        raise SystemExit("the metrics table is empty: nothing to trace")
    candidates = candidates.assign(is_zero=candidates["value"] == 0)
    return candidates.sort_values(["is_zero", "report_year", "source_file"], na_position="last").iloc[0]


def trace(out_dir: Path, raw_dir: Path, row: pd.Series) -> str:
    """Print the metric row, its evidence with context and its source file; returns the evidence."""
    text = load(out_dir, "report_texts").set_index("report_id").loc[row["report_id"], "text"]
    start, end = int(row["char_start"]), int(row["char_end"])
    evidence = text[start:end]
    before = text[max(0, start - CONTEXT) : start].replace("\n", "⏎")
    after = text[end : end + CONTEXT].replace("\n", "⏎")
    print("Metric")
    for col in (
        "agency_name",
        "report_year",
        "layout",
        "metric_id",
        "harmonized_id",
        "value",
        "unit",
        "qualifier",
        "method",
        "raw_value",
        "evidence",
        "char_start",
        "char_end",
        "section_topic",
        "table_id",
        "confidence",
        "report_id",
        "source_file",
    ):
        print(f"  {col:<14}{row[col]}")
    print(f"Evidence  report_texts.text[{start}:{end}] of {row['source_file']}")
    print(f"  «{evidence}»")
    print(f"  matches metrics.evidence: {evidence == row['evidence']}")
    print(f"Context (±{CONTEXT} characters, ⏎ = line break)")
    print(f"  …{before}【{evidence}】{after}…")
    source = raw_dir / row["source_file"]
    reports = load(out_dir, "reports", ["report_id", "sha256", "encoding"]).set_index("report_id")
    print(f"Source file  {source}")
    if source.is_file():
        same = hashlib.sha256(source.read_bytes()).hexdigest() == reports.loc[row["report_id"], "sha256"]
        print(
            f"  exists; encoding {reports.loc[row['report_id'], 'encoding']}; sha256 matches reports: {same}"
        )
    else:
        print("  (not found under the raw dir given: pass --raw-dir)")
    return evidence


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=Path, default=Path("data/processed"), help="build output dir")
    ap.add_argument("--raw-dir", type=Path, default=Path("data/raw"), help="raw dir the build read")
    ap.add_argument("--png", type=Path, default=None, help="write the series chart here (needs matplotlib)")
    ap.add_argument("--concept", default="requests_received_total", help="harmonized_id of the series")
    ap.add_argument("--report-id", default=None, help="trace this report's metric (default: the first)")
    ap.add_argument("--metric-id", default=None, help="trace this metric (default: one of the concept)")
    args = ap.parse_args(argv)

    metrics = load(args.out_dir, "metrics")
    rows = series(metrics, args.concept)
    print(f"Series {args.concept}: {len(rows)} reports with a value")
    if len(rows):
        summary = rows.groupby(["report_year", "layout"])["value"].agg(["count", "median", "sum"])
        print(summary.to_string())
    if args.png is not None:
        plot_series(rows, args.concept, args.png)
        print(f"Chart written to {args.png}")
    print()
    trace(args.out_dir, args.raw_dir, pick(metrics, args.concept, args.report_id, args.metric_id))
    return 0


if __name__ == "__main__":
    sys.exit(main())
