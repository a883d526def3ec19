"""Check a release folder: every file accounted for, every record valid and consistent.

:func:`validate_release` runs every check and returns all problems found (each with
the file, the line when known, and a stable code); it never stops at the first one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice, zip_longest
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from builders.release.arrow import article_schema, features
from builders.release.croissant import CROISSANT_FILE, croissant_problems
from builders.release.files import CARD_FILE, MANIFEST_FILE, REJECTS_FILE, SCHEMA_FILE, SUMS_FILE, sha256_file
from builders.release.write import DATA_DIR, JSONL_DIR, iter_jsonl, iter_parquet
from schema.export import render

MAX_PER_CHECK = 20
"""At most this many problems are listed per check and file."""


@dataclass(frozen=True)
class ReleaseProblem:
    """Something wrong with a release: ``code`` is stable kebab-case."""

    code: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.code}: {self.message}"


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def check_files(root: Path) -> Iterator[ReleaseProblem]:
    """Required files exist and SHA256SUMS lists exactly the other files, with their digests."""
    for name in (CARD_FILE, MANIFEST_FILE, SUMS_FILE, SCHEMA_FILE, REJECTS_FILE, CROISSANT_FILE):
        if not (root / name).is_file():
            yield ReleaseProblem("missing-file", name, "required file is missing; rebuild the release")
    for sub, suffix in ((DATA_DIR, "parquet"), (JSONL_DIR, "jsonl")):
        if not list((root / sub).glob(f"*.{suffix}")):
            yield ReleaseProblem("missing-file", sub, f"no *.{suffix} shard; rebuild the release")
    if not (root / SUMS_FILE).is_file():
        return
    listed: dict[str, str] = {}
    for number, line in enumerate((root / SUMS_FILE).read_text(encoding="utf-8").splitlines(), start=1):
        digest, sep, name = line.partition("  ")
        if not sep:
            yield ReleaseProblem("checksum-mismatch", SUMS_FILE, f"not a sha256sum line: {line!r}", number)
        listed[name] = digest
    present = {_rel(root, p) for p in root.rglob("*") if p.is_file()} - {SUMS_FILE}
    for name in sorted(present - set(listed)):
        yield ReleaseProblem("checksum-mismatch", name, f"file is not listed in {SUMS_FILE}")
    for name in sorted(set(listed) - present):
        yield ReleaseProblem("checksum-mismatch", name, f"listed in {SUMS_FILE} but missing")
    for name in sorted(set(listed) & present):
        if sha256_file(root / name) != listed[name]:
            yield ReleaseProblem("checksum-mismatch", name, f"SHA-256 differs from {SUMS_FILE}: file changed")


def check_jsonl(root: Path, paths: list[Path]) -> Iterator[ReleaseProblem]:
    """Every JSONL line is JSON and valid against article.schema.json (Draft 2020-12, formats checked)."""
    from jsonschema import Draft202012Validator, FormatChecker

    if not (root / SCHEMA_FILE).is_file():
        return
    text = (root / SCHEMA_FILE).read_text(encoding="utf-8")
    if text != render():
        yield ReleaseProblem("schema-mismatch", SCHEMA_FILE, "differs from the model's JSON Schema")
    validator = Draft202012Validator(json.loads(text), format_checker=FormatChecker())
    found: dict[Path, int] = {}
    for path, number, line in iter_jsonl(paths):
        for problem in _line_problems(validator, _rel(root, path), number, line):
            found[path] = found.get(path, 0) + 1
            if found[path] <= MAX_PER_CHECK:
                yield problem


def _line_problems(validator: Any, path: str, number: int, line: str) -> Iterator[ReleaseProblem]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        yield ReleaseProblem("invalid-json", path, f"not JSON: {err}", number)
        return
    for error in sorted(validator.iter_errors(record), key=lambda e: list(map(str, e.absolute_path))):
        at = ".".join(str(p) for p in error.absolute_path) or "record"
        yield ReleaseProblem("invalid-record", path, f"{at}: {error.message}", number)


def check_parquet_schema(root: Path, paths: list[Path]) -> Iterator[ReleaseProblem]:
    """Each Parquet shard has exactly the Arrow schema derived from the model."""
    expected = article_schema()
    for path in paths:
        try:
            actual = pq.read_schema(path)
        except (OSError, ValueError) as err:
            yield ReleaseProblem("unreadable-parquet", _rel(root, path), str(err))
            continue
        if not actual.equals(expected, check_metadata=False):
            yield ReleaseProblem("schema-mismatch", _rel(root, path), "Parquet schema differs from the model's")


def check_same_records(root: Path, parquet: list[Path], jsonl: list[Path]) -> Iterator[ReleaseProblem]:
    """Parquet and JSONL shards hold the same records in the same order."""
    try:
        pairs = zip_longest(iter_parquet(parquet), iter_jsonl(jsonl))
        mismatches = (
            ReleaseProblem("record-mismatch", _rel(root, line[0]) if line else JSONL_DIR,
                           _difference(row, line[2] if line else None), line[1] if line else None)
            for row, line in pairs
            if line is None or row is None or _decoded(line[2]) != row
        )
        yield from islice(mismatches, MAX_PER_CHECK)
    except (OSError, ValueError) as err:
        yield ReleaseProblem("unreadable-parquet", DATA_DIR, str(err))


def _decoded(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return None


def _difference(row: dict[str, Any] | None, line: str | None) -> str:
    if row is None:
        return "JSONL has more records than Parquet"
    if line is None:
        return f"Parquet has more records than JSONL (record {row.get('id')})"
    record = _decoded(line) or {}
    keys = [k for k in row if row.get(k) != record.get(k)]
    return f"record {row.get('id')} differs from Parquet in {', '.join(keys) or 'its keys'}"


def check_counts(root: Path, n_records: int, n_rejects: int) -> Iterator[ReleaseProblem]:
    """The card's features and split sizes and the manifest's counts match the files."""
    from datasets import Features
    from huggingface_hub import DatasetCard

    if (root / CARD_FILE).is_file():
        try:
            infos = DatasetCard.load(root / CARD_FILE).data.to_dict().get("dataset_info")
        except ValueError as err:  # yaml errors are ValueErrors too
            infos, err_text = None, str(err).splitlines()[0]
        else:
            err_text = "the YAML front matter has no dataset_info"
        if not infos:
            yield ReleaseProblem("card-mismatch", CARD_FILE, f"{err_text}; rebuild the release")
        for info in infos or []:
            name = info.get("config_name", "?")
            if Features._from_yaml_list(info.get("features", [])) != features():
                yield ReleaseProblem("card-mismatch", CARD_FILE, f"features of config {name} differ from the model")
            examples = [s.get("num_examples") for s in info.get("splits", [])]
            if examples != [n_records]:
                yield ReleaseProblem("card-mismatch", CARD_FILE, f"config {name} says {examples} records, "
                                     f"files hold {n_records}")
    if (root / MANIFEST_FILE).is_file():
        counts = json.loads((root / MANIFEST_FILE).read_text(encoding="utf-8")).get("counts", {})
        if (counts.get("records"), counts.get("rejects")) != (n_records, n_rejects):
            yield ReleaseProblem("manifest-mismatch", MANIFEST_FILE, f"says {counts.get('records')} records and "
                                 f"{counts.get('rejects')} rejects, files hold {n_records} and {n_rejects}")


def check_croissant(root: Path) -> Iterator[ReleaseProblem]:
    """croissant.json passes mlcroissant, lists every shard with its SHA-256, and has the model's fields."""
    if (root / CROISSANT_FILE).is_file():
        for message in croissant_problems(root):
            yield ReleaseProblem("croissant-mismatch", CROISSANT_FILE, message)


def _count_lines(path: Path) -> int:
    if not path.is_file():
        return 0
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def validate_release(root: Path) -> list[ReleaseProblem]:
    """Every problem of the release folder ``root`` (empty when the release is valid)."""
    parquet = sorted((root / DATA_DIR).glob("*.parquet"))
    jsonl = sorted((root / JSONL_DIR).glob("*.jsonl"))
    n_records = sum(_count_lines(p) for p in jsonl)
    problems = [*check_files(root), *check_jsonl(root, jsonl), *check_parquet_schema(root, parquet)]
    if not any(p.code == "unreadable-parquet" for p in problems):
        problems.extend(check_same_records(root, parquet, jsonl))
    problems.extend(check_counts(root, n_records, _count_lines(root / REJECTS_FILE)))
    if not n_records and jsonl:
        problems.append(ReleaseProblem("empty-release", JSONL_DIR, "the release holds no record; rebuild it from "
                                       "a seeds folder with pages (it was built with --allow-empty?)"))
    problems.extend(check_croissant(root))
    return problems
