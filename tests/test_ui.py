"""The Dagster UI for real: `dagster dev` on a built output dir, pages rendered by headless Chromium.

A copy of the session build gets a persistent DAGSTER_HOME; one in-process run (the CLI's
``dagster asset materialize``) records materialisations of ``core_metrics`` (one bucket) and the whole
``publish`` group, so the UI has metadata to show. Then ``dagster dev -w workspace.yaml`` serves it on a
free port; Chromium renders the asset-graph, asset and check pages (``--dump-dom`` after a virtual-time
budget, so the React app has fetched its data) and the GraphQL API is asked for descriptions and
metadata. The server's process group is stopped at the end.

Skipped only when no Chromium binary exists (CI installs the Debian package ``chromium``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest import RAW, REPO

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
LOCATION = "ogi_annual_reports"
STARTUP_TIMEOUT = 300
DAGSTER = Path(sys.executable).with_name("dagster")


def chromium_binary() -> str | None:
    """The Chromium binary to use: $OGI_CHROMIUM, else the first of the usual names on PATH."""
    env = os.environ.get("OGI_CHROMIUM")
    if env and Path(env).is_file():
        return env
    return next((p for p in map(shutil.which, CHROMIUM_NAMES) if p), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class UI:
    """A running `dagster dev` and the Chromium used to look at it."""

    base: str
    chromium: str
    profile: Path
    log: Path
    timings: dict[str, float] = field(default_factory=dict)

    def graphql(self, query: str) -> dict:
        """POST a GraphQL query; returns ``data`` (fails on errors)."""
        req = urllib.request.Request(
            f"{self.base}/graphql",
            data=json.dumps({"query": query}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=60) as resp:
            body = json.load(resp)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def dom(self, path: str, budget_ms: int = 15_000) -> str:
        """The rendered DOM of a UI page, as text (tags and scripts removed)."""
        proc = subprocess.run(
            [
                self.chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={self.profile}",
                f"--virtual-time-budget={budget_ms}",
                "--dump-dom",
                f"{self.base}{path}",
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        html = re.sub(r"<(script|style)\b.*?</\1>", " ", proc.stdout, flags=re.DOTALL)
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())

    def dom_with(self, path: str, *needles: str) -> str:
        """The page text once every needle appears (retries with a longer budget on a slow machine)."""
        text = ""
        for budget in (15_000, 30_000, 60_000):
            text = self.dom(path, budget)
            if all(n in text for n in needles):
                return text
        missing = [n for n in needles if n not in text]
        raise AssertionError(f"{path}: {missing} not rendered; page text: {text[:1500]}")


def _wait_until_loaded(ui: UI, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    query = "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"dagster dev exited ({proc.returncode}): {ui.log.read_text()[-3000:]}")
        try:
            entries = ui.graphql(query)["workspaceOrError"]["locationEntries"]
            if any(e["name"] == LOCATION and e["loadStatus"] == "LOADED" for e in entries):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError, AssertionError, KeyError):
            pass
        time.sleep(1)
    raise AssertionError(f"dagster dev not ready after {STARTUP_TIMEOUT}s: {ui.log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server's whole process group (webserver, daemon, code servers): SIGTERM, then SIGKILL.

    `dagster dev` does not always exit on SIGTERM/SIGINT in a headless session, so after a short grace
    period the group is killed; nothing outside the group started here is touched.
    """
    for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def ui(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[UI]:
    chromium = chromium_binary()
    if chromium is None:
        pytest.skip("no chromium binary on PATH (Debian: apt-get install -y chromium; or set OGI_CHROMIUM)")
    tmp = tmp_path_factory.mktemp("ui")
    out = tmp / "out"
    shutil.copytree(built, out, ignore=shutil.ignore_patterns("_duckdb_tmp"))
    home = tmp / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    env = {**os.environ, "DAGSTER_HOME": str(home), "OGI_OUT_DIR": str(out), "OGI_RAW_DIR": str(RAW)}
    timings: dict[str, float] = {}

    from pipeline import config
    from pipeline.stages import bucket_keys

    t0 = time.monotonic()
    run = subprocess.run(
        [
            str(DAGSTER),
            "asset",
            "materialize",
            "-m",
            "pipeline.definitions",
            "--select",
            "core_metrics,group:publish",
            "--partition",
            bucket_keys(config.n_buckets())[0],
            "--config-json",
            json.dumps({"execution": {"config": {"in_process": {}}}}),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    timings["materialize_s"] = time.monotonic() - t0

    port = _free_port()
    log = tmp / "dagster_dev.log"
    t0 = time.monotonic()
    with log.open("w") as fh:
        proc = subprocess.Popen(
            [str(DAGSTER), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
            cwd=REPO,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        handle = UI(f"http://127.0.0.1:{port}", chromium, tmp / "chromium_profile", log, timings)
        _wait_until_loaded(handle, proc)
        timings["server_ready_s"] = time.monotonic() - t0
        yield handle
    finally:
        _stop(proc)
        print(f"\ndagster UI test timings: {', '.join(f'{k} {v:.1f}' for k, v in timings.items())}")


def _out(built: Path, table: str) -> int:
    return pq.ParquetFile(built / "parquet" / table / f"{table}.parquet").metadata.num_rows


def test_asset_graph_shows_the_assets(ui: UI) -> None:
    t0 = time.monotonic()
    core = ui.dom_with(
        f"/locations/{LOCATION}/asset-groups/core", "raw_reports", "core_metrics", "core_reports"
    )
    assert "core_sections" in core
    publish = ui.dom_with(
        f"/locations/{LOCATION}/asset-groups/publish", "out_metrics", "warehouse", "coverage_report"
    )
    assert "out_reports" in publish
    ui.timings["graph_pages_s"] = time.monotonic() - t0


def test_check_page_shows_the_blocking_check(ui: UI) -> None:
    text = ui.dom_with("/assets/core_metrics?view=checks", "pandera_schema", "blocking asset check")
    assert "Validates core_metrics against pipeline.schemas.MetricsModel" in text


def test_asset_page_shows_description_columns_and_metadata(ui: UI, built: Path) -> None:
    text = ui.dom_with(
        "/assets/out_metrics", "Row count", "column_stats", "Verbatim source text the value was read from"
    )
    assert "one row per agency-year-metric" in text
    assert "unique (report_id, metric_id)" in text
    assert f"{_out(built, 'metrics'):,}" in text
    coverage = ui.dom_with("/assets/coverage_report", "completeness", "expected cells")
    assert "Coverage report of the published dataset" in coverage


def test_graphql_gives_asset_and_check_descriptions(ui: UI) -> None:
    from assets import ALL_ASSETS, ALL_CHECKS

    data = ui.graphql(
        "{ assetNodes { assetKey { path } description groupName "
        "assetChecksOrError { __typename ... on AssetChecks { checks { name description blocking } } } } }"
    )
    nodes = {"/".join(n["assetKey"]["path"]): n for n in data["assetNodes"]}
    assert set(nodes) == {k.to_user_string() for a in ALL_ASSETS for k in a.keys}
    for name, node in nodes.items():
        assert node["description"] and node["description"].strip(), name
    checks = {
        (name, c["name"]): c
        for name, node in nodes.items()
        if node["assetChecksOrError"]["__typename"] == "AssetChecks"
        for c in node["assetChecksOrError"]["checks"]
    }
    want = {(k.asset_key.to_user_string(), k.name) for c in ALL_CHECKS for k in c.check_keys}
    assert set(checks) == want
    for key, check in checks.items():
        assert check["description"] and check["blocking"], key
    assert nodes["coverage_report"]["groupName"] == "publish"


def _latest_metadata(ui: UI, asset: str) -> dict[str, dict]:
    data = ui.graphql(
        f'{{ assetOrError(assetKey: {{path: ["{asset}"]}}) {{ ... on Asset {{ '
        "assetMaterializations(limit: 1) { metadataEntries { label __typename "
        "... on IntMetadataEntry { intValue } ... on MarkdownMetadataEntry { mdStr } "
        "... on PathMetadataEntry { path } "
        "... on TableSchemaMetadataEntry { schema { columns { name description } } } } } } } }"
    )
    mats = data["assetOrError"]["assetMaterializations"]
    assert mats, f"{asset} has no materialisation"
    return {e["label"]: e for e in mats[0]["metadataEntries"]}


def test_graphql_gives_materialisation_metadata(ui: UI, built: Path) -> None:
    from pipeline.dictionary import table_doc

    md = _latest_metadata(ui, "out_metrics")
    assert md["dagster/row_count"]["intValue"] == _out(built, "metrics")
    cols = md["dagster/column_schema"]["schema"]["columns"]
    assert [(c["name"], c["description"]) for c in cols] == [
        (c.name, c.description) for c in table_doc("metrics").columns
    ]
    assert md["preview"]["mdStr"].startswith("| source_file")
    assert md["published_path"]["path"].endswith("parquet/metrics/metrics.parquet")
    core = _latest_metadata(ui, "core_metrics")
    assert core["dagster/row_count"]["intValue"] >= 0
    assert [c["name"] for c in core["dagster/column_schema"]["schema"]["columns"]] == [
        c.name for c in table_doc("core_metrics").columns
    ]
    cov = _latest_metadata(ui, "coverage_report")
    assert "| layout | partial |" in cov["completeness"]["mdStr"]
    if "chart" in cov:
        assert cov["chart_preview"]["mdStr"].startswith("![coverage chart](data:image/png;base64,")


# ----------------------------------------------------------------------------------------------------
# The metadata helpers behind those pages (no server needed).


def test_column_schema_carries_checks_and_keys() -> None:
    from assets.table_metadata import column_schema

    schema = column_schema("metrics")
    assert schema.constraints.other == ["unique (report_id, metric_id)"]
    cols = {c.name: c for c in schema.columns}
    assert cols["qualifier"].constraints.other == ["one of: exact, approx, lower_bound, zero_statement"]
    assert cols["confidence"].constraints.other == [">= 0", "<= 1"]
    assert not cols["report_id"].constraints.nullable and cols["agency_name"].constraints.nullable
    reports = {c.name: c for c in column_schema("reports").columns}
    assert reports["report_id"].constraints.unique and reports["source_file"].constraints.unique


def test_table_metadata_of_a_staged_table(built: Path, tmp_path: Path) -> None:
    import pandas as pd

    from assets.table_metadata import table_metadata

    staged = tmp_path / "_staging" / "report_texts.parquet"
    staged.parent.mkdir()
    shutil.copy(built / "parquet" / "report_texts" / "report_texts.parquet", staged)
    md = table_metadata("report_texts", staged, _out(built, "report_texts"))
    assert md["published_path"].path == str(tmp_path / "parquet" / "report_texts" / "report_texts.parquet")
    assert md["dagster/row_count"].value == _out(built, "report_texts")
    assert "| report_id" in md["preview"].value and "| text" not in md["preview"].value
    metrics = tmp_path / "_staging" / "metrics.parquet"
    shutil.copy(built / "parquet" / "metrics" / "metrics.parquet", metrics)
    stats = table_metadata("metrics", metrics, _out(built, "metrics"))["column_stats"].value
    df = pd.read_parquet(metrics)
    for col in ("agency_id", "harmonized_id", "value"):
        line = next(x for x in stats.splitlines() if x.startswith(f"| {col} |"))
        assert line.split("|")[2].strip().startswith(f"{int(df[col].isna().sum())} ("), line


def test_partition_metadata_previews_the_first_non_empty_bucket(built: Path) -> None:
    from assets.table_metadata import partition_metadata
    from pipeline import config
    from pipeline.stages import bucket_keys
    from pipeline.storage import OutputLayout

    out = OutputLayout(built)
    keys = bucket_keys(config.n_buckets())
    md = partition_metadata("core_metrics", out, keys)
    first = next(k for k in keys if pq.ParquetFile(out.stage_file("core_metrics", k)).metadata.num_rows)
    assert md["preview_partition"].value == first
    assert md["preview"].value.startswith("| source_file") and "batch_no" not in md["preview"].value
