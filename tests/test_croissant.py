"""croissant.json: generated from the model, valid for mlcroissant, loads the same records as the JSONL."""

from __future__ import annotations

import datetime
import json
import socket
from pathlib import Path
from typing import Any

import pytest

from builders.build import build_release
from builders.pipeline import PageResult
from builders.release.arrow import article_schema
from builders.release.card import field_rows
from builders.release.croissant import CROISSANT_FILE, RECORD_SET, field_paths
from builders.release.validate import validate_release
from schema import Article
from schema.article import Byline, Caption, Official
from tests.conftest import fake_process_file

NESTED_IN_LIST = {"captions", "reuse"}
"""mlcroissant 1.1 rebuilds one level of nesting only: a list inside a list of structs
(``captions[].credits[]``) or inside a struct (``reuse.passages[]``) does not come back; the file
declares it correctly (the other subfields are compared). It also
loads a null struct as a dict of nulls (see :func:`_null_structs`)."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """mlcroissant must work offline: any connection attempt fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def _rich(path: Path, root: Path | None = None, meta: object = None) -> PageResult:
    """The fake pipeline, with nested values: captions with credits, officials, a null dateline."""
    result = fake_process_file(path, root, meta)
    if result.articles:
        first = result.articles[0]
        result.articles[0] = first.model_copy(update={
            "captions": [Caption(text="图为一景", credits=[Byline(name="吴林", role="photographer")])],
            "officials": [Official(name="蓝伶俐", title="县委书记")], "dateline": None, "region": None,
        })
    return result


@pytest.fixture
def rich_release(monkeypatch: pytest.MonkeyPatch, make_config: Any) -> Path:
    """A release from the fake pipeline with nested values, split into several shards."""
    monkeypatch.setattr("builders.build.release_file", _rich)
    return build_release(make_config(max_shard_bytes=3_000)).release_dir


