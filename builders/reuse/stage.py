"""The reuse pass of a build: every record of the written shards gets its ``reuse`` object.

Runs after the shard tasks wrote ``data/`` and ``jsonl/`` (records with ``reuse: null``) and
before the card and checksums. The shard workers have already sketched their records
(:mod:`builders.reuse.sketch`: credits, band keys, anchors; cached per page); the pass reads
the shards one at a time (a few columns of the Parquet: the bodies go straight from the Arrow
buffer to a temporary file, read back one body at a time when candidates are verified), puts the sketches
into a compact :class:`~builders.reuse.detect.Index`, finds and verifies the links (reusing,
through :mod:`builders.reuse.memo`, what the last build verified of pairs whose two records are
unchanged), and rewrites each shard with the ``reuse`` column: the Parquet shard with the same writer settings,
each JSONL line by replacing its closing ``"reuse":null``. Everything is a function of the
records in release order, so the bytes do not depend on the engine or the number of workers.
Without sketches (the pass run on its own over a release), it sketches the records itself,
reading the 电头 of each record from its seed page.
"""

from __future__ import annotations

import datetime
import itertools
import shutil
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from builders.errors import OutputError
from builders.read.decode import page_text, unescape_name
from builders.release.arrow import article_schema
from builders.release.config import BuildConfig
from builders.release.write import WriteOptions, WrittenShards, parquet_writer, read_columns
from builders.reuse.cluster import Meta
from builders.reuse.detect import Index, detect
from builders.reuse.memo import FILE as MEMO_FILE
from builders.reuse.memo import content_key
from builders.reuse.report import ReuseReport
from builders.reuse.sketch import COLUMNS as SKETCH_COLUMNS
from builders.reuse.sketch import Sketch, shard_sketches, sketch_rows
from builders.reuse.split import BodyFile
from builders.scale.cache import pipeline_version
from builders.scale.engines import Call, LocalPool, Slot, map_local
from builders.scale.file_cache import digest, file_digest, keep, recall, sweep
from schema import Reuse

META_COLUMNS = ["id", "source_file", "ordinal", "date", "page"]
NULL_TAIL = ',"reuse":null}'
FINAL_DIR = "final"
BODIES = ".reuse-bodies"
"""Temporary file of the bodies under the staging folder (removed after the pass; the candidate step's
spill files go under it too: :data:`~builders.reuse.candidates.SPILL`)."""


@dataclass(frozen=True)
class Shard:
    parquet: Path
    jsonl: Path
    start: int
    """Index of its first record in the release."""


class PageTexts:
    """The decoded text of the seed page last asked for (records come page by page)."""

    def __init__(self, seeds: Path) -> None:
        self.seeds = seeds
        self.name: str | None = None
        self.text = ""

    def get(self, name: str) -> str:
        """The text the parser saw (:func:`builders.read.decode.page_text`: BOMs, normalisation, format
        characters removed), read under the file's real name (:func:`~builders.read.decode.unescape_name`)."""
        if name != self.name:
            self.name, self.text = name, page_text((self.seeds / unescape_name(name)).read_bytes())
        return self.text


