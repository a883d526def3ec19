"""Whole-shard cache: a shard whose pages are all unchanged reuses its written files.

The per-page cache (:mod:`builders.scale.cache`) spares parsing and enrichment, but the
recalled records must still be decoded, validated and written again. When a shard
task is exactly the same as in an earlier build -- the same pages (path, SHA-256,
manifest row, earlier duplicate), the same write options, ``on_invalid`` and
processor, and the same :data:`~builders.scale.cache.pipeline_version` -- its output is the
same bytes, so the files it wrote then are copied instead.

Layout: ``<cache_dir>/<PIPELINE_VERSION[:16]>/shards/<key>/`` holding the task's
``data/``, ``jsonl/`` and ``rejects.jsonl`` parts and ``summary.json`` (its statistics and
part list), an entry of :mod:`builders.scale.file_cache`: each part's size and SHA-256 are checked
as it is copied out (a part damaged on disk makes the entry read as none), and an entry is written
to a temporary folder and renamed, so a reader never sees half of one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from builders.release.stats import BuildStats, SeedEntry
from builders.release.write import WrittenShards
from builders.scale.cache import pipeline_version, processor_name
from builders.scale.file_cache import keep, recall, sweep, temp_name
from builders.scale.tasks import ShardTask

FINISHED = "finished"
"""The file a :class:`~builders.scale.tasks.ShardFile` finisher wrote for the shard (``finished<suffix>``)."""


def shard_key(task: ShardTask) -> str:
    """The cache key of a :class:`~builders.scale.tasks.ShardTask`: everything its bytes depend on."""
    parts = [pipeline_version(), processor_name(task.processor), task.on_invalid, repr(task.options)]
    parts += [f"{p.name}\x1e{p.sha256}\x1e{p.meta!r}\x1e{p.duplicate_of}" for p in task.pages]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def shards_dir(cache_dir: Path) -> Path:
    """The folder of the cached shards of this pipeline version."""
    return cache_dir / pipeline_version()[:16] / "shards"


def entry_dir(cache_dir: Path, key: str) -> Path:
    """Where the shard with ``key`` is cached."""
    return shards_dir(cache_dir) / key


def stats_json(stats: BuildStats) -> dict[str, Any]:
    """A shard's statistics as JSON (counters keep their insertion order)."""
    return {f.name: ([s.as_json() for s in stats.seeds] if f.name == "seeds" else getattr(stats, f.name))
            for f in dataclasses.fields(stats)}


def stats_from_json(data: dict[str, Any]) -> BuildStats:
    """The inverse of :func:`stats_json`."""
    stats = BuildStats(seeds=[SeedEntry(**row) for row in data["seeds"]])
    for f in dataclasses.fields(stats):
        value = getattr(stats, f.name)
        if isinstance(value, Counter):
            value.update(data[f.name])
        elif isinstance(value, int):
            setattr(stats, f.name, data[f.name])
    return stats


def _files(written: WrittenShards, rejects: str) -> list[str]:
    return [*written.parquet, *written.jsonl, rejects]


def restore(entry: Path, out: Path, rejects: str) -> tuple[BuildStats, WrittenShards] | None:
    """Copy a cached shard's files into ``out``; None when there is no sound entry: unreadable, or a file
    whose size or SHA-256 is not the one :func:`store` recorded (damaged on disk: the shard is built)."""

    def targets(summary: dict[str, Any]) -> dict[str, Path]:
        names = _files(WrittenShards(**summary["written"]), rejects)
        if any(not isinstance(n, str) or n.startswith("/") or ".." in n.split("/") for n in names):
            raise ValueError("a part named outside the shard's folder")  # a damaged or crafted summary
        found = {name: out / name for name in names}
        for path in found.values():
            path.parent.mkdir(parents=True, exist_ok=True)
        return found

    return recall(entry, targets, lambda summary: (stats_from_json(summary["stats"]),
                                                   WrittenShards(**summary["written"])))


def store(entry: Path, out: Path, rejects: str, stats: BuildStats, written: WrittenShards) -> None:
    """Cache a shard's files and summary atomically (:func:`~builders.scale.file_cache.keep`). It is called
    when :func:`restore` found no sound entry: one already there is damaged, and is replaced."""
    shutil.rmtree(entry, ignore_errors=True)
    files = {name: out / name for name in _files(written, rejects)}
    keep(entry, files, {"stats": stats_json(stats), "written": dataclasses.asdict(written)})


def recall_finished(entry: Path, target: Path) -> bool:
    """Copy the finisher's file kept with a cached shard to ``target``; False when none is kept."""
    kept = entry / f"{FINISHED}{target.suffix}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(kept, target)
    except OSError:
        return False
    return True


def keep_finished(entry: Path, made: Path) -> None:
    """Keep the finisher's file ``made`` with the cached shard (atomically: a temporary file, then a
    rename); without an entry, or on a full disk, nothing is kept (the cache is optional)."""
    kept = entry / f"{FINISHED}{made.suffix}"
    if not entry.is_dir() or kept.exists() or not made.is_file():
        return
    sweep(entry)  # the file of a build killed while keeping one
    tmp = entry / temp_name(kept.name)
    try:
        shutil.copyfile(made, tmp)
        tmp.replace(kept)
    except OSError:
        tmp.unlink(missing_ok=True)
