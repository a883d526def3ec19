"""Read one seed page: raw bytes -> decoded, normalised text, or a reject problem.

Decoding is a strict cascade, deterministic and explainable: UTF-8 (with or without
a BOM), then GB18030 (a superset of GBK and GB2312). A file that is neither, or that
holds NUL bytes or many control characters, is rejected with a stable code.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from schema import Problem

ENCODINGS = ("utf-8-sig", "gb18030")
CONTROL_SHARE = 0.01
"""A decoded page with more than this share of control characters is not text."""


@dataclass(frozen=True)
class Page:
    """A decoded seed page."""

    source_file: str
    sha256: str
    text: str
    encoding: str
    n_bytes: int


def relative_name(path: Path, root: Path | None) -> str:
    """POSIX path of ``path`` relative to ``root`` (or as given, when outside it)."""
    if root is not None:
        try:
            return PurePosixPath(path.resolve().relative_to(root.resolve())).as_posix()
        except ValueError:
            pass
    return PurePosixPath(path).as_posix()


def normalise(text: str) -> str:
    """CRLF/CR to LF; NBSP and ideographic spaces kept as spaces; no other change.

    Character offsets in ``Article.spans`` refer to this normalised text.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_control(ch: str) -> bool:
    return ch not in "\n\t\r\f\v" and unicodedata.category(ch) == "Cc"


def decode(raw: bytes, source_file: str) -> tuple[str, str] | Problem:
    """Decode page bytes into ``(text, encoding)`` or a reject problem."""

    def reject(code: str, message: str) -> Problem:
        return Problem(code=code, source_file=source_file, line=None, message=message)

    if not raw:
        return reject("empty-page", "the file is empty (0 bytes); remove it or re-export the page")
    if b"\x00" in raw:
        return reject("binary-file", "the file holds NUL bytes: it is binary, not a text dump of a page")
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if _is_control(ch))
        if controls > CONTROL_SHARE * len(text):
            return reject("binary-file", f"{controls} control characters in {len(text)}: not a text dump")
        if not text.strip():
            return reject("blank-page", "the file holds only whitespace")
        return normalise(text), encoding
    return reject(
        "undecodable-bytes",
        "the bytes are neither UTF-8 nor GB18030; convert the file to UTF-8 (e.g. iconv -f BIG5 -t UTF-8)",
    )


def read_page(path: Path, root: Path | None = None) -> Page | Problem:
    """Read and decode one seed file; never raises for bad content."""
    source_file = relative_name(path, root)
    try:
        raw = path.read_bytes()
    except OSError as err:
        return Problem(code="unreadable-file", source_file=source_file, line=None, message=str(err))
    return read_bytes_page(raw, source_file)


def read_bytes_page(raw: bytes, source_file: str) -> Page | Problem:
    """Like :func:`read_page`, for bytes already in memory."""
    decoded = decode(raw, source_file)
    if isinstance(decoded, Problem):
        return decoded
    text, encoding = decoded
    return Page(source_file, hashlib.sha256(raw).hexdigest(), text, encoding, len(raw))
