"""Precision / recall of the statistics-table parser (stat2014 national table and provincial tables).

Usage: ``.venv/bin/python tools/eval_stat_tables.py [--verbose]``

Two truth sources, both inside the repo:
1. ``tests/fixtures/corpus/truth_tables/rNNN.tsv`` — true cells of the glued / space-separated provincial
   tables of the Pingtan reports (see the corpus manifest for how each was built; r121/r134/r136 were forced
   from the text with the narrative figure, so they test the splitter rather than the source).
2. Seed 003's stat2014 table (65 rows, values read by hand from the seed, ``SEED003_TRUTH``), parsed as printed
   (tab cells) and re-flattened the other ways crawlers and converters emit tables: one cell per line,
   space-separated, glued without separators, markdown pipes.

A cell counts as predicted when the parser gives it a value (status ``ok``); it is correct when the value
equals the truth. Recall is over the truth cells that hold a value (blank ≠ 0: a value for a blank truth
cell is a false positive).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.records import Cell  # noqa: E402
from pipeline.tables.stat import parse_stat_tables  # noqa: E402
from pipeline.text import compact_label  # noqa: E402
from tests.truth import provincial_table, seed003_stat2014  # noqa: E402

PROV_FILES = ("r100", "r101", "r102", "r103", "r104", "r121", "r134", "r136")
SEED003 = next((ROOT / "data" / "raw" / "seeds").glob("003_*.txt"))

SEED003_TRUTH = seed003_stat2014()  # read by hand (None = blank cell in the source)


def seed003_rows(text: str) -> tuple[str, list[list[str]]]:
    """Text before the appendix table and the table's rows of cells (as printed, wrapped labels joined)."""
    start = text.index("\t统")
    head, body = text[:start], text[start:]
    rows: list[list[str]] = []
    for block in body.split("\n\n"):
        cells = [re.sub(r"\s+", "", c) for c in block.split("\n\t")]
        cells = [c for i, c in enumerate(cells) if i > 0 or c]
        if cells and any(cells):
            rows.append(cells)
    return head, rows


def flatten(rows: list[list[str]], style: str) -> str:
    """Re-flatten table rows: tab | lines | spaces | glued | pipes (blank cells vanish except in pipes)."""
    if style == "lines":
        return "\n".join(c for r in rows for c in r if c)
    if style == "spaces":
        return " ".join(c for r in rows for c in r if c)
    if style == "glued":
        return "".join(c for r in rows for c in r)
    if style == "pipes":
        return "\n".join("| " + " | ".join(r) + " |" for r in rows)
    raise ValueError(style)


def seed003_variants() -> dict[str, str]:
    """Seed 003 as printed plus four re-flattened copies of its appendix."""
    text = SEED003.read_text(encoding="utf-8")
    head, rows = seed003_rows(text)
    out = {"tab (as printed)": text}
    for style in ("lines", "spaces", "glued", "pipes"):
        out[style] = head + flatten(rows, style) + "\n"
    return out


def score_stat2014(text: str) -> tuple[int, int, int, list[str]]:
    """(true positives, predicted, truth values, problems) of one stat2014 text against SEED003_TRUTH."""
    cells = {c.metric_id: c for c in parse_stat_tables(text, "stat2014").cells if c.table_id == "stat2014"}
    tp = pred = 0
    problems: list[str] = []
    for mid, want in SEED003_TRUTH.items():
        c = cells.get(mid)
        got = c.value if c is not None and c.status == "ok" else None
        if got is not None:
            pred += 1
            if want is not None and abs(got - want) < 1e-9:
                tp += 1
            else:
                problems.append(f"{mid}: got {got} want {want}")
        elif want is not None:
            problems.append(f"{mid}: missing (want {want}, status {c.status if c else 'no row'})")
    n_truth = sum(v is not None for v in SEED003_TRUTH.values())
    return tp, pred, n_truth, problems


def score_prov(rid: str) -> tuple[int, int, int, int, list[str]]:
    """(tp, predicted, truth values, ambiguous cells, problems) of one provincial table."""
    text = (ROOT / "data" / "raw" / "dev" / f"{rid}.txt").read_text(encoding="utf-8")
    cells = [c for c in parse_stat_tables(text, "freeform").cells if c.table_id == "prov"]
    by_row: dict[int, dict[int, Cell]] = {}
    for c in cells:
        by_row.setdefault(c.row_no, {})[c.col_no] = c
    parsed = [by_row[k] for k in sorted(by_row)]
    truth = provincial_table(rid)
    tp = pred = n_truth = amb = 0
    problems: list[str] = []
    if len(parsed) != len(truth):
        problems.append(f"{rid}: {len(parsed)} parsed rows vs {len(truth)} truth rows")
    for (label, want), row in zip(truth, parsed, strict=False):
        got_label = next(iter(row.values())).row_label or ""
        if compact_label(label) != compact_label(got_label):
            problems.append(f"{rid}: row label {got_label!r} vs truth {label!r}")
        for col, w in enumerate(want, start=1):
            c = row.get(col)
            got = c.value if c is not None and c.status == "ok" else None
            amb += c is not None and c.status == "ambiguous"
            n_truth += w is not None
            if got is not None:
                pred += 1
                if w is not None and abs(got - w) < 1e-9:
                    tp += 1
                else:
                    problems.append(f"{rid} {label} col {col}: got {got} want {w}")
            elif w is not None and c is not None and c.status != "ambiguous":
                problems.append(f"{rid} {label} col {col}: no value ({c.status}) want {w}")
    return tp, pred, n_truth, amb, problems


def _pr(tp: int, pred: int, n: int) -> str:
    p = tp / pred if pred else 1.0
    r = tp / n if n else 1.0
    return f"precision {p:.3f} ({tp}/{pred})  recall {r:.3f} ({tp}/{n})"


def main() -> int:
    """Print the scores of both table families."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    show: Callable[[list[str]], None] = (
        (lambda ps: [print("    " + p) for p in ps]) if args.verbose else (lambda ps: None)
    )
    print("stat2014 (seed 003, 65 rows, each flattening):")
    tt = tp_all = pr_all = 0
    for name, text in seed003_variants().items():
        tp, pred, n, problems = score_stat2014(text)
        tp_all, pr_all, tt = tp_all + tp, pr_all + pred, tt + n
        print(f"  {name:18s} {_pr(tp, pred, n)}")
        show(problems)
    print(f"  all flattenings    {_pr(tp_all, pr_all, tt)}")
    print("provincial tables (truth_tables TSVs):")
    tp_all = pr_all = tt = amb_all = 0
    for rid in PROV_FILES:
        tp, pred, n, amb, problems = score_prov(rid)
        tp_all, pr_all, tt, amb_all = tp_all + tp, pr_all + pred, tt + n, amb_all + amb
        print(f"  {rid} {_pr(tp, pred, n)}  ambiguous cells {amb}")
        show(problems)
    print(f"  all                {_pr(tp_all, pr_all, tt)}  ambiguous cells {amb_all}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
