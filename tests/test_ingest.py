"""Hostile inputs for `pipeline.ingest`: every case is generated in ``tmp_path``; nothing binary is committed.

Each test asserts the exact status and the kind of reason a person reads in the reports table.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import random
import stat
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import ingest
from pipeline.ingest import (
    decode_bytes,
    decode_detailed,
    display_name,
    html_to_text,
    list_input_files,
    looks_like_html,
    mark_duplicates,
    read_all,
    read_document,
    report_id_for,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "seeds" / "003_21e256e50e063223.txt"  # free-form + 2014 table, 14 KB
SHORT = ROOT / "data" / "raw" / "dev" / "r005.txt"  # a 732-character truncated report


@pytest.fixture(scope="module")
def report() -> str:
    """A real report text (UTF-8 in the corpus)."""
    return SEED.read_text("utf-8")


@pytest.fixture(scope="module")
def short_report() -> str:
    """A short real report fragment."""
    return SHORT.read_text("utf-8")


def write(raw: Path, name: str, data: bytes) -> Path:
    """Write bytes to ``raw/name`` (parents created)."""
    path = raw / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def read_one(raw: Path, name: str, data: bytes, **kw: int) -> ingest.Document:
    """Write one file and read it back."""
    write(raw, name, data)
    return read_document(raw, name, **kw)


# --------------------------------------------------------------------------------------------------------
# Encodings
# --------------------------------------------------------------------------------------------------------

ENCODINGS = [
    # (case, encode, expected encoding)
    ("utf-8", lambda t: t.encode("utf-8"), "utf-8"),
    ("utf-8 BOM", lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    ("gb18030", lambda t: t.encode("gb18030"), "gb18030"),
    ("gbk", lambda t: t.encode("gbk", errors="strict"), "gb18030"),
    ("utf-16 LE BOM", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
    ("utf-16 BE BOM", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
    ("utf-16 LE no BOM", lambda t: t.encode("utf-16-le"), "utf-16-le"),
    ("utf-16 BE no BOM", lambda t: t.encode("utf-16-be"), "utf-16-be"),
    ("utf-32 BOM", lambda t: t.encode("utf-32"), "utf-32"),
    ("utf-32 LE no BOM", lambda t: t.encode("utf-32-le"), "utf-32-le"),
    ("gb18030 BOM", lambda t: "\ufeff".encode("gb18030") + t.encode("gb18030"), "gb18030"),
]


@pytest.mark.parametrize(("case", "encode", "encoding"), ENCODINGS, ids=[c[0] for c in ENCODINGS])
def test_encodings_decode_to_the_same_text(tmp_path: Path, report: str, case: str, encode, encoding: str):
    doc = read_one(tmp_path, "r.txt", encode(report))
    assert (doc.status, doc.status_reason, doc.encoding) == ("ok", None, encoding)
    assert doc.text == report  # BOM dropped, every other character kept


def test_crlf_is_kept_and_only_line_ends_differ(tmp_path: Path, report: str):
    crlf = report.replace("\n", "\r\n")
    doc = read_one(tmp_path, "crlf.txt", crlf.encode("gb18030"))
    assert doc.status == "ok" and doc.encoding == "gb18030"
    assert doc.text == crlf  # CR kept: offsets count it; pipeline.text.normalize maps CRLF to " \n"
    assert doc.text.replace("\r\n", "\n") == report


def test_short_gbk_text_is_not_mistaken_for_an_exotic_encoding(tmp_path: Path):
    # charset-normalizer alone calls these 12 bytes cp949 (Korean); the strict GB18030 decode wins.
    doc = read_one(tmp_path, "s.txt", "政府信息公开".encode("gbk"))
    assert (doc.status, doc.encoding, doc.text) == ("ok", "gb18030", "政府信息公开")


def test_big5_is_not_read_as_gbk_mojibake(tmp_path: Path):
    text = "政府資訊公開工作年度報告，本機關主動公開政府資訊，依申請公開辦理情形如下。"
    doc = read_one(tmp_path, "b5.txt", text.encode("big5"))
    assert (doc.status, doc.encoding, doc.text) == ("ok", "big5", text)


def test_rare_encoding_falls_back_to_charset_normalizer(tmp_path: Path):
    text = "Rapport annuel sur la publicité des informations gouvernementales, année fiscale. " * 5
    doc = read_one(tmp_path, "fr.txt", text.encode("cp1252"))
    assert doc.status == "ok" and doc.text is not None and "publicité" in doc.text
    assert doc.status_reason == "encoding detected by charset-normalizer"


def test_decode_bytes_keeps_its_simple_contract(short_report: str):
    assert decode_bytes(short_report.encode("gb18030")) == (short_report, "gb18030")
    assert decode_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64)) == (None, None)


# --------------------------------------------------------------------------------------------------------
# Truncation, NUL bytes, corrupt bytes
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-8", "gb18030", "utf-16-le"])
def test_truncated_mid_character(tmp_path: Path, short_report: str, codec: str):
    data = short_report.encode(codec)
    last = short_report[-1].encode(codec)
    assert len(last) >= 2
    doc = read_one(tmp_path, "cut.txt", data[:-1])  # cut inside the last character
    assert doc.status == "ok"
    assert doc.text == short_report[:-1]
    assert doc.status_reason == "incomplete last character dropped (truncated file?)"


def test_stray_nul_bytes_are_removed_and_noted(tmp_path: Path, report: str):
    data = report[:300].encode("utf-8") + b"\x00" * 3 + report[300:].encode("utf-8")
    doc = read_one(tmp_path, "nul.txt", data)
    assert (doc.status, doc.encoding, doc.status_reason) == ("ok", "utf-8", "3 NUL bytes removed")
    assert doc.text == report


def test_nul_padding_of_a_cut_download(tmp_path: Path, report: str):
    doc = read_one(tmp_path, "pad.txt", report.encode("gb18030") + b"\x00" * 8192)
    assert (doc.status, doc.encoding, doc.status_reason) == ("ok", "gb18030", "8192 NUL bytes removed")
    assert doc.text == report


def test_only_nul_bytes(tmp_path: Path):
    doc = read_one(tmp_path, "zeros.txt", b"\x00" * 4096)
    assert doc.status == "quarantined"
    assert doc.status_reason.startswith("empty file (only NUL bytes)")
    assert doc.text is None


def test_a_few_corrupt_bytes_are_replaced_and_noted(tmp_path: Path, report: str):
    data = report[:300].encode("utf-8") + b"\xff\xfe" + report[300:].encode("utf-8")
    doc = read_one(tmp_path, "bad.txt", data)
    assert doc.status == "ok" and doc.encoding == "utf-8"
    assert doc.status_reason.endswith("undecodable byte sequence(s) replaced by U+FFFD")
    assert doc.text.replace("\ufffd", "") == report


# --------------------------------------------------------------------------------------------------------
# Empty and binary files
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \r\n\t\n  ", "empty file (no visible text)"),
        (codecs.BOM_UTF8, "empty file (no visible text)"),
        (codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "empty file (no visible text)"),
    ],
    ids=["zero bytes", "whitespace", "utf-8 BOM only", "utf-16 whitespace"],
)
def test_empty_files(tmp_path: Path, data: bytes, reason: str):
    doc = read_one(tmp_path, "e.txt", data)
    assert (doc.status, doc.status_reason, doc.text) == ("quarantined", reason, None)
    assert doc.n_bytes == len(data)


def _zip(*names: str) -> bytes:
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w") as zf:
        for name in names:
            zf.writestr(name, "<xml/>")
    return bio.getvalue()


BINARIES = [
    ("PNG image", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
    ("JPEG image", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200)),
    ("GIF image", b"GIF89a\x01\x00\x01\x00" + bytes(30)),
    ("PDF document", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
    ("ZIP archive", _zip("a.txt")),
    ("DOCX document (ZIP)", _zip("[Content_Types].xml", "word/document.xml")),
    ("XLSX spreadsheet (ZIP)", _zip("[Content_Types].xml", "xl/workbook.xml")),
    ("gzip archive", gzip.compress("政府信息公开".encode() * 50)),
    ("MS Office 97-2003 document (doc/xls)", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)),
    ("ELF executable", b"\x7fELF\x02\x01\x01" + bytes(100)),
    ("SQLite database", b"SQLite format 3\x00" + bytes(100)),
]


@pytest.mark.parametrize(("kind", "data"), BINARIES, ids=[b[0] for b in BINARIES])
def test_binary_files_by_magic(tmp_path: Path, kind: str, data: bytes):
    doc = read_one(tmp_path, "fake.txt", data)
    assert (doc.status, doc.status_reason) == ("quarantined", f"binary file ({kind})")
    assert doc.text is None and doc.sha256 is not None and doc.n_bytes == len(data)


def test_random_bytes_are_binary(tmp_path: Path):
    rng = random.Random(20240601)
    doc = read_one(tmp_path, "rand.txt", bytes(rng.randrange(256) for _ in range(4000)))
    assert (doc.status, doc.status_reason) == ("quarantined", "binary file (unknown format)")


def test_high_bit_junk_is_not_decodable(tmp_path: Path):
    rng = random.Random(7)
    doc = read_one(tmp_path, "junk.txt", bytes(rng.randrange(128, 256) for _ in range(4000)))
    assert (doc.status, doc.status_reason) == ("quarantined", "not decodable as text")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_decoding_never_raises(data: bytes):
    decoded = decode_detailed(data)
    assert (decoded.text is None) != (decoded.problem is None)
    if decoded.text is not None:
        assert decoded.text.strip() and not decoded.text.startswith("\ufeff")
        assert decoded.text.encode("utf-8")  # storable: no lone surrogates


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=500))
def test_any_unicode_text_round_trips_through_utf8_and_utf16(text: str):
    if not text.strip() or "\x00" in text or text.startswith("\ufeff"):
        return
    for data in (text.encode("utf-8"), text.encode("utf-16")):
        decoded = decode_detailed(data)
        if decoded.text is not None and decoded.problem is None and not decoded.notes:
            assert decoded.text == text


# --------------------------------------------------------------------------------------------------------
# Size
# --------------------------------------------------------------------------------------------------------


def test_file_too_large_is_not_read(tmp_path: Path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(23_400_000)  # sparse: costs no disk
    doc = read_document(tmp_path, "huge.txt")
    assert (doc.status, doc.status_reason) == ("quarantined", "file too large: 23.4 MB > 20 MB limit")
    assert doc.n_bytes == 23_400_000 and doc.sha256 is None and doc.text is None


def test_size_limit_is_a_parameter(tmp_path: Path, short_report: str):
    doc = read_one(tmp_path, "r.txt", short_report.encode(), max_bytes=1000)
    assert doc.status_reason == f"file too large: {len(short_report.encode()) / 1e6:.1f} MB > 0.001 MB limit"


def test_a_12_mb_report_is_read(tmp_path: Path, report: str):
    big = report * (12_000_000 // len(report.encode("gb18030")) + 1)
    doc = read_one(tmp_path, "big.txt", big.encode("gb18030"))
    assert doc.n_bytes > 12_000_000
    assert (doc.status, doc.encoding) == ("ok", "gb18030") and doc.text == big


# --------------------------------------------------------------------------------------------------------
# HTML saved as .txt
# --------------------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>某某市2023年政府信息公开工作年度报告</title>
<style>td { color: red }</style><script>var report = "主动公开 999 条";</script></head>
<body><div class="nav">首页 &gt; 政府信息公开</div>
<h1>某某市2023年政府信息公开工作年度报告</h1>
<p>一、总体情况</p><p>本年度主动公开政府信息&nbsp;120&nbsp;条，R&amp;D 专栏 &#20013;&#x6587;。</p>
<!-- 注释不要 -->
<table><tr><th>信息内容</th><th>本年制发件数</th><th>本年废止件数</th></tr>
<tr><td>规章</td><td> 2 </td><td>0</td></tr>
<tr><td>行政规范性<br>文件</td><td>5</td><td></td></tr></table>
</body></html>"""


