"""Read one seed page: raw bytes -> decoded, normalised text, or a reject problem.

Decoding is a strict cascade, deterministic and explainable: UTF-16/UTF-32 when the
file starts with their BOM, else UTF-8 (with or without a BOM), then GB18030 (a
superset of GBK and GB2312) or Big5, told apart by the characters they give
(:mod:`builders.read.legacy`). A file that is neither, or that holds NUL bytes or many
control characters, is rejected with a stable code. Invisible format characters
(bidi controls such as U+202E, zero-width spaces: Unicode category Cf) are removed
and counted. Only regular files are opened, without blocking (a FIFO never hangs a
build), and a page over :data:`MAX_PAGE_BYTES` is rejected before it is read.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np
import numpy.typing as npt

from builders.memo import temp_memo
from builders.read.legacy import decode_legacy
from schema import Problem

UTF8 = "utf-8-sig"
BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"))
"""Byte-order marks that name their encoding (UTF-32 first: its LE mark starts with UTF-16's)."""
MAX_PAGE_BYTES = 16 * 2**20
"""A seed file larger than this (16 MiB, some 300 times a real page) is rejected unread (``page-too-large``):
an 18 MB one-line page takes about a minute and 0.9 GB, so a page under the limit stays within 1 GB."""
MAX_PAGE_LINES = 20_000
"""A page of more lines than this (a real page has a few hundred) is rejected too (``page-too-large``):
the parser keeps some 5 KB per line, so 320,000 short lines took 1.7 GB; 20,000 stay near 100 MB."""
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
    format_controls: int = 0
    """Invisible format characters (Unicode Cf: bidi controls, zero-width spaces) removed from the text."""


class NotRegularFile(OSError):
    """The path is a FIFO, a device, a socket or a folder: never read as a page."""


class TooLarge(OSError):
    """The file is over :data:`MAX_PAGE_BYTES`."""


def escape_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (surrogate escapes) become ``\\xNN``; lossless and stable."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def unescape_name(name: str) -> str:
    """The inverse of :func:`escape_name`: the name to open (``\\xNN`` back to the byte it stood for)."""
    return re.sub(r"\\x([89a-f][0-9a-f])", lambda m: chr(0xDC00 + int(m.group(1), 16)), name)


def page_text(raw: bytes) -> str:
    """The text the parser saw for these page bytes (decoded, normalised, format characters removed);
    empty for bytes that are rejected."""
    page = read_bytes_page(raw, "page")
    return page.text if isinstance(page, Page) else ""


def read_regular(path: Path, limit: int | None = MAX_PAGE_BYTES) -> bytes:
    """The bytes of a regular file, opened without blocking and checked before reading.

    Raises:
        NotRegularFile: a FIFO, device, socket or folder (never read, so never a hang).
        TooLarge: more than ``limit`` bytes.
        OSError: any other failure (permissions, a broken link).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"not a regular file ({_kind(info.st_mode)}): not read")
        if limit is not None and info.st_size > limit:
            raise TooLarge(f"{info.st_size} bytes, over the limit of {limit} bytes for one page: not read; "
                           "split the dump into pages")
        return fh.read()


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))
    return next((name for test, name in kinds if test(mode)), "a special file")


def relative_name(path: Path, root: Path | None) -> str:
    """POSIX path of ``path`` relative to ``root`` (or as given, when outside it), :func:`escape_name`-d.

    The path itself is not resolved: a link is named by its own name, not its target's.
    """
    if root is not None:
        for inner, outer in ((path, root), (path.absolute(), root.absolute())):
            try:
                return escape_name(PurePosixPath(inner.relative_to(outer)).as_posix())
            except ValueError:
                pass
    return escape_name(PurePosixPath(path).as_posix())


def normalise(text: str) -> str:
    """CRLF, CR, NEL (U+0085) and LINE SEPARATOR (U+2028) to LF, PARAGRAPH SEPARATOR (U+2029) to a blank
    line; NBSP and ideographic spaces kept as spaces; no other change.

    Character offsets in ``Article.spans`` refer to this normalised text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x85" in text or "\u2028" in text or "\u2029" in text:  # rare; str.translate costs ~0.3 ms a page
        return text.translate(LINE_BREAKS)
    return text


LINE_BREAKS = str.maketrans({"\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"})


CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
"""Control characters (Unicode Cc, a set Unicode never changes: U+0000-001F, U+007F-009F) other than
the whitespace ones (``\\t \\n \\v \\f \\r``) and NEL (a line break, :func:`normalise`)."""
MIN_CONTROLS = 3
"""A page with this many control characters or fewer is text whatever its length (a stray ESC in a short
notice); they are removed with the format characters (:func:`remove_format_controls`)."""


def _ranges(codes: list[int]) -> list[tuple[int, int]]:
    """Sorted code points as ``(first, last)`` runs."""
    runs: list[tuple[int, int]] = []
    for code in codes:
        if runs and runs[-1][1] == code - 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    return runs


def _scan_format_characters() -> list[tuple[int, int]]:
    """Every code point of Unicode category Cf (format), as runs: a scan of all of Unicode."""
    return _ranges([c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"])


def _valid_ranges(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(run, tuple) and len(run) == 2 and all(isinstance(c, int) and 0 <= c < 0x110000 for c in run)
        for run in value
    )


@functools.cache
def _format_characters() -> re.Pattern[str]:
    """Every code point of Unicode category Cf (format), as one character class.

    The scan of all of Unicode takes a fraction of a second: its result is memoised per
    Unicode version (:func:`builders.memo.temp_memo`).
    """
    key = f"Cf|{unicodedata.unidata_version}".encode()
    runs = temp_memo("format-characters", key, _scan_format_characters, _valid_ranges)
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in runs) + "]")


CONTROL, FORMAT = 1, 2
"""The kinds of :func:`_character_kinds`: a stray control (:data:`CONTROLS`), a format character (Cf)."""


@functools.cache
def _character_kinds() -> npt.NDArray[np.uint8]:
    """Code point -> :data:`CONTROL`, :data:`FORMAT` or 0: the classes of :data:`CONTROLS` and
    :func:`_format_characters` as one table (a page is looked up at once; tests hold it to both)."""
    key = f"Cf|{unicodedata.unidata_version}".encode()
    table = np.zeros(0x110000, dtype=np.uint8)
    for first, last in temp_memo("format-characters", key, _scan_format_characters, _valid_ranges):
        table[first : last + 1] = FORMAT
    table[[c for c in range(0xA0) if CONTROLS.match(chr(c))]] = CONTROL  # every control is below U+00A0
    return table


def count_kinds(text: str) -> tuple[int, int]:
    """How many stray controls (:data:`CONTROLS`) and format characters (Cf) ``text`` holds: one
    table look-up of all its code points (the classes' regexes scan a page many times slower)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    kinds = _character_kinds()[codes]
    if not np.count_nonzero(kinds):
        return 0, 0  # (most pages)
    counts = np.bincount(kinds, minlength=3)
    return int(counts[CONTROL]), int(counts[FORMAT])


def remove_format_controls(text: str) -> tuple[str, int]:
    """``text`` without invisible format characters (Unicode Cf) and stray control characters
    (:data:`CONTROLS`: a page with more is not text), and how many there were. Counted first
    (:func:`count_kinds`): a class is searched for only in a text that holds some (few pages do)."""
    controls, formats = count_kinds(text)
    if controls:
        text = CONTROLS.sub("", text)
    if formats:
        text = _format_characters().sub("", text)
    return text, controls + formats


def _bom_encoding(raw: bytes) -> str | None:
    return next((encoding for bom, encoding in BOMS if raw.startswith(bom)), None)


TEXT_LIKE = re.compile(r"[\x00-\x7f\u2000-\u206f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
"""ASCII, general punctuation, CJK symbols, ideographs, full-width forms: most of a page's characters."""


def _plausible(text: str, share: float = 0.5) -> bool:
    """True when at least ``share`` of the characters are those of a page (a UTF-16 BOM on random bytes
    decodes to noise)."""
    return len(TEXT_LIKE.findall(text)) >= share * len(text)


def _unmarked_utf16(raw: bytes) -> str | None:
    """``UTF-16LE`` / ``UTF-16BE`` when a file with NUL bytes reads as text lines in that encoding (an
    export without its byte-order mark, the only sign of UTF-16 a decoder may trust), else None: a hint
    for the reject's message; such a file is not decoded (binary files often read as UTF-16 too)."""
    for codec, name in (("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE")):
        try:
            text = raw[: len(raw) // 2 * 2].decode(codec)
        except UnicodeDecodeError:
            continue
        if "\n" in text and _plausible(text, 0.95):
            return name
    return None


def decode(raw: bytes, source_file: str) -> tuple[str, str] | Problem:
    """Decode page bytes into ``(text, encoding)`` or a reject problem."""

    def reject(code: str, message: str) -> Problem:
        return Problem(code=code, source_file=source_file, line=None, message=message)

    if not raw:
        return reject("empty-page", "the file is empty (0 bytes); remove it or re-export the page")
    bom = _bom_encoding(raw)
    if bom is None and b"\x00" in raw:
        utf16 = _unmarked_utf16(raw)
        return reject("binary-file", "the file holds NUL bytes: it is binary, not a text dump of a page" if utf16
                      is None else f"the file holds NUL bytes: it reads as {utf16} text without the byte-order "
                      f"mark that would say so; convert it to UTF-8 (iconv -f {utf16} -t UTF-8)")
    decoded = _decoded(raw, bom)
    if decoded is None:
        return reject("undecodable-bytes", "the bytes are neither UTF-8, GB18030 nor Big5 Chinese text; convert "
                      "the file to UTF-8 (e.g. iconv -f ENCODING -t UTF-8)")
    text, encoding = decoded
    controls = count_kinds(text)[0]
    if controls > max(CONTROL_SHARE * len(text), MIN_CONTROLS):
        return reject("binary-file", f"{controls} control characters in {len(text)}: not a text dump")
    if not text.strip():
        return reject("blank-page", "the file holds only whitespace")
    return normalise(text), encoding


def _decoded(raw: bytes, bom: str | None) -> tuple[str, str] | None:
    """``(text, encoding)``: the BOM's encoding (if the text is plausible), else UTF-8, else GB18030 or
    Big5 (:func:`~builders.read.legacy.decode_legacy`); None when none fits."""
    if bom is not None:
        try:
            text = raw.decode(bom)
        except UnicodeDecodeError:
            return None
        return (text, bom) if _plausible(text) else None
    try:
        return raw.decode(UTF8), UTF8
    except UnicodeDecodeError:
        return decode_legacy(raw)


def read_page(path: Path, root: Path | None = None) -> Page | Problem:
    """Read and decode one seed file; never raises for bad content."""
    return read_seed(path, root)[0]


def read_seed(path: Path, root: Path | None = None) -> tuple[Page | Problem, bytes | None]:
    """:func:`read_page`, with the file's bytes when they could be read (``None`` when not): a page
    rejected for its content keeps its size and SHA-256 in the release's manifest."""
    source_file = relative_name(path, root)
    try:
        raw = read_regular(path, MAX_PAGE_BYTES)
    except NotRegularFile as err:
        return Problem(code="special-file", source_file=source_file, line=None, message=str(err)), None
    except TooLarge as err:
        return Problem(code="page-too-large", source_file=source_file, line=None, message=str(err)), None
    except OSError as err:
        message = f"cannot read the file: {err.strerror or err}"
        return Problem(code="unreadable-file", source_file=source_file, line=None, message=message), None
    return read_bytes_page(raw, source_file), raw


def read_bytes_page(raw: bytes, source_file: str) -> Page | Problem:
    """Like :func:`read_page`, for bytes already in memory."""
    decoded = decode(raw, source_file)
    if isinstance(decoded, Problem):
        return decoded
    text, encoding = decoded
    lines = text.count("\n") + (not text.endswith("\n"))
    if lines > MAX_PAGE_LINES:
        return Problem(code="page-too-large", source_file=source_file, line=None,
                       message=f"{lines} lines, more than a page holds ({MAX_PAGE_LINES}): split the dump into pages")
    text, controls = remove_format_controls(text)
    if not text.strip():
        return Problem(code="blank-page", source_file=source_file, line=None,
                       message="the file holds only whitespace and invisible format characters")
    return Page(source_file, hashlib.sha256(raw).hexdigest(), text, encoding, len(raw), controls)