class BodyStore:
    """The bodies of the release in one temporary file (UTF-8) with their offsets and content keys:
    verification reads a body back with one ``pread`` (:attr:`reader`, through the OS page cache, which is
    not the process's memory, unlike a memory map of the file), so the pass never holds the texts."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offsets = array("q", [0])
        self._keys: list[bytes] = []
        self._out: IO[bytes] | None = path.open("wb")
        self.reader = BodyFile(path, self.offsets)
        """``reader(i)``: body of record ``i`` (after :meth:`seal`), in this process or a helper."""

    def add(self, body: str) -> str:
        data = body.encode("utf-8")
        assert self._out is not None
        self._out.write(data)
        self._keys.append(content_key(data))
        self.offsets.append(self.offsets[-1] + len(data))
        return body

    def add_column(self, column: pa.ChunkedArray) -> None:
        """Append a string column's values as they are in the Arrow buffer (no Python string made)."""
        assert self._out is not None
        for chunk in column.chunks:
            if chunk.null_count:
                raise OutputError("a record has no body")
            wide = pa.types.is_large_string(chunk.type)
            offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64 if wide else np.int32,
                                    count=len(chunk) + 1, offset=chunk.offset * (8 if wide else 4)).astype(np.int64)
            data = memoryview(chunk.buffers()[2] or b"")
            bounds = offsets.tolist()
            self._keys.extend(content_key(data[a:b]) for a, b in itertools.pairwise(bounds))
            self._out.write(data[bounds[0]:bounds[-1]])
            self.offsets.frombytes((offsets[1:] - offsets[0] + self.offsets[-1]).tobytes())

    def keys(self) -> list[bytes]:
        """The content key of every body (:func:`~builders.reuse.memo.content_key`), made as it was added."""
        return self._keys

    def seal(self) -> None:
        """Stop writing (the file can then be read)."""
        if self._out is not None:
            self._out.close()
            self._out = None

    def close(self) -> None:
        self.seal()
        self.reader.close()
        self.path.unlink(missing_ok=True)


def _metas(table: pa.Table) -> Iterator[Meta]:
    """One shard's records as :class:`Meta` (credits are filled from the sketch)."""
    columns = [table.column(name).to_pylist() for name in META_COLUMNS]
    for rid, source, ordinal, date, page in zip(*columns, strict=True):
        yield Meta(rid, date if isinstance(date, datetime.date) else None, page, source, ordinal, None)


def _read(parts: list[Shard], index: Index, store: BodyStore) -> None:
    """Every record's :class:`Meta` into ``index.metas`` and body into ``store``."""
    for shard in parts:
        table = read_columns(shard.parquet, [*META_COLUMNS, "body"])
        for meta in _metas(table):
            index.metas.append(meta)
        store.add_column(table.column("body"))


def _sketch(parts: list[Shard], sketches: Path | None, config: BuildConfig, ids: array[int]) -> Sketch:
    """The workers' sketches when they are for exactly these records, else made here (reading the pages)."""
    found = shard_sketches(sketches) if sketches is not None else None
    if found is not None and len(found) == len(ids) and [int(i, 16) for i in found.ids] == ids.tolist():
        return found
    pages = PageTexts(config.seeds)
    made = [sketch_rows(read_columns(s.parquet, SKETCH_COLUMNS).to_pylist(), pages.get) for s in parts]
    return Sketch.concat(made)


def memo_path(config: BuildConfig) -> Path | None:
    """Where the pairs verified by the last build are kept (beside the pages' sketches); None without a cache."""
    cache = config.page_cache_dir
    return cache / pipeline_version()[:16] / "reuse" / MEMO_FILE if cache is not None else None


def mark_reuse(root: Path, shards: WrittenShards, config: BuildConfig, sketches: Path | None = None) -> ReuseReport:
    """Fill the ``reuse`` field of every record of the release under ``root``; return the card's figures.

    ``sketches``: the folder the shard workers wrote their sketches to (removed here); without
    it the records are sketched here. ``shards.arrow_bytes`` is updated for the grown column.
    """
    parts, start = [], 0
    for parquet, jsonl, count in zip(shards.parquet, shards.jsonl, shards.records_per_shard, strict=True):
        parts.append(Shard(root / parquet, root / jsonl, start))
        start += count
    helped = config.engine == "local" and len(parts) >= HELPED_SHARDS
    with LocalPool(config.workers) as verifiers:
        reuse_of = _links(parts, sketches, config, root, verifiers if helped and verifiers.helpers else None)
        verifiers.close(wait=True)  # gone before the rewrite's helpers start: their memory is not added to those
    with LocalPool(config.workers) as pool:
        if helped:
            pool.start(segment=False)
        return _rewrite(parts, shards, config, reuse_of, pool if pool.started else None)


