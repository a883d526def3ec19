"""Build a release: seeds -> validated records -> ``dist/<name>/<version>/``.

Read top-down: plan and run the shard tasks (:mod:`builders.scale.plan`: sorted seed
paths -> read, parse, enrich -> validate -> the shard writer) -> the reuse pass over the
written shards (:mod:`builders.reuse.stage`) -> schema, Croissant, card,
manifest and checksums -> publish the folder. Only counts and per-seed rows are kept in memory. The release is built
in a staging folder and then published: an identical existing release is left alone,
a different one is refused unless ``force``.
"""

from __future__ import annotations

import filecmp
import functools
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from builders.errors import InvalidReleaseError, NoRecordsError, OutputError, ReleaseExistsError
from builders.pipeline import release_file
from builders.release.atomic import clean_stale, commit, exclusive, fsync_tree, new_staging, swap
from builders.release.card import render_card
from builders.release.changelog import (
    CHANGELOG_FILE,
    FIRST_RELEASE,
    changes_section,
    propose_version,
    release_versions,
    render_changelog,
    stage_changelog,
)
from builders.release.config import BuildConfig
from builders.release.croissant import CROISSANT_FILE, write_croissant
from builders.release.files import (
    CARD_FILE,
    MANIFEST_FILE,
    REJECTS_FILE,
    SCHEMA_FILE,
    SUMS_FILE,
    file_rows,
    manifest,
    sha256_file,
    write_json,
)
from builders.release.stats import EXAMPLES, BuildStats
from builders.release.validate import release_digest
from builders.reuse.report import reuse_section
from builders.reuse.sketch import SKETCHES, sketch_shard
from builders.reuse.stage import mark_reuse
from builders.scale.engines import LocalPool
from builders.scale.plan import write_records
from builders.scale.tasks import ShardFile
from schema import JSON_SCHEMA_PATH

Status = Literal["created", "unchanged", "replaced"]
STRICT_WARNINGS = frozenset({"bad-manifest-row", "unknown-region-code"})
"""Warnings that ``--strict`` treats as failures: metadata the user meant to give was lost."""

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
    digest: str = ""
    """The release digest (SHA-256 of SHA256SUMS), also in CHANGELOG.md: ``xianbao validate --expect-digest``."""

    def summary(self) -> str:
        """One line for humans."""
        return (
            f"{self.status} {self.release_dir}: {self.stats.records} records from {self.stats.pages} pages, "
            f"{self.stats.rejects} rejects, {len(self.files)} files in {self.seconds:.1f}s"
        )

    def problem_groups(self) -> list[ProblemGroup]:
        """Rejects, then warnings, each by code (most frequent first), with example pages."""
        groups = []
        for severity, counts in (("reject", self.stats.rejects_by_code), ("warning", self.stats.warnings_by_code)):
            for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                groups.append(ProblemGroup(severity, code, n, self.stats.example_pages(code)[:EXAMPLES]))
        return groups

    def strict_failures(self) -> list[ProblemGroup]:
        """What ``--strict`` refuses: any reject, and the manifest's problems (:data:`STRICT_WARNINGS`: rows of
        seeds/manifest.csv that could not be read, region codes the division table does not know)."""
        return [g for g in self.problem_groups() if g.severity == "reject" or g.code in STRICT_WARNINGS]

    def to_json(self) -> dict[str, Any]:
        """The report as one JSON object (``--json``)."""
        return {
            "status": self.status,
            "release_dir": self.release_dir.as_posix(),
            "seconds": round(self.seconds, 3),
            "counts": self.stats.counts(),
            "cache": {"pages_cached": self.stats.pages_cached, "pages_processed": self.stats.pages_processed},
            "files": self.files,
            "problems": [asdict(g) for g in self.problem_groups()],
            "proposal": None if self.proposal is None else {"version": self.proposal[0], "reasons": self.proposal[1]},
        }


@dataclass(frozen=True)
class ProblemGroup:
    """All problems of one code in a build: how many, and the first pages (``file:line``) they were found on."""

    severity: str
    code: str
    count: int
    examples: list[str]


