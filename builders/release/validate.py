"""Check a release folder: every file accounted for, every record valid and consistent.

:func:`validate_release` runs every check and returns all problems found (each with
the file, the line when known, and a stable code); it never stops at the first one.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice, zip_longest
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from builders.release.arrow import article_schema, features
from builders.release.croissant import CROISSANT_FILE, croissant_problems
from builders.release.files import CARD_FILE, MANIFEST_FILE, REJECTS_FILE, SCHEMA_FILE, SUMS_FILE, sha256_file
from builders.release.write import DATA_DIR, JSONL_DIR, iter_parquet
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
    sums = _read_text(root, SUMS_FILE)
    if isinstance(sums, ReleaseProblem):
        yield sums
        return
    listed: dict[str, str] = {}
    for number, line in enumerate(sums.splitlines(), start=1):
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
        actual = _sha256(root, name)
        if isinstance(actual, ReleaseProblem):
            yield actual
        elif actual != listed[name]:
            yield ReleaseProblem("checksum-mismatch", name, f"SHA-256 differs from {SUMS_FILE}: file changed")


def _read_text(root: Path, name: str) -> str | ReleaseProblem:
    """A file of the release as UTF-8 text, or the problem that it cannot be read as such."""
    try:
        return (root / name).read_bytes().decode("utf-8")
    except OSError as err:
        return ReleaseProblem("unreadable-file", name, f"cannot be read: {err.strerror or err}")
    except UnicodeDecodeError as err:
        return ReleaseProblem("unreadable-file", name, f"not UTF-8 (byte {err.start}); rebuild the release")


def _sha256(root: Path, name: str) -> str | ReleaseProblem:
    try:
        return sha256_file(root / name)
    except OSError as err:
        return ReleaseProblem("unreadable-file", name, f"cannot be read: {err.strerror or err}")


def _json_file(root: Path, name: str) -> dict[str, Any] | ReleaseProblem:
    """A JSON object file of the release, or the problem that it is not one."""
    text = _read_text(root, name)
    if isinstance(text, ReleaseProblem):
        return text
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        return ReleaseProblem("invalid-json", name, f"not JSON: {err}; rebuild the release")
    if not isinstance(value, dict):
        return ReleaseProblem("invalid-json", name, "not a JSON object; rebuild the release")
    return value


def jsonl_lines(paths: list[Path]) -> Iterator[tuple[Path, int, str | None]]:
    """``(path, line number, text)`` of every JSONL line; text is None for a line that is not UTF-8."""
    for path in paths:
        with path.open("rb") as fh:
            for number, raw in enumerate(fh, start=1):
                try:
                    yield path, number, raw.decode("utf-8").rstrip("\n")
                except UnicodeDecodeError:
                    yield path, number, None


def check_jsonl(root: Path, paths: list[Path], pages: Counter[tuple[str, str]] | None = None
                ) -> Iterator[ReleaseProblem]:
    """Every JSONL line is JSON and valid against article.schema.json (Draft 2020-12, formats checked).

    ``pages`` counts the records per ``(source_file, source_sha256)`` (for :func:`check_manifest`).
    """
    from jsonschema import Draft202012Validator, FormatChecker

    if not (root / SCHEMA_FILE).is_file():
        return
    text = _read_text(root, SCHEMA_FILE)
    if isinstance(text, ReleaseProblem):
        yield text
        return
    if text != render():
        yield ReleaseProblem("schema-mismatch", SCHEMA_FILE, "differs from the model's JSON Schema")
        text = render()
    schema = json.loads(text)
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    first = compiled_validator(schema)
    found: dict[Path, int] = {}
    for path, number, line in jsonl_lines(paths):
        for problem in _line_problems((first, validator), _rel(root, path), number, line, pages):
            found[path] = found.get(path, 0) + 1
            if found[path] <= MAX_PER_CHECK:
                yield problem


def compiled_validator(schema: dict[str, Any]) -> Callable[[Any], bool] | None:
    """``is_valid`` of jsonschema-rs's Draft 2020-12 validator (formats checked) for ``schema``; None when
    it is not installed. It only lets records through: a record it refuses is judged by jsonschema, so a
    record jsonschema accepts is never reported (tests hold that what it accepts, jsonschema accepts)."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    check: Callable[[Any], bool] = jsonschema_rs.Draft202012Validator(schema, validate_formats=True).is_valid
    return check