def _links(parts: list[Shard], sketches: Path | None, config: BuildConfig, root: Path,
           pool: LocalPool | None) -> Callable[[int], Reuse]:
    """Read, sketch and verify the release: the ``Reuse`` object of each record, by index (``pool``: its
    helpers verify components of the candidate graph beside this process, :mod:`~builders.reuse.split`)."""
    index, store = Index(), BodyStore(root / BODIES)
    try:
        if pool is not None:
            pool.start(segment=False)  # they start (~0.6 s) while the shards are read
        _read(parts, index, store)
        sketch = _sketch(parts, sketches, config, index.metas.ids)
        index.metas.set_credits(sketch.credits)
        index.batches.append(sketch.signed)
        del sketch
        store.seal()
        helpers = (pool.get(segment=False), pool.helpers) if pool is not None else None
        return detect(index, store.reader, (store.keys(), memo_path(config)), root, helpers)
    finally:
        store.close()
        if sketches is not None:
            shutil.rmtree(sketches, ignore_errors=True)


def _rewrite(parts: list[Shard], shards: WrittenShards, config: BuildConfig, reuse_of: Callable[[int], Reuse],
             pool: LocalPool | None) -> ReuseReport:
    """Rewrite every shard with its records' ``reuse`` objects (here and on ``pool``'s helpers); the card's
    figures."""
    options = WriteOptions(max_shard_bytes=config.max_shard_bytes, row_group_size=config.row_group_size)
    counts = shards.records_per_shard
    final = final_dir(config)
    if final is not None:
        sweep(final)  # entries left half-kept by a killed build

    def job(slot: Slot) -> Patch:  # in this process: reuse_of holds the whole release's links
        shard = parts[slot.index]
        return shard, [reuse_of(shard.start + k) for k in range(counts[slot.index])], options, final

    report = ReuseReport()
    for part, grown in map_local(Call(patch_shard, job), len(parts), pool):
        _merge(report, part)
        shards.arrow_bytes += grown
    return report


HELPED_SHARDS = 20
"""Shards from which helper processes (imports only, ~85 MB each) verify components of the candidate graph
beside this one (started while the shards are read), then other helpers rewrite shards beside it: the work
(~30 ms a shard for the rewrite alone) outlasts a helper's start-up (~0.6 s). A verifying helper ends before
the rewrite's start: what it held for verification (~100 MB) is not added to the rewrite's memory."""


Patch = tuple[Shard, list[Reuse], WriteOptions, Path | None]
"""A shard, the ``reuse`` objects of its records, the writer settings and the folder of finished shards
(:func:`final_dir`, None without a cache): what :func:`patch_shard` is given."""


def final_dir(config: BuildConfig) -> Path | None:
    """Where finished shards (with their ``reuse`` column) are kept for later builds; None without a cache."""
    cache = config.page_cache_dir
    return cache / pipeline_version()[:16] / "reuse" / FINAL_DIR if cache is not None else None


def final_key(shard: Shard, lines: list[str], options: WriteOptions) -> str:
    """The key of a finished shard: the pipeline version (code, writer settings, libraries), the write
    options, the bytes of both files as the shard tasks wrote them (the records) and the reuse objects."""
    files = [file_digest(shard.parquet), file_digest(shard.jsonl)]
    return digest([pipeline_version(), repr(options), *files, *lines])


def patch_shard(patch: Patch) -> tuple[ReuseReport, int]:
    """Rewrite one shard's Parquet and JSONL files with its ``reuse`` objects (here or in a pool helper:
    everything it needs is in ``patch``); return its card figures and the growth in Arrow bytes.

    With a folder of finished shards, a shard whose records and reuse objects are those of a finished
    one kept there is copied from it instead; a shard rewritten here is kept there.
    """
    shard, reuses, options, final = patch
    lines = [reuse.model_dump_json() for reuse in reuses]
    entry = final / final_key(shard, lines, options) if final is not None else None
    files = {"data.parquet": shard.parquet, "data.jsonl": shard.jsonl}
    kept = recall(entry, files, _kept_figures) if entry is not None else None
    if kept is not None:
        return kept
    report = ReuseReport()
    grown = _patch_parquet(shard.parquet, reuses, options, report)
    _patch_jsonl(shard.jsonl, lines)
    if entry is not None:
        keep(entry, files, {"report": _report_json(report), "grown": grown})
    pa.default_memory_pool().release_unused()  # pyarrow's allocator keeps what the tables freed: give it back
    return report, grown


