"""Per-report parser cost, step by step, on a sample of a benchmark corpus (not a test).

Usage::

    .venv/bin/python -m benchmarks.parsers --corpus /tmp/ogi-bench/corpus-10000 --n 600 [--profile 40]

Runs every report through ``pipeline.stages.parse_report``, the build's own per-report pass, and prints
the CPU milliseconds per report of each of its steps (best of ``--repeat``), without the Parquet reading
and writing around it. ``--profile N`` adds the N most expensive functions of the parser modules under
cProfile (inflated about 2× against wall time: use it to rank). This is what ``benchmarks/HOTSPOTS.md``
was measured with (its first round ran the five stages one after the other, as the build then did).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
from pathlib import Path

from pipeline import ingest
from pipeline.records import Document
from pipeline.stages import StepClock, document_row, parse_report, parser_version


def sample(corpus: Path, n: int, seed: int = 1) -> list[Document]:
    """``n`` decodable reports of a corpus written by ``benchmarks.corpus``, in a seeded random order."""
    with (corpus / "truth.jsonl").open(encoding="utf-8") as f:
        names = [json.loads(line)["source_file"] for line in f]
    random.Random(seed).shuffle(names)
    docs = []
    for name in names:
        d = ingest.read_document(corpus / "raw", name)
        if d.status == "ok" and d.text:
            docs.append(d)
        if len(docs) >= n:
            break
    return docs


def run_stages(docs: list[Document]) -> dict[str, float]:
    """CPU seconds of each parsing step of ``parse_report`` over ``docs``."""
    pv = parser_version()
    clock = StepClock()
    for d in docs:
        parse_report(document_row(d), pv, clock)
    return {k: v for k, v in clock.seconds.items() if k not in ("read", "write")}


def profile(docs: list[Document], top: int) -> list[str]:
    """The ``top`` parser functions by cumulative time under cProfile, in ms per report."""
    pr = cProfile.Profile()
    pr.enable()
    run_stages(docs)
    pr.disable()
    rows = []
    for (file, line, fn), (_cc, calls, self_t, cum_t, _callers) in pstats.Stats(pr).stats.items():  # type: ignore[attr-defined]
        if "/pipeline/" in file:
            where = file[file.rindex("/pipeline/") + 1 :]
            rows.append((cum_t, self_t, calls, f"{where}:{line} {fn}"))
    n = len(docs)
    return [
        f"{c / n * 1000:7.2f} {s / n * 1000:7.2f} {k / n:8.1f}  {w}"
        for c, s, k, w in sorted(rows, reverse=True)[:top]
    ]


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m benchmarks.parsers``."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.parsers", description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, required=True, help="a corpus dir written by benchmarks.corpus")
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", type=int, default=0, metavar="N")
    args = ap.parse_args(argv)
    docs = sample(args.corpus, args.n)
    run_stages(docs[:20])  # compile patterns, load catalogs
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        for k, v in run_stages(docs).items():
            best[k] = min(v, best.get(k, v))
    n = len(docs)
    print(" ".join(f"{k} {v / n * 1000:.2f}" for k, v in best.items()))
    print(f"total {sum(best.values()) / n * 1000:.2f} ms CPU per report ({n} reports)")
    if args.profile:
        print("cumulative  self  calls/report  (ms per report, cProfile)")
        print("\n".join(profile(docs, args.profile)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
