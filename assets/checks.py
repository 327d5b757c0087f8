"""Blocking pandera checks on every intermediate partition and every staged table.

Each file is validated against its model (types, ranges, allowed values, keys) before anything
downstream runs or gets published. The files of a run's partitions are validated together, in one scan
(``pipeline.checks.validate_files``); failure cases name the partition and row.
"""

import logging
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pandera.pandas as pa

from assets.core import PARTITIONED_KEYS
from assets.partitions import BUCKETS
from assets.publish import OUT_ASSETS
from pipeline.checks import ValidationReport, validate_files
from pipeline.resources import PipelinePaths
from pipeline.schemas import INTERMEDIATE_MODELS, TABLE_MODELS

log = logging.getLogger("pipeline")


def _result(report: ValidationReport, files: list[tuple[str, Path]]) -> dg.AssetCheckResult:
    md = {
        "rows_validated": dg.MetadataValue.int(report.rows),
        "files": dg.MetadataValue.int(len(files)),
        "num_failures": dg.MetadataValue.int(report.failures),
        "error_counts": dg.MetadataValue.json(report.error_counts),
    }
    if not report.passed:
        md["failure_cases"] = dg.MetadataValue.md(report.cases_markdown())
    return dg.AssetCheckResult(passed=report.passed, severity=dg.AssetCheckSeverity.ERROR, metadata=md)


def _schema_check(
    asset: dg.AssetKey,
    model: type[pa.DataFrameModel],
    files: Callable[[dg.AssetCheckExecutionContext, PipelinePaths], list[tuple[str, Path]]],
    partitioned: bool,
) -> dg.AssetChecksDefinition:
    name = asset.to_user_string()

    @dg.asset_check(
        asset=asset,
        name="pandera_schema",
        blocking=True,
        partitions_def=BUCKETS if partitioned else None,
        description=f"Validates {name} against pipeline.schemas.{model.__name__} (types, ranges, allowed values, keys); blocks downstream assets on failure.",
    )
    def _check(context: dg.AssetCheckExecutionContext, paths: PipelinePaths) -> dg.AssetCheckResult:
        t0 = time.perf_counter()
        targets = files(context, paths)
        report = validate_files(targets, model)
        log.info(
            "check %s.pandera_schema: %d rows, %d files in %.2fs",
            name,
            report.rows,
            len(targets),
            time.perf_counter() - t0,
        )
        return _result(report, targets)

    return _check


def _partition_files(
    asset_name: str,
) -> Callable[[dg.AssetCheckExecutionContext, PipelinePaths], list[tuple[str, Path]]]:
    def files(context: dg.AssetCheckExecutionContext, paths: PipelinePaths) -> list[tuple[str, Path]]:
        keys = (
            context.partition_keys
            if context.has_partition_key_range or context.has_partition_key
            else BUCKETS.get_partition_keys()
        )
        return [(k, paths.out.stage_file(asset_name, k)) for k in keys]

    return files


def _staged_file(
    table: str,
) -> Callable[[dg.AssetCheckExecutionContext, PipelinePaths], list[tuple[str, Path]]]:
    def files(context: dg.AssetCheckExecutionContext, paths: PipelinePaths) -> list[tuple[str, Path]]:
        return [(table, paths.out.staged_table(table))]

    return files


PARTITION_CHECKS = [
    _schema_check(
        key,
        INTERMEDIATE_MODELS[key.to_user_string()],
        _partition_files(key.to_user_string()),
        partitioned=True,
    )
    for key in PARTITIONED_KEYS
]
OUT_CHECKS = [
    _schema_check(
        a.key,
        TABLE_MODELS[a.key.to_user_string().removeprefix("out_")],
        _staged_file(a.key.to_user_string().removeprefix("out_")),
        partitioned=False,
    )
    for a in OUT_ASSETS
]
ALL_CHECKS = PARTITION_CHECKS + OUT_CHECKS