def write_release(config: BuildConfig, root: Path) -> tuple[BuildStats, list[str]]:
    """Write every file of the release under ``root``; return the stats and file names."""
    sketches = root / SKETCHES if config.reuse else None
    finish = ShardFile(functools.partial(sketch_shard, sketches), sketches, ".sketch") if sketches is not None else None
    with LocalPool(config.workers) as pool:  # the shard tasks' helpers (they load jieba): gone before the pass
        stats, shards = write_records(config, root, release_file, finish, pool)
    reuse = mark_reuse(root, shards, config, sketches) if config.reuse else None
    shutil.copyfile(JSON_SCHEMA_PATH, root / SCHEMA_FILE)
    shard_rows = file_rows(root, [*shards.parquet, *shards.jsonl], shards)
    write_croissant(root / CROISSANT_FILE, config.dataset, config.release_version, shard_rows, stats.years)
    changes = changes_section(config.history_dir, config.release_version, root)
    card = render_card(config, stats, shards, root, changes, reuse_section(reuse))
    (root / CARD_FILE).write_text(card, encoding="utf-8")
    names = [*shards.parquet, *shards.jsonl, REJECTS_FILE, SCHEMA_FILE, CARD_FILE, CROISSANT_FILE]
    rows = file_rows(root, names, shards, shard_rows)  # every file is final: each is hashed once
    write_json(root / MANIFEST_FILE, manifest(config, stats, rows))
    digests = {row["path"]: row["sha256"] for row in rows} | {MANIFEST_FILE: sha256_file(root / MANIFEST_FILE)}
    names.append(MANIFEST_FILE)
    sums = "".join(f"{digests[n]}  {n}\n" for n in sorted(names))
    (root / SUMS_FILE).write_text(sums, encoding="utf-8")
    return stats, sorted([*names, SUMS_FILE])


def same_tree(a: Path, b: Path) -> bool:
    """True when two folders hold the same relative files with the same bytes.

    Two releases whose ``SHA256SUMS`` differ are different without reading the rest (the
    same files give the same sums file); equal sums files still compare every file.
    """
    sums_a, sums_b = a / SUMS_FILE, b / SUMS_FILE
    if sums_a.is_file() and sums_b.is_file() and not filecmp.cmp(sums_a, sums_b, shallow=False):
        return False
    files_a = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    return files_a == files_b and all(filecmp.cmp(a / f, b / f, shallow=False) for f in files_a)


def publish(staging: Path, target: Path, force: bool) -> Status:
    """Move the staged release into place in one rename, honouring immutability of versions.

    ``--force`` swaps the new folder in (:func:`~builders.release.atomic.swap`): the old version
    stays readable until the new one is in place, and no backup is left behind.
    """
    if not target.exists():
        staging.rename(target)
        return "created"
    if same_tree(staging, target):
        shutil.rmtree(staging)
        return "unchanged"
    if not force:  # staging is left to the caller (build_release removes it), which names the files that differ
        raise ReleaseExistsError(
            f"{target} already exists with different content; bump --release-version, or rebuild it with --force"
        )
    swap(staging, target)
    return "replaced"


def build_release(config: BuildConfig) -> BuildReport:
    """Build ``config.out/<name>/<version>/`` from ``config.seeds``.

    One build at a time per dataset folder (a lock); the release is written and flushed
    in a staging folder of this build's own, then published by one rename, and
    ``CHANGELOG.md`` by another: a kill or a full disk at any moment leaves the old state
    or the new one.

    Raises:
        ConfigError: before any work, when the config cannot work.
        BuildLockedError: another build is writing the same dataset folder.
        InvalidRecordError: a record failed validation under ``on_invalid="error"``.
        ReleaseExistsError: the version exists with different content and ``force`` is off.
        OutputError: the release could not be written.
    """
    propose = config.version is None
    config = config.checked()
    started = time.perf_counter()
    target = config.release_dir
    try:
        with exclusive(target.parent):
            clean_stale(target.parent)
            staging = new_staging(target)
            try:
                stats, files, status, proposal = _build_in(config, staging, target, propose)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as err:
        raise OutputError(f"writing {target} failed: {err}; check free space and permissions") from err
    return BuildReport(target, status, stats, files, time.perf_counter() - started, proposal, release_digest(target))


