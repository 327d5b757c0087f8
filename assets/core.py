"""Partitioned assets: raw text → reports → sections → table cells → metrics → identity checks.

One partition is one hash bucket of input files. ``raw_reports`` reads and decodes the bucket's files;
the multi-asset ``core`` writes the five parsed assets of the bucket in one pass (`pipeline.stages.run_core`).
"""

import logging
from collections.abc import Iterator

import dagster as dg

from assets.partitions import BACKFILL, BUCKETS
from assets.table_metadata import column_schema
from pipeline import config, ingest, stages
from pipeline.resources import PipelinePaths

log = logging.getLogger("pipeline")
KINDS = {"python", "parquet"}


def _result(table: str, results: list[stages.StageResult]) -> dg.MaterializeResult:
    """Metadata of one asset over the partitions of a run."""
    stats: dict[str, int] = {}
    for r in results:
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
    return dg.MaterializeResult(asset_key=table, metadata=md)


def _report(
    context: dg.AssetExecutionContext, results: list[stages.StageResult], table: str
) -> dg.MaterializeResult:
    for r in results:
        msg = r.describe()
        context.log.info(msg)
        log.info(msg)
    return _result(table, results)


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


CORE_DESCRIPTIONS = {
    "core_reports": (
        "One row per input file: agency (full name, place, level, type), report year, layout, completeness. "
        "Texts that are not annual reports are quarantined here with a reason."
    ),
    "core_sections": "Sections of every parsed report: heading, canonical topic, character span and text.",
    "core_table_cells": (
        "Printed cells of the statistics tables (std 二/三/四, stat2014, provincial), mapped to metric ids. "
        "Glued digits are split with the table identities; ambiguous splits yield no value and a check."
    ),
    "core_metrics": (
        "One row per report and metric: table cells, narrative statements and derived totals, with evidence."
    ),
    "core_identity_checks": (
        "Every rule of identities.md evaluated per report (pass / fail / not_assessable / ambiguous), "
        "plus the parse checks of the other core assets."
    ),
}
CORE_DEPS = {
    "core_reports": ["raw_reports"],
    "core_sections": ["raw_reports", "core_reports"],
    "core_table_cells": ["raw_reports", "core_reports"],
    "core_metrics": ["raw_reports", "core_reports", "core_sections", "core_table_cells"],
    "core_identity_checks": ["core_reports", "core_sections", "core_table_cells", "core_metrics"],
}


@dg.multi_asset(
    name="core",
    specs=[
        dg.AssetSpec(
            name,
            deps=CORE_DEPS[name],
            description=CORE_DESCRIPTIONS[name],
            group_name="core",
            kinds=KINDS,
        )
        for name in stages.CORE_ASSETS
    ],
    partitions_def=BUCKETS,
    backfill_policy=BACKFILL,
    can_subset=True,
)
def core(context: dg.AssetExecutionContext, paths: PipelinePaths) -> Iterator[dg.MaterializeResult]:
    """The five core assets of a bucket in one pass over its texts (see ``pipeline.stages.run_core``).

    Every report goes through all parsers while its text is at hand; the five files are written batch by
    batch and committed together.
    """
    done = [stages.timed(stages.run_core, paths.out, key) for key in context.partition_keys]
    for r in done:
        msg = r.describe()
        context.log.info(msg)
        log.info(msg)
    selected = {k.to_user_string() for k in context.selected_asset_keys}
    for i, name in enumerate(stages.CORE_ASSETS):
        if name in selected:
            yield _result(name, [r.assets[i] for r in done])


PARTITIONED_ASSETS = [raw_reports, core]
PARTITIONED_KEYS = [key for a in PARTITIONED_ASSETS for key in a.keys]
