"""The hash-bucket partitions of the input files (OGI_BUCKETS of them, b00 … bNN)."""

from __future__ import annotations

import dagster as dg

from pipeline import config
from pipeline.stages import bucket_keys

BUCKETS = dg.StaticPartitionsDefinition(bucket_keys(config.n_buckets()))

# A backfill of all buckets runs as few runs as there are cores: each run takes a contiguous range of
# buckets and processes it in one step per asset (bounded memory: batches inside each bucket).
BACKFILL = dg.BackfillPolicy.multi_run(max_partitions_per_run=max(1, len(BUCKETS.get_partition_keys()) // 2))
