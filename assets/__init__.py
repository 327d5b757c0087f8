"""The Dagster layer: thin assets and checks that call the plain-Python `pipeline` library."""

import warnings

import dagster as dg

# Deliberate use of two newer Dagster features: backfill policies (beta) for range runs over buckets,
# and partitioned asset checks (preview) so that each bucket is validated on its own.
warnings.filterwarnings("ignore", category=dg.BetaWarning)
warnings.filterwarnings("ignore", category=dg.PreviewWarning)

from assets.checks import ALL_CHECKS  # noqa: E402
from assets.core import PARTITIONED_ASSETS  # noqa: E402
from assets.publish import PUBLISH_ASSETS  # noqa: E402
from assets.reports import coverage_report  # noqa: E402

ALL_ASSETS = [*PARTITIONED_ASSETS, *PUBLISH_ASSETS, coverage_report]

__all__ = ["ALL_ASSETS", "ALL_CHECKS", "PARTITIONED_ASSETS", "PUBLISH_ASSETS"]
