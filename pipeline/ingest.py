"""Reading the raw dir: list input files, read bytes, detect the encoding, decode, and give each a status.

Nothing here raises on bad input: every regular file under the raw dir becomes a `Document`, with
status ``quarantined`` and a readable reason when it cannot be used. Deepened in issue #6.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from pipeline.records import Document


def report_id_for(source_file: str) -> str:
    """Stable report id: first 16 hex digits of sha256 of the relative path."""
    return hashlib.sha256(source_file.encode("utf-8")).hexdigest()[:16]


def list_input_files(raw_dir: Path) -> Iterator[str]:
    """Relative POSIX paths of regular files under ``raw_dir``, sorted; hidden files are skipped."""
    raw_dir = Path(raw_dir)
    out: list[str] = []
    for root, dirs, files in os.walk(raw_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith("."):
                continue
            p = Path(root) / name
            out.append(p.relative_to(raw_dir).as_posix())
    yield from sorted(out)


def decode_bytes(data: bytes) -> tuple[str | None, str | None]:
    """Decode bytes; returns (text, encoding) or (None, None)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return None, None


def read_document(raw_dir: Path, source_file: str) -> Document:
    """Read and decode one input file into a Document (never raises for bad content)."""
    path = Path(raw_dir) / source_file
    rid = report_id_for(source_file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Document(
            rid, source_file, None, None, None, None, "quarantined", f"unreadable: {exc.strerror or exc}"
        )
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        return Document(rid, source_file, sha, len(data), None, None, "quarantined", "empty file")
    text, enc = decode_bytes(data)
    if text is None:
        return Document(rid, source_file, sha, len(data), None, None, "quarantined", "not decodable as text")
    return Document(rid, source_file, sha, len(data), enc, text)
