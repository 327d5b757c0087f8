"""Scale benchmark (not a test): build synthetic corpora of growing size and measure speed and memory.

Usage::

    .venv/bin/python -m benchmarks.scale --sizes 10000 30000 100000 --workers 2
        --work-dir /tmp/ogi-bench --results benchmarks/RESULTS.md  # (one line)

For each size: generate the corpus (``benchmarks.corpus``, reused when already there), time the bare
baseline (read + decode + one regex pass, one process) twice and keep the second (warm page cache, as
the build gets), then run ``python -m pipeline build --workers N`` into a fresh out dir while polling
the memory of its whole process tree. Reported per size: files/s end to end, seconds per stage (summed
over partitions and workers) and per phase, peak RSS (sum over the tree and largest single process;
PSS sum too), the baseline and the ratio, and how the published tables agree with the generator's truth.
Two readings of the machine's speed go with each run, since this VM's drifts by 20 % and more: the build's
own CPU time of the core pass per file, and a probe (the same 300 reports parsed in one process) just
before and just after the build.

The build runs as a user's would: bytecode caching on (``PYTHONPYCACHEPREFIX`` under the work dir, so
the checkout is not written to), no profiler attached.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.corpus import write_corpus
from benchmarks.measure import StageTimes, TreeMonitor, bare_baseline, parse_log

REPO = Path(__file__).resolve().parents[1]
MB = 1024 * 1024


@dataclass
class Run:
    """The measurements of one build."""

    files: int
    workers: int
    buckets: int | None
    seconds: float
    returncode: int
    baseline_seconds: float
    peak_rss_sum_mb: float
    peak_pss_sum_mb: float
    peak_rss_single_mb: float
    max_processes: int
    stages: StageTimes
    monitor_cpu_s: float = float("nan")  # CPU time of the memory monitor (it shares the cores)
    probe_ms: tuple[float, float] = (float("nan"), float("nan"))  # speed probe before / after the build
    agreement: dict = field(default_factory=dict)
    timeline: list = field(default_factory=list)  # (seconds, RSS sum, processes)
    peak_by_pid: dict = field(default_factory=dict)  # pid → (peak RSS MB, at second)
    rss_by_pid: dict = field(default_factory=dict)  # pid → [(second, RSS MB)] every ~2 s

    @property
    def files_per_s(self) -> float:
        """Input files per second, end to end."""
        return self.files / self.seconds

    @property
    def ratio(self) -> float:
        """Build time over the bare read + decode + regex pass."""
        return self.seconds / self.baseline_seconds

    @property
    def core_ms_per_file(self) -> float:
        """CPU milliseconds of the core pass per input file, as the build itself logged them."""
        return sum(self.stages.steps.values()) / self.files * 1000


def build_env(work: Path) -> dict[str, str]:
    """The environment of the measured build: bytecode cache outside the checkout."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


def warm_imports(env: dict[str, str]) -> None:
    """Import the Dagster layer once so the measured build starts from a warm bytecode cache."""
    subprocess.run(
        [sys.executable, "-c", "import assets, pipeline.definitions"], cwd=REPO, env=env, check=True
    )


PROBE_REPORTS = 300


def speed_probe(corpus_root: Path, env: dict[str, str]) -> float:
    """CPU ms per report of the parse path on a fixed sample of the corpus (``benchmarks.parsers``).

    The same reports every time, one process, best of three passes: a reading of how fast this machine
    runs the parsers right now. Taken before and after each build, it tells a slower build from a slower
    machine (this VM's speed drifts by 20 % and more between spells).
    """
    cmd = [sys.executable, "-m", "benchmarks.parsers", "--corpus", str(corpus_root)]
    out = subprocess.run(
        cmd + ["--n", str(PROBE_REPORTS)], cwd=REPO, env=env, check=True, capture_output=True, text=True
    ).stdout
    total = next(line for line in out.splitlines() if line.startswith("total "))
    return float(total.split()[1])


def run_build(raw: Path, out: Path, workers: int, buckets: int | None, env: dict[str, str], log: Path) -> Run:
    """Run the CLI build while polling its process tree; returns the measurements (no baseline yet)."""
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "pipeline", "build", "--raw-dir", str(raw), "--out-dir", str(out)]
    cmd += ["--workers", str(workers)] + (["--buckets", str(buckets)] if buckets else [])
    t0 = time.monotonic()
    with log.open("w") as err:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=err)
        mon = TreeMonitor(proc.pid).start()
        rc = proc.wait()
        mon.stop()
    seconds = time.monotonic() - t0
    n = sum(1 for _ in raw.rglob("*") if _.is_file())
    return Run(
        files=n,
        workers=workers,
        buckets=buckets,
        seconds=seconds,
        returncode=rc,
        baseline_seconds=float("nan"),
        peak_rss_sum_mb=mon.peak_rss_sum / MB,
        peak_pss_sum_mb=mon.peak_pss_sum / MB,
        peak_rss_single_mb=mon.peak_rss_single / MB,
        max_processes=mon.max_processes,
        monitor_cpu_s=mon.cpu_seconds,
        stages=parse_log(log.read_text(errors="replace")),
        timeline=[(round(t, 1), round(r / MB), n) for t, r, n in mon.timeline],
        peak_by_pid={p: (round(r / MB), round(t, 1)) for p, (r, t) in mon.peak_by_pid.items()},
        rss_by_pid={p: [(round(t), round(r / MB)) for t, r in ser] for p, ser in mon.by_pid.items()},
    )


