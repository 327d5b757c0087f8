"""The Dagster definitions load, as the UI and `dagster definitions validate` see them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dagster as dg

from tests.conftest import REPO


def test_definitions_load_with_assets_checks_and_schedule() -> None:
    from pipeline.definitions import defs

    dg.Definitions.validate_loadable(defs)
    keys = {k.to_user_string() for k in defs.resolve_all_asset_keys()}
    assert {
        "raw_reports",
        "core_reports",
        "core_sections",
        "core_table_cells",
        "core_metrics",
        "core_identity_checks",
        "out_metrics",
        "out_reports",
        "warehouse",
    } <= keys
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        assert graph.get(key).description, f"{key} has no description"
    checks = {c.to_user_string() for c in defs.resolve_asset_graph().asset_check_keys}
    assert "core_metrics:pandera_schema" in checks and "out_metrics:pandera_schema" in checks
    assert defs.resolve_schedule_def("annual_report_schedule").cron_schedule


def test_workspace_validates_with_the_dagster_cli() -> None:
    dagster = Path(sys.executable).parent / "dagster"
    proc = subprocess.run(
        [str(dagster), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
