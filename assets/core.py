"""Partitioned assets: raw text → reports → sections → table cells → metrics → identity checks.

One partition is one hash bucket of input files; each asset only calls a `pipeline.stages` runner
per bucket.
"""

import logging
from collections.abc import Callable

import dagster as dg

from assets.partitions import BACKFILL, BUCKETS
from assets.table_metadata import column_schema
from pipeline import config, ingest, stages
from pipeline.resources import PipelinePaths
from pipeline.storage import OutputLayout

log = logging.getLogger("pipeline")
KINDS = {"python", "parquet"}


def _report(
    context: dg.AssetExecutionContext, results: list[stages.StageResult], table: str
) -> dg.MaterializeResult:
    stats: dict[str, int] = {}
    for r in results:
        msg = r.describe()
        context.log.info(msg)
        log.info(msg)
        for k, v in r.stats.items():
            stats[k] = stats.get(k, 0) + v
    rows = sum(r.rows for r in results)
    md: dict = {
        "dagster/row_count": dg.MetadataValue.int(rows),
        "dagster/column_schema": column_schema(table),
        "partitions": dg.MetadataValue.int(len(results)),
        "reused (unchanged inputs)": dg.MetadataValue.int(sum(r.reused for r in results)),
    }
    md.update({k: dg.MetadataValue.int(v) for k, v in stats.items()})
    return dg.MaterializeResult(metadata=md)


def _each_partition(
    context: dg.AssetExecutionContext,
    fn: Callable[[OutputLayout, str], stages.StageResult],
    paths: PipelinePaths,
) -> list[stages.StageResult]:
    return [stages.timed(fn, paths.out, key) for key in context.partition_keys]


@dg.asset(partitions_def=BUCKETS, backfill_policy=BACKFILL, group_name="core", kinds=KINDS)
def raw_reports(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """Every regular file under the raw dir, read and decoded, with status ok / quarantined and a reason.

    Nothing is dropped: undecodable, empty, binary or oversized files become quarantined rows.
    """
    n = config.n_buckets()
    by_bucket = stages.files_by_bucket(ingest.list_input_files(paths.raw), n)
    results = [
        stages.timed(
            stages.run_raw_reports,
            paths.raw,
            paths.out,
            key,
            n,
            mine=by_bucket.get(stages.bucket_index(key), []),
        )
        for key in context.partition_keys
    ]
    return _report(context, results, "raw_reports")


@dg.asset(
    partitions_def=BUCKETS, backfill_policy=BACKFILL, group_name="core", kinds=KINDS, deps=[raw_reports]
)
def core_reports(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """One row per input file: agency (full name, place, level, type), report year, layout, completeness.

    Texts that are not annual reports are quarantined here with a reason.
    """
    return _report(context, _each_partition(context, stages.run_core_reports, paths), "core_reports")


@dg.asset(
    partitions_def=BUCKETS,
    backfill_policy=BACKFILL,
    group_name="core",
    kinds=KINDS,
    deps=[raw_reports, core_reports],
)
def core_sections(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """Sections of every parsed report: heading, canonical topic, character span and text."""
    return _report(context, _each_partition(context, stages.run_core_sections, paths), "core_sections")


@dg.asset(
    partitions_def=BUCKETS,
    backfill_policy=BACKFILL,
    group_name="core",
    kinds=KINDS,
    deps=[raw_reports, core_reports],
)
def core_table_cells(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """Printed cells of the statistics tables (std 二/三/四, stat2014, provincial), mapped to metric ids.

    Glued digits are split with the table identities; ambiguous splits yield no value and a check.
    """
    return _report(context, _each_partition(context, stages.run_core_table_cells, paths), "core_table_cells")


@dg.asset(
    partitions_def=BUCKETS,
    backfill_policy=BACKFILL,
    group_name="core",
    kinds=KINDS,
    deps=[raw_reports, core_reports, core_sections, core_table_cells],
)
def core_metrics(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """One row per report and metric: table cells, narrative statements and derived totals, with evidence."""
    return _report(context, _each_partition(context, stages.run_core_metrics, paths), "core_metrics")


@dg.asset(
    partitions_def=BUCKETS,
    backfill_policy=BACKFILL,
    group_name="core",
    kinds=KINDS,
    deps=[core_reports, core_metrics, core_sections, core_table_cells],
)
def core_identity_checks(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """Every rule of identities.md evaluated per report (pass / fail / not_assessable / ambiguous)."""
    return _report(
        context, _each_partition(context, stages.run_core_identity_checks, paths), "core_identity_checks"
    )


PARTITIONED_ASSETS = [
    raw_reports,
    core_reports,
    core_sections,
    core_table_cells,
    core_metrics,
    core_identity_checks,
]
