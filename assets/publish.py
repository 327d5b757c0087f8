"""Unpartitioned publishing assets.

Each out_* asset stages one validated Parquet table (all buckets combined); `warehouse` commits them
(atomic renames) together with the DuckDB file.
"""

import logging
import time
from collections.abc import Callable

import dagster as dg

from assets.core import raw_reports
from assets.partitions import BUCKETS
from assets.table_metadata import table_metadata
from pipeline import publish
from pipeline.resources import PipelinePaths

log = logging.getLogger("pipeline")
KINDS = {"duckdb", "parquet"}


def _staged(
    context: dg.AssetExecutionContext, paths: PipelinePaths, table: str, fn: Callable[[], int]
) -> dg.MaterializeResult:
    t0 = time.perf_counter()
    rows = fn()
    msg = f"out_{table}: {rows} rows staged in {time.perf_counter() - t0:.2f}s"
    context.log.info(msg)
    log.info(msg)
    return dg.MaterializeResult(metadata=table_metadata(table, paths.out.staged_table(table), rows))


def _keys() -> list[str]:
    return BUCKETS.get_partition_keys()


@dg.asset(group_name="publish", kinds=KINDS, deps=["core_reports", "core_metrics", "core_sections"])
def out_reports(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """reports: one row per input file with status (ok / quarantined / duplicate), reason, agency, year, layout.

    Duplicates (same bytes, same text re-encoded, or two versions of one agency-year) point to the chosen row.
    """
    return _staged(context, paths, "reports", lambda: publish.stage_reports(paths.out, _keys()))


@dg.asset(group_name="publish", kinds=KINDS, deps=["core_metrics", out_reports])
def out_metrics(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """metrics: one row per agency-year-metric (non-duplicate reports), with unit, qualifier and evidence."""
    return _staged(context, paths, "metrics", lambda: publish.stage_metrics(paths.out, _keys()))


@dg.asset(group_name="publish", kinds=KINDS, deps=["core_sections"])
def out_sections(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """sections: heading, canonical topic, span and text of every section."""
    return _staged(
        context,
        paths,
        "sections",
        lambda: publish.stage_simple(paths.out, _keys(), "sections", "core_sections"),
    )


@dg.asset(group_name="publish", kinds=KINDS, deps=["core_table_cells"])
def out_table_cells(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """table_cells: every printed cell of the recognised statistics tables."""
    return _staged(
        context,
        paths,
        "table_cells",
        lambda: publish.stage_simple(paths.out, _keys(), "table_cells", "core_table_cells"),
    )


@dg.asset(group_name="publish", kinds=KINDS, deps=["core_identity_checks", out_metrics, out_reports])
def out_identity_checks(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """identity_checks: every rule evaluation (pass, fail, not_assessable, ambiguous) per report.

    Includes the cross-year rules (T3-XYEAR, T2-STOCK-*, T2-19-CHAIN) between consecutive reports.
    """
    return _staged(
        context, paths, "identity_checks", lambda: publish.stage_identity_checks(paths.out, _keys())
    )


@dg.asset(group_name="publish", kinds=KINDS, deps=[out_identity_checks, out_reports])
def out_validation_issues(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """validation_issues: the failed and ambiguous checks, with file, agency and year: what needs a human look."""
    return _staged(context, paths, "validation_issues", lambda: publish.stage_validation_issues(paths.out))


@dg.asset(group_name="publish", kinds=KINDS, deps=[out_reports])
def out_agencies(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """agencies: the agency dimension; agency_id is stable across years."""
    return _staged(context, paths, "agencies", lambda: publish.stage_agencies(paths.out))


@dg.asset(group_name="publish", kinds=KINDS)
def out_metric_catalog(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """metric_catalog: every metric id with labels, unit, layouts and harmonised concept."""
    return _staged(context, paths, "metric_catalog", lambda: publish.stage_metric_catalog(paths.out))


@dg.asset(group_name="publish", kinds=KINDS, deps=[raw_reports, out_reports])
def out_report_texts(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """report_texts: the decoded text of each parsed report, to check any evidence offset."""
    return _staged(context, paths, "report_texts", lambda: publish.stage_report_texts(paths.out, _keys()))


OUT_ASSETS = [
    out_reports,
    out_metrics,
    out_sections,
    out_table_cells,
    out_identity_checks,
    out_validation_issues,
    out_agencies,
    out_metric_catalog,
    out_report_texts,
]


@dg.asset(group_name="publish", kinds={"duckdb"}, deps=OUT_ASSETS, pool="duckdb")
def warehouse(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """Publish the staged tables and a fresh DuckDB warehouse.

    Each staged table replaces parquet/<table>/<table>.parquet and the DuckDB file (same tables, views,
    COMMENTs) replaces warehouse.duckdb, each by an atomic rename.
    """
    t0 = time.perf_counter()
    digests = publish.commit(paths.out)
    msg = f"warehouse: published {len(digests)} tables and {paths.out.warehouse} in {time.perf_counter() - t0:.2f}s"
    context.log.info(msg)
    log.info(msg)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(paths.out.warehouse)),
            "tables": dg.MetadataValue.json({t: d[:16] for t, d in digests.items()}),
        }
    )


PUBLISH_ASSETS = [*OUT_ASSETS, warehouse]
