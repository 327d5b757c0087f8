"""Dagster resources: where the pipeline reads and writes (the only Dagster-aware module besides definitions)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipeline import config
from pipeline.storage import OutputLayout


class PipelinePaths(dg.ConfigurableResource):
    """Input and output folders of a build. Defaults come from OGI_RAW_DIR / OGI_OUT_DIR."""

    raw_dir: str = config.DEFAULT_RAW_DIR
    out_dir: str = config.DEFAULT_OUT_DIR

    @property
    def raw(self) -> Path:
        """The raw dir (read-only to the pipeline)."""
        return Path(self.raw_dir)

    @property
    def out(self) -> OutputLayout:
        """The output layout."""
        return OutputLayout(Path(self.out_dir))


def default_paths() -> PipelinePaths:
    """Paths from the environment (what `dagster dev` and the schedule use)."""
    return PipelinePaths(raw_dir=config.raw_dir(), out_dir=config.out_dir())
