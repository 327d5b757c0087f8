"""Run-time settings read from the environment (so Dagster, the CLI and tests agree).

- ``OGI_RAW_DIR`` (default ``data/raw``): the input folder, read-only to the pipeline.
- ``OGI_OUT_DIR`` (default ``data/processed``): where Parquet, DuckDB and intermediates go.
- ``OGI_BUCKETS`` (default 16): number of hash-bucket partitions of the input files. Changing it
  changes the partition keys; intermediate files of old keys are ignored.
- ``OGI_DUCKDB_THREADS`` (default: the number of cores) and ``OGI_DUCKDB_MEMORY`` (default ``1GB``): what
  each process's DuckDB may use (publishing, validation). ``python -m pipeline build --workers N`` gives
  each worker process its share.
"""

from __future__ import annotations

import os

DEFAULT_RAW_DIR = "data/raw"
DEFAULT_OUT_DIR = "data/processed"
DEFAULT_BUCKETS = 16
DEFAULT_DUCKDB_MEMORY = "1GB"


def raw_dir() -> str:
    """Input folder."""
    return os.environ.get("OGI_RAW_DIR", DEFAULT_RAW_DIR)


def out_dir() -> str:
    """Output folder."""
    return os.environ.get("OGI_OUT_DIR", DEFAULT_OUT_DIR)


def n_buckets() -> int:
    """Number of hash-bucket partitions."""
    n = int(os.environ.get("OGI_BUCKETS", DEFAULT_BUCKETS))
    if not 1 <= n <= 4096:
        raise ValueError(f"OGI_BUCKETS must be between 1 and 4096, not {n}")
    return n


def cores() -> int:
    """Cores this process may run on (the affinity mask, so container CPU limits count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def duckdb_threads() -> int:
    """Threads per DuckDB connection."""
    return max(1, int(os.environ.get("OGI_DUCKDB_THREADS", cores())))


def duckdb_memory_limit() -> str:
    """DuckDB memory_limit per connection (spills to disk beyond it), e.g. ``1GB`` or ``512MB``."""
    return os.environ.get("OGI_DUCKDB_MEMORY", DEFAULT_DUCKDB_MEMORY)
