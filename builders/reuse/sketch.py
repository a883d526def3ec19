"""Sketches made in the shard workers: every record's credit, LSH band keys and anchors, cached per page.

The reuse pass needs, for every record, the band keys of its signature, its anchors and the
outlet it credits (read from the 电头 on the seed page, which the parser moves out of the
body). They are made where the shard is built (:func:`sketch_shard`, run by the shard task
after its files are written or copied from the shard cache), so the work is spread over the
workers and the build's parent never reads a seed page again. A page's sketch is cached under
the key of its page-cache entry (its name, bytes, manifest row, the processor and the pipeline
version), so an incremental build signs only the records of new or changed pages.

Files: ``<staging>/.reuse-sketches/<shard>.sketch``, one per shard task (read by the pass, then
removed), and ``<cache_dir>/<pipeline version[:16]>/reuse/<key[:2]>/<key>.sketch``, one per page.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from builders.read.decode import page_text
from builders.release.write import WrittenShards, read_columns
from builders.reuse.candidates import BANDS
from builders.reuse.normalize import credited_to, lead_credit
from builders.reuse.signature import Signed, sign
from builders.scale.cache import page_key, pipeline_version, processor_name
from builders.scale.tasks import PageTask, ShardTask

SKETCHES = ".reuse-sketches"
"""Folder of the shard sketches under the staging folder (removed by the pass)."""
COLUMNS = ["id", "source_file", "spans", "body", "attribution"]
SIGN_BATCH = 2_000

Row = dict[str, Any]


@dataclass(frozen=True)
class Sketch:
    """What the pass needs of a run of records, in release order: ids (to check the order), credits, signatures."""

    ids: list[str]
    credits: list[str | None]
    signed: Signed

    def __len__(self) -> int:
        return len(self.ids)

    def part(self, lo: int, hi: int) -> Sketch:
        """Records ``lo`` to ``hi`` (exclusive)."""
        s = self.signed
        a, b = np.searchsorted(s.owners, [lo, hi])
        signed = Signed(s.bands[lo:hi], s.anchors[a:b], s.owners[a:b] - np.int32(lo), s.eligible[lo:hi])
        return Sketch(self.ids[lo:hi], self.credits[lo:hi], signed)

    @classmethod
    def concat(cls, parts: Sequence[Sketch]) -> Sketch:
        return cls([i for p in parts for i in p.ids], [c for p in parts for c in p.credits],
                   Signed.concat([p.signed for p in parts]))

    def save(self, path: Path) -> None:
        """Write atomically (a temporary file, then a rename), in :func:`pack`'s format; a failed
        write (a full disk) leaves no temporary file behind."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(pack(self))
            tmp.replace(path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> Sketch:
        """Raises OSError or ValueError when the file is missing or damaged."""
        return unpack(path.read_bytes(), str(path))


MAGIC = b"xianbao-sketch-2\n"
_DTYPES: tuple[np.dtype[Any], ...] = (np.dtype("<u8"), np.dtype("<u8"), np.dtype("<i4"), np.dtype("|b1"))
"""bands ``(n, BANDS)``, anchors ``(m,)``, owners ``(m,)``, eligible ``(n,)``: fixed, not read from the file."""


def pack(sketch: Sketch) -> bytes:
    """A sketch as bytes: a magic line, an 8-byte header length, a JSON header (ids, credits, the
    record and anchor counts, a SHA-256 of all of it and the arrays' bytes), then the arrays' raw bytes.
    Loading it costs a JSON parse, a hash and four ``np.frombuffer`` calls (an ``.npz`` costs a
    zip member and a header ``literal_eval`` per array, about 2 ms a page, which an incremental
    build paid on every page)."""
    s = sketch.signed
    arrays = [np.ascontiguousarray(a, dtype=t) for a, t in zip((s.bands, s.anchors, s.owners, s.eligible), _DTYPES,
                                                                  strict=True)]
    payload = b"".join(a.tobytes() for a in arrays)
    digest = _digest(sketch.ids, sketch.credits, len(s), len(s.anchors), payload)
    header = json.dumps({"ids": sketch.ids, "credits": sketch.credits, "records": len(s), "anchors": len(s.anchors),
                         "sha256": digest}, ensure_ascii=False).encode()
    return b"".join([MAGIC, len(header).to_bytes(8, "little"), header, payload])


def _digest(ids: object, credits: object, n: int, m: int, payload: bytes) -> str:
    """SHA-256 of everything a sketch holds: a changed byte anywhere is a damaged file."""
    head = json.dumps([ids, credits, n, m], ensure_ascii=False).encode()
    return hashlib.sha256(head + b"\0" + payload).hexdigest()


def unpack(data: bytes, where: str = "sketch") -> Sketch:
    """The inverse of :func:`pack`; raises ValueError on anything damaged or truncated (any
    changed byte: the header is parsed and checked, the arrays are hashed)."""
    if not data.startswith(MAGIC):
        raise ValueError(f"{where}: not a sketch file")
    at = len(MAGIC) + 8
    size = int.from_bytes(data[len(MAGIC):at], "little")
    try:
        header = json.loads(data[at:at + size])
        ids, credits = header["ids"], header["credits"]
        n, m, digest = int(header["records"]), int(header["anchors"]), str(header["sha256"])
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(f"{where}: damaged sketch header") from err
    if json.dumps(header, ensure_ascii=False).encode() != data[at:at + size]:
        raise ValueError(f"{where}: damaged sketch header (not as written)")  # e.g. a space turned into a tab
    payload = data[at + size:]
    if _digest(ids, credits, n, m, payload) != digest:
        raise ValueError(f"{where}: damaged sketch (checksum)")
    shapes = ((n, BANDS), (m,), (m,), (n,))
    if (not isinstance(ids, list) or not isinstance(credits, list) or not len(ids) == len(credits) == n
            or len(payload) != sum(t.itemsize * int(np.prod(sh)) for t, sh in zip(_DTYPES, shapes, strict=True))):
        raise ValueError(f"{where}: inconsistent sketch")
    buffer, offset, arrays = bytearray(payload), 0, []  # writable arrays, as np.load gives
    for dtype, shape in zip(_DTYPES, shapes, strict=True):
        count = int(np.prod(shape))
        arrays.append(np.frombuffer(buffer, dtype=dtype, count=count, offset=offset).reshape(shape))
        offset += count * dtype.itemsize
    return Sketch(ids, credits, Signed(*arrays))


def record_credit(row: Row, text: str) -> str | None:
    """The outlet a record credits: the 电头 on its page (``text``) near its first span, else a
    credit in its body or attribution."""
    span = row["spans"][0]
    return lead_credit(text[span["start"]:span["end"]]) or credited_to(row["body"], row["attribution"])


def sketch_rows(rows: Sequence[Row], text_of: Callable[[str], str]) -> Sketch:
    """Sketch records (``COLUMNS`` of each); ``text_of(source_file)``: the page text the parser saw."""
    credits = [record_credit(row, text_of(row["source_file"])) for row in rows]
    bodies = [row["body"] for row in rows]
    signed = Signed.concat([sign(bodies[k:k + SIGN_BATCH]) for k in range(0, len(bodies), SIGN_BATCH)])
    return Sketch([row["id"] for row in rows], credits, signed)


def shard_rows(out: Path, written: WrittenShards) -> list[Row]:
    """The records a shard task wrote, in order (a few columns)."""
    return [row for part in written.parquet for row in read_columns(out / part, COLUMNS).to_pylist()]


def by_page(rows: Sequence[Row]) -> Iterable[tuple[str, int, int]]:
    """``(source_file, lo, hi)`` of each page's run of rows."""
    lo = 0
    for k in range(1, len(rows) + 1):
        if k == len(rows) or rows[k]["source_file"] != rows[lo]["source_file"]:
            yield rows[lo]["source_file"], lo, k
            lo = k


def sketch_shard(folder: Path, task: ShardTask, written: WrittenShards) -> None:
    """Write the sketch of a shard task's records to ``folder/<index>.sketch``, from the page
    sketch cache where possible; cache the pages signed here."""
    rows = shard_rows(task.out, written)
    pages = {p.name: p for p in task.pages}
    parts: list[Sketch | None] = []
    missing: list[tuple[int, str, int, int]] = []
    for name, lo, hi in by_page(rows):
        cached = _cached(task, pages.get(name), [r["id"] for r in rows[lo:hi]])
        if cached is None:
            missing.append((len(parts), name, lo, hi))
        parts.append(cached)
    fresh = sketch_rows([r for _, _, lo, hi in missing for r in rows[lo:hi]], _PageText(task).get)
    at = 0
    for slot, name, lo, hi in missing:
        part = parts[slot] = fresh.part(at, at + hi - lo)
        at += hi - lo
        _store(task, pages.get(name), part)
    Sketch.concat([p for p in parts if p is not None]).save(folder / f"{task.index:05d}.sketch")


class _PageText:
    """The text of the task's page last asked for (rows come page by page)."""

    def __init__(self, task: ShardTask) -> None:
        self.pages = {p.name: p for p in task.pages}
        self.seeds = task.seeds
        self.name: str | None = None
        self.text = ""

    def get(self, name: str) -> str:
        if name != self.name:
            page = self.pages[name]
            self.name, self.text = name, page_text((page.path or self.seeds / page.name).read_bytes())
        return self.text


def _entry(task: ShardTask, page: PageTask | None) -> Path | None:
    if task.cache_dir is None or page is None or not page.sha256:
        return None
    key = page_key(page.name, page.sha256, page.meta, processor_name(task.processor))
    return task.cache_dir / pipeline_version()[:16] / "reuse" / key[:2] / f"{key}.sketch"


def _cached(task: ShardTask, page: PageTask | None, ids: list[str]) -> Sketch | None:
    """A page's cached sketch when it is for exactly these records."""
    entry = _entry(task, page)
    if entry is None:
        return None
    try:
        sketch = Sketch.load(entry)
    except (OSError, ValueError, KeyError):
        return None
    return sketch if sketch.ids == ids else None


def _store(task: ShardTask, page: PageTask | None, sketch: Sketch) -> None:
    entry = _entry(task, page)
    if entry is not None:
        with contextlib.suppress(OSError):  # a full disk: the cache is optional
            sketch.save(entry)


def shard_sketches(folder: Path) -> Sketch | None:
    """The sketches of every shard task under ``folder``, in shard order; None when there are none
    or one cannot be read (the pass then sketches the records itself).

    The arrays for all of them are made first (their sizes from the files' headers), then each file is
    loaded, checked and copied in: the pass holds the release's sketch and one file's, not every file's
    beside their concatenation (~150 MiB more at 50,000 pages)."""
    files = sorted(folder.glob("*.sketch")) if folder.is_dir() else []
    if not files:
        return None
    try:
        counts = [_counts(f) for f in files]
        n, m = sum(c[0] for c in counts), sum(c[1] for c in counts)
        out = Signed(np.empty((n, BANDS), np.uint64), np.empty(m, np.uint64), np.empty(m, np.int32), np.empty(n, bool))
        ids: list[str] = []
        credits: list[str | None] = []
        at = 0
        for path, expected in zip(files, counts, strict=True):
            part = Sketch.load(path)
            got = part.signed
            if (len(got), len(got.anchors)) != expected:
                raise ValueError(f"{path}: changed while it was read")
            i, k = len(ids), len(got)
            out.bands[i:i + k], out.eligible[i:i + k] = got.bands, got.eligible
            out.anchors[at:at + len(got.anchors)] = got.anchors
            out.owners[at:at + len(got.anchors)] = got.owners + np.int32(i)
            at += len(got.anchors)
            ids += part.ids
            credits += part.credits
        return Sketch(ids, credits, out)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _counts(path: Path) -> tuple[int, int]:
    """Records and anchors of a sketch file, read from its header (the whole file is checked when loaded)."""
    with path.open("rb") as fh:
        head = fh.read(len(MAGIC) + 8)
        if not head.startswith(MAGIC):
            raise ValueError(f"{path}: not a sketch file")
        header = json.loads(fh.read(int.from_bytes(head[len(MAGIC):], "little")))
    return int(header["records"]), int(header["anchors"])
