"""Reading the raw dir: list input files, read bytes, detect the encoding, decode, and give each a status.

Nothing here raises on bad input: every entry under the raw dir that is not a directory (regular files,
symlinks, pipes …) becomes one `Document`, with status ``quarantined`` and a readable reason when it cannot
be used. The raw dir is only ever read: files are opened ``O_RDONLY | O_NOFOLLOW | O_NONBLOCK``, symlinks are
never followed, and nothing is created there. Decisions (encodings, NUL bytes, HTML, links, size limit) are
written up in ``docs/ingest.md``.

Decoding order (cheap strict decodes first, charset-normalizer only when they all fail):
byte-order mark → UTF-32/UTF-16 by the position of NUL bytes → strict UTF-8 → strict GB18030 (with a
cross-check against Big5 mojibake) → the same two with an incomplete last character dropped (truncated
download) → UTF-8/GB18030 with a handful of bad bytes replaced → charset-normalizer.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from pipeline.records import Document
from pipeline.text import strip_ws

MAX_BYTES = 20_000_000  # larger files are quarantined unread ("file too large")
_MB = 1_000_000

# ----------------------------------------------------------------------------------------------------------
# Ids and names
# ----------------------------------------------------------------------------------------------------------


def report_id_for(source_file: str) -> str:
    """Stable report id: first 16 hex digits of sha256 of the relative path (never raises)."""
    return hashlib.sha256(source_file.encode("utf-8", errors="surrogateescape")).hexdigest()[:16]


def display_name(source_file: str) -> str:
    """The relative path as valid UTF-8: bytes of a file name that are not UTF-8 are shown escaped.

    Linux file names are bytes; Python hands undecodable bytes over as lone surrogates, which Parquet,
    DuckDB and JSON cannot store; they become backslash-x-hex escapes. Valid names are returned unchanged.
    """
    try:
        source_file.encode("utf-8")
        return source_file
    except UnicodeEncodeError:
        return os.fsencode(source_file).decode("utf-8", errors="backslashreplace")


def _is_hidden(rel_path: str) -> bool:
    return any(part.startswith(".") for part in rel_path.split("/"))


def _scan(raw_dir: str, rel: str, out: list[str]) -> None:
    """Collect every non-directory entry under ``raw_dir/rel`` (symlinks are listed, never entered)."""
    if not rel:
        entries = list(os.scandir(raw_dir))  # a missing or unreadable raw dir is an error, not a row
    else:
        try:
            entries = list(os.scandir(os.path.join(raw_dir, rel)))
        except OSError:
            out.append(rel)  # an unlistable sub-directory still gets a row (read_document says why)
            return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = f"{rel}/{entry.name}" if rel else entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            _scan(raw_dir, child, out)
        else:
            out.append(child)


def list_input_files(raw_dir: Path) -> Iterator[str]:
    """Relative POSIX paths of every non-directory entry under ``raw_dir``, sorted.

    Regular files, symlinks (to anything, dangling or looping) and special files are all listed, so that
    each gets a row; symlinked directories are listed as entries and not entered. Hidden names (a path
    component starting with ``.``: ``.git``, ``.DS_Store``, editor swap files) are skipped. A path may hold
    bytes that are not UTF-8 (as lone surrogates); pass it unchanged to `read_document`. A raw dir that is
    missing or cannot be listed raises ``OSError`` (a configuration error, not a bad input file).
    """
    out: list[str] = []
    _scan(os.fspath(raw_dir), "", out)
    yield from sorted(out)


# ----------------------------------------------------------------------------------------------------------
# Binary sniffing
# ----------------------------------------------------------------------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"BM", "BMP image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"(\xb5/\xfd", "zstd archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office 97-2003 document (doc/xls)"),
    (b"{\\rtf", "RTF document"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"\x00asm", "WebAssembly module"),
)
_ZIP_KINDS = ((b"word/", "DOCX document"), (b"xl/", "XLSX spreadsheet"), (b"ppt/", "PPTX presentation"))


def _zip_kind(data: bytes) -> str:
    head = data[:65536]
    for marker, kind in _ZIP_KINDS:
        if marker in head:
            return f"{kind} (ZIP)"
    return "ZIP archive"


def sniff_binary(data: bytes) -> str | None:
    """Name of a known binary format from the file's magic bytes, or None."""
    if data[4:8] == b"ftyp":
        return "MP4/MOV media"
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[data[8:12]]
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if kind == "BMP image" and data[6:10] != b"\x00\x00\x00\x00":
                continue  # "BM" alone is too weak (a text could start with it)
            if kind == "Windows executable" and b"This program" not in data[:512]:
                continue
            return _zip_kind(data) if kind == "ZIP archive" else kind
    return None


