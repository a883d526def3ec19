"""Publish a release to an Apache Iceberg table: one tagged snapshot per dataset version.

The table's schema is :func:`lake_schema`, derived from the model's Arrow schema. A
version is written in one catalog commit: (schema evolution,) overwrite of every row,
and the tag ``v<version>`` on the new snapshot, whose summary records the dataset
name, version, schema version and the SHA-256 of manifest.json. So:

* publishing a version already tagged with the same manifest changes nothing;
* the same tag with another manifest is refused (versions are immutable);
* a newer version replaces the rows; older ones stay readable by tag (time travel);
* new optional fields evolve the table; any other schema change is refused, naming the field.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
from pydantic import BaseModel

from builders.errors import ConfigError, MissingExtraError, PublishError, need_extra, one_line
from builders.release.arrow import article_schema
from builders.release.card import nested_model
from builders.release.info import ReleaseInfo, open_release
from schema import Article

DOC_KEY = b"doc"
"""The Arrow field metadata key pyiceberg reads a column's doc from (``pyiceberg.io.pyarrow``)."""
DATASET_PROPERTY = "xianbao.dataset"
"""Table property naming the dataset the table holds."""
PROPERTY = "xianbao.{}"
"""Snapshot summary keys: ``xianbao.dataset-version``, ``xianbao.manifest-sha256``, …"""
Status = Literal["created", "updated", "unchanged"]
NAME_PART_RE = re.compile(r"\w[\w-]*")
"""One part of ``namespace.table``: letters, digits, ``_`` and ``-``; no path characters (``/``, ``..``)."""
CATALOG_PACKAGES = {"thrift": '"pyiceberg[hive]"', "psycopg": '"psycopg[binary]"', "psycopg2": "psycopg2-binary"}
"""What to ``pip install`` for a module a catalog needs: Hive (``thrift://``), PostgreSQL (``postgresql://`` is
psycopg 3 from SQLAlchemy 2.1 on, psycopg2 before and with ``postgresql+psycopg2://``)."""


@dataclass
class LakeReport:
    """What publishing one version did."""

    table: str
    tag: str
    status: Status
    snapshot_id: int
    records: int
    added_fields: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for humans."""
        added = f", added fields {', '.join(self.added_fields)}" if self.added_fields else ""
        return (f"{self.status} {self.table}@{self.tag}: snapshot {self.snapshot_id}, {self.records} records"
                f"{added} in {self.seconds:.1f}s")


def lake_schema(schema: pa.Schema | None = None) -> pa.Schema:
    """The Arrow schema an Iceberg table is created from: the model's, adapted in this one place.

    pyiceberg (0.9+) maps the derived schema as is: string, int32, date32, structs with
    required children and lists with non-null elements all have Iceberg equivalents, and
    the catalog assigns field IDs. The only conversion is dropping schema-level metadata,
    which Iceberg does not store. Reads come back with ``large_string``/``large_list``
    types, so schemas are compared with :func:`flat_fields`, which ignores that width.
    """
    base = (schema or article_schema()).remove_metadata()
    return pa.schema([_documented(f, Article) for f in base])


def _documented(arrow: pa.Field, model: type[BaseModel] | None) -> pa.Field:
    """``arrow`` with the model field's description as its ``doc`` (Iceberg column docs), children too."""
    info = model.model_fields.get(arrow.name) if model is not None else None
    type_ = arrow.type
    nested = nested_model(info.annotation) if info is not None else None
    if pa.types.is_struct(type_):
        type_ = pa.struct([_documented(child, nested) for child in type_.fields])
    elif pa.types.is_list(type_) and pa.types.is_struct(type_.value_type):
        item = type_.value_field
        type_ = pa.list_(item.with_type(pa.struct([_documented(c, nested) for c in item.type.fields])))
    doc = info.description if info is not None and info.description else None
    documented = arrow.with_type(type_)
    return documented.with_metadata({DOC_KEY: doc.encode("utf-8")}) if doc else documented


def _type_name(type_: pa.DataType) -> str:
    if pa.types.is_string(type_) or pa.types.is_large_string(type_):
        return "string"
    if pa.types.is_binary(type_) or pa.types.is_large_binary(type_):
        return "binary"
    return str(type_)


def _walk(path: str, type_: pa.DataType, nullable: bool) -> Iterator[tuple[str, str, bool]]:
    if pa.types.is_struct(type_):
        yield path, "struct", nullable
        for child in type_.fields:
            yield from _walk(f"{path}.{child.name}", child.type, child.nullable)
    elif pa.types.is_list(type_) or pa.types.is_large_list(type_):
        yield path, "list", nullable
        yield from _walk(f"{path}[]", type_.value_field.type, type_.value_field.nullable)
    else:
        yield path, _type_name(type_), nullable


