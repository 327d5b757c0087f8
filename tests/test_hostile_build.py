"""End to end on a battery of hostile inputs: the real CLI, then the published tables, read back.

``python -m pipeline build --raw-dir RAW --out-dir OUT`` runs once (module fixture) on a raw dir generated in
``tmp_path``: real reports in every encoding next to empty, binary, oversized, truncated, HTML, non-report,
oddly named and symlinked files, a named pipe and a file name that is not UTF-8. The run must exit 0,
every entry must have exactly one row in ``reports`` with a status and (when not ok) a reason, no bad file
may have metrics, nothing outside the raw dir may be read, and the raw dir must be left as it was.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import os
import random
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "raw"
OUTSIDE_MARKER = "越界标记OUTSIDE-MARKER-7f3a"
NON_UTF8_NAME = "报告".encode("gbk") + b".txt"


def _corpus(rel: str) -> str:
    return (CORPUS / rel).read_text("utf-8")


def _write(raw: Path, name: str, data: bytes) -> None:
    path = raw / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _html_report(text: str) -> str:
    lines = text.splitlines()
    body = "".join(f"<p>{ln}</p>" for ln in lines[:40])
    return f"<!DOCTYPE html><html><head><title>{lines[0]}</title><script>var x=1;</script></head><body>{body}</body></html>"


# name → expected (status, reason prefix); reason None means: ok, no reason required.
EXPECTED: dict[str, tuple[str, str | None]] = {
    "good/utf8.txt": ("ok", None),
    "good/gbk.txt": ("ok", None),
    "good/utf8_bom.txt": ("ok", None),
    "good/utf16le_bom.txt": ("ok", None),
    "good/utf16be_nobom.txt": ("ok", None),
    "good/crlf_gb18030.txt": ("ok", None),
    "good/fragment_500.txt": ("ok", None),
    "good/nul_padded.txt": ("ok", "8192 NUL bytes removed"),
    "good/truncated_mid_char.txt": ("ok", "incomplete last character dropped"),
    "good/saved_page.txt": ("ok", "html converted to text"),
    "names/with space 报告 🎉.txt": ("ok", None),
    "names/-leading-dash.txt": ("ok", None),
    "names/new\nline.txt": ("ok", None),
    "names/" + "长" * 80 + ".txt": ("ok", None),
    "bad/empty.txt": ("quarantined", "empty file"),
    "bad/whitespace.txt": ("quarantined", "empty file (no visible text)"),
    "bad/zeros.txt": ("quarantined", "empty file (only NUL bytes)"),
    "bad/png.txt": ("quarantined", "binary file (PNG image)"),
    "bad/pdf.txt": ("quarantined", "binary file (PDF document)"),
    "bad/gzip.txt": ("quarantined", "binary file (gzip archive)"),
    "bad/random.txt": ("quarantined", "binary file (unknown format)"),
    "bad/junk.txt": ("quarantined", "not decodable as text"),
    "bad/huge.txt": ("quarantined", "file too large: 21.0 MB > 20 MB limit"),
    "bad/news.txt": ("quarantined", "not a report: "),
    "bad/404.txt": ("quarantined", "not a report: looks like a web error page"),
    "bad/lorem.txt": ("quarantined", "not a report: hardly any Chinese text"),
    "bad/dump.csv": ("quarantined", "not a report: looks like a table/CSV dump"),
    "bad/pipe.txt": ("quarantined", "not a regular file (named pipe)"),
    "links/to_inside.txt": ("quarantined", "symlink (duplicate of good/utf8.txt)"),
    "links/to_outside.txt": ("quarantined", "symlink to outside the raw dir: not followed"),
    "links/to_outside_dir": ("quarantined", "symlink to outside the raw dir: not followed"),
    "links/dangling.txt": ("quarantined", "dangling symlink (target missing): not followed"),
    "links/loop_a": ("quarantined", "symlink loop: not followed"),
    "links/loop_b": ("quarantined", "symlink loop: not followed"),
    "\\xb1\\xa8\\xb8\\xe6.txt": ("ok", "file name is not valid UTF-8"),
}


def _make_raw(base: Path) -> Path:
    raw = base / "raw"
    seed = _corpus("seeds/003_21e256e50e063223.txt")  # stat2014
    std = _corpus("seeds/004_41ae5f6dd78fef43.txt")  # std2019
    std21 = _corpus("dev/r001.txt")  # std2021 (pdftotext)
    short = _corpus("dev/r005.txt")
    short2 = _corpus("dev/r016.txt")
    free = _corpus("seeds/000_72e40cd5a0ec375d.txt")
    rng = random.Random(42)
    files = {
        "good/utf8.txt": seed.encode(),
        "good/gbk.txt": std.encode("gb18030"),
        "good/utf8_bom.txt": codecs.BOM_UTF8 + std21.encode(),
        "good/utf16le_bom.txt": short.encode("utf-16"),
        "good/utf16be_nobom.txt": free.encode("utf-16-be"),
        "good/crlf_gb18030.txt": _corpus("seeds/001_2e13bb19681690b4.txt")
        .replace("\n", "\r\n")
        .encode("gb18030"),
        "good/fragment_500.txt": _corpus("seeds/002_200a6e588f5eda13.txt")[:500].encode(),
        "good/nul_padded.txt": _corpus("dev/r035.txt").encode() + b"\x00" * 8192,
        "good/truncated_mid_char.txt": short2.encode()[:-1],
        "good/saved_page.txt": _html_report(_corpus("dev/r051.txt")).encode("gbk", errors="ignore"),
        "names/with space 报告 🎉.txt": _corpus("dev/r007.txt").encode(),
        "names/-leading-dash.txt": _corpus("dev/r010.txt").encode(),
        "names/new\nline.txt": _corpus("dev/r012.txt").encode(),
        "names/" + "长" * 80 + ".txt": _corpus("dev/r018.txt").encode(),
        "bad/empty.txt": b"",
        "bad/whitespace.txt": b"  \r\n\t\n",
        "bad/zeros.txt": b"\x00" * 4096,
        "bad/png.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300),
        "bad/pdf.txt": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "bad/gzip.txt": gzip.compress(seed.encode()),
        "bad/random.txt": bytes(rng.randrange(256) for _ in range(5000)),
        "bad/junk.txt": bytes(rng.randrange(128, 256) for _ in range(5000)),
        "bad/news.txt": "新华社北京3月5日电 国务院总理李强作政府工作报告，2023年国内生产总值增长5.2%，城镇新增就业1244万人。".encode(
            "gbk"
        ),
        "bad/404.txt": b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>"
        b"<p>The requested URL was not found on this server.</p></body></html>",
        "bad/lorem.txt": ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 40).encode(),
        "bad/dump.csv": (
            "序号,姓名,部门,金额\n" + "\n".join(f"{i},张{i},办公室,{i * 10}" for i in range(80))
        ).encode("gbk"),
        ".hidden/skipped.txt": seed.encode(),
        ".DS_Store": b"\x00\x00\x00\x01Bud1\x00",
    }
    for name, data in files.items():
        _write(raw, name, data)
    with (raw / "bad" / "huge.txt").open("wb") as f:
        f.truncate(21_000_000)  # sparse
    os.mkfifo(raw / "bad" / "pipe.txt")
    with open(os.path.join(os.fsencode(raw), NON_UTF8_NAME), "wb") as f:
        f.write(_corpus("dev/r020.txt").encode())
    outside = base / "outside"
    outside.mkdir()
    (outside / "report.txt").write_text(OUTSIDE_MARKER + "\n" + seed, encoding="utf-8")
    links = raw / "links"
    links.mkdir()
    os.symlink("../good/utf8.txt", links / "to_inside.txt")
    os.symlink(outside / "report.txt", links / "to_outside.txt")
    os.symlink(outside, links / "to_outside_dir")
    os.symlink("missing.txt", links / "dangling.txt")
    os.symlink("loop_b", links / "loop_a")
    os.symlink("loop_a", links / "loop_b")
    return raw


def _snapshot(root: Path) -> dict[bytes, tuple[int, int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(os.fsencode(root)):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            out[p] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Generate the hostile raw dir, run the CLI once, return what the tests need."""
    base = tmp_path_factory.mktemp("hostile")
    raw = _make_raw(base)
    out = base / "out"
    before = _snapshot(raw)
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--raw-dir", str(raw), "--out-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return {"proc": proc, "raw": raw, "out": out, "before": before, "after": _snapshot(raw), "base": base}


