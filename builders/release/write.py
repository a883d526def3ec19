"""Write released records as Parquet and JSONL shards.

Both formats are sharded the same way, so ``data/train-00001-of-00003.parquet`` and
``jsonl/train-00001-of-00003.jsonl`` hold the same records in the same order. A shard
is closed before its JSONL text would grow past ``max_shard_bytes``; the Parquet
shard (zstd) is always smaller than its JSONL twin. Shards are written under a
temporary name and renamed once their count is known.
"""

from __future__ import annotations

import datetime
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from builders.release.arrow import article_schema
from schema import Article

SPLIT = "train"
DATA_DIR = "data"
JSONL_DIR = "jsonl"
DEFAULT_MAX_SHARD_BYTES = 256 * 2**20
DEFAULT_ROW_GROUP_SIZE = 10_000
"""Rows per Parquet row group: far under the dataset viewer's row-group limits."""
JSONL_BUFFER = 1 << 20
"""Bytes of JSONL buffered before a write to the file: a record's line (~7 KB) is most of Python's default
8 KB buffer, so that one wrote to the file for nearly every record (28 us a record, ~2% of a build)."""


@dataclass(frozen=True)
class WriteOptions:
    """How shards are cut and compressed.

    Attributes:
        max_shard_bytes: A shard is closed before its JSONL text exceeds this size
            (a single larger record still gets a shard of its own).
        row_group_size: Maximum rows per Parquet row group.
        compression: Parquet codec.
        compression_level: Codec level; None for the codec's default.
        staged: The Parquet shard is only read back and rewritten by the reuse pass, never
            released: it is written to be fast to write and read (:data:`STAGED_PARQUET`), not
            small or searchable. The rewrite gives the same bytes as writing the records directly.
    """

    max_shard_bytes: int = DEFAULT_MAX_SHARD_BYTES
    row_group_size: int = DEFAULT_ROW_GROUP_SIZE
    compression: str = "zstd"
    compression_level: int | None = None
    staged: bool = False


STAGED_PARQUET: dict[str, Any] = {"compression": "lz4", "use_dictionary": False, "write_statistics": False}
"""Writer settings of a staged shard: lz4, plain encoding, no statistics, no page index, no content-defined
chunks. Half the time of the release's settings to write and to read back (12 and 8 ms against 27 and 17 ms
for 900 generated records), four times the size (still a fifth of the JSONL twin)."""


@dataclass
class WrittenShards:
    """What the writer produced: paths relative to the release folder."""

    parquet: list[str] = field(default_factory=list)
    jsonl: list[str] = field(default_factory=list)
    records_per_shard: list[int] = field(default_factory=list)
    num_records: int = 0
    arrow_bytes: int = 0
    """In-memory Arrow size of the records (the card's ``num_bytes``)."""