# C0 control bytes other than TAB LF VT FF CR (and ESC, used by ANSI colours), plus DEL.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]+")


def _control_byte_share(data: bytes) -> float:
    sample = data[:65536]
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample)


def _control_char_share(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    return (len(sample) - len(_CONTROL_CHARS.sub("", sample))) / len(sample)


# ----------------------------------------------------------------------------------------------------------
# Decoding
# ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decoded:
    """Result of decoding one file's bytes: text and codec, or the reason there is no text."""

    text: str | None
    encoding: str | None
    notes: tuple[str, ...] = ()
    problem: str | None = None


_TRUNCATED = "incomplete last character dropped (truncated file?)"
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"\x84\x31\x95\x33", "gb18030"),
)
_BINARY_SHARE = 0.02  # more control bytes than this (2 %) → binary
_LENIENT_SHARE = 0.001  # at most this share of bad bytes (and at least 4) is replaced with U+FFFD
_BIG5_MOJIBAKE = 0.3  # share of non-ASCII characters outside GB2312 above which GB18030 is doubted


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


_END_OF_DATA = frozenset(("unexpected end of data", "incomplete multibyte sequence", "truncated data"))


def _strict_truncated(data: bytes, codec: str) -> str | None:
    """Decode after dropping an incomplete multi-byte character at the very end (cut download)."""
    try:
        data.decode(codec)
    except UnicodeDecodeError as exc:
        if exc.end == len(data) and 0 < exc.start >= len(data) - 3 and exc.reason in _END_OF_DATA:
            return _strict(data[: exc.start], codec)
    return None


def _decode_or_truncated(data: bytes, codec: str) -> tuple[str, tuple[str, ...]] | None:
    text = _strict(data, codec)
    if text is not None:
        return text, ()
    text = _strict_truncated(data, codec)
    return (text, (_TRUNCATED,)) if text is not None else None