@pytest.fixture(scope="module")
def reports(build: dict) -> pd.DataFrame:
    """The published reports table (Parquet)."""
    assert build["proc"].returncode == 0, build["proc"].stderr[-4000:]
    return pd.read_parquet(build["out"] / "parquet" / "reports")


def test_the_run_exits_zero(build: dict):
    assert build["proc"].returncode == 0, build["proc"].stderr[-4000:]


def test_raw_dir_is_untouched(build: dict):
    assert build["after"] == build["before"]


def test_every_entry_has_exactly_one_row_with_status_and_reason(reports: pd.DataFrame):
    assert reports["source_file"].is_unique and reports["report_id"].is_unique
    got = set(reports["source_file"])
    assert got == set(EXPECTED), (sorted(got - set(EXPECTED)), sorted(set(EXPECTED) - got))
    assert reports["status"].isin(["ok", "quarantined", "duplicate"]).all()
    not_ok = reports[reports["status"] != "ok"]
    assert not_ok["status_reason"].notna().all() and (not_ok["status_reason"].str.len() > 0).all()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_status_and_reason_kind(reports: pd.DataFrame, name: str):
    row = reports.set_index("source_file").loc[name]
    status, reason = EXPECTED[name]
    if status == "ok":
        # a good report may still be marked duplicate of another input by the metadata stage
        assert row["status"] in ("ok", "duplicate"), row["status_reason"]
    else:
        assert row["status"] == status, row["status_reason"]
    if reason is not None:
        assert isinstance(row["status_reason"], str) and reason in row["status_reason"], row["status_reason"]


