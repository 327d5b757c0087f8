"""The real corpus through `pipeline.ingest`: read as is, re-encoded every way a portal saves text, untouched.

Re-encoded copies are written to ``tmp_path``; ``data/raw`` is only read, and the test checks that.
"""

from __future__ import annotations

import codecs
import os
import time
from pathlib import Path

import pytest

from pipeline.ingest import list_input_files, read_all, read_document
from pipeline.text import normalize

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
FILES = sorted(list_input_files(RAW))


def _text(rel: str) -> str:
    return (RAW / rel).read_text("utf-8")


def test_corpus_is_listed_completely():
    on_disk = sorted(p.relative_to(RAW).as_posix() for p in RAW.rglob("*") if p.is_file())
    assert FILES == on_disk and len(FILES) >= 80


@pytest.mark.parametrize("rel", FILES)
def test_corpus_file_reads_exactly(rel: str):
    doc = read_document(RAW, rel)
    assert (doc.status, doc.status_reason, doc.encoding) == ("ok", None, "utf-8")
    assert doc.text == _text(rel)
    assert doc.source_file == rel and doc.n_bytes == (RAW / rel).stat().st_size


REENCODINGS = {
    "gbk": (lambda t: t.encode("gbk"), "gb18030"),
    "gb18030": (lambda t: t.encode("gb18030"), "gb18030"),
    "utf-8 BOM": (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    "utf-16 BOM": (lambda t: t.encode("utf-16"), "utf-16"),
    "utf-16 LE": (lambda t: t.encode("utf-16-le"), "utf-16-le"),
    "utf-16 BE": (lambda t: t.encode("utf-16-be"), "utf-16-be"),
    "utf-32 BOM": (lambda t: t.encode("utf-32"), "utf-32"),
}


@pytest.mark.parametrize("rel", FILES)
def test_reencoded_corpus_gives_the_same_text(tmp_path: Path, rel: str):
    text = _text(rel)
    for case, (encode, expected) in REENCODINGS.items():
        try:
            data = encode(text)
        except UnicodeEncodeError:
            assert case == "gbk"  # e.g. U+FFFD or rare symbols have no GBK code; gb18030 covers them
            continue
        name = f"{case}.txt"
        (tmp_path / name).write_bytes(data)
        doc = read_document(tmp_path, name)
        assert (case, doc.status, doc.encoding, doc.status_reason) == (case, "ok", expected, None)
        assert doc.text == text, case


@pytest.mark.parametrize("rel", FILES)
def test_crlf_copies_differ_only_in_line_ends(tmp_path: Path, rel: str):
    text = _text(rel)
    crlf = text.replace("\n", "\r\n")
    for codec in ("utf-8", "gb18030", "utf-16"):
        (tmp_path / "c.txt").write_bytes(crlf.encode(codec))
        doc = read_document(tmp_path, "c.txt")
        assert doc.status == "ok" and doc.text == crlf  # CR kept, so offsets count it
        assert doc.text.replace("\r\n", "\n") == text
        normal = normalize(doc.text)  # CRLF → " \n": same length, so offsets into doc.text still hold
        assert len(normal) == len(doc.text) and "\r" not in normal


def _snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            st = os.lstat(os.path.join(dirpath, name))
            out[os.path.join(dirpath, name)] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def test_reading_the_corpus_leaves_it_untouched():
    before = _snapshot(RAW)
    docs = read_all(RAW)
    assert len(docs) == len(FILES) and all(d.status == "ok" for d in docs)
    assert _snapshot(RAW) == before


def test_reading_is_cheap(tmp_path: Path):
    """Budget: 0.3 ms for a typical 3 KB file; asserted loosely (1 ms) so a busy CI box does not flake."""
    for i, rel in enumerate(FILES):
        (tmp_path / f"{i:03d}.txt").write_bytes(_text(rel).encode("gb18030"))
    for raw in (RAW, tmp_path):
        names = list(list_input_files(raw))
        start = time.perf_counter()
        for _ in range(5):
            for name in names:
                read_document(raw, name)
        per_file_ms = (time.perf_counter() - start) / (5 * len(names)) * 1000
        assert per_file_ms < 1.0, f"{raw}: {per_file_ms:.3f} ms per file"
