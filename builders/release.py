"""Build a release: seeds -> validated records -> ``dist/<name>/<version>/``.

Stages are generators chained one page at a time: sorted seed paths -> :func:`pages`
(read, parse, enrich) -> :func:`checked_records` (validate, route problems) -> the
shard writer. Only counts and per-seed rows are kept in memory. The release is built
in a staging folder and then published: an identical existing release is left alone,
a different one is refused unless ``force``.
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import logging
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from pydantic import ValidationError

from builders import __version__
from builders.card import render_card
from builders.changelog import changes_section, propose_version, write_changelog
from builders.config import BuildConfig
from builders.croissant import CROISSANT_FILE, write_croissant
from builders.errors import InvalidRecordError, OutputError, ReleaseExistsError
from builders.pipeline import PageResult, invalid_record_problems, process_file
from builders.stats import BuildStats, SeedEntry
from builders.write import WrittenShards, record_json
from schema import JSON_SCHEMA_PATH, SCHEMA_VERSION, Article, Problem

log = logging.getLogger("xianbao")
Status = Literal["created", "unchanged", "replaced"]
SCHEMA_FILE = "article.schema.json"
REJECTS_FILE = "rejects.jsonl"
MANIFEST_FILE = "manifest.json"
SUMS_FILE = "SHA256SUMS"
CARD_FILE = "README.md"


@dataclass
class BuildReport:
    """What a build did."""

    release_dir: Path
    status: Status
    stats: BuildStats
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0
    proposal: tuple[str, list[str]] | None = None
    """Next version by the rules and why (builds without an explicit version only)."""

    def summary(self) -> str:
        """One line for humans."""
        return (
            f"{self.status} {self.release_dir}: {self.stats.records} records from {self.stats.pages} pages, "
            f"{self.stats.rejects} rejects, {len(self.files)} files in {self.seconds:.1f}s"
        )


def seed_paths(seeds: Path) -> list[Path]:
    """Every ``*.txt`` under ``seeds``, sorted by POSIX relative path (a deterministic order)."""
    return sorted(seeds.rglob("*.txt"), key=lambda p: p.relative_to(seeds).as_posix())


class ProblemSink:
    """Routes problems: rejects to rejects.jsonl, warnings to counts, per ``on_invalid``."""

    def __init__(self, stream: IO[str], stats: BuildStats, on_invalid: str) -> None:
        self.stream, self.stats, self.on_invalid = stream, stats, on_invalid

    def add_all(self, problems: list[Problem]) -> None:
        """Record the problems of one page or record.

        Raises:
            InvalidRecordError: under ``on_invalid="error"``, naming every invalid location.
        """
        invalid = [p for p in problems if p.code == "invalid-record"]
        if invalid and self.on_invalid == "error":
            at = ", ".join(loc for p in invalid for loc in p.locations) or "record"
            raise InvalidRecordError(
                f"{_where(invalid[0])}: invalid record at {at}: {invalid[0].message}; "
                "fix the parser/enricher, or rerun with --on-invalid warn"
            )
        for problem in problems:
            self.add(problem)

    def add(self, problem: Problem) -> None:
        """Count a warning, or write a reject to rejects.jsonl (logged under ``on_invalid="warn"``)."""
        if problem.severity == "warning":
            self.stats.warnings_by_code[problem.code] += 1
            log.debug("%s: %s: %s", _where(problem), problem.code, problem.message)
            return
        if problem.code == "invalid-record" and self.on_invalid == "warn":
            at = ", ".join(problem.locations) or "record"
            log.warning("%s: invalid record at %s: %s (rejected into %s)", _where(problem), at, problem.message,
                        REJECTS_FILE)
        self.stats.rejects_by_code[problem.code] += 1
        if self.stats.seeds and self.stats.seeds[-1].file == problem.source_file:
            self.stats.seeds[-1].rejects += 1
        self.stream.write(problem.model_dump_json() + "\n")


def _where(problem: Problem) -> str:
    return f"{problem.source_file}:{problem.line}" if problem.line else problem.source_file


def checked_records(results: Iterable[PageResult], sink: ProblemSink) -> Iterator[tuple[Article, str]]:
    """Validate every record of every page against the model; yield ``(article, jsonl line)``."""
    seen: dict[str, str] = {}
    stats = sink.stats
    for result in results:
        stats.seeds.append(SeedEntry(result.source_file, result.sha256, result.n_bytes))
        sink.add_all(result.problems)
        for article in result.articles:
            line = record_json(article)
            try:
                Article.model_validate_json(line)
            except ValidationError as err:
                sink.add_all(invalid_record_problems(err, result.source_file, None))
                continue
            if article.id in seen:
                sink.add_all([_duplicate(article, seen[article.id])])
                continue
            seen[article.id] = article.source_file
            stats.add_record(article)
            yield article, line


def _duplicate(article: Article, first: str) -> Problem:
    return Problem(
        code="invalid-record",
        source_file=article.source_file,
        line=None,
        message=f"id {article.id} was already released from {first}; the same page is in seeds twice?",
        locations=["id"],
    )


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_json(path: Path, value: Any) -> None:
    """Stable JSON: sorted keys, UTF-8, two-space indent, final newline."""
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def file_rows(root: Path, names: list[str], shards: WrittenShards) -> list[dict[str, Any]]:
    """The ``files`` rows of manifest.json (records counted for the shards)."""
    records = dict(zip(shards.parquet + shards.jsonl, shards.records_per_shard * 2, strict=True))
    return [
        {"path": n, "bytes": (root / n).stat().st_size, "sha256": sha256_file(root / n), "records": records.get(n)}
        for n in sorted(names)
    ]


def manifest(config: BuildConfig, stats: BuildStats, files: list[dict[str, Any]]) -> dict[str, Any]:
    """The content of manifest.json."""
    meta = config.dataset
    return {
        "dataset": {"name": meta.name, "pretty_name": meta.pretty_name, "version": config.release_version,
                    "license": meta.license, "homepage": meta.homepage},
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "xianbao", "version": __version__},
        "counts": stats.counts(),
        "seeds": [seed.as_json() for seed in stats.seeds],
        "files": files,
    }


def write_release(config: BuildConfig, root: Path) -> tuple[BuildStats, list[str]]:
    """Write every file of the release under ``root``; return the stats and file names."""
    from builders.sharded import write_records  # sharded imports this module

    stats, shards = write_records(config, root, process_file)
    shutil.copyfile(JSON_SCHEMA_PATH, root / SCHEMA_FILE)
    shard_rows = file_rows(root, [*shards.parquet, *shards.jsonl], shards)
    write_croissant(root / CROISSANT_FILE, config.dataset, config.release_version, shard_rows)
    changes = changes_section(config.history_dir, config.release_version, root)
    (root / CARD_FILE).write_text(render_card(config, stats, shards, root, changes), encoding="utf-8")
    names = [*shards.parquet, *shards.jsonl, REJECTS_FILE, SCHEMA_FILE, CARD_FILE, CROISSANT_FILE]
    write_json(root / MANIFEST_FILE, manifest(config, stats, file_rows(root, names, shards)))
    names.append(MANIFEST_FILE)
    sums = "".join(f"{sha256_file(root / n)}  {n}\n" for n in sorted(names))
    (root / SUMS_FILE).write_text(sums, encoding="utf-8")
    return stats, sorted([*names, SUMS_FILE])


def same_tree(a: Path, b: Path) -> bool:
    """True when two folders hold the same relative files with the same bytes."""
    files_a = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    return files_a == files_b and all(filecmp.cmp(a / f, b / f, shallow=False) for f in files_a)


def publish(staging: Path, target: Path, force: bool) -> Status:
    """Move the staged release into place, honouring immutability of versions."""
    if not target.exists():
        staging.rename(target)
        return "created"
    if same_tree(staging, target):
        shutil.rmtree(staging)
        return "unchanged"
    if not force:
        shutil.rmtree(staging)
        raise ReleaseExistsError(
            f"{target} already exists with different content; bump --version, or rebuild it with --force"
        )
    backup = target.with_name(f".{target.name}.old")
    shutil.rmtree(backup, ignore_errors=True)
    target.rename(backup)
    staging.rename(target)
    shutil.rmtree(backup)
    return "replaced"


def build_release(config: BuildConfig) -> BuildReport:
    """Build ``config.out/<name>/<version>/`` from ``config.seeds``.

    Raises:
        ConfigError: before any work, when the config cannot work.
        InvalidRecordError: a record failed validation under ``on_invalid="error"``.
        ReleaseExistsError: the version exists with different content and ``force`` is off.
        OutputError: the release could not be written.
    """
    propose = config.version is None
    config = config.checked()
    started = time.perf_counter()
    target = config.release_dir
    staging = target.with_name(f".{target.name}.staging")
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        stats, files = write_release(config, staging)
        proposal = propose_version(config.history_dir, staging, config.release_version) if propose else None
        status = _publish_or_propose(staging, target, config.force, proposal)
        write_changelog(target.parent)
    except OSError as err:
        raise OutputError(f"writing {target} failed: {err}; check free space and permissions") from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildReport(target, status, stats, files, time.perf_counter() - started, proposal)


def _publish_or_propose(staging: Path, target: Path, force: bool, proposal: tuple[str, list[str]] | None) -> Status:
    """:func:`publish`; a refusal names the next version by the rules when one was proposed."""
    try:
        return publish(staging, target, force)
    except ReleaseExistsError as err:
        if proposal is None:
            raise
        raise ReleaseExistsError(f"{err} (the version rules propose --version {proposal[0]}: "
                                 f"{'; '.join(proposal[1])})") from err