def test_hidden_files_are_not_inputs(reports: pd.DataFrame):
    assert not reports["source_file"].str.contains(r"(?:^|/)\.", regex=True).any()


def test_bad_files_have_no_metrics(build: dict, reports: pd.DataFrame):
    db = duckdb.connect(str(build["out"] / "warehouse.duckdb"), read_only=True)
    try:
        leaked = db.sql(
            "SELECT r.source_file, r.status, count(*) AS n FROM metrics m JOIN reports r USING (report_id) "
            "WHERE r.status <> 'ok' GROUP BY ALL"
        ).fetchall()
        orphans = db.sql("SELECT count(*) FROM metrics m ANTI JOIN reports r USING (report_id)").fetchall()[
            0
        ][0]
    finally:
        db.close()
    assert leaked == [] and orphans == 0
    metrics = pd.read_parquet(build["out"] / "parquet" / "metrics")
    bad_ids = set(reports.loc[reports["status"] != "ok", "report_id"])
    assert not set(metrics["report_id"]) & bad_ids


def test_nothing_outside_the_raw_dir_was_read(build: dict, reports: pd.DataFrame):
    outside = (build["base"] / "outside" / "report.txt").read_bytes()
    assert hashlib.sha256(outside).hexdigest() not in set(reports["sha256"].dropna())
    for table in ("report_texts", "sections", "metrics"):
        folder = build["out"] / "parquet" / table
        if folder.exists():
            df = pd.read_parquet(folder)
            for col in df.columns:
                if df[col].dtype == object or str(df[col].dtype).startswith(("str", "string")):
                    assert not df[col].astype(str).str.contains(OUTSIDE_MARKER, regex=False).any(), (
                        table,
                        col,
                    )


def test_decoded_good_files_keep_their_encoding(reports: pd.DataFrame):
    enc = reports.set_index("source_file")["encoding"]
    assert enc["good/gbk.txt"] == "gb18030"
    assert enc["good/utf8_bom.txt"] == "utf-8-sig"
    assert enc["good/utf16le_bom.txt"] == "utf-16"
    assert enc["good/utf16be_nobom.txt"] == "utf-16-be"