def test_html_is_converted_to_text(tmp_path: Path):
    doc = read_one(tmp_path, "page.txt", PAGE.encode("utf-8"))
    assert (doc.status, doc.encoding, doc.status_reason) == ("ok", "utf-8", "html converted to text")
    lines = doc.text.splitlines()
    assert lines[0] == "某某市2023年政府信息公开工作年度报告"  # <title>
    assert "首页 > 政府信息公开" in lines
    assert "本年度主动公开政府信息\xa0120\xa0条，R&D 专栏 中文。" in lines
    assert "信息内容\t本年制发件数\t本年废止件数" in lines
    assert "规章\t2\t0" in lines
    assert "行政规范性 文件\t5\t" in lines  # <br> inside a cell stays in the cell
    assert "999" not in doc.text and "color" not in doc.text and "注释" not in doc.text
    assert "<" not in doc.text


def test_gbk_html_is_converted_too(tmp_path: Path):
    doc = read_one(tmp_path, "page.txt", PAGE.replace("utf-8", "gbk").encode("gbk"))
    assert (doc.status, doc.encoding, doc.status_reason) == ("ok", "gb18030", "html converted to text")
    assert "规章\t2\t0" in doc.text


def test_html_fragment_without_html_tag(tmp_path: Path):
    frag = "".join(f"<p>第{i}段 主动公开政府信息{i}条。</p>" for i in range(12))
    assert looks_like_html(frag)
    assert html_to_text(frag).splitlines()[3] == "第3段 主动公开政府信息3条。"


