"""validate_release: a good release passes; each kind of corruption is reported."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from builders.cli import main
from builders.release.validate import validate_release

JSONL = "jsonl/train-00000-of-00001.jsonl"
PARQUET = "data/train-00000-of-00001.parquet"


@pytest.fixture
def copy(built: Path, tmp_path: Path) -> Path:
    """A copy of a freshly built release, free to corrupt."""
    return Path(shutil.copytree(built, tmp_path / "copy"))


def codes(root: Path) -> set[str]:
    return {p.code for p in validate_release(root)}


def edit_line(path: Path, index: int, change: Callable[[dict], None]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[index])
    change(record)
    lines[index] = json.dumps(record, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_fresh_release_is_valid(built: Path) -> None:
    assert validate_release(built) == []
    result = CliRunner().invoke(main, ["validate", str(built)])
    assert result.exit_code == 0 and "valid" in result.output


def test_jsonl_line_against_json_schema_with_formats(copy: Path) -> None:
    edit_line(copy / JSONL, 1, lambda r: r.update(date="2020-13-45", id="NOT-HEX"))
    problems = [p for p in validate_release(copy) if p.code == "invalid-record"]
    assert {(p.path, p.line) for p in problems} == {(JSONL, 2)}
    assert sorted(p.message.split(":")[0] for p in problems) == ["date", "id"]


def test_broken_json_line(copy: Path) -> None:
    with (copy / JSONL).open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    assert {"invalid-json", "record-mismatch", "checksum-mismatch", "card-mismatch"} <= codes(copy)


def test_parquet_and_jsonl_must_hold_the_same_records(copy: Path) -> None:
    edit_line(copy / JSONL, 0, lambda r: r.update(headline="另一个标题"))
    problems = [p for p in validate_release(copy) if p.code == "record-mismatch"]
    assert len(problems) == 1 and "headline" in problems[0].message and problems[0].line == 1


def test_parquet_schema_must_be_the_derived_one(copy: Path) -> None:
    table = pq.read_table(copy / PARQUET)
    table = table.set_column(0, pa.field("id", pa.large_string()), table.column("id").cast(pa.large_string()))
    pq.write_table(table, copy / PARQUET)
    assert "schema-mismatch" in codes(copy)


def test_unreadable_parquet(copy: Path) -> None:
    (copy / PARQUET).write_bytes(b"PAR1 broken")
    assert "unreadable-parquet" in codes(copy)


def test_card_counts_must_match(copy: Path) -> None:
    card = copy / "README.md"
    card.write_text(card.read_text(encoding="utf-8").replace("num_examples: 9", "num_examples: 10"), encoding="utf-8")
    problems = [p for p in validate_release(copy) if p.code == "card-mismatch"]
    assert len(problems) == 1 and "10" in problems[0].message


def test_manifest_counts_must_match(copy: Path) -> None:
    with (copy / "rejects.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"code":"no-articles","source_file":"x.txt","line":null,"message":"m","locations":[]}\n')
    assert codes(copy) == {"manifest-mismatch", "checksum-mismatch"}


def test_checksums(copy: Path) -> None:
    (copy / "extra.txt").write_text("x")
    (copy / "article.schema.json").write_text((copy / "article.schema.json").read_text() + " ")
    messages = {(p.path, p.message) for p in validate_release(copy) if p.code == "checksum-mismatch"}
    assert ("extra.txt", "file is not listed in SHA256SUMS") in messages
    assert any(path == "article.schema.json" and "differs" in msg for path, msg in messages)


def test_missing_files_and_cli_exit_code(copy: Path) -> None:
    (copy / "manifest.json").unlink()
    assert "missing-file" in codes(copy)
    result = CliRunner().invoke(main, ["validate", str(copy)])
    assert result.exit_code == 1
    assert "manifest.json: missing-file: required file is missing" in result.output