def _line_problems(validators: tuple[Callable[[Any], bool] | None, Any], path: str, number: int, line: str | None,
                   pages: Counter[tuple[str, str]] | None) -> Iterator[ReleaseProblem]:
    if line is None:
        yield ReleaseProblem("invalid-json", path, "not UTF-8", number)
        return
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        yield ReleaseProblem("invalid-json", path, f"not JSON: {err}", number)
        return
    if pages is not None and isinstance(record, dict):
        pages[(str(record.get("source_file")), str(record.get("source_sha256")))] += 1
    first, validator = validators
    if first is not None and first(record):
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
        pairs = zip_longest(iter_parquet(parquet), ((p, n, t or "") for p, n, t in jsonl_lines(jsonl)))
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

    if (root / CARD_FILE).is_file():
        card = _card_data(root)
        if isinstance(card, ReleaseProblem):
            infos, err_text = None, card.message
        else:
            infos, err_text = card.get("dataset_info"), "the YAML front matter has no dataset_info"
        if not isinstance(infos, list) or not all(isinstance(i, dict) for i in infos):
            infos = None
        if not infos:
            advice = "" if err_text.endswith("rebuild the release") else "; rebuild the release"
            yield ReleaseProblem("card-mismatch", CARD_FILE, f"{err_text}{advice}")
        for info in infos or []:
            name = info.get("config_name", "?")
            if not _same_features(Features, info.get("features", [])):
                yield ReleaseProblem("card-mismatch", CARD_FILE, f"features of config {name} differ from the model")
            examples = [s.get("num_examples") for s in info.get("splits", [])]
            if examples != [n_records]:
                yield ReleaseProblem("card-mismatch", CARD_FILE, f"config {name} says {examples} records, "
                                     f"files hold {n_records}")
    if (root / MANIFEST_FILE).is_file():
        manifest = _json_file(root, MANIFEST_FILE)
        if isinstance(manifest, ReleaseProblem):
            yield manifest
            return
        counts = manifest.get("counts")
        counts = counts if isinstance(counts, dict) else {}
        if (counts.get("records"), counts.get("rejects")) != (n_records, n_rejects):
            yield ReleaseProblem("manifest-mismatch", MANIFEST_FILE, f"says {counts.get('records')} records and "
                                 f"{counts.get('rejects')} rejects, files hold {n_records} and {n_rejects}")


def _same_features(features_type: Any, declared: Any) -> bool:
    try:
        return bool(features_type._from_yaml_list(declared) == features())
    except Exception:  # a hand-edited front matter can hold anything
        return False


def _card_data(root: Path) -> dict[str, Any] | ReleaseProblem:
    """The card's YAML front matter as a mapping, or the problem that it cannot be read."""
    from huggingface_hub import DatasetCard

    text = _read_text(root, CARD_FILE)
    if isinstance(text, ReleaseProblem):
        return ReleaseProblem("card-mismatch", CARD_FILE, text.message)
    try:
        data: dict[str, Any] = DatasetCard(text).data.to_dict()  # type: ignore[no-untyped-call]
    except Exception as err:  # yaml.YAMLError, ValueError, TypeError: whatever a broken front matter raises
        first = (str(err).splitlines() or [type(err).__name__])[0]
        return ReleaseProblem("card-mismatch", CARD_FILE, f"the YAML front matter cannot be read ({first})")
    return data