def test_html_without_text_is_quarantined(tmp_path: Path):
    doc = read_one(tmp_path, "blank.html", b"<html><head><script>x()</script></head><body></body></html>")
    assert doc.status == "quarantined"
    assert doc.status_reason == "empty file (html without text); html converted to text"


@pytest.mark.parametrize(
    "text",
    [
        "依据《中华人民共和国政府信息公开条例》<!--[if !supportLists]-->（三）<!--[endif]-->本年度",
        "附件<中华人民共和国政府信息公开工作年度报告格式>的通知 1<2 且 3>2",
    ],
)
def test_plain_text_with_stray_markup_is_not_converted(text: str):
    assert not looks_like_html(text)


# --------------------------------------------------------------------------------------------------------
# File names
# --------------------------------------------------------------------------------------------------------

ODD_NAMES = [
    "with space.txt",
    "报告 2023 年度.txt",
    "emoji 🎉📄.txt",
    "new\nline.txt",
    "-leading-dash.txt",
    "--help",
    "tab\tin name.txt",
    "x" * 240 + ".txt",
    "sub dir/深 层/r.txt",
    "no_extension",
]


def test_odd_file_names_are_all_read(tmp_path: Path, short_report: str):
    for name in ODD_NAMES:
        write(tmp_path, name, short_report.encode())
    listed = list(list_input_files(tmp_path))
    assert listed == sorted(ODD_NAMES)
    docs = read_all(tmp_path)
    assert [d.source_file for d in docs] == sorted(ODD_NAMES)
    assert all(d.status == "ok" and d.text == short_report for d in docs)
    assert len({d.report_id for d in docs}) == len(docs)
    assert all(d.report_id == report_id_for(d.source_file) for d in docs)