def agreement(out: Path, truth: Path) -> dict:
    """How the published tables agree with the generator's truth (a coarse score, not the test)."""
    import duckdb

    con = duckdb.connect()
    rep = f"read_parquet('{out}/parquet/reports/reports.parquet')"
    cells = f"read_parquet('{out}/parquet/table_cells/table_cells.parquet')"
    con.execute(f"CREATE VIEW truth AS SELECT * FROM read_json_auto('{truth}', format='newline_delimited')")
    row = con.execute(
        f"""
        SELECT count(*) FILTER (WHERE t.status = 'ok') AS ok_truth,
               count(*) FILTER (WHERE t.status = 'ok' AND r.status IN ('ok', 'duplicate')) AS parsed,
               count(*) FILTER (WHERE t.status = 'ok' AND r.report_year = t.report_year) AS year_ok,
               count(*) FILTER (WHERE t.status = 'ok' AND r.agency_name = t.agency_name) AS agency_ok,
               count(*) FILTER (WHERE t.status = 'ok' AND t.layout IS NOT NULL) AS layout_known,
               count(*) FILTER (WHERE t.status = 'ok' AND r.layout = t.layout) AS layout_ok,
               count(*) FILTER (WHERE t.status IS NOT NULL AND t.status <> 'ok') AS nonok_truth,
               count(*) FILTER (WHERE t.status IS NOT NULL AND t.status <> 'ok' AND r.status = t.status) AS nonok_ok
        FROM truth t JOIN {rep} r USING (source_file)
        """
    ).fetchone()
    keys = [
        "ok_truth",
        "parsed",
        "year_ok",
        "agency_ok",
        "layout_known",
        "layout_ok",
        "nonok_truth",
        "nonok_ok",
    ]
    res = dict(zip(keys, row, strict=True))
    cell = con.execute(
        f"""
        WITH want AS (
            SELECT t.source_file, e.key AS metric_id, e.value::DOUBLE AS value
            FROM truth t, json_each(to_json(t.cells)) e
            WHERE t.kind = 'std' AND t.status = 'ok'
        ), got AS (
            SELECT r.source_file, c.metric_id, c.value
            FROM {cells} c JOIN {rep} r USING (report_id)
            WHERE c.status = 'ok' AND c.metric_id IS NOT NULL
        )
        SELECT count(*) AS want, count(g.metric_id) AS found, count(*) FILTER (WHERE abs(g.value - w.value) < 1e-6) AS right
        FROM want w LEFT JOIN got g USING (source_file, metric_id)
        """
    ).fetchone()
    res.update(dict(zip(["cells_expected", "cells_found", "cells_right"], cell, strict=True)))
    con.close()
    return res


def code_version() -> str:
    """The commit the benchmark ran (``+ uncommitted changes`` when the tree is dirty), or ``unknown``."""
    try:
        res = subprocess.run(
            ["git", "describe", "--always", "--dirty= + uncommitted changes"],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
    except OSError:
        return "unknown"
    return res.stdout.strip() if res.returncode == 0 else "unknown"


def machine() -> dict[str, str]:
    """CPU, cores, memory, OS and the versions that matter."""
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    import dagster
    import duckdb
    import pandas
    import pandera
    import pyarrow

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "os": platform.platform(),
        # The interpreter matters (a PGO+LTO build parses ~16 % faster than a plain one): say which.
        "python": f"{platform.python_version()} (from {sys.base_prefix}, built {platform.python_build()[1]})",
        "code": code_version(),
        "versions": f"dagster {dagster.__version__}, duckdb {duckdb.__version__}, pyarrow {pyarrow.__version__}, "
        f"pandas {pandas.__version__}, pandera {pandera.__version__}",
    }


def _fmt_stages(d: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.1f}" for k, v in sorted(d.items(), key=lambda kv: -kv[1]))


