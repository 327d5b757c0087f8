"""Out-of-sample evaluation on held-out real reports kept outside the repo (hand labels, not parser output).

Usage: ``.venv/bin/python tools/eval_heldout.py [--dir /tmp/heldout] [--verbose]`` (round 2:
``--dir /tmp/heldout2``, texts ``GNN.txt``; any ids work, the text of id X is ``X.txt``).

The directory holds ``HNN.txt`` texts (third-party material: never committed) and ``labels.csv`` with
columns ``id,kind,key,value,qualifier,note``:

- ``kind=meta``: ``key`` ∈ {agency, year, layout, partial}; an empty value means "not decidable from the
  text" and is left out of that field's score. ``agency`` may list accepted spellings separated by ``|``.
- ``kind=narr``: a narrative value the text states (``key`` may list alternative metric ids with ``|`` when
  the sentence honestly fits either, e.g. a website count that is also the year's total).
- ``kind=cell``: a printed table cell that can be read reliably; an empty value marks a cell that is blank
  in the source (a value emitted there is wrong). Table-derived ``narr.*`` rows (provincial tables) are
  scored with the narrative values, since that is where the dataset keeps them.

Scores: metadata accuracy per field; narrative precision/recall over every ``narr.*`` metric emitted by
``extract_metrics``; table precision/recall over ``parse_tables`` cells
with status ``ok``, also per family (std tables 二/三/四 vs the stat2014 ``stat.*`` table; a family without
labelled values prints n/a, and values emitted on blank-labelled cells are counted apart). A table value whose metric id is not labelled is counted apart (``unlabelled``) and
printed for reading. "Invented" = an emitted value whose digits do not occur in the text at all.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.extract import extract_metrics  # noqa: E402
from pipeline.metadata import describe  # noqa: E402
from pipeline.segment import segment  # noqa: E402
from pipeline.tables import parse_tables  # noqa: E402

_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def load_labels(path: Path) -> dict[str, dict]:
    """Labels per text id: meta fields, narrative values, table cells."""
    out: dict[str, dict] = defaultdict(lambda: {"meta": {}, "narr": [], "cell": {}})
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            d = out[r["id"]]
            if r["kind"] == "meta":
                d["meta"][r["key"]] = r["value"]
            elif r["kind"] == "narr":
                d["narr"].append((tuple(r["key"].split("|")), float(r["value"]), r["qualifier"]))
            else:  # an empty value marks a cell that is blank in the source: any value there is wrong
                d["cell"][r["key"]] = float(r["value"]) if r["value"] else None
    return out


def invented(value: float, text: str) -> bool:
    """True when no number printed in the text equals the value (万 multiples and 0 allowed)."""
    if value == 0:
        return False
    nums = {float(m) for m in _DIGITS.findall(text.replace(",", ""))}
    return not any(
        abs(n - value) < 1e-6 or abs(n * 10000 - value) < 1e-3 or abs(n / 10000 - value) < 1e-9 for n in nums
    )


def score_meta(labels: dict, metas: dict) -> tuple[dict, list[str]]:
    """Hits and totals per metadata field, with the misses."""
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[str] = []
    for i, lab in sorted(labels.items()):
        m = metas[i]
        got = {
            "agency": m.agency_name or "",
            "year": "" if m.report_year is None else str(m.report_year),
            "layout": m.layout or "",
            "partial": "" if m.is_partial is None else str(m.is_partial).lower(),
        }
        for key, want in lab["meta"].items():
            if key == "agency" and not want:
                misses.append(f"  {i} agency (unscored, none in text): got {got['agency']!r}")
                continue
            if not want:
                continue
            ok = got[key] in want.split("|")
            hits[key][0] += ok
            hits[key][1] += 1
            if not ok:
                extra = {
                    "agency": f"[{m.agency_name_source}: {m.agency_name_evidence}]",
                    "year": f"[{m.report_year_source}: {m.report_year_evidence}]",
                    "layout": "",
                    "partial": f"({m.partial_reason})",
                }[key]
                misses.append(f"  {i} {key}: want {want} got {got[key]!r} {extra}")
    return hits, misses


def _family(metric_id: str) -> str:
    return "stat" if metric_id.startswith("stat.") else "std"


def family_counts(labels: dict, cells: dict, fam: str) -> tuple[int, int, int, int, int]:
    """(correct, wrong, labelled values, blank-labelled cells, values emitted on blank cells) of a family."""
    tc = wrong = n_gold = n_blank = on_blank = 0
    for i, lab in labels.items():
        gold = {k: v for k, v in lab["cell"].items() if _family(k) == fam}
        n_gold += sum(v is not None for v in gold.values())
        n_blank += sum(v is None for v in gold.values())
        for c in cells[i]:
            if c.metric_id not in gold:
                continue
            want = gold[c.metric_id]
            if want is None:
                on_blank += 1
                wrong += 1
            elif abs(want - c.value) < 1e-6:
                tc += 1
            else:
                wrong += 1
    return tc, wrong, n_gold, n_blank, on_blank


def family_line(label: str, tc: int, wrong: int, n_gold: int, n_blank: int, on_blank: int) -> str:
    """One line of the per-family table score (n/a when the family has no labelled value)."""
    p = f"{tc / (tc + wrong):.4f} ({tc}/{tc + wrong})" if tc + wrong else "n/a (nothing emitted)"
    r = f"{tc / n_gold:.4f} ({tc}/{n_gold})" if n_gold else "n/a (no labelled value)"
    return f"{label}: precision {p}  recall {r}  blank cells {n_blank}, values emitted on them {on_blank}"


def main() -> int:
    """Run every parser on the held-out texts and print the scores."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=Path("/tmp/heldout"))
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    labels = load_labels(args.dir / "labels.csv")
    metas, narr, cells, texts = {}, {}, {}, {}
    for i in sorted(labels):
        text = (args.dir / f"{i}.txt").read_text(encoding="utf-8")
        texts[i] = text
        meta = describe(text, f"{i}.txt")
        metas[i] = meta
        sections = segment(text, meta.layout)
        tp = parse_tables(text, meta.layout)
        ex = extract_metrics(text, meta, sections, tp.cells)
        narr[i] = [m for m in ex.metrics if m.metric_id.startswith("narr.")]
        cells[i] = [
            c
            for c in tp.cells
            if c.status == "ok"
            and c.metric_id
            and c.value is not None
            and not c.metric_id.startswith("narr.")
        ]
    hits, misses = score_meta(labels, metas)
    print(f"held-out texts: {len(labels)}")
    for key in ("agency", "year", "layout", "partial"):
        h, n = hits[key]
        print(f"  {key:8s} {h}/{n} = {h / n:.1%}" if n else f"  {key:8s} -")
    # narrative
    tp_n = fp_n = fn_n = inv_n = qual_ok = 0
    lines: list[str] = []
    for i, lab in sorted(labels.items()):
        gold = lab["narr"]
        used: set[int] = set()
        for m in narr[i]:
            j = next(
                (
                    k
                    for k, (ids, v, _q) in enumerate(gold)
                    if m.metric_id in ids and abs(v - m.value) < 1e-6 and k not in used
                ),
                None,
            )
            if j is None:
                fp_n += 1
                bad = invented(m.value, texts[i])
                inv_n += bad
                lines.append(f"  FP {i} {m.metric_id}={m.value:g} {'INVENTED ' if bad else ''}{m.evidence!r}")
            else:
                used.add(j)
                tp_n += 1
                qual_ok += gold[j][2] == m.qualifier
                if gold[j][2] != m.qualifier:
                    lines.append(f"  qualifier {i} {m.metric_id}: want {gold[j][2]} got {m.qualifier}")
        for k, (ids, v, _q) in enumerate(gold):
            if k not in used:
                fn_n += 1
                lines.append(f"  FN {i} {'|'.join(ids)}={v:g}")
    p = tp_n / (tp_n + fp_n) if tp_n + fp_n else 1.0
    r = tp_n / (tp_n + fn_n) if tp_n + fn_n else 1.0
    print(
        f"narrative: precision {p:.3f} ({tp_n}/{tp_n + fp_n})  recall {r:.3f} ({tp_n}/{tp_n + fn_n})  "
        f"qualifier {qual_ok}/{tp_n}  invented {inv_n}"
    )
    # tables
    tc = wrong = unl = fn_c = inv_c = 0
    tlines: list[str] = []
    for i, lab in sorted(labels.items()):
        gold = lab["cell"]
        got = {c.metric_id: c for c in cells[i]}
        for mid, c in got.items():
            bad = invented(c.value, texts[i])
            inv_c += bad
            if mid in gold:
                if gold[mid] is not None and abs(gold[mid] - c.value) < 1e-6:
                    tc += 1
                else:
                    wrong += 1
                    want = "blank" if gold[mid] is None else f"{gold[mid]:g}"
                    tlines.append(f"  WRONG {i} {mid}={c.value:g} want {want} raw={c.raw!r}")
            else:
                unl += 1
                tlines.append(f"  unlabelled {i} {mid}={c.value:g} {'INVENTED ' if bad else ''}raw={c.raw!r}")
        for mid, v in gold.items():
            if v is not None and mid not in got:
                fn_c += 1
                tlines.append(f"  FN {i} {mid}={v:g}")
    n_gold = sum(v is not None for lab in labels.values() for v in lab["cell"].values())
    pc = tc / (tc + wrong) if tc + wrong else 1.0
    rc = tc / n_gold if n_gold else 1.0
    print(
        f"tables: precision {pc:.4f} ({tc}/{tc + wrong})  recall {rc:.4f} ({tc}/{n_gold})  "
        f"unlabelled emitted {unl}  invented {inv_c}"
    )
    for fam, label in (("std", "std tables 二/三/四"), ("stat", "stat2014 (stat.*)")):
        print("  " + family_line(label, *family_counts(labels, cells, fam)))
    if args.verbose:
        print("metadata misses:")
        print("\n".join(misses))
        print("narrative:")
        print("\n".join(lines))
        print("tables:")
        print("\n".join(tlines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
