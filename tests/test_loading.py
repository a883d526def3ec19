"""Load a release as users do: datasets, pandas, DuckDB, DatasetCard; no network."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import datasets
import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from huggingface_hub import DatasetCard

from builders.build import build_release
from builders.pipeline import PageResult
from builders.release.arrow import article_schema, features
from builders.release.card import field_rows
from builders.release.config import BuildConfig
from builders.release.write import WriteOptions, jsonable, write_shards
from schema import Article
from tests.conftest import fake_process_file
from tests.factories import empty_article, make_article


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No network, and a private cache per test."""
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))


def jsonl_records(root: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for p in sorted((root / "jsonl").glob("*.jsonl")) for line in p.open(encoding="utf-8")]


def load_jsonl_with_card_features(root: Path, cache: Path) -> datasets.Dataset:
    """What the card tells users to do for the JSONL copy."""
    declared = datasets.load_dataset_builder(str(root), cache_dir=str(cache)).info.features
    assert declared == features()
    files = (root / "jsonl" / "*.jsonl").as_posix()
    return datasets.load_dataset("json", data_files=files, features=declared, split="train", cache_dir=str(cache))


def test_load_dataset_on_the_release_folder(built: Path, tmp_path: Path) -> None:
    ds = datasets.load_dataset(str(built), cache_dir=str(tmp_path / "cache"))
    assert list(ds) == ["train"]
    assert ds["train"].features == features()
    assert [jsonable(row) for row in ds["train"]] == jsonl_records(built)
    assert [jsonable(row) for row in load_jsonl_with_card_features(built, tmp_path / "c2")] == jsonl_records(built)


def _leading_empties(path: Path, root: Path | None = None, meta: object = None) -> PageResult:
    result = fake_process_file(path, root, meta)
    if result.source_file == "000_a.txt":
        empties = (empty_article(10_000 + i) for i in range(3_000))
        result.articles = [a.model_copy(update={"source_file": "000_a.txt"}) for a in empties]
    return result


def test_jsonl_with_thousands_of_leading_nulls_loads_with_declared_features(
    monkeypatch: pytest.MonkeyPatch, make_config: Callable[..., BuildConfig], tmp_path: Path
) -> None:
    monkeypatch.setattr("builders.build.release_file", _leading_empties)
    root = build_release(make_config()).release_dir
    files = sorted(str(p) for p in (root / "jsonl").glob("*.jsonl"))
    direct = datasets.load_dataset("json", data_files=files, features=features(), split="train",
                                   cache_dir=str(tmp_path / "c1"))
    via_card = load_jsonl_with_card_features(root, tmp_path / "c2")
    for ds in (direct, via_card):
        assert ds.features == features() and ds.num_rows == 3_000 + 6
        assert ds[0]["bylines"] == [] and ds[0]["dateline"] is None
        assert ds[3_000]["bylines"] == [{"name": "胡松", "role": "correspondent"}]
        assert jsonable(ds[3_000]["region"])["county"] == "庆元县" and ds[3_000]["date"].year == 2020


def test_leading_nulls_in_a_bare_jsonl_file(tmp_path: Path) -> None:
    records = [empty_article(i) for i in range(3_000)] + [make_article(i) for i in range(3_000, 3_010)]
    shards = write_shards(tmp_path, iter(records), WriteOptions())
    ds = datasets.load_dataset("json", data_files=str(tmp_path / shards.jsonl[0]), features=features(),
                               split="train", cache_dir=str(tmp_path / "cache"))
    assert [Article.model_validate(r) for r in ds.select(range(2_995, 3_005))] == records[2_995:3_005]


def test_pandas_reads_the_data_folder(built: Path) -> None:
    df = pd.read_parquet(built / "data")
    assert list(df.columns) == article_schema().names
    assert len(df) == 9 and df["headline"].str.contains("庆元").all()
    assert list(df.loc[0, "bylines"][0].keys()) == ["name", "role"]


def _mixed_years(path: Path, root: Path | None = None, meta: object = None) -> PageResult:
    result = fake_process_file(path, root, meta)
    if result.source_file == "001_b.txt":
        result.articles = [empty_article(500 + i).model_copy(update={"source_file": "001_b.txt"}) for i in range(2)]
    return result


def test_the_cards_pandas_snippet_keeps_integers_with_nulls(
    monkeypatch: pytest.MonkeyPatch, make_config: Callable[..., BuildConfig]
) -> None:
    monkeypatch.setattr("builders.build.release_file", _mixed_years)
    root = build_release(make_config()).release_dir
    card = (root / "README.md").read_text(encoding="utf-8")
    snippet = next(block for block in card.split("```python")[1:] if "pd.read_parquet(" in block)
    code = snippet.split("```")[0].replace("path/to/", f"{root.parent.parent.as_posix()}/")
    scope: dict[str, Any] = {}
    exec(code, scope)
    df = scope["df"]
    assert df["year"].isna().sum() == 2 and df["year"].notna().any()
    for field in article_schema():
        if field.type in (pa.int32(), pa.int64()):
            assert pd.api.types.is_integer_dtype(df[field.name].dtype), (field.name, df[field.name].dtype)


def test_duckdb_reads_the_shards(built: Path) -> None:
    glob = (built / "data" / "*.parquet").as_posix()
    con = duckdb.connect()
    (count,) = con.execute(f"SELECT count(*) FROM read_parquet('{glob}')").fetchone()  # type: ignore[misc]
    rows = con.execute(
        f"SELECT region.county, len(bylines), date FROM read_parquet('{glob}') ORDER BY id LIMIT 1"
    ).fetchall()
    assert count == 9
    assert rows[0][0] == "庆元县" and rows[0][1] == 1 and str(rows[0][2]) == "2020-05-29"


def test_dataset_card_loads_without_warnings_and_lists_every_field(
    built: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        card = DatasetCard.load(built / "README.md")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert card.data.pretty_name == "Test Papers" and card.data.language == ["zh"]
    assert card.data.configs == [
        {"config_name": "default", "default": True, "data_files": [{"split": "train", "path": "data/*.parquet"}]}
    ]
    for path, _, _, _ in field_rows(Article, article_schema()):
        assert f"| `{path}` |" in card.text, f"field {path} missing from the card"
    assert "| `no-articles` | 1 |" in card.text and "| 庆元报 | 9 |" in card.text
    for snippet in ("load_dataset(", "pd.read_parquet(", "read_parquet('"):
        assert snippet in card.text


def test_committed_seed_release_loads_and_validates(tmp_path: Path) -> None:
    from builders.release.config import load_dataset_meta
    from builders.release.validate import validate_release

    root = Path(__file__).resolve().parents[1]
    meta = load_dataset_meta(root / "pyproject.toml")
    committed = root / "dist" / meta.name / meta.version
    assert [str(p) for p in validate_release(committed)] == []
    ds = datasets.load_dataset(str(committed), split="train", cache_dir=str(tmp_path / "cache"))
    assert ds.features == features() and ds.num_rows == len(jsonl_records(committed)) > 0
    assert [jsonable(row) for row in ds] == jsonl_records(committed)
