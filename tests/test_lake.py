"""publish_iceberg: tagged snapshots per version in a local SQLite catalog, time travel, schema evolution."""

from __future__ import annotations

import re
import shutil
import socket
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import duckdb
import pyarrow as pa
import pytest
from click.testing import CliRunner

from builders.cli import main
from builders.errors import InvalidReleaseError, PublishError
from builders.publish.iceberg import open_catalog, publish_iceberg, schema_changes, write_version
from builders.release.info import open_release
from builders.release.write import jsonable
from tests.releases import V1, V2, build, jsonl_records

pytest.importorskip("pyiceberg")
TABLE = "xianbao.articles"


@pytest.fixture
def lake(tmp_path: Path) -> dict[str, str]:
    return {"catalog_uri": f"sqlite:///{tmp_path}/lake/catalog.db", "warehouse": str(tmp_path / "lake")}


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Versions 1.0.0 and 1.1.0 of a small dataset, built once: tests must not change them."""
    folder = tmp_path_factory.mktemp("releases")
    with pytest.MonkeyPatch.context() as monkeypatch:
        return build(folder, monkeypatch, "1.0.0", V1), build(folder, monkeypatch, "1.1.0", V2)


def load(lake: dict[str, str]) -> Any:
    return open_catalog(lake["catalog_uri"], lake["warehouse"]).load_table(TABLE)


def by_id(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted((jsonable(r) for r in rows), key=lambda r: r["id"])


def duckdb_rows(table: Any, snapshot_id: int) -> list[dict[str, Any]]:
    """Rows of a snapshot read by DuckDB from the data files of the snapshot's scan plan."""
    paths = [unquote(urlparse(task.file.file_path).path) for task in table.scan(snapshot_id=snapshot_id).plan_files()]
    return duckdb.read_parquet(paths).to_arrow_table().to_pylist()


def test_two_versions_by_tag_with_pyiceberg_and_duckdb(releases: tuple[Path, Path], lake: dict[str, str]) -> None:
    old, new = releases
    first = publish_iceberg(old, table_name=TABLE, **lake)
    second = publish_iceberg(new, table_name=TABLE, **lake)
    assert (first.status, second.status) == ("created", "updated")
    table = load(lake)
    for release, tag in ((old, "v1.0.0"), (new, "v1.1.0")):
        snapshot = table.snapshot_by_name(tag)
        assert snapshot.summary["xianbao.dataset-version"] == tag[1:]
        assert snapshot.summary["xianbao.manifest-sha256"] == open_release(release, validate=False).manifest_sha256
        expected = by_id(jsonl_records(release))
        assert by_id(table.scan(snapshot_id=snapshot.snapshot_id).to_arrow().to_pylist()) == expected
        assert by_id(duckdb_rows(table, snapshot.snapshot_id)) == expected
    assert table.current_snapshot().snapshot_id == second.snapshot_id
    assert table.scan().to_arrow().num_rows == 11


def test_republishing_is_a_no_op(releases: tuple[Path, Path], lake: dict[str, str]) -> None:
    old, _ = releases
    first = publish_iceberg(old, table_name=TABLE, **lake)
    before = len(load(lake).snapshots())
    again = publish_iceberg(old, table_name=TABLE, **lake)
    assert (again.status, again.snapshot_id) == ("unchanged", first.snapshot_id)
    assert len(load(lake).snapshots()) == before


def test_refuses_changed_content_and_older_versions(releases: tuple[Path, Path], lake: dict[str, str]) -> None:
    old, new = releases
    publish_iceberg(new, table_name=TABLE, **lake)
    with pytest.raises(PublishError, match=r"newer than v1\.0\.0"):
        publish_iceberg(old, table_name=TABLE, **lake)
    info = open_release(new, validate=False)
    forged = type(info)(info.root, info.name, info.version, info.schema_version, "0" * 64, info.records)
    catalog = open_catalog(lake["catalog_uri"], lake["warehouse"])
    with pytest.raises(PublishError, match="versions are immutable"):
        write_version(catalog, TABLE, info.read_table(), forged)


def test_new_optional_field_evolves_the_table(releases: tuple[Path, Path], lake: dict[str, str]) -> None:
    old, new = releases
    publish_iceberg(old, table_name=TABLE, **lake)
    info = open_release(new, validate=False)
    rows = info.read_table()
    rows = rows.append_column(pa.field("sentiment", pa.float64()), pa.nulls(rows.num_rows, pa.float64()))
    report = write_version(open_catalog(lake["catalog_uri"], lake["warehouse"]), TABLE, rows, info)
    assert report.added_fields == ["sentiment"]
    table = load(lake)
    assert "sentiment" in table.schema().column_names
    v1 = table.scan(snapshot_id=table.snapshot_by_name("v1.0.0").snapshot_id).to_arrow()
    assert v1.num_rows == 9 and "sentiment" not in v1.column_names  # a snapshot is read with its own schema
    assert set(table.scan().to_arrow().column("sentiment").to_pylist()) == {None}


@pytest.mark.parametrize(("change", "named"), [
    (lambda s: s.remove(s.get_field_index("year")), "year was removed"),
    (lambda s: s.set(s.get_field_index("year"), pa.field("year", pa.string())), "year changed from int32"),
    (lambda s: s.append(pa.field("score", pa.int64(), nullable=False)), "score is a new required field"),
])
def test_incompatible_schema_change_names_the_field(change: Any, named: str) -> None:
    from builders.publish.iceberg import lake_schema

    with pytest.raises(PublishError, match=named):
        schema_changes(lake_schema(), change(lake_schema()))