def test_file_name_bytes_that_are_not_utf8(tmp_path: Path, short_report: str):
    raw_name = "报告".encode("gbk") + b".txt"  # a GBK name from a Windows zip
    with open(os.path.join(os.fsencode(tmp_path), raw_name), "wb") as f:
        f.write(short_report.encode())
    (name,) = list_input_files(tmp_path)
    doc = read_document(tmp_path, name)
    assert doc.source_file == "\\xb1\\xa8\\xb8\\xe6.txt" == display_name(name)
    assert doc.source_file.encode("utf-8")
    assert doc.status == "ok" and doc.text == short_report
    assert doc.status_reason == "file name is not valid UTF-8 (bad bytes shown as \\xNN escapes)"
    assert doc.report_id == report_id_for(doc.source_file)
    assert report_id_for(name)  # never raises on surrogates either


def test_hidden_files_and_dirs_are_skipped(tmp_path: Path, short_report: str):
    write(tmp_path, ".DS_Store", b"\x00\x00\x00\x01Bud1")
    write(tmp_path, ".git/objects/ab/cdef", b"x")
    write(tmp_path, "sub/.r.txt.swp", b"x")
    write(tmp_path, "sub/r.txt", short_report.encode())
    assert list(list_input_files(tmp_path)) == ["sub/r.txt"]