def _plain(value: Any) -> Any:
    """mlcroissant's values as JSON values: bytes -> str, Timestamp -> ISO date, keys without prefixes."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, dict):
        return {k.rsplit("/", 1)[-1]: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.datetime):  # pandas.Timestamp
        return value.date().isoformat()
    return value


def _null_structs(record: dict[str, Any]) -> dict[str, Any]:
    """mlcroissant loads a null struct as a dict of nulls: map it back to None."""
    return {k: None if isinstance(v, dict) and set(v.values()) == {None} else v for k, v in record.items()}


def test_fields_are_generated_from_the_model(rich_release: Path) -> None:
    doc = json.loads((rich_release / CROISSANT_FILE).read_text(encoding="utf-8"))
    fields = doc["recordSet"][0]["field"]
    expected = {f"{RECORD_SET}/" + path.replace("[].", ".").replace(".", "/")
                for path, *_ in field_rows(Article, article_schema())}
    assert set(field_paths(fields)) == expected
    by_name = {f["name"]: f for f in fields}
    assert by_name["tokens"]["repeated"] is True and by_name["tokens"]["dataType"] == "sc:Text"
    assert by_name["date"]["dataType"] == "sc:Date" and by_name["ordinal"]["dataType"] == "sc:Integer"
    credits = next(f for f in by_name["captions"]["subField"] if f["name"] == "credits")
    assert credits["repeated"] is True
    assert credits["subField"][0]["source"] == {
        "fileSet": {"@id": "parquet-files"}, "extract": {"column": "captions"},
        "transform": {"jsonPath": "name"}}
    assert by_name["id"]["description"] == Article.model_fields["id"].description


def test_files_are_listed_with_their_sha256(rich_release: Path) -> None:
    doc = json.loads((rich_release / CROISSANT_FILE).read_text(encoding="utf-8"))
    sums = dict(reversed(line.split("  ")) for line in (rich_release / "SHA256SUMS").read_text().splitlines())
    objects = [d for d in doc["distribution"] if d["@type"] == "cr:FileObject"]
    assert len(objects) > 2, "expected several shards"
    assert all(o["sha256"] == sums[o["contentUrl"]] for o in objects)
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.0" and doc["version"] == "0.1.0"


def test_mlcroissant_validates_and_loads_the_jsonl_records(rich_release: Path) -> None:
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=rich_release / CROISSANT_FILE)
    assert not dataset.metadata.ctx.issues.errors
    loaded = [_null_structs(_plain(r)) for r in dataset.records(record_set=RECORD_SET)]
    jsonl = [json.loads(line) for p in sorted((rich_release / "jsonl").glob("*.jsonl"))
             for line in p.read_text(encoding="utf-8").splitlines()]
    assert len(loaded) == len(jsonl) == 9
    for got, want in zip(loaded, jsonl, strict=True):
        assert {k: got[k] for k in want if k not in NESTED_IN_LIST} == {
            k: v for k, v in want.items() if k not in NESTED_IN_LIST}
        assert [c["text"] for c in got["captions"]] == [c["text"] for c in want["captions"]]
        if want["reuse"] is not None:
            assert {k: v for k, v in got["reuse"].items() if k != "passages"} == {
                k: v for k, v in want["reuse"].items() if k != "passages"}


def test_validate_reports_a_broken_croissant_file(rich_release: Path) -> None:
    assert validate_release(rich_release) == []
    path = rich_release / CROISSANT_FILE
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["distribution"][0]["sha256"] = "0" * 64
    doc["recordSet"][0]["field"].pop()
    doc["recordSet"][0]["field"][0]["dataType"] = "sc:Nope"
    path.write_text(json.dumps(doc), encoding="utf-8")
    problems = [p for p in validate_release(rich_release) if p.code == "croissant-mismatch"]
    messages = " / ".join(p.message for p in problems)
    assert "sha256 of data/train-00000" in messages and "differ from the model's" in messages
    assert "mlcroissant: [Metadata(test-papers) > RecordSet(articles) > Field(id)] The field does not" in messages


def test_without_a_homepage_the_url_is_the_hub_repo() -> None:
    from dataclasses import replace

    from builders.release.croissant import croissant
    from tests.conftest import META

    assert croissant(replace(META, repo_id="some-org/test-papers"), "1.0.0", [])["url"] == (
        "https://huggingface.co/datasets/some-org/test-papers"
    )
    assert croissant(replace(META, homepage="https://example.invalid/x"), "1.0.0", [])["url"] == "https://example.invalid/x"


def _jsonl(release: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for p in sorted((release / "jsonl").glob("*.jsonl"))
            for line in p.read_text(encoding="utf-8").splitlines()]


def test_temporal_coverage_spans_the_records_years_of_print(rich_release: Path) -> None:
    doc = json.loads((rich_release / CROISSANT_FILE).read_text(encoding="utf-8"))
    years = sorted({r["year"] for r in _jsonl(rich_release) if r["year"] is not None})
    assert years, "the fake pipeline gives years"
    expected = str(years[0]) if len(years) == 1 else f"{years[0]}/{years[-1]}"
    assert doc["temporalCoverage"] == expected
    assert "datePublished" not in doc  # no date_published: a build never reads the clock


def test_temporal_coverage_of_several_years_and_of_none() -> None:
    from builders.release.croissant import temporal_coverage

    assert temporal_coverage([2020, 1998, 2019, 1998]) == "1998/2020"
    assert temporal_coverage([2001]) == "2001"
    assert temporal_coverage([]) is None


def test_date_published_is_written_and_silences_mlcroissant(
    monkeypatch: pytest.MonkeyPatch, make_config: Any
) -> None:
    from dataclasses import replace

    import mlcroissant as mlc

    from tests.conftest import META

    monkeypatch.setattr("builders.build.release_file", _rich)
    plain = build_release(make_config()).release_dir
    assert any("datePublished" in w for w in mlc.Dataset(jsonld=plain / CROISSANT_FILE).metadata.ctx.issues.warnings)
    dated = build_release(make_config(dataset=replace(META, date_published="2026-12-01"), force=True)).release_dir
    doc = json.loads((dated / CROISSANT_FILE).read_text(encoding="utf-8"))
    assert doc["datePublished"] == "2026-12-01"
    dataset = mlc.Dataset(jsonld=dated / CROISSANT_FILE)
    assert not dataset.metadata.ctx.issues.errors and not dataset.metadata.ctx.issues.warnings
    assert validate_release(dated) == []
