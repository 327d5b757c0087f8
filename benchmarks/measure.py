"""Measuring a build: peak memory of a process tree (polled from /proc), the bare baseline, the stage log.

- ``TreeMonitor`` polls ``/proc`` every ``interval`` seconds for the process and all its descendants and
  keeps the peak of the summed RSS (and PSS, which does not count shared pages twice) and the largest
  single-process RSS, plus a timeline. It is kept cheap, since it shares the two cores with the build:
  RSS (``statm``) at every poll, the process tree every ``tree_every`` seconds, PSS (``smaps_rollup``,
  which walks every page of a process) every ``pss_every`` seconds; its own CPU time is reported.
- ``bare_baseline`` is the floor any pipeline is compared with: read every file, decode it (UTF-8 or
  UTF-16 by BOM, else GB18030, replacing bad bytes), and run one regular-expression pass over the text.
- ``parse_log`` turns the build's progress lines (``[  12.3s] core[b03]: … step tables 1.20s … in 4.56s``) into
  seconds per stage.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
_STAGE = re.compile(r"\] (\w+)\[(b\d+)\]: \d+ rows \((built|unchanged, reused)[^)]*\) in ([\d.]+)s")
_STAGED = re.compile(r"\] (out_\w+): \d+ rows staged in ([\d.]+)s")
_CHECK = re.compile(r"\] check (\w+)\.pandera_schema: .* in ([\d.]+)s")
_OTHER = re.compile(r"\] (warehouse|coverage_report): .* in ([\d.]+)s")
_PHASE = re.compile(r"\] phase (\w+): ([\d.]+)s")
_STEP = re.compile(r"step (\w+) ([\d.]+)s")


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids[ppid].append(int(entry))
    return kids


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    kids = _children()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += kids.get(p, [])
    return out


def rss_bytes(pid: int) -> int:
    """Resident set size of one process (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def pss_bytes(pid: int) -> int:
    """Proportional set size of one process (shared pages divided among their users)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass
class TreeMonitor:
    """Poll the memory of a process tree in a background thread."""

    pid: int
    interval: float = 0.2
    tree_every: float = 1.0
    pss_every: float = 2.0
    peak_rss_sum: int = 0
    peak_pss_sum: int = 0
    peak_rss_single: int = 0
    max_processes: int = 0
    timeline: list[tuple[float, int, int]] = field(default_factory=list)
    peak_by_pid: dict[int, tuple[int, float]] = field(default_factory=dict)  # pid → (peak RSS, when)
    by_pid: dict[int, list[tuple[float, int]]] = field(
        default_factory=dict
    )  # pid → [(when, RSS)], every ~2 s
    cpu_seconds: float = 0.0  # CPU time of the polling thread itself

    def start(self) -> TreeMonitor:
        """Start polling."""
        self._stop = threading.Event()
        self._t0 = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop polling (after one last sample)."""
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        now = time.monotonic() - self._t0
        if now >= self._next_tree:
            self._pids = process_tree(self.pid)
            self._next_tree = now + self.tree_every
        pids = self._pids
        rss = [rss_bytes(p) for p in pids]
        if now >= self._next_pss:
            self.peak_pss_sum = max(self.peak_pss_sum, sum(pss_bytes(p) for p in pids))
            self._next_pss = now + self.pss_every
        total = sum(rss)
        for p, r in zip(pids, rss, strict=True):
            if r > self.peak_by_pid.get(p, (0, 0.0))[0]:
                self.peak_by_pid[p] = (r, now)
            series = self.by_pid.setdefault(p, [])
            if not series or now - series[-1][0] >= 2.0:
                series.append((now, r))
        self.peak_rss_sum = max(self.peak_rss_sum, total)
        self.peak_rss_single = max(self.peak_rss_single, max(rss, default=0))
        self.max_processes = max(self.max_processes, sum(r > 0 for r in rss))
        self.timeline.append((now, total, len(pids)))

    def _run(self) -> None:
        self._pids: list[int] = []
        self._next_tree = self._next_pss = 0.0
        t0 = time.thread_time()
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)
        self._next_tree = self._next_pss = 0.0
        self._sample()  # a last full sample
        self.cpu_seconds = time.thread_time() - t0


_WORD = re.compile(r"(\d+)\s*(件|条|次)")


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def bare_baseline(raw_dir: Path) -> tuple[int, int, float]:
    """Read + decode + one regex pass over every file: (files, matches, seconds), one process."""
    t0 = time.perf_counter()
    files = matches = 0
    for root, _dirs, names in os.walk(raw_dir):
        for name in names:
            with open(os.path.join(root, name), "rb") as f:
                data = f.read()
            matches += sum(1 for _ in _WORD.finditer(_decode(data)))
            files += 1
    return files, matches, time.perf_counter() - t0


@dataclass
class StageTimes:
    """Seconds per stage, summed over partitions (and over worker processes), from a build log."""

    partition: dict[str, float] = field(default_factory=dict)
    checks: dict[str, float] = field(default_factory=dict)
    publish: dict[str, float] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    steps: dict[str, float] = field(default_factory=dict)  # CPU seconds of each step of the core pass


def parse_log(text: str) -> StageTimes:
    """Stage seconds from the progress lines of ``python -m pipeline build``."""
    st = StageTimes()

    def add(d: dict[str, float], k: str, v: str) -> None:
        d[k] = d.get(k, 0.0) + float(v)

    for line in text.splitlines():
        if m := _STAGE.search(line):
            add(st.partition, m.group(1), m.group(4))
            for step in _STEP.finditer(line):
                add(st.steps, step.group(1), step.group(2))
        elif m := _STAGED.search(line):
            add(st.publish, m.group(1), m.group(2))
        elif m := _CHECK.search(line):
            add(st.checks, m.group(1), m.group(2))
        elif m := _OTHER.search(line):
            add(st.publish, m.group(1), m.group(2))
        elif m := _PHASE.search(line):
            add(st.phases, m.group(1), m.group(2))
    return st