def test_missing_raw_dir_is_an_error_not_a_row(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        list(list_input_files(tmp_path / "nope"))


# --------------------------------------------------------------------------------------------------------
# Symlinks and special files
# --------------------------------------------------------------------------------------------------------


def test_symlinks_are_never_followed(tmp_path: Path, short_report: str):
    raw = tmp_path / "raw"
    outside = tmp_path / "outside"
    write(outside, "secret.txt", short_report.encode())
    write(raw, "a/real.txt", short_report.encode())
    write(raw, ".hidden/h.txt", short_report.encode())
    links = {
        "in_file": "a/real.txt",
        "in_chain": "in_file",
        "in_hidden": ".hidden/h.txt",
        "out_file": str(outside / "secret.txt"),
        "out_relative": "../outside/secret.txt",
        "out_dir": str(outside),
        "in_dir": "a",
        "self_dir": ".",
        "dangling": "missing.txt",
        "loop_a": "loop_b",
        "loop_b": "loop_a",
        "self_loop": "self_loop",
    }
    for name, target in links.items():
        os.symlink(target, raw / name)
    assert list(list_input_files(raw)) == sorted(["a/real.txt", *links])
    docs = {d.source_file: d for d in read_all(raw)}
    expected = {
        "a/real.txt": None,
        "in_file": "symlink (duplicate of a/real.txt): not followed, the target is read under its own name",
        "in_chain": "symlink (duplicate of a/real.txt): not followed, the target is read under its own name",
        "in_hidden": "symlink to a hidden file (.hidden/h.txt): not followed",
        "out_file": "symlink to outside the raw dir: not followed",
        "out_relative": "symlink to outside the raw dir: not followed",
        "out_dir": "symlink to outside the raw dir: not followed",
        "in_dir": "symlink to a directory inside the raw dir (a): not followed",
        "self_dir": "symlink to a directory inside the raw dir (.): not followed",
        "dangling": "dangling symlink (target missing): not followed",
        "loop_a": "symlink loop: not followed",
        "loop_b": "symlink loop: not followed",
        "self_loop": "symlink loop: not followed",
    }
    assert {k: d.status_reason for k, d in docs.items()} == expected
    for name in links:
        assert docs[name].status == "quarantined"
        assert docs[name].text is None and docs[name].sha256 is None
    assert docs["a/real.txt"].status == "ok"


def test_raw_dir_that_is_itself_a_symlink(tmp_path: Path, short_report: str):
    real = tmp_path / "real"
    write(real, "r.txt", short_report.encode())
    os.symlink("r.txt", real / "link.txt")
    (tmp_path / "alias").symlink_to(real)
    docs = read_all(tmp_path / "alias")
    assert [(d.source_file, d.status) for d in docs] == [("link.txt", "quarantined"), ("r.txt", "ok")]
    assert docs[0].status_reason.startswith("symlink (duplicate of r.txt)")


def test_named_pipe_is_not_opened(tmp_path: Path):
    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would block forever
    doc = read_document(tmp_path, "pipe.txt")
    assert (doc.status, doc.status_reason) == ("quarantined", "not a regular file (named pipe)")


def test_vanished_and_unreadable_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, short_report: str):
    doc = read_document(tmp_path, "gone.txt")
    assert (doc.status, doc.status_reason) == ("quarantined", "unreadable: No such file or directory")
    write(tmp_path, "locked.txt", short_report.encode())
    real_open = os.open

    def deny(path, flags, *args, **kw):  # root ignores chmod, so simulate EACCES
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(ingest.os, "open", deny)
    doc = read_document(tmp_path, "locked.txt")
    assert (doc.status, doc.status_reason) == ("quarantined", "unreadable: Permission denied")


