"""Shard and page tasks: plain, picklable data that every engine hands to :func:`~builders.scale.shard.run_shard`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from builders.pipeline import PageResult
from builders.read.manifest import PageMeta
from builders.release.write import WriteOptions, WrittenShards
from schema import Problem

Processor = Callable[[Path, Path | None, PageMeta | None], PageResult]
"""Turns one seed file into a :class:`PageResult` (``builders.pipeline.process_file``)."""
PART_REJECTS = "rejects.jsonl"


@dataclass(frozen=True)
class PageTask:
    """One seed page of a shard.

    Attributes:
        name: Path relative to the seeds folder (POSIX).
        sha256: SHA-256 of the file's bytes, None when it could not be read.
        meta: Its row of seeds/manifest.csv, if any.
        duplicate_of: An earlier seed with the same bytes in an earlier shard: every
            record of this page is rejected as a duplicate of that one.
        path: The file to open when its name is not ``seeds / name`` (bytes that are not UTF-8).
        problem: The page's reject when it must not be read (a special file, a link outside seeds).
    """

    name: str
    sha256: str | None
    meta: PageMeta | None = None
    duplicate_of: str | None = None
    path: Path | None = None
    problem: Problem | None = None


@dataclass(frozen=True)
class ShardTask:
    """Everything a worker needs to build shard ``index`` (picklable)."""

    index: int
    seeds: Path
    pages: tuple[PageTask, ...]
    out: Path
    options: WriteOptions
    on_invalid: str
    processor: Processor
    cache_dir: Path | None = None
    finish: Finisher | None = None
    """Run by the worker on the shard's written parts (built or copied from the cache): the reuse
    stage's sketches (:func:`builders.reuse.sketch.sketch_shard`); a module-level function or a
    ``functools.partial`` of one, so it pickles for every engine."""


Finisher = Callable[[ShardTask, WrittenShards], None]
"""What a worker does with a shard's written parts before it reports (``ShardTask.finish``)."""


@dataclass(frozen=True)
class ShardFile:
    """A finisher whose whole output is one file per shard task, ``folder/<index:05d><suffix>``, that
    depends on the shard's bytes (its pages and written parts) alone, never on the shard's index: the
    shard cache (:mod:`builders.scale.shard_cache`) keeps it with the shard's parts, and a shard
    copied from there gets the file copied too instead of ``run`` being run again.
    """

    run: Finisher
    folder: Path
    suffix: str

    def path(self, task: ShardTask) -> Path:
        """The file ``run`` writes for ``task``."""
        return self.folder / f"{task.index:05d}{self.suffix}"

    def __call__(self, task: ShardTask, written: WrittenShards) -> None:
        self.run(task, written)
