"""Precision / recall of the narrative extractor against the hand-labelled gold set.

Usage: ``.venv/bin/python tools/eval_narrative.py [--gold tools/gold_narrative.csv] [--verbose] [--timing]``

The gold file (``tools/gold_narrative.csv``) was labelled by reading the report texts: one row per stated
narrative metric (file, report_year, metric_id, value, qualifier, quote). A file listed with an empty
metric_id was read and states nothing extractable (every prediction there is a false positive).
A prediction is correct when its metric id is in the gold for that file with the same value; qualifier
agreement is reported separately. Only ``extract_narrative`` output is scored (table cells are scored by
``tools/eval_stat_tables.py``).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.layout import detect_layout  # noqa: E402
from pipeline.narrative import extract_narrative  # noqa: E402
from pipeline.records import Metric, ReportMeta  # noqa: E402
from pipeline.segment import segment  # noqa: E402
from pipeline.tables.stat import parse_stat_tables  # noqa: E402

GOLD = ROOT / "tools" / "gold_narrative.csv"


def load_gold(path: Path) -> tuple[dict[str, dict[str, tuple[float, str]]], dict[str, int]]:
    """Gold values per file: {file: {metric_id: (value, qualifier)}} and the report year per file."""
    gold: dict[str, dict[str, tuple[float, str]]] = defaultdict(dict)
    years: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            years[r["file"]] = int(r["report_year"])
            gold.setdefault(r["file"], {})
            if r["metric_id"]:
                gold[r["file"]][r["metric_id"]] = (float(r["value"]), r["qualifier"])
    return gold, years


def predict(text: str, year: int) -> list[Metric]:
    """Narrative metrics of one text (layout detected from the text, year from the gold file)."""
    layout = detect_layout(text)
    meta = ReportMeta(report_year=year, layout=layout)
    return extract_narrative(text, segment(text, layout), meta)


def era(file: str, year: int) -> str:
    """freeform-era (≤2018) or std-era (≥2019) bucket for the breakdown."""
    return "2008-2018" if year <= 2018 else "2019+"


def main() -> int:
    """Run the evaluation and print the scores."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--verbose", action="store_true", help="list false positives and misses")
    ap.add_argument("--timing", action="store_true", help="time segment+narrative+stat on every raw file")
    args = ap.parse_args()
    gold, years = load_gold(args.gold)
    tp = fp = fn = qual_ok = 0
    by_era: dict[str, Counter[str]] = defaultdict(Counter)
    by_metric: dict[str, Counter[str]] = defaultdict(Counter)
    fps: list[str] = []
    fns: list[str] = []
    for file, g in sorted(gold.items()):
        text = (ROOT / file).read_text(encoding="utf-8")
        preds = {m.metric_id: m for m in predict(text, years[file])}
        e = era(file, years[file])
        for mid, m in preds.items():
            if mid in g and abs(g[mid][0] - m.value) < 1e-6:
                tp += 1
                by_era[e]["tp"] += 1
                by_metric[mid]["tp"] += 1
                qual_ok += g[mid][1] == m.qualifier
                if g[mid][1] != m.qualifier:
                    fps.append(f"  qualifier {file} {mid}: gold {g[mid][1]} got {m.qualifier}")
            else:
                fp += 1
                by_era[e]["fp"] += 1
                by_metric[mid]["fp"] += 1
                want = g.get(mid, ("—", ""))[0]
                fps.append(f"  FP {file} {mid} = {m.value:g} (gold {want}) evidence {m.evidence!r}")
        for mid, (v, _q) in g.items():
            if mid not in preds or abs(preds[mid].value - v) >= 1e-6:
                fn += 1
                by_era[e]["fn"] += 1
                by_metric[mid]["fn"] += 1
                fns.append(f"  FN {file} {mid} = {v:g}")
    n_files = len(gold)
    n_gold = sum(len(g) for g in gold.values())
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    print(f"narrative gold: {n_files} reports, {n_gold} labelled values")
    print(
        f"precision {p:.3f} ({tp}/{tp + fp})  recall {r:.3f} ({tp}/{tp + fn})  qualifier agreement {qual_ok}/{tp}"
    )
    for e, c in sorted(by_era.items()):
        pe = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        re_ = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        print(f"  {e:10s} precision {pe:.3f}  recall {re_:.3f}  (tp {c['tp']}, fp {c['fp']}, fn {c['fn']})")
    if args.verbose:
        print("per metric (tp/fp/fn):")
        for mid, c in sorted(by_metric.items()):
            print(f"  {mid:40s} {c['tp']:3d} {c['fp']:3d} {c['fn']:3d}")
        print("\n".join(fps))
        print("\n".join(fns))
    if args.timing:
        files = sorted((ROOT / "data" / "raw").rglob("*.txt"))
        texts = [f.read_text(encoding="utf-8") for f in files]
        t0 = time.perf_counter()
        rounds = 5
        for _ in range(rounds):
            for t in texts:
                layout = detect_layout(t)
                secs = segment(t, layout)
                extract_narrative(t, secs, ReportMeta(report_year=None, layout=layout))
                parse_stat_tables(t, layout)
        dt = (time.perf_counter() - t0) / (rounds * len(texts))
        print(
            f"segment+narrative+stat: {dt * 1000:.2f} ms/report over {len(texts)} reports ({1 / dt:.0f} reports/s, 1 core)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
