"""Compare ``pipeline.metadata.describe`` with the corpus manifest: accuracy per field and every miss.

Usage: ``.venv/bin/python tools/eval_metadata.py [--raw data/raw] [--manifest …] [--verbose]``

Fields: agency_name (exact, after dropping the manifest's parenthesised annotations such as
``(平潭综合实验区)``), report_year, layout (``freeform_with_stats_table`` counts as ``freeform``: none of
the corpus' appended tables is the national 2014 one), partial. Manifest agencies marked ``(推断)`` were
inferred by a person from the URL, which the pipeline does not have: they are listed apart and left
out of the agency accuracy. The five seeds are scored against the values in the corpus README.
A second agency score reads a place annotation as the report's scope: ``平潭综合实验区管委会办公室(平潭综合实验区)``
is a zone-wide report compiled by the office, which ``describe`` credits to the zone's government
(平潭综合实验区管委会), as the manifest itself does for the 2011–2012 zone reports.
Also prints the mean time per report.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.metadata import describe  # noqa: E402

SEEDS = {
    "000": ("哈尔滨市商务局", 2010, "freeform", False),
    "001": ("衢州市商务局", 2011, "freeform", False),
    "002": ("哈尔滨市质量技术监督局", 2011, "freeform", False),
    "003": ("济宁市商务局", 2014, "stat2014", False),
    "004": ("哈尔滨市营商环境建设监督局", 2019, "std2019", False),
}
_ANNOTATION = re.compile(r"[(（]([^)）]*)[)）]")
_GOVERNMENTS = ("人民政府", "管委会", "管理委员会")


def expected_rows(raw: Path, manifest: Path) -> list[dict]:
    """One dict per corpus file with the expected values."""
    rows = []
    for seed in sorted((raw / "seeds").glob("*.txt")):
        agency, year, layout, partial = SEEDS[seed.name[:3]]
        rows.append(
            dict(
                id=seed.name[:3],
                path=seed,
                agency=agency,
                scope_ok=(agency,),
                inferred=False,
                year=year,
                layout=layout,
                partial=partial,
            )
        )
    with manifest.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            layout = "freeform" if r["layout"] == "freeform_with_stats_table" else r["layout"]
            name = _ANNOTATION.sub("", r["agency"])
            scopes = [a for a in _ANNOTATION.findall(r["agency"]) if a != "推断"]
            rows.append(
                dict(
                    id=r["id"],
                    path=raw / "dev" / f"{r['id']}.txt",
                    agency=name,
                    scope_ok=(name, *(a + g for a in scopes if name.startswith(a) for g in _GOVERNMENTS)),
                    inferred="推断" in r["agency"],
                    year=int(r["report_year"]),
                    layout=layout,
                    partial=r["partial"] == "true",
                )
            )
    return rows


def main() -> int:
    """Run the comparison and print the report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    ap.add_argument("--manifest", type=Path, default=ROOT / "tests" / "fixtures" / "corpus" / "manifest.csv")
    ap.add_argument("--verbose", action="store_true", help="print every report's values")
    args = ap.parse_args()
    rows = expected_rows(args.raw, args.manifest)
    texts = [(r, r["path"].read_text(encoding="utf-8")) for r in rows]
    describe(texts[0][1], "warm-up")  # loads the division index once, as a worker process would
    t0 = time.perf_counter()
    metas = [describe(text, str(r["path"].relative_to(args.raw))) for r, text in texts]
    elapsed = time.perf_counter() - t0
    hits = {"agency": 0, "scope": 0, "year": 0, "layout": 0, "partial": 0}
    n_agency = 0
    misses: list[str] = []
    inferred: list[str] = []
    for r, m in zip(rows, metas, strict=True):
        if args.verbose:
            print(
                f"{r['id']}: {m.agency_name} [{m.agency_name_source}] {m.province}/{m.city}/{m.county} {m.admin_code} "
                f"{m.agency_level}/{m.agency_type} {m.report_year}[{m.report_year_source}] {m.layout} "
                f"partial={m.is_partial} ({m.partial_reason})"
            )
        if r["inferred"]:
            inferred.append(
                f"  {r['id']}: manifest {r['agency']}(推断)  got {m.agency_name!r} ({m.agency_name_evidence})"
            )
        else:
            n_agency += 1
            hits["scope"] += m.agency_name in r["scope_ok"]
            if m.agency_name == r["agency"]:
                hits["agency"] += 1
            else:
                tag = "  (scope reading: ok)" if m.agency_name in r["scope_ok"] else ""
                misses.append(
                    f"  {r['id']} agency: expected {r['agency']}  got {m.agency_name!r} "
                    f"[{m.agency_name_source}: {m.agency_name_evidence}]{tag}"
                )
        for key, got in (("year", m.report_year), ("layout", m.layout), ("partial", m.is_partial)):
            if got == r[key]:
                hits[key] += 1
            else:
                extra = {"year": m.report_year_evidence, "layout": "", "partial": m.partial_reason}[key]
                misses.append(f"  {r['id']} {key}: expected {r[key]}  got {got} ({extra})")
    n = len(rows)
    print(f"reports: {n} ({len(inferred)} with a URL-inferred agency left out of the agency score)")
    print(f"agency_name exact: {hits['agency']}/{n_agency} = {hits['agency'] / n_agency:.1%}")
    print(
        f"agency_name, manifest place annotation read as scope: {hits['scope']}/{n_agency} = "
        f"{hits['scope'] / n_agency:.1%}"
    )
    for key in ("year", "layout", "partial"):
        print(f"{key:11s}: {hits[key]}/{n} = {hits[key] / n:.1%}")
    print(f"time: {1000 * elapsed / n:.2f} ms/report ({n / elapsed:.0f} reports/s, one core)")
    if misses:
        print("misses:")
        print("\n".join(misses))
    if inferred:
        print("agency inferred by the manifest from the URL (not scored):")
        print("\n".join(inferred))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