def _wide_codecs(data: bytes) -> tuple[str, ...]:
    """UTF-32/UTF-16 codecs worth trying on BOM-less bytes with NULs, most likely first.

    ASCII characters (digits, newlines) put NUL bytes at fixed positions: 3 of 4 bytes in UTF-32, the high
    byte in UTF-16. The caller still checks that the decoded text is plausible.
    """
    n = len(data)
    if n >= 8 and n % 4 == 0:
        q = [data[i::4].count(0) for i in range(4)]
        if q[2] + q[3] >= 1.8 * (n // 4) and q[0] < q[3]:
            return ("utf-32-le",)
        if q[0] + q[1] >= 1.8 * (n // 4) and q[3] < q[0]:
            return ("utf-32-be",)
    even, odd = data[0::2].count(0), data[1::2].count(0)
    return ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")


# Characters a Chinese text is made of; mojibake (UTF-8 read as UTF-16 …) falls mostly outside them.
_COMMON = re.compile(
    "[\t\n\r\f\x20-\x7e\xa0-\xff\u2000-\u206f\u2100-\u27bf\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]+"
)
_PLAUSIBLE = 0.8


def _plausible(text: str) -> bool:
    sample = text[:20000]
    return bool(sample) and len(_COMMON.sub("", sample)) <= (1 - _PLAUSIBLE) * len(sample)


def _non_gb2312_share(text: str) -> float:
    """Share of the non-ASCII characters (in a 1,000-character sample) that GB2312 cannot encode."""
    sample = text[:1000]
    n_wide = len(sample) - len(sample.encode("ascii", errors="ignore"))
    if not n_wide:
        return 0.0
    n_kept = len(sample.encode("gb2312", errors="ignore").decode("gb2312"))
    return (len(sample) - n_kept) / n_wide


def _gb_or_big5(data: bytes, text: str) -> tuple[str, str]:
    """Cross-check a GB18030 decode: Big5 bytes also decode as GB18030, into rare characters."""
    if _non_gb2312_share(text) <= _BIG5_MOJIBAKE:
        return text, "gb18030"
    alt = _strict(data, "big5")
    if alt is not None and _non_gb2312_share(alt) < _non_gb2312_share(text):
        return alt, "big5"
    return text, "gb18030"


_FFFD = {"utf-8": "\ufffd".encode("utf-8"), "gb18030": "\ufffd".encode("gb18030")}


def _lenient(data: bytes) -> tuple[str, str, int] | None:
    """UTF-8 or GB18030 with a few bad bytes replaced (corrupted download); None when too many."""
    candidates = []
    for codec, fffd in _FFFD.items():
        text = data.decode(codec, errors="replace")
        candidates.append((text.count("\ufffd") - data.count(fffd), codec, text))
    bad, codec, text = min(candidates)
    limit = max(4, int(len(data) * _LENIENT_SHARE))
    return (text, codec, bad) if bad <= limit and _plausible(text) else None


def _charset_normalizer(data: bytes) -> tuple[str, str] | None:
    """Last resort: charset-normalizer's best guess, when it is not chaotic."""
    from charset_normalizer import from_bytes  # imported lazily: only the rare hard files need it

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        return None
    return str(best), best.encoding


def _decode_text(data: bytes) -> Decoded:
    """Decode bytes already known to be neither empty nor a known binary format."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            found = _decode_or_truncated(data, codec)
            if found is not None:
                return Decoded(found[0], codec, found[1])
    notes: tuple[str, ...] = ()
    if b"\x00" in data:
        for wide in _wide_codecs(data):
            found = _decode_or_truncated(data, wide)
            if found is not None and _plausible(found[0]):
                return Decoded(found[0], wide, found[1])
        n_nul = data.count(0)
        data = data.replace(b"\x00", b"")
        notes = (f"{n_nul} NUL byte{'s' if n_nul != 1 else ''} removed",)
        if not data.strip():
            return Decoded(None, None, notes, "empty file (only NUL bytes)")
    if _control_byte_share(data) > _BINARY_SHARE:
        return Decoded(None, None, (), "binary file (unknown format)")
    text = _strict(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8", notes)
    text = _strict_truncated(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8", (*notes, _TRUNCATED))
    text = _strict(data, "gb18030")
    if text is not None:
        text, codec = _gb_or_big5(data, text)
        return Decoded(text, codec, notes)
    text = _strict_truncated(data, "gb18030")
    if text is not None:
        return Decoded(text, "gb18030", (*notes, _TRUNCATED))
    lenient = _lenient(data)
    if lenient is not None:
        text, codec, bad = lenient
        return Decoded(text, codec, (*notes, f"{bad} undecodable byte sequence(s) replaced by U+FFFD"))
    found_cn = _charset_normalizer(data)
    if found_cn is not None and _control_char_share(found_cn[0]) <= _BINARY_SHARE:
        return Decoded(found_cn[0], found_cn[1], (*notes, "encoding detected by charset-normalizer"))
    return Decoded(None, None, notes, "not decodable as text")


def decode_detailed(data: bytes) -> Decoded:
    """Decode a file's bytes: text (leading BOM dropped), codec name, notes, or the reason it is no text.

    Without NUL removal, truncation or replacement (see ``notes``), ``data.decode(encoding)`` gives back
    ``text`` exactly (a leading U+FEFF aside). CR/CRLF line ends are kept as they are.
    """
    if not data:
        return Decoded(None, None, (), "empty file")
    kind = sniff_binary(data)
    if kind is not None:
        return Decoded(None, None, (), f"binary file ({kind})")
    decoded = _decode_text(data)
    if decoded.text is None:
        return decoded
    text = decoded.text[1:] if decoded.text.startswith("\ufeff") else decoded.text
    if not text.strip():
        return Decoded(None, decoded.encoding, decoded.notes, "empty file (no visible text)")
    return replace(decoded, text=text)


def decode_bytes(data: bytes) -> tuple[str | None, str | None]:
    """Decode bytes; returns (text, encoding), or (None, None) when the bytes are not text."""
    decoded = decode_detailed(data)
    return (decoded.text, decoded.encoding) if decoded.text is not None else (None, None)


# ----------------------------------------------------------------------------------------------------------
# HTML saved as .txt
# ----------------------------------------------------------------------------------------------------------

_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|table|p|span)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_ROOT = re.compile(r"<(?:html|body)\b[^>]*>", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"</?(?:div|p|span|table|tbody|thead|tr|td|th|br|a|li|ul|ol|h[1-6]|font|strong|b|em|img|meta|link|script|style)\b[^<>]*>",
    re.IGNORECASE,
)
_MIN_TAGS = 10


def looks_like_html(text: str) -> bool:
    """True when the text is an HTML page (or an HTML fragment), not text with a stray ``<`` or comment."""
    if "<" not in text:
        return False
    head = text[:4096]
    if _HTML_START.match(head) or _HTML_ROOT.search(head):
        return True
    return len(_HTML_TAG.findall(text, 0, 200_000)) >= _MIN_TAGS


_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption center dd div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr html legend li main nav ol p pre section table tbody tfoot thead title "
    "ul".split()
)
_DROP_TAGS = frozenset(("script", "style", "noscript", "template", "svg", "object"))
_WS = re.compile(r"[ \t\n\r\f\v]+")


class _TextExtractor(HTMLParser):
    """Collect visible text: blocks on their own lines, table rows as TAB-separated cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.drop_depth = 0
        self.pre_depth = 0
        self.cell_depth = 0
        self.cells_in_row = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: D102
        if tag in _DROP_TAGS:
            self.drop_depth += 1
            return
        if tag == "tr":
            self.parts.append("\n")
            self.cells_in_row = 0
        elif tag in ("td", "th"):
            if self.cells_in_row:
                self.parts.append("\t")
            self.cells_in_row += 1
            self.cell_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" " if self.cell_depth else "\n")
        if tag == "pre":
            self.pre_depth += 1

    def handle_endtag(self, tag: str) -> None:  # noqa: D102
        if tag in _DROP_TAGS:
            self.drop_depth = max(0, self.drop_depth - 1)
        elif tag == "tr":
            self.parts.append("\n")
            self.cells_in_row = 0
        elif tag in ("td", "th"):
            self.cell_depth = max(0, self.cell_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" " if self.cell_depth else "\n")
        if tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: D102
        if tag in _BLOCK_TAGS:
            self.parts.append(" " if self.cell_depth else "\n")

    def handle_data(self, data: str) -> None:  # noqa: D102
        if self.drop_depth:
            return
        self.parts.append(data if self.pre_depth else _WS.sub(" ", data))


def _tidy_lines(raw: str) -> str:
    """Strip ASCII spaces around lines and cells; drop lines left empty."""
    lines: list[str] = []
    for line in raw.split("\n"):
        line = "\t".join(cell.strip(" ") for cell in line.split("\t")) if "\t" in line else line.strip(" ")
        if line.strip("\t"):
            lines.append(line)
    return "\n".join(lines) + "\n" if lines else ""


def html_to_text(html: str) -> str:
    """Plain text of an HTML page, with the stdlib ``html.parser``.

    Block tags → new lines, ``<tr>`` → one line of TAB-separated cells, scripts/styles/comments dropped,
    entities unescaped, runs of whitespace inside text collapsed to one space.
    """
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; belt and braces for pathological input
        return _tidy_lines(unescape(re.sub(r"<[^>]*>", "\n", html)))
    return _tidy_lines("".join(parser.parts))


# ----------------------------------------------------------------------------------------------------------
# Reading one entry
# ----------------------------------------------------------------------------------------------------------

_KIND_NAMES = (
    (stat.S_ISFIFO, "named pipe"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISDIR, "directory"),
)


def _kind_name(mode: int) -> str:
    for test, name in _KIND_NAMES:
        if test(mode):
            return name
    return "special file"


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _symlink_reason(raw_dir: str, path: str) -> str:
    """Why a symlink is not read (symlinks are never followed)."""
    try:
        target_st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop: not followed"
        if exc.errno == errno.ENOENT:
            return "dangling symlink (target missing): not followed"
        return f"symlink with unreadable target ({exc.strerror}): not followed"
    root = os.path.realpath(raw_dir)
    target = os.path.realpath(path)
    if not _inside(target, root):
        return "symlink to outside the raw dir: not followed"
    rel = Path(os.path.relpath(target, root)).as_posix()
    if stat.S_ISDIR(target_st.st_mode):
        return f"symlink to a directory inside the raw dir ({display_name(rel)}): not followed"
    if not stat.S_ISREG(target_st.st_mode):
        return f"symlink to a {_kind_name(target_st.st_mode)}: not followed"
    if _is_hidden(rel):
        return f"symlink to a hidden file ({display_name(rel)}): not followed"
    return f"symlink (duplicate of {display_name(rel)}): not followed, the target is read under its own name"


def _escapes(raw_dir: str, source_file: str) -> bool:
    """True when a path given by a caller would leave the raw dir.

    That is: absolute, with a ``..`` component, or through a symlinked directory on the way (``O_NOFOLLOW``
    only guards the last component). `list_input_files` never yields such paths.
    """
    if os.path.isabs(source_file) or ".." in source_file.split("/"):
        return True
    parent = os.path.dirname(source_file)
    if not parent:
        return False
    return not _inside(_real_dir(os.path.join(raw_dir, parent)), _real_dir(raw_dir))


@lru_cache(maxsize=4096)
def _real_dir(path: str) -> str:
    """``realpath`` of a directory, cached: a batch reads many files from few directories."""
    return os.path.realpath(path)


def _special_reason(path: str, mode: int) -> str:
    if stat.S_ISDIR(mode):
        try:
            os.scandir(path).close()
        except OSError as exc:
            return f"directory could not be listed: {exc.strerror or exc}"
        return "not a regular file (directory)"
    return f"not a regular file ({_kind_name(mode)})"


def _too_large(n_bytes: int, max_bytes: int) -> str:
    return f"file too large: {n_bytes / _MB:.1f} MB > {max_bytes / _MB:g} MB limit"


def _read_regular(path: str, max_bytes: int) -> tuple[bytes | None, int | None, str | None]:
    """Read a regular file read-only without following links: (data, size, reason when not read)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, None, "symlink (replaced while reading): not followed"
        return None, None, f"unreadable: {exc.strerror or exc}"
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, None, _special_reason(path, st.st_mode)
        if st.st_size > max_bytes:
            return None, st.st_size, _too_large(st.st_size, max_bytes)
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 22, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        return None, None, f"unreadable: {exc.strerror or exc}"
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        return None, len(data), _too_large(len(data), max_bytes)
    return data, len(data), None


def _join_notes(*notes: str | None) -> str | None:
    kept = [n for n in notes if n]
    return "; ".join(kept) if kept else None


def read_document(raw_dir: Path, source_file: str, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read and decode one entry of the raw dir into a Document (never raises for bad content).

    ``source_file`` is a path from `list_input_files`. The Document's ``source_file`` is its UTF-8-safe
    `display_name` and ``report_id`` is `report_id_for` of that name. Status is ``ok`` (reason: notes such
    as "html converted to text", or None) or ``quarantined`` with a readable reason.
    """
    name = display_name(source_file)
    name_note = (
        "file name is not valid UTF-8 (bad bytes shown as \\xNN escapes)" if name != source_file else None
    )
    rid = report_id_for(name)

    def quarantined(
        reason: str, sha: str | None = None, n: int | None = None, enc: str | None = None
    ) -> Document:
        return Document(rid, name, sha, n, enc, None, "quarantined", _join_notes(reason, name_note))

    if _escapes(os.fspath(raw_dir), source_file):
        return quarantined("path leads outside the raw dir: not read")
    path = os.path.join(os.fspath(raw_dir), source_file)
    try:
        st = os.lstat(path)
    except OSError as exc:
        return quarantined(f"unreadable: {exc.strerror or exc}")
    if stat.S_ISLNK(st.st_mode):
        return quarantined(_symlink_reason(os.fspath(raw_dir), path))
    if not stat.S_ISREG(st.st_mode):
        return quarantined(_special_reason(path, st.st_mode))
    data, n_bytes, problem = _read_regular(path, max_bytes)
    if data is None:
        return quarantined(problem or "unreadable", n=n_bytes)
    sha = hashlib.sha256(data).hexdigest()
    decoded = decode_detailed(data)
    if decoded.text is None:
        reason = _join_notes(decoded.problem or "not decodable as text", *decoded.notes)
        return quarantined(reason or "not decodable as text", sha, len(data), decoded.encoding)
    text, notes = decoded.text, decoded.notes
    if looks_like_html(text):
        text = html_to_text(text)
        notes = (*notes, "html converted to text")
        if not text.strip():
            return quarantined(_join_notes("empty file (html without text)", *notes) or "", sha, len(data))
    return Document(rid, name, sha, len(data), decoded.encoding, text, "ok", _join_notes(*notes, name_note))


def read_all(raw_dir: Path, *, max_bytes: int = MAX_BYTES) -> list[Document]:
    """Every entry of the raw dir as a Document, sorted by path (see `list_input_files`)."""
    return [read_document(raw_dir, rel, max_bytes=max_bytes) for rel in list_input_files(raw_dir)]


# ----------------------------------------------------------------------------------------------------------
# Exact duplicates
# ----------------------------------------------------------------------------------------------------------


def text_fingerprint(text: str) -> str:
    """sha256 of the text with all whitespace removed.

    Equal for the same report saved in another encoding or with other line ends.
    """
    return hashlib.sha256(strip_ws(text).encode("utf-8", errors="surrogatepass")).hexdigest()


def mark_duplicates(docs: Iterable[Document]) -> list[Document]:
    """Mark ok documents whose text equals an earlier one's (sorted by source_file) as ``duplicate``.

    The reason names the file kept: "duplicate of <source_file> (same text)". Agency-year duplicates
    with different text are decided later, from the metadata.
    """
    out: list[Document] = []
    seen: dict[str, str] = {}
    for doc in sorted(docs, key=lambda d: d.source_file):
        if doc.status != "ok" or doc.text is None:
            out.append(doc)
            continue
        key = text_fingerprint(doc.text)
        first = seen.setdefault(key, doc.source_file)
        if first == doc.source_file:
            out.append(doc)
        else:
            out.append(replace(doc, status="duplicate", status_reason=f"duplicate of {first} (same text)"))
    return out
