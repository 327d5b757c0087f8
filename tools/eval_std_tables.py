"""Cell-level precision / recall of the std table parser on the real reports of the corpus.

Two references:
- ``tests/fixtures/corpus/truth_tables/rNNN.tsv``: true cells read from the source HTML (std files: r130, r132);
- the hand-checked expectations of ``tests/test_std_corpus.py`` (every real std report; ``?`` cells there
  are ones the text cannot decide and are not counted as truth).

Precision = correct values / values emitted; recall = correct values / true cells; "invented" = values
emitted for cells that are not in the reference at all. Also times ``parse_std_tables`` (ms/report).

Usage: ``.venv/bin/python tools/eval_std_tables.py``
"""

from __future__ import annotations

import importlib.util
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.tables.flatten import LabelMatcher, working_text  # noqa: E402
from pipeline.tables.std import parse_std_tables  # noqa: E402
from pipeline.tables.std_labels import T2_HEADERS, T2_ROWS, T3_COLS_7, T3_ROWS, T4_COLS, t2_columns  # noqa: E402

TRUTH_DIR = REPO / "tests" / "fixtures" / "corpus" / "truth_tables"
_T2 = LabelMatcher([*T2_ROWS, *T2_HEADERS])
_T3 = LabelMatcher(T3_ROWS)
_NUM = re.compile(r"^-?\d+(?:\.\d+)?(万元|万|元)?$")


def _value(cell: str, money: bool) -> float | None:
    m = _NUM.match(cell.strip())
    if not m:
        return None
    num = float(cell.strip().rstrip("万元"))
    unit = m.group(1)
    if money and unit == "元":
        return num / 10000
    return num


def truth_from_tsv(path: Path, layout: str) -> dict[str, float]:
    """Metric id → true value from a truth TSV (sections '#### table 1/2/3' = tables 二/三/四)."""
    sections: dict[int, list[list[str]]] = {}
    cur = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("####"):
            cur = int(line.split()[-1])
            sections[cur] = []
        elif cur:
            sections[cur].append(line.split("\t"))
    out: dict[str, float] = {}
    era = "2019" if layout == "std2019" else "2021"
    for row in sections.get(1, []):
        whole = working_text(" ".join(row))
        heads = {h.key for h in _T2.find(whole, 0, len(whole)) if h.kind == "header"}
        if heads & {"2019", "2021"}:
            era = "2021" if "2021" in heads else "2019"
            continue
        label = working_text(row[0])
        data = [h for h in _T2.find(label, 0, len(label)) if h.kind == "data"]
        if not data:
            continue
        key = data[0].key
        rd = next(r for r in T2_ROWS if r.key == key)
        for col, cell in zip(t2_columns(key, era), row[1:], strict=False):
            v = _value(cell, col.kind == "money")
            if v is not None:
                out[f"{rd.metric}.{col.suffix}"] = v
    for row in sections.get(2, []):
        values = [c for c in row if _NUM.match(c.strip())]
        labels = [c for c in row if not _NUM.match(c.strip())]
        if len(values) != 7 or not labels:
            continue
        label = working_text(labels[-1])
        hits = [h for h in _T3.find(label, 0, len(label)) if h.kind in ("data", "group")]
        if not hits:
            continue
        rd = next(r for r in T3_ROWS if r.key == hits[0].key)
        for col, cell in zip(T3_COLS_7, values, strict=True):
            out[f"{rd.metric}.{col.suffix}"] = float(cell)
    t4 = [r for r in sections.get(3, []) if len(r) == 15 and all(_NUM.match(c) for c in r)]
    if t4:
        for (mid, _label), cell in zip(T4_COLS, t4[0], strict=True):
            out[mid] = float(cell)
    return out