def check_manifest(root: Path, shard_records: dict[str, int], pages: Counter[tuple[str, str]]
                   ) -> Iterator[ReleaseProblem]:
    """manifest.json against the files and the data: every file's size and SHA-256 and record count,
    the records of every seed page, and the card's licence and name.

    ``shard_records``: lines per shard file; ``pages``: records per ``(source_file, source_sha256)``.
    """
    if not (root / MANIFEST_FILE).is_file():
        return
    manifest = _json_file(root, MANIFEST_FILE)
    if isinstance(manifest, ReleaseProblem):
        return  # reported by check_counts
    yield from _manifest_files(root, manifest.get("files"), shard_records)
    yield from _manifest_seeds(manifest.get("seeds"), pages)
    yield from _card_vs_manifest(root, manifest.get("dataset"))


def _mismatch(message: str) -> ReleaseProblem:
    return ReleaseProblem("manifest-mismatch", MANIFEST_FILE, message)


def _manifest_files(root: Path, rows: Any, shard_records: dict[str, int]) -> Iterator[ReleaseProblem]:
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        yield _mismatch("`files` is not a list of file rows; rebuild the release")
        return
    expected = {_rel(root, p) for p in root.rglob("*") if p.is_file()} - {SUMS_FILE, MANIFEST_FILE}
    listed = {str(r.get("path")): r for r in rows}
    for name in sorted(expected - set(listed)):
        yield _mismatch(f"`files` does not list {name}")
    for name in sorted(set(listed) - expected):
        yield _mismatch(f"`files` lists {name}, which is not in the release")
    for name in sorted(set(listed) & expected):
        row, digest = listed[name], _sha256(root, name)
        if isinstance(digest, ReleaseProblem):
            continue  # reported by check_files
        if row.get("sha256") != digest or row.get("bytes") != (root / name).stat().st_size:
            yield _mismatch(f"{name}: size or SHA-256 differs from `files`: the file changed after the build")
        if name in shard_records and row.get("records") != shard_records[name]:
            yield _mismatch(f"{name}: `files` says {row.get('records')} records, the file holds {shard_records[name]}")


def _manifest_seeds(seeds: Any, pages: Counter[tuple[str, str]]) -> Iterator[ReleaseProblem]:
    if not isinstance(seeds, list) or not all(isinstance(s, dict) for s in seeds):
        yield _mismatch("`seeds` is not a list of seed rows; rebuild the release")
        return
    listed = {(str(s.get("file")), str(s.get("sha256"))): s.get("articles") for s in seeds}
    for key in sorted(set(pages) - set(listed))[:MAX_PER_CHECK]:
        yield _mismatch(f"records come from {key[0]} (sha256 {key[1][:12]}…), which `seeds` does not list")
    wrong = ((key, n) for key, n in sorted(listed.items(), key=lambda kv: kv[0]) if n != pages.get(key, 0))
    for key, articles in islice(wrong, MAX_PER_CHECK):
        yield _mismatch(f"`seeds` says {key[0]} gave {articles} records, the data holds {pages.get(key, 0)}")


def _card_vs_manifest(root: Path, dataset: Any) -> Iterator[ReleaseProblem]:
    if not isinstance(dataset, dict):
        yield _mismatch("`dataset` is not an object; rebuild the release")
        return
    if not (root / CARD_FILE).is_file():
        return
    card = _card_data(root)
    if isinstance(card, ReleaseProblem):
        return  # reported by check_counts
    for key in ("license", "pretty_name"):
        if card.get(key) != dataset.get(key):
            yield ReleaseProblem("card-mismatch", CARD_FILE, f"front matter {key} {card.get(key)!r} differs from "
                                 f"manifest.json's {dataset.get(key)!r}")


def check_croissant(root: Path) -> Iterator[ReleaseProblem]:
    """croissant.json passes mlcroissant, lists every shard with its SHA-256, and has the model's fields."""
    if (root / CROISSANT_FILE).is_file():
        for message in croissant_problems(root):
            yield ReleaseProblem("croissant-mismatch", CROISSANT_FILE, message)


