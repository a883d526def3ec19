"""export_release: hive-partitioned Parquet that reads back to the release's rows."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from builders.cli import main
from builders.errors import ConfigError, InvalidReleaseError
from builders.publish.export import export_release, partition_keys, partitioning
from builders.release.write import jsonable
from tests.releases import V1, build, jsonl_records


@pytest.fixture
def release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return build(tmp_path, monkeypatch, "1.0.0", V1)


def by_id(rows: list[dict]) -> list[dict]:
    return sorted((jsonable(r) for r in rows), key=lambda r: r["id"])


def test_partition_folders_and_rows_read_back(release: Path, tmp_path: Path) -> None:
    report = export_release(release, tmp_path / "out")
    assert report.records == 9
    assert "region_code=331126/year=2020/part-00000.parquet" in report.files
    assert "region_code=__HIVE_DEFAULT_PARTITION__/year=__HIVE_DEFAULT_PARTITION__/part-00000.parquet" in report.files
    keys = partition_keys(["region", "year"])
    table = ds.dataset(tmp_path / "out", format="parquet", partitioning=partitioning(keys)).to_table()
    rows = table.to_pylist()
    for row in rows:
        assert row.pop("region_code") == (row["region"] or {}).get("code")
    assert by_id(rows) == by_id(jsonl_records(release))


def test_files_keep_partition_columns(release: Path, tmp_path: Path) -> None:
    report = export_release(release, tmp_path / "out")
    one = pq.read_table(tmp_path / "out" / report.files[0])
    assert {"region", "region_code", "year"} <= set(one.column_names)
    query = f"SELECT count(*), count(DISTINCT region_code) FROM read_parquet('{tmp_path}/out/**/*.parquet')"
    assert duckdb.sql(query).fetchall() == [(9, 2)]


def test_pandas_reads_the_export_as_the_readme_says(release: Path, tmp_path: Path) -> None:
    """The keys are columns of every file; pandas' default read takes them from the folder names too (as
    numbers) and refuses the clash. With ``partitioning=None`` (README) it reads every row, keys as text."""
    import pandas as pd

    export_release(release, tmp_path / "out")
    frame = pd.read_parquet(tmp_path / "out", partitioning=None)
    records = jsonl_records(release)
    assert sorted(frame["id"]) == sorted(r["id"] for r in records)
    codes = {(r["region"] or {}).get("code") for r in records} - {None}
    assert set(frame["region_code"].dropna()) == codes and all(isinstance(code, str) for code in codes)


def test_deterministic(release: Path, tmp_path: Path) -> None:
    a = export_release(release, tmp_path / "a")
    b = export_release(release, tmp_path / "b")
    assert a.files == b.files
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in a.files)


@pytest.mark.parametrize(("fields", "message"), [
    (["nope"], "'nope' is not a field"), (["tokens"], "partition by a scalar field"), (["year", "year"], "distinct"),
])
def test_bad_partition_fields(release: Path, tmp_path: Path, fields: list[str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        export_release(release, tmp_path / "out", fields)


def test_refuses_invalid_release_and_non_empty_target(release: Path, tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(ConfigError, match="not empty"):
        export_release(release, tmp_path / "full")
    (release / "rejects.jsonl").write_text("tampered\n")
    with pytest.raises(InvalidReleaseError, match="not a valid release"):
        export_release(release, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_cli(release: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(release), "--to", str(tmp_path / "out"),
                                       "--partition-by", "year"])
    assert result.exit_code == 0, result.output
    assert "exported 9 records" in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "year=2020", "year=2021", "year=__HIVE_DEFAULT_PARTITION__"]
    bad = CliRunner().invoke(main, ["export", str(release), "--to", str(tmp_path / "o2"), "--partition-by", "x"])
    assert bad.exit_code == 2 and bad.output.count("\n") == 1 and "error:" in bad.output


@pytest.mark.parametrize("partition_by", ["", " , "])
def test_an_empty_partition_list_is_an_error_not_the_default(release: Path, tmp_path: Path,
                                                             partition_by: str) -> None:
    result = CliRunner().invoke(main, ["export", str(release), "--to", str(tmp_path / "out"),
                                       "--partition-by", partition_by])
    assert result.exit_code == 2 and "give distinct field names" in result.output
    assert not (tmp_path / "out").exists()


def test_an_export_inside_the_release_is_refused(release: Path) -> None:
    """It would leave the release invalid (a folder its checksums do not list) until removed."""
    result = CliRunner().invoke(main, ["export", str(release), "--to", str(release / "exp")])
    assert result.exit_code == 2 and "inside the release" in result.output
    assert not (release / "exp").exists()
    assert CliRunner().invoke(main, ["validate", str(release)]).exit_code == 0


def test_a_stale_staging_folder_and_a_rival_export_do_not_mix(release: Path, tmp_path: Path) -> None:
    from builders.errors import OutputError
    from builders.publish.export import _publish

    stale = tmp_path / ".ex.staging" / "year=1999"
    stale.mkdir(parents=True)
    (stale / "part-99999.parquet").write_bytes(b"junk")
    dead = tmp_path / ".ex.staging-999999999-0a0b0c0d"  # a pid no process has: an export killed mid-way
    dead.mkdir()
    live = tmp_path / f".ex.staging-{os.getpid()}-0a0b0c0d"  # an export still running
    live.mkdir()
    report = export_release(release, tmp_path / "ex")
    assert not any("1999" in f for f in report.files) and list(tmp_path.glob(".ex.staging-*")) == [live]
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "ex").stat().st_mode & 0o777 == 0o777 & ~umask
    rival = tmp_path / ".late"
    rival.mkdir()
    with pytest.raises(OutputError, match="filled by another export"):
        _publish(rival, tmp_path / "ex")
    assert sorted(p.relative_to(tmp_path / "ex").as_posix() for p in (tmp_path / "ex").rglob("*.parquet")) == \
        sorted(report.files)


def test_a_partition_name_too_long_for_the_file_system_is_one_clear_error(
        release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from builders.errors import OutputError
    from builders.publish import export

    monkeypatch.setattr(export, "segment", lambda key, value: f"{key.name}=" + "%E5%8E%BF" * 40)
    with pytest.raises(OutputError, match="longer than the file system allows"):
        export_release(release, tmp_path / "ex", ["year"])
    assert not (tmp_path / "ex").exists() and not list(tmp_path.glob(".ex.staging-*"))
