"""The reuse pass of a build: every record of the written shards gets its ``reuse`` object.

Runs after the shard tasks wrote ``data/`` and ``jsonl/`` (records with ``reuse: null``) and
before the card and checksums. It reads the shards one at a time (a few columns of the
Parquet), signs every record into a compact :class:`~builders.reuse.detect.Index` (the bodies go
to a temporary file, memory-mapped when candidates are verified), finds and verifies the links,
and rewrites each shard with the ``reuse`` column: the Parquet shard
with the same writer settings, each JSONL line by replacing its closing ``"reuse":null``.
Everything is a function of the records in release order, so the bytes do not depend on
the engine or the number of workers. The credit (``credited_to``) is read from the 电头 in
the seed page, which the parser moves out of the body.
"""

from __future__ import annotations

import mmap
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.parquet as pq

from builders.errors import OutputError
from builders.read.decode import page_text, unescape_name
from builders.release.arrow import article_schema
from builders.release.config import BuildConfig
from builders.release.write import WriteOptions, WrittenShards, parquet_writer
from builders.reuse.cluster import Meta
from builders.reuse.detect import Index, detect
from builders.reuse.normalize import credited_to, lead_credit
from builders.reuse.report import ReuseReport
from schema import Reuse

COLUMNS = ["id", "source_file", "ordinal", "date", "page", "newspaper", "year", "headline", "body", "attribution",
           "spans"]
NULL_TAIL = ',"reuse":null}'
BODIES = ".reuse-bodies"
"""Temporary file of the bodies under the staging folder (removed after the pass)."""


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
    """The bodies of the release in one temporary file (UTF-8) with their offsets: verification reads
    them back through the OS page cache (memory-mapped), so the pass never holds the texts."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offsets = array("q", [0])
        self._out: IO[bytes] | None = path.open("wb")
        self._map: mmap.mmap | None = None

    def add(self, body: str) -> str:
        data = body.encode("utf-8")
        assert self._out is not None
        self._out.write(data)
        self.offsets.append(self.offsets[-1] + len(data))
        return body

    def body(self, i: int) -> str:
        """Body of record ``i`` (after :meth:`seal`)."""
        assert self._map is not None or self.offsets[-1] == 0
        return self._map[self.offsets[i]:self.offsets[i + 1]].decode("utf-8") if self._map is not None else ""

    def seal(self) -> None:
        """Stop writing; map the file for reading."""
        if self._out is not None:
            self._out.close()
            self._out = None
        if self.offsets[-1]:
            with self.path.open("rb") as fh:
                self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)

    def close(self) -> None:
        self.seal()
        if self._map is not None:
            self._map.close()
        self.path.unlink(missing_ok=True)


def _records(shard: Shard, pages: PageTexts, store: BodyStore) -> Iterator[tuple[Meta, str]]:
    table = pq.read_table(shard.parquet, columns=COLUMNS)
    for row in table.to_pylist():
        span = row["spans"][0]
        lead = lead_credit(pages.get(row["source_file"])[span["start"]:span["end"]])
        credit = lead or credited_to(row["body"], row["attribution"])
        meta = Meta(row["id"], row["date"], row["page"], row["source_file"], row["ordinal"], credit)
        yield meta, store.add(row["body"])


def mark_reuse(root: Path, shards: WrittenShards, config: BuildConfig) -> ReuseReport:
    """Fill the ``reuse`` field of every record of the release under ``root``; return the card's figures.

    ``shards.arrow_bytes`` is updated for the grown column.
    """
    parts, start = [], 0
    for parquet, jsonl, count in zip(shards.parquet, shards.jsonl, shards.records_per_shard, strict=True):
        parts.append(Shard(root / parquet, root / jsonl, start))
        start += count
    index, store = Index(), BodyStore(root / BODIES)
    try:
        pages = PageTexts(config.seeds)
        for shard in parts:
            index.add(_records(shard, pages, store))
        store.seal()
        reuse_of = detect(index, store.body)
    finally:
        store.close()
    report = ReuseReport()
    options = WriteOptions(max_shard_bytes=config.max_shard_bytes, row_group_size=config.row_group_size)
    for shard, count in zip(parts, shards.records_per_shard, strict=True):
        reuses = [reuse_of(shard.start + k) for k in range(count)]
        shards.arrow_bytes += _patch_parquet(shard.parquet, reuses, options, report)
        _patch_jsonl(shard.jsonl, reuses)
    return report


def _patch_parquet(path: Path, reuses: list[Reuse], options: WriteOptions, report: ReuseReport) -> int:
    """Rewrite one Parquet shard with its ``reuse`` column; return the growth in Arrow bytes."""
    table = pq.read_table(path, schema=article_schema())
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


def _patch_jsonl(path: Path, reuses: list[Reuse]) -> None:
    """Replace the closing ``"reuse":null`` of every line of one JSONL shard."""
    partial = path.with_name(f".{path.name}.partial")
    with path.open(encoding="utf-8") as old, partial.open("w", encoding="utf-8") as new:
        for line, reuse in zip(old, reuses, strict=True):
            text = line.rstrip("\n")
            if not text.endswith(NULL_TAIL):
                raise OutputError(f"{path}: a line does not end with {NULL_TAIL!r}: {text[-60:]!r}")
            new.write(f'{text[: -len(NULL_TAIL)]},"reuse":{reuse.model_dump_json()}}}\n')
    partial.replace(path)