def markdown(runs: list[Run], cmd: str, info: dict[str, str], load: str, n_workers: int) -> str:
    """RESULTS.md: command, date, machine, then one table and the stage details."""
    lines = [
        "# Scale benchmark results",
        "",
        f"- command: `{cmd}`",
        f"- date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- machine: {info['cpu']}, {info['cores']} cores, {info['memory']} RAM; {info['os']}; Python {info['python']}",
        f"- code: {info['code']}; versions: {info['versions']}",
        f"- load average before the runs: {load}",
        f"- build: `python -m pipeline build --workers {n_workers}` (16 buckets), fresh out dir, warm page cache,"
        " bytecode cache on; baseline: read + decode + one regex pass, one process, same files, warm cache",
        "",
        "| files | end to end (s) | files/s | baseline (s) | baseline files/s | ratio | peak RSS sum (MB) | peak PSS sum (MB) | peak RSS one process (MB) | core pass (ms CPU/file) | probe before / after (ms/report) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        lines.append(
            f"| {r.files} | {r.seconds:.1f} | {r.files_per_s:.0f} | {r.baseline_seconds:.1f} | "
            f"{r.files / r.baseline_seconds:.0f} | {r.ratio:.1f}× | {r.peak_rss_sum_mb:.0f} | {r.peak_pss_sum_mb:.0f} | "
            f"{r.peak_rss_single_mb:.0f} | {r.core_ms_per_file:.2f} | {r.probe_ms[0]:.2f} / {r.probe_ms[1]:.2f} |"
        )
    lines += [
        "",
        "Machine speed: *core pass* is the build's own CPU time of the parsers and writers per file; the *probe* "
        f"parses the same {PROBE_REPORTS} reports of the corpus in one process (`benchmarks.parsers`, best of "
        "three) just before and just after the build. Same code, slower numbers in both: the machine was slower.",
    ]
    lines += ["", "## Seconds per stage", ""]
    lines.append(
        "Partition stages and checks are summed over buckets and over the worker processes (CPU-side time of "
        "both cores), publishing steps run once; phases are wall-clock."
    )
    for r in runs:
        st = r.stages
        lines += [
            "",
            f"### {r.files} files",
            "",
            f"- phases (wall): {_fmt_stages(st.phases)}; the memory monitor used {r.monitor_cpu_s:.1f} s of CPU",
            f"- partition stages: {_fmt_stages(st.partition)} (total {sum(st.partition.values()):.1f})",
            f"- steps of the core pass (CPU): {_fmt_stages(st.steps)} (total {sum(st.steps.values()):.1f})",
            f"- pandera checks: {_fmt_stages(st.checks)} (total {sum(st.checks.values()):.1f})",
            f"- publishing: {_fmt_stages(st.publish)} (total {sum(st.publish.values()):.1f})",
        ]
        if r.agreement:
            a = r.agreement
            lines.append(
                f"- agreement with the generator's truth: year {a['year_ok']}/{a['ok_truth']}, agency "
                f"{a['agency_ok']}/{a['ok_truth']}, layout {a['layout_ok']}/{a['layout_known']}, non-ok status "
                f"{a['nonok_ok']}/{a['nonok_truth']}; std table cells found {a['cells_found']}/{a['cells_expected']}, "
                f"right {a['cells_right']}/{a['cells_expected']}"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m benchmarks.scale``."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--buckets", type=int, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work-dir", type=Path, default=Path("/tmp/ogi-bench"))
    ap.add_argument("--results", type=Path, default=None, help="write the markdown summary here")
    ap.add_argument("--no-agreement", action="store_true", help="skip the comparison with the truth")
    args = ap.parse_args(argv)
    work: Path = args.work_dir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    env = build_env(work)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    warm_imports(env)
    runs = []
    for n in args.sizes:
        root = work / f"corpus-{n}"
        t0 = time.monotonic()
        raw = write_corpus(root, n, args.seed)
        print(f"[{n}] corpus ready in {time.monotonic() - t0:.0f}s: {raw}", file=sys.stderr)
        bare_baseline(raw)
        files, _, base = bare_baseline(raw)
        print(f"[{n}] baseline: {files} files in {base:.1f}s", file=sys.stderr)
        out = work / f"out-{n}"
        before = speed_probe(root, env)
        run = run_build(raw, out, args.workers, args.buckets, env, work / f"build-{n}.log")
        run.probe_ms = (before, speed_probe(root, env))
        run.baseline_seconds = base
        if run.returncode == 0 and not args.no_agreement:
            run.agreement = agreement(out, root / "truth.jsonl")
        runs.append(run)
        print(
            f"[{n}] build rc={run.returncode}: {run.seconds:.1f}s, {run.files_per_s:.0f} files/s, "
            f"ratio {run.ratio:.1f}×, peak RSS sum {run.peak_rss_sum_mb:.0f} MB "
            f"(one process {run.peak_rss_single_mb:.0f} MB); core pass {run.core_ms_per_file:.2f} ms CPU/file, "
            f"probe {run.probe_ms[0]:.2f} / {run.probe_ms[1]:.2f} ms/report",
            file=sys.stderr,
        )
        (work / f"run-{n}.json").write_text(json.dumps(asdict(run), indent=1, default=str))
    cmd = "python -m benchmarks.scale " + " ".join(argv if argv is not None else sys.argv[1:])
    md = markdown(runs, cmd, machine(), load, args.workers)
    print(md)
    if args.results:
        args.results.write_text(md, encoding="utf-8")
    return 0 if all(r.returncode == 0 for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