def test_unlistable_subdirectory_gets_a_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def deny(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(ingest.os, "scandir", deny)
    assert list(list_input_files(tmp_path)) == ["locked"]
    doc = read_document(tmp_path, "locked")
    assert (doc.status, doc.status_reason) == (
        "quarantined",
        "directory could not be listed: Permission denied",
    )


# --------------------------------------------------------------------------------------------------------
# Duplicates, isolation, read-only
# --------------------------------------------------------------------------------------------------------


def test_the_same_report_twice_under_other_names_and_encodings(tmp_path: Path, report: str):
    write(tmp_path, "a.txt", report.encode())
    write(tmp_path, "copy of a.txt", report.encode())
    write(tmp_path, "b_gbk_crlf.txt", report.replace("\n", "\r\n").encode("gb18030"))
    write(tmp_path, "other.txt", SHORT.read_bytes())
    docs = {d.source_file: d for d in mark_duplicates(read_all(tmp_path))}
    assert docs["a.txt"].status == "ok" and docs["other.txt"].status == "ok"
    assert (docs["b_gbk_crlf.txt"].status, docs["b_gbk_crlf.txt"].status_reason) == (
        "duplicate",
        "duplicate of a.txt (same text)",
    )
    assert docs["copy of a.txt"].status_reason == "duplicate of a.txt (same text)"


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path, short_report: str):
    write(tmp_path, "1.txt", short_report.encode())
    write(tmp_path, "2.txt", b"\x89PNG\r\n\x1a\n" + bytes(10))
    write(tmp_path, "3.txt", b"")
    os.symlink("/etc/passwd", tmp_path / "4.txt")
    os.mkfifo(tmp_path / "5.txt")
    write(tmp_path, "6.txt", short_report.encode("utf-16"))
    docs = read_all(tmp_path)
    assert [d.status for d in docs] == [
        "ok",
        "quarantined",
        "quarantined",
        "quarantined",
        "quarantined",
        "ok",
    ]
    assert all(d.status == "ok" or d.status_reason for d in docs)


def _snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st_ = os.lstat(p)
            out[os.path.relpath(p, root)] = (st_.st_mode, st_.st_size, st_.st_mtime_ns)
    st_ = os.lstat(root)
    out["."] = (st_.st_mode, st_.st_size, st_.st_mtime_ns)
    return out


def test_raw_dir_is_only_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, report: str):
    raw = tmp_path / "raw"
    write(raw, "a.txt", report.encode("gb18030"))
    write(raw, "sub/b.txt", PAGE.encode())
    write(raw, "sub/c.txt", b"\x89PNG\r\n\x1a\n")
    write(raw, "e.txt", b"")
    os.symlink("a.txt", raw / "link.txt")
    os.mkfifo(raw / "pipe")
    for p in raw.rglob("*"):
        if p.is_file() and not p.is_symlink():
            p.chmod(0o444)
    raw.chmod(0o555)
    before = _snapshot(raw)
    opened: list[int] = []
    real_open = os.open

    def spy(path, flags, *args, **kw):
        opened.append(flags)
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(ingest.os, "open", spy)
    try:
        docs = read_all(raw)
        after = _snapshot(raw)
    finally:
        raw.chmod(0o755)
    assert len(docs) == 6
    assert after == before  # no file created, changed or touched
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    assert opened and all(f & write_flags == 0 and f & os.O_NOFOLLOW for f in opened)


def test_documents_carry_hash_and_size(tmp_path: Path, short_report: str):
    import hashlib

    data = short_report.encode("gb18030")
    doc = read_one(tmp_path, "r.txt", data)
    assert doc.sha256 == hashlib.sha256(data).hexdigest() and doc.n_bytes == len(data)
    assert doc.report_id == report_id_for("r.txt")
    assert stat.S_ISREG(os.lstat(tmp_path / "r.txt").st_mode)


@pytest.mark.parametrize(
    "rel", ["../outside/secret.txt", "sub/../../outside/secret.txt", "via_link/secret.txt"]
)
def test_paths_given_by_a_caller_cannot_leave_the_raw_dir(tmp_path: Path, short_report: str, rel: str):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "sub").mkdir()
    write(tmp_path, "outside/secret.txt", short_report.encode())
    os.symlink(tmp_path / "outside", raw / "via_link")
    doc = read_document(raw, rel)
    assert (doc.status, doc.status_reason, doc.text) == (
        "quarantined",
        "path leads outside the raw dir: not read",
        None,
    )
    doc = read_document(raw, str(tmp_path / "outside" / "secret.txt"))
    assert doc.status_reason == "path leads outside the raw dir: not read"