def test_nested_optional_field_is_allowed() -> None:
    from builders.publish.iceberg import lake_schema

    schema = lake_schema()
    index = schema.get_field_index("region")
    region = schema.field(index).type
    wider = pa.struct([*region.fields, pa.field("name_en", pa.string())])
    assert schema_changes(schema, schema.set(index, pa.field("region", wider))) == ["region.name_en"]


def test_invalid_release_is_refused_before_the_catalog(
    releases: tuple[Path, Path], lake: dict[str, str], tmp_path: Path
) -> None:
    old = Path(shutil.copytree(releases[0], tmp_path / "copy"))
    (old / "rejects.jsonl").write_text("tampered\n")
    with pytest.raises(InvalidReleaseError):
        publish_iceberg(old, table_name=TABLE, **lake)
    assert not Path(lake["warehouse"]).exists()


def test_cli(releases: tuple[Path, Path], lake: dict[str, str]) -> None:
    old, _ = releases
    args = ["publish", "iceberg", str(old), "--catalog", lake["catalog_uri"], "--warehouse", lake["warehouse"],
            "--table", TABLE]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("created xianbao.articles@v1.0.0")
    assert CliRunner().invoke(main, args).output.startswith("unchanged")
    bad = CliRunner().invoke(main, [*args[:-1], "articles"])
    assert bad.exit_code == 2 and "needs a namespace" in bad.output


def test_catalog_name_column_docs_and_dataset_property(releases: tuple[Path, Path], lake: dict[str, str]) -> None:
    """Readers open the catalog under the name it was published with, and see each column's description."""
    from pyiceberg.catalog.sql import SqlCatalog
    from pyiceberg.exceptions import NoSuchTableError

    from schema import Article

    old, _ = releases
    args = ["publish", "iceberg", str(old), "--catalog", lake["catalog_uri"], "--warehouse", lake["warehouse"],
            "--table", TABLE, "--catalog-name", "research"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    table = SqlCatalog("research", uri=lake["catalog_uri"], warehouse=lake["warehouse"]).load_table(TABLE)
    assert table.properties["xianbao.dataset"] == open_release(old, validate=False).name
    schema = table.schema()
    assert schema.find_field("headline").doc == Article.model_fields["headline"].description
    assert schema.find_field("region.county").doc
    assert schema.find_field("bylines").doc == Article.model_fields["bylines"].description
    with pytest.raises(NoSuchTableError):
        SqlCatalog("other", uri=lake["catalog_uri"], warehouse=lake["warehouse"]).load_table(TABLE)


def one_error_line(result: Any, code: int) -> str:
    """The CLI's output, after checking it is a single ``error:`` line and the exit code."""
    assert result.exit_code == code, result.output
    assert result.output.startswith("error: ") and result.output.count("\n") == 1, result.output
    assert "Traceback" not in result.output
    return str(result.output)


@pytest.mark.parametrize("table", ["a..b", "../x.y", "x.", ".x", "a/b.c", "ns.a b"])
def test_bad_table_name_is_refused_before_any_work(
    releases: tuple[Path, Path], lake: dict[str, str], table: str
) -> None:
    args = ["publish", "iceberg", str(releases[0]), "--catalog", lake["catalog_uri"], "--warehouse",
            lake["warehouse"], "--table", table]
    output = one_error_line(CliRunner().invoke(main, args), 2)
    assert f"table {table!r} is not namespace.table, e.g. xianbao.articles" in output
    assert not Path(lake["warehouse"]).exists()


def dead_port() -> int:
    """A port on 127.0.0.1 nobody listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize(("uri", "missing", "install"), [
    ("thrift://127.0.0.1:{port}", ["thrift"], r'thrift, which is not installed: pip install "pyiceberg\[hive\]"'),
    # postgresql:// is psycopg 3 from SQLAlchemy 2.1 on, psycopg2 before
    ("postgresql://u:p@127.0.0.1:{port}/db", ["psycopg", "psycopg2"],
     r'(psycopg, which is not installed: pip install "psycopg\[binary\]"|psycopg2, .*: pip install psycopg2-binary)'),
    ("postgresql+psycopg2://u:p@127.0.0.1:{port}/db", ["psycopg2"],
     "psycopg2, which is not installed: pip install psycopg2-binary"),
])
def test_catalog_without_its_driver_names_the_package(
    releases: tuple[Path, Path], lake: dict[str, str], monkeypatch: pytest.MonkeyPatch, uri: str,
    missing: list[str], install: str,
) -> None:
    """pyiceberg's NotInstalledError (Hive, PostgreSQL) is exit 2 naming what to pip install."""
    for module in missing:
        monkeypatch.setitem(sys.modules, module, None)  # import raises ImportError, as when not installed
    monkeypatch.delitem(sys.modules, "pyiceberg.catalog.hive", raising=False)
    catalog = uri.format(port=dead_port())
    args = ["publish", "iceberg", str(releases[0]), "--catalog", catalog, "--warehouse", lake["warehouse"]]
    output = one_error_line(CliRunner().invoke(main, args), 2)
    assert re.fullmatch(f"error: the Iceberg catalog {re.escape(catalog)} needs {install}\n", output), output


def test_unreachable_or_unopenable_catalog_is_one_line(
    releases: tuple[Path, Path], lake: dict[str, str], tmp_path: Path
) -> None:
    """A REST catalog nobody answers, and a SQLite catalog that is a folder: one line, exit 2, no hang."""
    for catalog in (f"http://127.0.0.1:{dead_port()}", f"sqlite:///{tmp_path}"):
        args = ["publish", "iceberg", str(releases[0]), "--catalog", catalog, "--warehouse", lake["warehouse"]]
        assert one_error_line(CliRunner().invoke(main, args), 2).startswith(
            f"error: cannot open the Iceberg catalog {catalog}: ")
