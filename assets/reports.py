"""Reports about the published dataset: the coverage report written after every warehouse commit."""

import base64
import logging
import time
from pathlib import Path

import dagster as dg

from assets.publish import warehouse
from pipeline import coverage
from pipeline.resources import PipelinePaths

log = logging.getLogger("pipeline")


def _completeness_md(summary: dict) -> str:
    rows = summary["completeness_by_layout"]
    if not rows:
        return "(no table-layout reports)"
    lines = [
        "| layout | partial | reports | expected cells | mean share found | complete reports |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['layout']} | {'yes' if r['is_partial'] else 'no'} | {r['reports']} | {r['expected_cells']} "
        f"| {(r['mean_share'] or 0):.1%} | {r['complete_reports']} |"
        for r in rows
    ]
    return "\n".join(lines)


def coverage_metadata(summary: dict, out_dir: str) -> dict:
    """Dagster metadata of a written coverage report: paths, headline counts, completeness table."""
    t = summary["totals"]
    target = f"{out_dir}/coverage"
    md = {
        "report": dg.MetadataValue.path(f"{target}/coverage.md"),
        "html": dg.MetadataValue.path(f"{target}/coverage.html"),
        "files": dg.MetadataValue.int(t["files"]),
        "parsed_reports": dg.MetadataValue.int(t["parsed_reports"]),
        "metrics": dg.MetadataValue.int(t["metrics"]),
        "completeness": dg.MetadataValue.md(_completeness_md(summary)),
    }
    png = Path(target) / "coverage.png"
    if summary.get("chart") and png.is_file():
        md["chart"] = dg.MetadataValue.path(str(png))
        data = base64.b64encode(png.read_bytes()).decode()
        md["chart_preview"] = dg.MetadataValue.md(f"![coverage chart](data:image/png;base64,{data})")
    else:
        md["chart_missing"] = dg.MetadataValue.text(summary.get("chart_missing_reason", ""))
    return md


@dg.asset(group_name="publish", kinds={"python", "duckdb"}, deps=[warehouse])
def coverage_report(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """Coverage report of the published dataset: coverage/coverage.{md,json,html,png} in the out dir.

    Input files by year × layout and status, the share of the printed table cells a complete report of
    its layout has that were found (complete and partial reports apart), metrics by layout and method,
    identity pass rates by rule and layout. Reads the published Parquet files (no DuckDB lock).
    """
    t0 = time.perf_counter()
    summary = coverage.write_coverage(paths.out.out_dir)
    t = summary["totals"]
    msg = (
        f"coverage_report: {t['files']} files, {t['parsed_reports']} parsed, {t['metrics']} metrics → "
        f"{paths.out.out_dir / 'coverage'} in {time.perf_counter() - t0:.2f}s"
    )
    context.log.info(msg)
    log.info(msg)
    if not summary.get("chart"):
        context.log.warning(f"coverage chart not drawn: {summary.get('chart_missing_reason')}")
    return dg.MaterializeResult(metadata=coverage_metadata(summary, str(paths.out.out_dir)))


REPORT_ASSETS = [coverage_report]
