"""Command line: ``python -m pipeline build --raw-dir DIR --out-dir DIR``.

Materialises the same Dagster asset graph as `dagster dev` (definitions in `pipeline.definitions`),
in-process, on any folder. With ``--workers N`` the bucket range is split into N contiguous ranges that
run in parallel processes (one in-process Dagster run each); publishing then runs once. Progress goes
to stderr. The exit code is non-zero only when the run itself fails (a crash, a failed blocking check,
a missing raw dir), never because some input files were bad: those are reported in the reports table.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

log = logging.getLogger("pipeline")


def _setup_logging(verbose: bool) -> None:
    start = time.monotonic()

    class _Elapsed(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return f"[{time.monotonic() - start:7.1f}s] {record.getMessage()}"

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Elapsed())
    log.handlers[:] = [handler]
    log.setLevel(logging.INFO)
    log.propagate = False
    # Dagster's own event logging is for the UI; on the command line only warnings and errors.
    logging.getLogger("dagster").setLevel(logging.DEBUG if verbose else logging.WARNING)


def _run_config(verbose: bool) -> dict:
    return {"loggers": {"console": {"config": {"log_level": "DEBUG" if verbose else "WARNING"}}}}


def _materialize(assets: list, resources: dict, tags: dict | None, verbose: bool) -> bool:
    import dagster as dg

    result = dg.materialize(
        assets, resources=resources, tags=tags or {}, run_config=_run_config(verbose), raise_on_error=False
    )
    for ev in result.get_asset_check_evaluations():
        if not ev.passed:
            log.error(
                "check failed: %s.%s %s", ev.asset_key.to_user_string(), ev.check_name, dict(ev.metadata)
            )
    if not result.success:
        for ev in result.all_events:
            if ev.is_failure:
                log.error(
                    "step failed: %s: %s",
                    ev.step_key,
                    ev.event_specific_data.error.message.strip()
                    if getattr(ev.event_specific_data, "error", None)
                    else ev.message,
                )
    return result.success


def _range_tags(keys: list[str]) -> dict:
    return {"dagster/asset_partition_range_start": keys[0], "dagster/asset_partition_range_end": keys[-1]}


def _worker_env(workers: int) -> dict[str, str]:
    """DuckDB threads and memory of one worker process: its share of the machine (unless set by the user)."""
    from pipeline import config

    env = {"OGI_DUCKDB_THREADS": str(max(1, config.cores() // workers))}
    if "OGI_DUCKDB_MEMORY" not in os.environ:
        env["OGI_DUCKDB_MEMORY"] = f"{max(128, 512 // workers)}MB"  # validation only: spills beyond it
    return env


def _partition_worker(
    keys: list[str], raw_dir: str, out_dir: str, verbose: bool, env: dict[str, str]
) -> bool:
    """Run the partitioned assets (and their checks) for a contiguous bucket range, in this process."""
    os.environ.update(env)
    _setup_logging(verbose)
    from assets.checks import PARTITION_CHECKS
    from assets.core import PARTITIONED_ASSETS
    from pipeline.resources import PipelinePaths

    resources = {"paths": PipelinePaths(raw_dir=raw_dir, out_dir=out_dir)}
    t0 = time.monotonic()
    log.info("worker %d: buckets %s–%s", os.getpid(), keys[0], keys[-1])
    ok = _materialize([*PARTITIONED_ASSETS, *PARTITION_CHECKS], resources, _range_tags(keys), verbose)
    log.info("worker %d: %s in %.1fs", os.getpid(), "done" if ok else "failed", time.monotonic() - t0)
    return ok


def _split(keys: list[str], n: int) -> list[list[str]]:
    n = max(1, min(n, len(keys)))
    size, extra = divmod(len(keys), n)
    out, i = [], 0
    for k in range(n):
        j = i + size + (1 if k < extra else 0)
        out.append(keys[i:j])
        i = j
    return out


def _summary(out_dir: Path) -> None:
    import duckdb

    db = out_dir / "warehouse.duckdb"
    con = duckdb.connect(str(db), read_only=True)
    try:
        by_status = dict(con.sql("SELECT status, count(*) FROM reports GROUP BY 1").fetchall())
        n_metrics = con.sql("SELECT count(*) FROM metrics").fetchall()[0][0]
        by_layout = con.sql(
            "SELECT coalesce(layout, '-'), count(*) FROM reports WHERE status = 'ok' GROUP BY 1 ORDER BY 1"
        ).fetchall()
        issues = dict(
            con.sql(
                "SELECT severity, count(*) FROM validation_issues WHERE report_status = 'ok' GROUP BY 1"
            ).fetchall()
        )
    finally:
        con.close()
    log.info(
        "done: %d files read (%s); parsed by layout: %s; %d metrics; validation issues: %s",
        sum(by_status.values()),
        ", ".join(f"{k} {v}" for k, v in sorted(by_status.items())),
        ", ".join(f"{k} {v}" for k, v in by_layout) or "none",
        n_metrics,
        ", ".join(f"{k} {v}" for k, v in sorted(issues.items())) or "none",
    )
    log.info("outputs: %s/parquet/<table>/<table>.parquet and %s", out_dir, db)


def build(raw_dir: Path, out_dir: Path, buckets: int | None, workers: int, verbose: bool) -> int:
    """Run the whole graph; returns the process exit code."""
    _setup_logging(verbose)
    if not raw_dir.is_dir():
        log.error("raw dir not found or not a directory: %s", raw_dir)
        return 2
    os.environ["OGI_RAW_DIR"] = str(raw_dir)
    os.environ["OGI_OUT_DIR"] = str(out_dir)
    if buckets is not None:
        os.environ["OGI_BUCKETS"] = str(buckets)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Import after the environment is set: the partition keys depend on OGI_BUCKETS.
    from assets import ALL_ASSETS, ALL_CHECKS
    from assets.checks import OUT_CHECKS
    from assets.partitions import BUCKETS
    from assets.publish import PUBLISH_ASSETS
    from assets.reports import REPORT_ASSETS
    from pipeline.resources import PipelinePaths

    keys = BUCKETS.get_partition_keys()
    log.info(
        "build: %s → %s (%d buckets, %d worker%s)",
        raw_dir,
        out_dir,
        len(keys),
        workers,
        "s" if workers > 1 else "",
    )
    resources = {"paths": PipelinePaths(raw_dir=str(raw_dir), out_dir=str(out_dir))}
    t0 = time.monotonic()
    if workers <= 1:
        ok = _materialize([*ALL_ASSETS, *ALL_CHECKS], resources, _range_tags(keys), verbose)
        log.info("phase all: %.1fs", time.monotonic() - t0)
    else:
        ranges = _split(keys, workers)
        with ProcessPoolExecutor(max_workers=len(ranges), mp_context=get_context("spawn")) as pool:
            oks = list(
                pool.map(
                    _partition_worker,
                    ranges,
                    [str(raw_dir)] * len(ranges),
                    [str(out_dir)] * len(ranges),
                    [verbose] * len(ranges),
                    [_worker_env(len(ranges))] * len(ranges),
                )
            )
        log.info("phase partitions: %.1fs", time.monotonic() - t0)
        t1 = time.monotonic()
        ok = all(oks) and _materialize(
            [*PUBLISH_ASSETS, *REPORT_ASSETS, *OUT_CHECKS], resources, None, verbose
        )
        log.info("phase publish: %.1fs", time.monotonic() - t1)
    if not ok:
        log.error("build failed (see the errors above); previously published outputs are untouched")
        return 1
    _summary(out_dir)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m pipeline``."""
    from pipeline import config

    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="materialise every asset: raw dir → Parquet + DuckDB in the out dir")
    b.add_argument(
        "--raw-dir", type=Path, default=Path(config.raw_dir()), help="input folder (default: %(default)s)"
    )
    b.add_argument(
        "--out-dir", type=Path, default=Path(config.out_dir()), help="output folder (default: %(default)s)"
    )
    b.add_argument(
        "--buckets",
        type=int,
        default=None,
        help="number of hash-bucket partitions (default: OGI_BUCKETS or 16)",
    )
    b.add_argument(
        "--workers", type=int, default=1, help="parallel processes for the partitioned stages (default: 1)"
    )
    b.add_argument("-v", "--verbose", action="store_true", help="also show Dagster's own event log")
    args = parser.parse_args(argv)
    if args.command == "build":
        return build(args.raw_dir.resolve(), args.out_dir.resolve(), args.buckets, args.workers, args.verbose)
    return 2  # pragma: no cover - argparse enforces the subcommand