def flat_fields(schema: pa.Schema) -> dict[str, tuple[str, bool]]:
    """Every field and nested field by path (``region.code``, ``bylines[].name``): (type, nullable)."""
    return {path: (kind, nullable) for f in schema for path, kind, nullable in _walk(f.name, f.type, f.nullable)}


def schema_changes(current: pa.Schema, new: pa.Schema) -> list[str]:
    """Fields ``new`` adds to ``current`` when that is an allowed evolution (new optional fields only).

    Raises:
        PublishError: naming each field removed, retyped, made required or added as required.
    """
    old, now = flat_fields(current), flat_fields(new)
    problems = [f"{p} was removed" for p in old if p not in now]
    problems += [f"{p} changed from {old[p][0]}{'' if old[p][1] else ' not null'} to "
                 f"{now[p][0]}{'' if now[p][1] else ' not null'}" for p in old if p in now and old[p] != now[p]]
    added = [p for p in now if p not in old]
    roots = [p for p in added if not any(p.startswith(q) and p[len(q)] in ".[" for q in added if q != p)]
    problems += [f"{p} is a new required field (make it optional)" for p in roots if not now[p][1]]
    if problems:
        raise PublishError(f"incompatible schema change: {'; '.join(problems)}; only new optional fields "
                           "are allowed: publish to a new table")
    return roots


def warehouse_uri(warehouse: str) -> str:
    """A local folder as a ``file://`` URI (created); URIs such as ``s3://bucket/lake`` as given."""
    if "://" in warehouse:
        return warehouse
    folder = Path(warehouse).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return folder.as_uri()


def open_catalog(uri: str, warehouse: str, name: str = "xianbao") -> Any:
    """A pyiceberg catalog: SQL for ``sqlite:``/``postgresql:`` URIs, REST for ``http(s)``, Hive for ``thrift``.

    Raises:
        ConfigError: the URI names no catalog type pyiceberg knows, or the catalog cannot be opened.
        MissingExtraError: the catalog type needs a package that is not installed (the message names it).
    """
    from pyiceberg.catalog import load_catalog
    from pyiceberg.exceptions import NotInstalledError

    unopenable: tuple[type[Exception], ...] = (ValueError, ImportError, *catalog_errors())
    try:
        if uri.startswith("sqlite:///"):
            Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        return load_catalog(name, uri=uri, warehouse=warehouse_uri(warehouse))
    except NotInstalledError as err:
        raise MissingExtraError(missing_driver(uri, err)) from err
    except unopenable as err:
        raise ConfigError(f"cannot open the Iceberg catalog {uri}: {one_line(err)}") from err


def catalog_errors() -> tuple[type[Exception], ...]:
    """What a catalog that cannot be reached or refuses a request raises: OSError (requests' errors, for REST),
    pyiceberg's ``RESTError`` (an error status) and SQLAlchemy's errors (an unopenable database, a dead server)."""
    from pyiceberg.exceptions import RESTError

    found: list[type[Exception]] = [OSError, RESTError]
    try:
        from sqlalchemy.exc import SQLAlchemyError
    except ImportError:  # pyiceberg without a SQL catalog
        pass
    else:
        found.append(SQLAlchemyError)
    return tuple(found)


def missing_driver(uri: str, err: Exception) -> str:
    """What to install for the catalog ``uri``, from pyiceberg's ``NotInstalledError`` ``err``.

    Names the module that failed to import and its pip package; pyiceberg's own advice (``pyiceberg[sql-postgres]``
    installs psycopg2, which ``postgresql://`` no longer uses with SQLAlchemy 2.1) only when the module is unknown.
    """
    cause: BaseException | None = err
    while cause is not None and not (isinstance(cause, ImportError) and cause.name):
        cause = cause.__cause__ or cause.__context__
    module = cause.name.partition(".")[0] if isinstance(cause, ImportError) and cause.name else None
    if module is None:
        return f"the Iceberg catalog {uri} needs a package that is not installed: {err}"
    package = CATALOG_PACKAGES.get(module)
    install = f"pip install {package}" if package else str(err)
    return f"the Iceberg catalog {uri} needs {module}, which is not installed: {install}"


def snapshot_properties(info: ReleaseInfo) -> dict[str, str]:
    """The summary properties recorded on a version's snapshot."""
    values = {"dataset-name": info.name, "dataset-version": info.version,
              "schema-version": info.schema_version, "manifest-sha256": info.manifest_sha256}
    return {PROPERTY.format(k): v for k, v in values.items()}


def _version(text: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in (text or "0.0.0").split("."))