def _report_json(report: ReuseReport) -> dict[str, Any]:
    """One shard's card figures as JSON (:func:`_report_from_json` reads them back)."""
    pairs = {name: [[*key, n] for key, n in getattr(report, name).items()]
             for name in ("records", "reprints", "partial", "credited")}
    return pairs | {"sizes": dict(report.sizes), "papers": {k: sorted(v) for k, v in report.papers.items()},
                    "headlines": report.headlines}


def _kept_figures(summary: dict[str, Any]) -> tuple[ReuseReport, int]:
    """The card figures and Arrow growth of a kept shard (KeyError, TypeError, ValueError when damaged)."""
    grown = summary["grown"]
    if not isinstance(grown, int):
        raise TypeError("the kept growth is no integer")
    return _report_from_json(summary["report"]), grown


def _report_from_json(data: dict[str, Any]) -> ReuseReport:
    report = ReuseReport(sizes=Counter(data["sizes"]), headlines=dict(data["headlines"]),
                         papers={k: set(v) for k, v in data["papers"].items()})
    for name in ("records", "reprints", "partial", "credited"):
        getattr(report, name).update({(paper, year): n for paper, year, n in data[name]})
    return report


def _merge(report: ReuseReport, part: ReuseReport) -> None:
    """Add one shard's card figures to the release's."""
    for name in ("records", "reprints", "partial", "credited", "sizes"):
        getattr(report, name).update(getattr(part, name))
    for cluster, papers in part.papers.items():
        report.papers.setdefault(cluster, set()).update(papers)
    report.headlines.update(part.headlines)


def _read_shard(path: Path) -> pa.Table:
    """A whole Parquet shard as the release's Arrow table. Read as it is: a tenth of the time of
    ``read_table(schema=...)``, which casts every column; cast only when the file's types differ."""
    table = read_columns(path)
    target = article_schema()
    return table if table.schema.equals(target) else pq.read_table(path, schema=target)


def _patch_parquet(path: Path, reuses: list[Reuse], options: WriteOptions, report: ReuseReport) -> int:
    """Rewrite one Parquet shard with its ``reuse`` column; return the growth in Arrow bytes."""
    table = _read_shard(path)
    report.add(table.select(["id", "newspaper", "year", "headline"]).to_pylist(), reuses)
    position = table.schema.get_field_index("reuse")
    target = table.schema.field(position)
    column = pa.chunked_array([pa.array([r.model_dump() for r in reuses], type=target.type)], type=target.type)
    grown = int(column.nbytes) - int(table.column(position).nbytes)
    table = table.set_column(position, target, column)
    partial = path.with_name(f".{path.name}.partial")
    with parquet_writer(partial, options) as writer:
        writer.write_table(table, row_group_size=options.row_group_size)
    partial.replace(path)
    return grown


def _patch_jsonl(path: Path, reuses: list[str]) -> None:
    """Replace the closing ``"reuse":null`` of every line of one JSONL shard (``reuses``: the objects' JSON).

    The file is handled as bytes (a record's JSON holds no raw newline): a third of the time of
    decoding and writing it line by line.
    """
    rows = path.read_bytes().split(b"\n")
    if rows.pop() != b"" or len(rows) != len(reuses):
        raise OutputError(f"{path}: {len(rows)} lines for {len(reuses)} records, or no newline at the end")
    tail, cut = NULL_TAIL.encode(), -len(NULL_TAIL)
    for row in rows:
        if not row.endswith(tail):
            raise OutputError(f"{path}: a line does not end with {NULL_TAIL!r}: {row[-60:].decode(errors='replace')!r}")
    partial = path.with_name(f".{path.name}.partial")
    pairs = zip(rows, reuses, strict=True)
    partial.write_bytes(b"".join(b'%s,"reuse":%s}\n' % (row[:cut], reuse.encode()) for row, reuse in pairs))
    partial.replace(path)