def _count_lines(path: Path) -> int:
    try:
        with path.open("rb") as fh:
            return sum(1 for _ in fh)
    except OSError:
        return 0  # a missing or unreadable file is reported by check_files


def _guarded(label: str, problems: Iterable[ReleaseProblem]) -> Iterator[ReleaseProblem]:
    """The problems of one check; a check that fails on a damaged file becomes a problem naming it."""
    try:
        yield from problems
    except Exception as err:  # never a traceback: a tampered release can break any reader
        yield ReleaseProblem("unreadable-file", label, f"{type(err).__name__}: {err}; rebuild the release")


def validate_release(root: Path, expect_digest: str | None = None) -> list[ReleaseProblem]:
    """Every problem of the release folder ``root`` (empty when the release is valid).

    ``expect_digest``: the release digest printed by the build and recorded in CHANGELOG.md
    (:func:`release_digest`); a release whose files were changed and whose checksums were
    recomputed still fails against it.
    """
    if not root.is_dir():
        return [ReleaseProblem("missing-file", str(root), "not a folder; pass dist/<name>/<version>")]
    parquet = sorted((root / DATA_DIR).glob("*.parquet"))
    jsonl = sorted((root / JSONL_DIR).glob("*.jsonl"))
    shard_records = {_rel(root, p): _count_lines(p) for p in jsonl}
    n_records = sum(shard_records.values())
    shard_records.update({_rel(root, p): _parquet_rows(p) for p in parquet})
    pages: Counter[tuple[str, str]] = Counter()
    problems = [*_guarded(SUMS_FILE, check_files(root)), *_guarded(JSONL_DIR, check_jsonl(root, jsonl, pages)),
                *_guarded(DATA_DIR, check_parquet_schema(root, parquet))]
    if not any(p.code == "unreadable-parquet" for p in problems):
        problems.extend(_guarded(DATA_DIR, check_same_records(root, parquet, jsonl)))
    problems.extend(_guarded(CARD_FILE, check_counts(root, n_records, _count_lines(root / REJECTS_FILE))))
    problems.extend(_guarded(MANIFEST_FILE, check_manifest(root, shard_records, pages)))
    problems.extend(_guarded(CROISSANT_FILE, check_croissant(root)))
    if expect_digest is not None:
        problems.extend(_guarded(SUMS_FILE, check_digest(root, expect_digest)))
    if not n_records and jsonl:
        problems.append(ReleaseProblem("empty-release", JSONL_DIR, "the release holds no record; rebuild it from "
                                       "a seeds folder with pages (it was built with --allow-empty?)"))
    return problems


def _parquet_rows(path: Path) -> int:
    try:
        return int(pq.ParquetFile(path).metadata.num_rows)
    except Exception:  # reported by check_parquet_schema
        return -1


DIGEST_PREFIX = "sha256:"


def release_digest(root: Path) -> str:
    """The digest of a release: SHA-256 of its SHA256SUMS, which lists every other file's SHA-256.

    Printed by ``xianbao build`` and recorded in CHANGELOG.md; ``xianbao validate
    --expect-digest`` checks a release against it.
    """
    return DIGEST_PREFIX + sha256_file(root / SUMS_FILE)


def check_digest(root: Path, expected: str) -> Iterator[ReleaseProblem]:
    """The release's digest is ``expected`` (with or without the ``sha256:`` prefix)."""
    want = expected.strip().lower().removeprefix(DIGEST_PREFIX)
    if not (root / SUMS_FILE).is_file():
        return  # reported by check_files
    actual = release_digest(root)
    if actual.removeprefix(DIGEST_PREFIX) != want:
        yield ReleaseProblem("digest-mismatch", SUMS_FILE, f"the release digest is {actual}, not the expected "
                             f"{DIGEST_PREFIX}{want}: the release is not the one that was built")
