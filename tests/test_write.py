"""The shard writers: round trips, shard cutting, Parquet settings."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders.release.arrow import article_schema
from builders.release.write import (
    WriteOptions,
    iter_parquet,
    parquet_writer,
    read_columns,
    read_jsonl_records,
    record_json,
    write_shards,
)
from schema import Article
from tests.factories import articles, empty_article, make_article


def _paths(root: Path, names: list[str]) -> list[Path]:
    return [root / name for name in names]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(articles(), max_size=8))
def test_jsonl_and_parquet_round_trip(tmp_path_factory, records: list[Article]) -> None:
    root = tmp_path_factory.mktemp("release")
    shards = write_shards(root, iter(records), WriteOptions(max_shard_bytes=2_000, row_group_size=3))
    from_jsonl = [Article.model_validate(r) for r in read_jsonl_records(_paths(root, shards.jsonl))]
    from_parquet = [Article.model_validate(r) for r in iter_parquet(_paths(root, shards.parquet))]
    assert from_jsonl == records
    assert from_parquet == records
    assert shards.num_records == len(records) == sum(shards.records_per_shard)


def test_jsonl_line_is_utf8_in_model_order_with_iso_dates() -> None:
    line = record_json(make_article())
    assert "庆元" in line and "\\u" not in line
    assert list(json.loads(line)) == list(Article.model_fields)
    assert json.loads(line)["date"] == "2020-05-29"


def test_shards_are_cut_by_size_and_named_of_total(tmp_path: Path) -> None:
    line_bytes = len(record_json(make_article(0)).encode()) + 1
    options = WriteOptions(max_shard_bytes=3 * line_bytes + 5)
    shards = write_shards(tmp_path, (make_article(i) for i in range(10)), options)
    assert shards.records_per_shard == [3, 3, 3, 1]
    assert shards.parquet[0] == "data/train-00000-of-00004.parquet"
    assert shards.jsonl[-1] == "jsonl/train-00003-of-00004.jsonl"
    for name in shards.jsonl:
        assert (tmp_path / name).stat().st_size <= 3 * line_bytes + 5
    assert not list(tmp_path.rglob("*.partial"))


def test_parquet_has_derived_schema_row_groups_and_page_index(tmp_path: Path) -> None:
    shards = write_shards(tmp_path, (make_article(i) for i in range(25)), WriteOptions(row_group_size=10))
    pf = pq.ParquetFile(tmp_path / shards.parquet[0])
    assert pf.schema_arrow.equals(article_schema())
    assert [pf.metadata.row_group(i).num_rows for i in range(pf.num_row_groups)] == [10, 10, 5]
    column = pf.metadata.row_group(0).column(0)
    assert column.compression == "ZSTD"
    assert column.has_offset_index and column.has_column_index
    assert b"pandas" not in (pf.schema_arrow.metadata or {})


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(articles(), max_size=6))
def test_a_staged_shard_rewritten_gives_the_bytes_of_a_released_shard_rewritten(tmp_path_factory,
                                                                                 records: list[Article]) -> None:
    """The shard tasks of a build with the reuse pass write fast Parquet (lz4, plain, no statistics or page
    index) that the pass reads back and rewrites with the release's settings: the same bytes as the rewrite
    of a shard written with the release's settings (what the pass was given before), so staging never shows
    in a release."""
    root = tmp_path_factory.mktemp("staged")
    rewritten = []
    for name, staged in (("released", False), ("staged", True)):
        shards = write_shards(root / name, iter(records), WriteOptions(row_group_size=4, staged=staged))
        metadata = pq.ParquetFile(root / name / shards.parquet[0]).metadata
        if metadata.num_row_groups:
            column = metadata.row_group(0).column(0)
            assert (column.compression, column.has_offset_index, column.is_stats_set) == \
                (("LZ4", False, False) if staged else ("ZSTD", True, True))
        with parquet_writer(root / f"{name}.parquet", WriteOptions(row_group_size=4)) as writer:
            writer.write_table(read_columns(root / name / shards.parquet[0]), row_group_size=4)
        rewritten.append((root / f"{name}.parquet").read_bytes() + (root / name / shards.jsonl[0]).read_bytes())
    assert rewritten[0] == rewritten[1]


def test_no_records_still_gives_one_empty_shard(tmp_path: Path) -> None:
    shards = write_shards(tmp_path, iter([]))
    assert shards.parquet == ["data/train-00000-of-00001.parquet"]
    assert pq.read_table(tmp_path / shards.parquet[0]).num_rows == 0
    assert (tmp_path / shards.jsonl[0]).read_bytes() == b""


def test_leading_empty_records_keep_types(tmp_path: Path) -> None:
    records = [empty_article(i) for i in range(5)] + [make_article(100)]
    shards = write_shards(tmp_path, iter(records), WriteOptions(row_group_size=2))
    assert [Article.model_validate(r) for r in iter_parquet(_paths(tmp_path, shards.parquet))] == records


WITHOUT_PANDAS = """
import sys
from pathlib import Path
from builders.release.write import arrow_without_pandas, write_shards
from tests.factories import make_article
arrow_without_pandas()
write_shards(Path(sys.argv[1]), iter([make_article(0), make_article(1)]))
print("pandas" in sys.modules)
import pandas
print(pandas.__name__)
"""


def test_a_shard_writing_process_does_not_import_pandas(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", WITHOUT_PANDAS, str(tmp_path)], capture_output=True, text=True,
                          cwd=root, check=True)
    assert done.stdout.split() == ["False", "pandas"]  # not imported by the writer, importable afterwards
    assert list((tmp_path / "data").glob("*.parquet"))
