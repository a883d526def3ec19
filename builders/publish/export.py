"""Export a release as hive-partitioned Parquet for Spark, Trino and DuckDB.

``OUT/region_code=331126/year=2020/part-00000.parquet``: one folder level per
partition key, ``key=value`` (values URI-encoded, null as ``__HIVE_DEFAULT_PARTITION__``).
A struct field such as ``region`` is partitioned by its ``code`` subfield under the
key ``region_code``. Every file keeps every column of the release *and* the partition
keys (``region_code`` is added as a column), because some readers (🤗 ``datasets``,
plain ``pq.read_table`` of one file) ignore ``key=value`` path segments.

Files are written per source shard and partition with :func:`pyarrow.parquet.write_table`
(``pyarrow.dataset.write_dataset`` would drop the partition columns from the files):
``part-<shard index>.parquet``, rows in release order, so the same release always gives
the same paths and bytes.
"""

from __future__ import annotations

import errno
import glob
import os
import secrets
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from builders.errors import ConfigError, OutputError
from builders.release.arrow import article_schema
from builders.release.info import open_release

NULL_SEGMENT = "__HIVE_DEFAULT_PARTITION__"
"""Path value of a null key (Hive's, and pyarrow's and DuckDB's default)."""
DEFAULT_PARTITION_BY = ("region", "year")
SCALAR_TYPES = (pa.types.is_string, pa.types.is_integer, pa.types.is_date, pa.types.is_boolean)


@dataclass(frozen=True)
class PartitionKey:
    """A partition key: the model ``field`` it comes from and its ``name`` in paths and files."""

    field: str
    name: str
    type: pa.DataType

    def values(self, table: pa.Table) -> pa.Array:
        """The key's value for every row of ``table``."""
        column = table.column(self.field).combine_chunks()
        return pc.struct_field(column, "code") if self.name != self.field else column


@dataclass
class ExportReport:
    """What an export wrote: ``files`` relative to ``out``."""

    out: Path
    records: int
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for humans."""
        partitions = len({f.rpartition("/")[0] for f in self.files})
        return (f"exported {self.records} records to {self.out}: {len(self.files)} files in "
                f"{partitions} partitions in {self.seconds:.1f}s")


def partition_keys(fields: list[str]) -> list[PartitionKey]:
    """Resolve model field names into partition keys.

    Raises:
        ConfigError: a field is unknown, repeated, or a list / struct without ``code``.
    """
    schema = article_schema()
    if not fields or len(set(fields)) != len(fields):
        raise ConfigError(f"--partition-by {','.join(fields)!r}: give distinct field names, e.g. region,year")
    keys = []
    for name in fields:
        if name not in schema.names:
            raise ConfigError(f"--partition-by: {name!r} is not a field of the record; see article.schema.json")
        type_ = schema.field(name).type
        if pa.types.is_struct(type_) and type_.get_field_index("code") >= 0:
            keys.append(PartitionKey(name, f"{name}_code", type_.field("code").type))
        elif any(check(type_) for check in SCALAR_TYPES):
            keys.append(PartitionKey(name, name, type_))
        else:
            raise ConfigError(f"--partition-by: {name!r} is a {type_} column; partition by a scalar field")
    return keys


def partitioning(keys: list[PartitionKey]) -> ds.Partitioning:
    """The hive partitioning to read an export with, typed (``region_code`` stays a string)."""
    return ds.partitioning(pa.schema([(k.name, k.type) for k in keys]), flavor="hive")


def segment(key: PartitionKey, value: object) -> str:
    """One ``key=value`` path segment."""
    text = NULL_SEGMENT if value is None else quote(str(value), safe="")
    return f"{key.name}={text}"


def with_key_columns(table: pa.Table, keys: list[PartitionKey]) -> pa.Table:
    """``table`` plus a column for every key that is not already a column (``region_code``)."""
    for key in keys:
        if key.name not in table.column_names:
            table = table.append_column(pa.field(key.name, key.type), key.values(table))
    return table


def split_rows(table: pa.Table, keys: list[PartitionKey]) -> dict[str, list[int]]:
    """Row indices of ``table`` per partition folder, in row order; folders sorted."""
    columns = [key.values(table).to_pylist() for key in keys]
    groups: dict[str, list[int]] = defaultdict(list)
    for index, values in enumerate(zip(*columns, strict=True)):
        groups["/".join(segment(k, v) for k, v in zip(keys, values, strict=True))].append(index)
    return dict(sorted(groups.items()))


def write_shard(table: pa.Table, keys: list[PartitionKey], out: Path, shard: int) -> list[str]:
    """Write one source shard's rows into its partitions; return the files written."""
    full = with_key_columns(table, keys)
    names = []
    for folder, rows in split_rows(table, keys).items():
        name = f"{folder}/part-{shard:05d}.parquet"
        (out / folder).mkdir(parents=True, exist_ok=True)
        pq.write_table(full.take(pa.array(rows, pa.int64())), out / name, compression="zstd",
                       write_statistics=True)
        names.append(name)
    return names


def _remove_stale(out: Path) -> None:
    """Remove the staging folders of exports to ``out`` whose process is gone (killed mid-export)."""
    for folder in out.parent.glob(f".{glob.escape(out.name)}.staging-*"):
        pid = folder.name.rsplit(".staging-", 1)[1].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _publish(staging: Path, out: Path) -> None:
    """Move the finished export into place; refused when another export filled ``out`` meanwhile."""
    try:
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except OSError as err:
        if out.is_dir() and any(out.iterdir()):
            raise OutputError(f"{out} was filled by another export meanwhile; this one kept nothing") from err
        raise


def export_release(release: Path, out: Path, partition_by: list[str] | None = None) -> ExportReport:
    """Export the release folder ``release`` to ``out`` as hive-partitioned Parquet.

    Args:
        release: A valid release folder, ``dist/<name>/<version>``.
        out: Target folder; must not exist or be empty. Written via a staging folder.
        partition_by: Model fields to partition by, outermost first (default region, year).

    Raises:
        ConfigError: bad ``partition_by`` or a non-empty ``out``, before any work.
        InvalidReleaseError: the release fails validation.
        OutputError: writing failed.
    """
    started = time.perf_counter()
    keys = partition_keys(list(DEFAULT_PARTITION_BY if partition_by is None else partition_by))
    if out.exists() and any(out.iterdir()):
        raise ConfigError(f"{out} is not empty; export into a new or empty folder")
    if out.resolve().is_relative_to(release.resolve()):
        raise ConfigError(f"{out} is inside the release {release}: a file added there makes the release fail "
                          "validation; export to a folder outside it")
    info = open_release(release)
    files: list[str] = []
    staging: Path | None = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(out)
        staging = out.with_name(f".{out.name}.staging-{os.getpid()}-{secrets.token_hex(4)}")  # one per export
        staging.mkdir()  # mkdir, not mkdtemp: the export gets the umask's mode, as the release did
        for shard, path in enumerate(info.parquet_files()):
            files += write_shard(pq.read_table(path, schema=article_schema()), keys, staging, shard)
        _publish(staging, out)
    except OSError as err:
        if err.errno == errno.ENAMETOOLONG:
            raise OutputError(f"exporting to {out} failed: a partition value makes a name longer than the file "
                              f"system allows ({err.filename}); partition by other fields") from err
        raise OutputError(f"exporting to {out} failed: {err}; check free space and permissions") from err
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return ExportReport(out, info.records, sorted(files), time.perf_counter() - started)