def _expectations() -> dict[str, tuple[str, str, dict[str, object]]]:
    spec = importlib.util.spec_from_file_location(
        "std_corpus_expectations", REPO / "tests" / "test_std_corpus.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.EXPECTED  # type: ignore[no-any-return]


def score(emitted: dict[str, float], ambiguous: set[str], truth: dict[str, float]) -> dict[str, float]:
    correct = sum(1 for k, v in emitted.items() if k in truth and abs(truth[k] - v) < 1e-6)
    wrong = sum(1 for k, v in emitted.items() if k in truth and abs(truth[k] - v) >= 1e-6)
    invented = sum(1 for k in emitted if k not in truth)
    missing = sum(1 for k in truth if k not in emitted and k not in ambiguous)
    amb = sum(1 for k in truth if k in ambiguous)
    return {
        "truth": len(truth),
        "emitted": len(emitted),
        "correct": correct,
        "wrong": wrong,
        "invented": invented,
        "ambiguous": amb,
        "missing": missing,
        "precision": correct / len(emitted) if emitted else 1.0,
        "recall": correct / len(truth) if truth else 1.0,
    }


def parse(text: str, layout: str) -> tuple[dict[str, float], set[str]]:
    res = parse_std_tables(text, layout)
    emitted = {
        c.metric_id: c.value for c in res.cells if c.metric_id and c.status == "ok" and c.value is not None
    }
    amb = {c.metric_id for c in res.cells if c.metric_id and c.status == "ambiguous"}
    return emitted, amb  # type: ignore[return-value]


def _print_table(title: str, rows: list[tuple[str, dict[str, float]]]) -> None:
    print(f"\n{title}")
    print(
        f"{'file':14s} {'truth':>5s} {'emit':>5s} {'ok':>5s} {'wrong':>5s} {'invent':>6s} {'ambig':>5s} "
        f"{'miss':>5s} {'prec':>7s} {'recall':>7s}"
    )
    tot = dict.fromkeys(("truth", "emitted", "correct", "wrong", "invented", "ambiguous", "missing"), 0.0)
    for name, s in rows:
        for k in tot:
            tot[k] += s[k]
        print(
            f"{name:14s} {s['truth']:5.0f} {s['emitted']:5.0f} {s['correct']:5.0f} {s['wrong']:5.0f} "
            f"{s['invented']:6.0f} {s['ambiguous']:5.0f} {s['missing']:5.0f} {s['precision']:7.2%} {s['recall']:7.2%}"
        )
    prec = tot["correct"] / tot["emitted"] if tot["emitted"] else 1.0
    rec = tot["correct"] / tot["truth"] if tot["truth"] else 1.0
    print(
        f"{'TOTAL':14s} {tot['truth']:5.0f} {tot['emitted']:5.0f} {tot['correct']:5.0f} {tot['wrong']:5.0f} "
        f"{tot['invented']:6.0f} {tot['ambiguous']:5.0f} {tot['missing']:5.0f} {prec:7.2%} {rec:7.2%}"
    )


def main() -> None:
    expected = _expectations()
    # 1. truth tables from the source HTML
    rows = []
    for tsv in sorted(TRUTH_DIR.glob("r*.tsv")):
        rid = tsv.stem
        if rid not in expected:
            continue  # not a std report (stat / provincial tables)
        rel, layout, _ = expected[rid]
        truth = truth_from_tsv(tsv, layout)
        emitted, amb = parse((REPO / rel).read_text(encoding="utf-8"), layout)
        rows.append((rid, score(emitted, amb, truth)))
    _print_table("Against truth_tables/*.tsv (cells from the source HTML)", rows)
    # 2. hand-checked expectations
    rows = []
    texts: list[tuple[str, str]] = []
    for name, (rel, layout, exp) in sorted(expected.items()):
        text = (REPO / rel).read_text(encoding="utf-8")
        texts.append((text, layout))
        truth = {k: float(v) for k, v in exp.items() if v != "?"}  # type: ignore[arg-type]
        emitted, amb = parse(text, layout)
        rows.append((name, score(emitted, amb, truth)))
    _print_table("Against the hand-checked expectations (tests/test_std_corpus.py; '?' cells excluded)", rows)
    # 3. speed (CPU time: wall time is noisy on a shared machine)
    for text, layout in texts:
        parse_std_tables(text, layout)
    runs = []
    for _ in range(7):
        t0 = time.process_time()
        for _ in range(5):
            for text, layout in texts:
                parse_std_tables(text, layout)
        runs.append((time.process_time() - t0) / (5 * len(texts)) * 1000)
    print(
        f"\nparse_std_tables: {len(texts)} corpus std files, CPU {min(runs):.2f} ms/report best, "
        f"{statistics.median(runs):.2f} median of 7 runs"
    )


if __name__ == "__main__":
    main()