def _build_in(config: BuildConfig, staging: Path, target: Path, propose: bool
              ) -> tuple[BuildStats, list[str], Status, tuple[str, list[str]] | None]:
    """Write the release in ``staging``, flush it, prepare the changelog, then publish both."""
    stats, files = write_release(config, staging)
    if not stats.records and stats.pages and not config.allow_empty:
        raise NoRecordsError(_no_records(config, stats))
    proposal = _proposal(config, staging, target) if propose else None
    changelog = stage_changelog(target.parent, render_changelog(target.parent, (target.name, staging)))
    try:
        fsync_tree(staging)
        status = _publish_or_propose(staging, target, config.force, proposal)
        if changelog is not None:
            commit(changelog, target.parent / CHANGELOG_FILE)
    finally:
        if changelog is not None:
            changelog.unlink(missing_ok=True)
    return stats, files, status, proposal


def _proposal(config: BuildConfig, staging: Path, target: Path) -> tuple[str, list[str]] | None:
    """:func:`propose_version` against the latest release; None when that release is the one ``--force``
    replaces and it cannot be read (damaged: replacing it is the fix the error message asks for)."""
    try:
        return propose_version(config.history_dir, staging, config.release_version)
    except InvalidReleaseError:
        versions = release_versions(config.history_dir)
        if config.force and versions and config.history_dir / versions[-1] == target:
            return None
        raise


def _no_records(config: BuildConfig, stats: BuildStats) -> str:
    """The message of a build whose every page was rejected: how many, the commonest reasons, what to do."""
    codes = ", ".join(f"{code} {n}" for code, n in stats.rejects_by_code.most_common(3))
    return (f"no page of {config.seeds} gave an article ({stats.pages} pages; rejects: {codes or 'none'}): "
            "nothing was released; `xianbao parse PAGE` shows why a page is rejected, or --allow-empty "
            "releases the rejects alone")


SHOWN_FILES = 6
"""Files a refusal names (then how many more)."""


def _differing(staging: Path, target: Path) -> str:
    """The files of two releases whose digests differ (from their SHA256SUMS, which differs with them):
    ``README.md, croissant.json``, or ``the card or metadata files`` when a list cannot be read."""
    try:
        new, old = (dict(line.split("  ", 1)[::-1] for line in (root / SUMS_FILE).read_text("utf-8").splitlines())
                    for root in (staging, target))
    except (OSError, UnicodeDecodeError, ValueError):
        return "the card or metadata files"
    names = sorted(name for name in new.keys() | old.keys() if new.get(name) != old.get(name))
    if not names:
        return "the card or metadata files"
    more = f" and {len(names) - SHOWN_FILES} more" if len(names) > SHOWN_FILES else ""
    return ", ".join(names[:SHOWN_FILES]) + more


def _publish_or_propose(staging: Path, target: Path, force: bool, proposal: tuple[str, list[str]] | None) -> Status:
    """:func:`publish`; a refusal names the next version by the rules when one was proposed."""
    try:
        return publish(staging, target, force)
    except ReleaseExistsError as err:
        if proposal is None:
            raise
        if proposal[0] == target.name:
            why = ("it is no complete release (no manifest.json): --force replaces it" if proposal[1] == [FIRST_RELEASE]
                   else f"the records and schema are the same; only {_differing(staging, target)} differ: --force "
                   "rewrites it in place")
            raise ReleaseExistsError(f"{err} ({why})") from err
        raise ReleaseExistsError(f"{err} (the version rules propose --release-version {proposal[0]}: "
                                 f"{'; '.join(proposal[1])})") from err