class _NoPandas:
    """An import finder that fails ``import pandas``."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.partition(".")[0] == "pandas":
            raise ModuleNotFoundError(f"{name} is kept out of this process", name=name)


def arrow_without_pandas() -> None:
    """Spare this process pyarrow's import of pandas (0.8 s), for processes that only write shards.

    The first time pyarrow converts Python lists it imports pandas, once per process, to
    recognise pandas objects; the writer gives it plain lists and dicts. With pandas
    unimportable during that one check, pyarrow notes that it has no pandas and goes on;
    ``import pandas`` works again right after, and pyarrow's pandas functions
    (``to_pandas``) still import it when called. Nothing happens when pandas is already
    imported.
    """
    if "pandas" in sys.modules:
        return
    finder = _NoPandas()
    sys.meta_path.insert(0, finder)
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(finder)


def record_json(article: Article) -> str:
    """One JSONL line (without newline): model key order, UTF-8 text, ISO dates."""
    return article.model_dump_json()


def record_row(article: Article) -> dict[str, Any]:
    """One Arrow row: plain Python values (dates as ``datetime.date``)."""
    return article.model_dump()


def shard_name(index: int, total: int, suffix: str) -> str:
    """The Hugging Face shard name, e.g. ``train-00000-of-00002.parquet``."""
    return f"{SPLIT}-{index:05d}-of-{total:05d}.{suffix}"


def parquet_writer(path: Path, options: WriteOptions) -> pq.ParquetWriter:
    """A Parquet writer with the release's settings (page index, CDC, zstd), or a staged shard's."""
    if options.staged:
        return pq.ParquetWriter(path, article_schema(), **STAGED_PARQUET)
    return pq.ParquetWriter(
        path,
        article_schema(),
        compression=options.compression,
        compression_level=options.compression_level,
        write_page_index=True,
        use_content_defined_chunking=True,
        write_statistics=True,
    )


class ShardWriter:
    """Stream articles into Parquet and JSONL shards under a release folder.

    Use as a context manager; :meth:`close` returns the renamed shard paths.
    """

    def __init__(self, root: Path, options: WriteOptions | None = None) -> None:
        self.root = root
        self.options = options or WriteOptions()
        self.result = WrittenShards()
        self._parquet: pq.ParquetWriter | None = None
        self._jsonl: IO[bytes] | None = None
        self._rows: list[dict[str, Any]] = []
        self._shard_bytes = 0
        self._shard_records = 0
        for sub in (DATA_DIR, JSONL_DIR):
            (root / sub).mkdir(parents=True, exist_ok=True)

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._parquet is not None:
            self._parquet.close()
        if self._jsonl is not None:
            self._jsonl.close()

    def _partial(self, index: int, suffix: str) -> Path:
        sub = DATA_DIR if suffix == "parquet" else JSONL_DIR
        return self.root / sub / f".{SPLIT}-{index:05d}.{suffix}.partial"

    def _open_shard(self) -> None:
        index = len(self.result.records_per_shard)
        self._parquet = parquet_writer(self._partial(index, "parquet"), self.options)
        self._jsonl = self._partial(index, "jsonl").open("wb", buffering=JSONL_BUFFER)
        self._shard_bytes = self._shard_records = 0

    def _flush_rows(self) -> None:
        if self._rows and self._parquet is not None:
            table = pa.Table.from_pylist(self._rows, schema=article_schema())
            self.result.arrow_bytes += table.nbytes
            self._parquet.write_table(table, row_group_size=self.options.row_group_size)
            self._rows = []

    def _close_shard(self) -> None:
        self._flush_rows()
        if self._parquet is not None and self._jsonl is not None:
            self._parquet.close()
            self._jsonl.close()
            self.result.records_per_shard.append(self._shard_records)
        self._parquet = self._jsonl = None

    def write(self, article: Article, line: str | None = None) -> None:
        """Append one article; ``line`` is its :func:`record_json` when already made."""
        data = ((line if line is not None else record_json(article)) + "\n").encode("utf-8")
        full = self._shard_bytes + len(data) > self.options.max_shard_bytes
        if self._jsonl is not None and self._shard_records and full:
            self._close_shard()
        if self._jsonl is None:
            self._open_shard()
        assert self._jsonl is not None
        self._jsonl.write(data)
        self._rows.append(record_row(article))
        self._shard_bytes += len(data)
        self._shard_records += 1
        self.result.num_records += 1
        if len(self._rows) >= self.options.row_group_size:
            self._flush_rows()

    def close(self) -> WrittenShards:
        """Close the last shard (an empty one when nothing was written) and rename all."""
        if self._jsonl is None and not self.result.records_per_shard:
            self._open_shard()
        self._close_shard()
        total = len(self.result.records_per_shard)
        for index in range(total):
            for suffix, names in (("parquet", self.result.parquet), ("jsonl", self.result.jsonl)):
                sub = DATA_DIR if suffix == "parquet" else JSONL_DIR
                final = f"{sub}/{shard_name(index, total, suffix)}"
                self._partial(index, suffix).rename(self.root / final)
                names.append(final)
        return self.result


def write_shards(root: Path, articles: Iterator[Article], options: WriteOptions | None = None) -> WrittenShards:
    """Write every article of ``articles`` under ``root`` (convenience for small inputs)."""
    with ShardWriter(root, options) as writer:
        for article in articles:
            writer.write(article)
        return writer.close()


def jsonable(value: Any) -> Any:
    """A value read back from Parquet, with dates as ISO strings (as in JSONL)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def read_columns(path: Path, columns: list[str] | None = None) -> pa.Table:
    """Columns of one Parquet file as written (all when ``columns`` is None). ``pq.read_table`` reads
    a single file through ``pyarrow.dataset`` (0.07 s to import in every build that rereads a shard,
    and it reads ``key=value`` folders as partition columns); one ``ParquetFile`` needs neither."""
    with pq.ParquetFile(path) as pf:
        return pf.read(columns=columns)


def iter_parquet(paths: list[Path], batch_size: int = 1_000) -> Iterator[dict[str, Any]]:
    """Rows of Parquet shards, in order, as JSON-like dicts (streamed by batch)."""
    for path in paths:
        with pq.ParquetFile(path) as pf:
            for batch in pf.iter_batches(batch_size=batch_size):
                yield from (jsonable(row) for row in batch.to_pylist())


def iter_jsonl(paths: list[Path]) -> Iterator[tuple[Path, int, str]]:
    """``(path, 1-based line number, text)`` of every line of JSONL shards, in order."""
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for number, text in enumerate(fh, start=1):
                yield path, number, text.rstrip("\n")


def read_jsonl_records(paths: list[Path]) -> Iterator[dict[str, Any]]:
    """Decoded records of JSONL shards, in order."""
    for _, _, text in iter_jsonl(paths):
        yield json.loads(text)