def check_version(table: Any, info: ReleaseInfo) -> int | None:
    """The snapshot already tagged with this same release, or None when it must be written.

    Raises:
        PublishError: the tag holds another manifest, or the table holds a newer version.
    """
    tagged = table.snapshot_by_name(info.tag)
    if tagged is not None:
        theirs = tagged.summary[PROPERTY.format("manifest-sha256")]
        if theirs != info.manifest_sha256:
            raise PublishError(f"{info.tag} of the table is snapshot {tagged.snapshot_id} with manifest sha256 "
                               f"{theirs}, not this release's {info.manifest_sha256}; versions are immutable: "
                               "bump the version")
        return int(tagged.snapshot_id)
    current = table.current_snapshot()
    newest = current.summary[PROPERTY.format("dataset-version")] if current is not None else None
    if newest and _version(newest) > _version(info.version):
        raise PublishError(f"the table already holds v{newest}, newer than {info.tag}; publish versions in order")
    return None


def namespace_of(table_name: str) -> str:
    """The namespace of ``namespace.table`` (a nested namespace is ``a.b.table``).

    Raises:
        ConfigError: the name has no namespace, or a part is empty or not a name (``a..b``, ``../x.y``).
    """
    if "." not in table_name:
        raise ConfigError(f"table {table_name!r} needs a namespace, e.g. xianbao.articles")
    if not all(NAME_PART_RE.fullmatch(part) for part in table_name.split(".")):
        raise ConfigError(f"table {table_name!r} is not namespace.table, e.g. xianbao.articles: each part "
                          "non-empty, of letters, digits, _ and - only")
    return table_name.rpartition(".")[0]


def write_version(catalog: Any, table_name: str, rows: pa.Table, info: ReleaseInfo) -> LakeReport:
    """Publish ``rows`` as version ``info.version`` of the table ``table_name`` (created if needed).

    Raises:
        ConfigError: the table name has no namespace.
        PublishError: the version or schema conflicts with the table (nothing changed).
    """
    from pyiceberg.table.update.snapshot import ManageSnapshots

    started = time.perf_counter()
    namespace = namespace_of(table_name)
    schema = lake_schema(rows.schema)
    catalog.create_namespace_if_not_exists(namespace)
    created = not catalog.table_exists(table_name)
    table = catalog.create_table_if_not_exists(table_name, schema=schema, properties={DATASET_PROPERTY: info.name})
    existing = check_version(table, info)
    if existing is not None:
        return LakeReport(table_name, info.tag, "unchanged", existing, rows.num_rows)
    added = schema_changes(table.schema().as_arrow(), schema)
    with table.transaction() as tx:
        if added:
            with tx.update_schema() as update:
                update.union_by_name(schema)
        write = tx.overwrite if table.current_snapshot() is not None else tx.append
        write(rows.cast(schema), snapshot_properties=snapshot_properties(info))
        snapshot_id = tx.table_metadata.current_snapshot().snapshot_id
        with ManageSnapshots(tx) as manage:
            manage.create_tag(snapshot_id, info.tag)
    status: Status = "created" if created else "updated"
    return LakeReport(table_name, info.tag, status, snapshot_id, rows.num_rows, added, time.perf_counter() - started)


def publish_iceberg(release: Path, catalog_uri: str, warehouse: str, table_name: str,
                    catalog_name: str = "xianbao") -> LakeReport:
    """Validate the release folder ``release`` and publish it to the Iceberg table ``table_name``.

    Args:
        release: A release folder, ``dist/<name>/<version>``.
        catalog_uri: Catalog URI, e.g. ``sqlite:///lake/catalog.db`` (see :func:`open_catalog`).
        warehouse: Where data and metadata files go: a folder, or a URI such as ``s3://bucket/lake``.
        table_name: ``namespace.table``, e.g. ``xianbao.articles``.
        catalog_name: The catalog's name: a SQL catalog keeps it with each table, so readers open
            it under the same name (``SqlCatalog(catalog_name, uri=...)``).

    Raises:
        ConfigError: the table name is not ``namespace.table``, or the catalog cannot be opened.
        MissingExtraError: the catalog needs a package that is not installed (the message names it).
        InvalidReleaseError: the release fails validation (checked before the catalog is opened).
        PublishError: the version or schema conflicts with the table (nothing changed), or the catalog
            or the warehouse failed while writing.
    """
    namespace_of(table_name)
    need_extra("pyiceberg", "lake", "xianbao publish iceberg")
    if catalog_uri.startswith(("sqlite:", "postgresql")):
        need_extra("sqlalchemy", "lake", f"the SQL catalog {catalog_uri}")
    info = open_release(release)
    catalog = open_catalog(catalog_uri, warehouse, catalog_name)
    try:
        return write_version(catalog, table_name, info.read_table(), info)
    except catalog_errors() as err:
        raise PublishError(f"publishing {table_name}@{info.tag} to the Iceberg catalog {catalog_uri} failed: "
                           f"{one_line(err)}") from err
