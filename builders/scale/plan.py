"""The records of a release, built as deterministic shard tasks on any engine.

1. :func:`plan_shards`: sorted seed paths are hashed (SHA-256, for the cache and to spot
   byte-identical pages across shards) and cut into runs of ``pages_per_shard`` pages.
2. :func:`builders.scale.engines.run_tasks` runs :func:`builders.scale.shard.run_shard` for each run,
   in this process, a process pool or Ray.
3. Summaries are merged in shard order: statistics, ``rejects.jsonl`` (parts appended),
   and the Parquet/JSONL parts renamed to ``train-XXXXX-of-YYYYY`` in (shard, part) order.

The output depends only on the seeds, the code and the shard options, never on the
engine or the number of workers. No stage holds all pages or articles: the parent keeps
one small row per seed (for manifest.json) and per-shard counters.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from builders.enrich.region import known_code
from builders.read.manifest import PageMeta, load_manifest
from builders.read.seeds import SeedFile, discover, file_sha256
from builders.release.config import BuildConfig
from builders.release.files import REJECTS_FILE
from builders.release.records import ProblemSink, log
from builders.release.stats import BuildStats
from builders.release.write import DATA_DIR, JSONL_DIR, WriteOptions, WrittenShards, shard_name
from builders.scale.cache import sweep_page_cache
from builders.scale.engines import LocalPool, run_tasks
from builders.scale.file_cache import sweep
from builders.scale.progress import Progress
from builders.scale.shard import ShardSummary
from builders.scale.shard_cache import shards_dir
from builders.scale.tasks import PART_REJECTS, Finisher, PageTask, Processor, ShardTask

PARTS_DIR = ".parts"


def page_tasks(seeds: Path, metas: dict[str, PageMeta], pages: list[SeedFile] | None = None) -> Iterator[PageTask]:
    """Every seed page in sorted order; later copies of the same bytes point at the first."""
    first: dict[str, str] = {}
    for page in discover(seeds).pages if pages is None else pages:
        name = page.name
        sha = None if page.problem else file_sha256(page.path)
        earlier = first.setdefault(sha, name) if sha else name
        path = None if page.path == seeds / name else page.path
        yield PageTask(name, sha, metas.get(name), None if earlier == name else earlier, path, page.problem)


def cut(pages: Iterable[PageTask], size: int) -> Iterator[tuple[PageTask, ...]]:
    """Consecutive runs of ``size`` pages (the last may be shorter)."""
    run: list[PageTask] = []
    for page in pages:
        run.append(page)
        if len(run) == size:
            yield tuple(run)
            run = []
    if run:
        yield tuple(run)


def plan_shards(config: BuildConfig, root: Path, metas: dict[str, PageMeta], processor: Processor,
                pages: list[SeedFile] | None = None, finish: Finisher | None = None) -> list[ShardTask]:
    """The shard tasks of a build writing under ``root`` (the staging folder); ``finish``: see
    :attr:`~builders.scale.tasks.ShardTask.finish`."""
    options = WriteOptions(max_shard_bytes=config.max_shard_bytes, row_group_size=config.row_group_size,
                           staged=config.reuse)  # the reuse pass rewrites every shard
    runs = [run for run in cut(page_tasks(config.seeds, metas, pages), config.pages_per_shard) if run] or [()]
    return [
        ShardTask(k, config.seeds, run, root / PARTS_DIR / f"{k:05d}", options, config.on_invalid, processor,
                  config.page_cache_dir, finish)
        for k, run in enumerate(runs)
    ]


def merge_stats(total: BuildStats, part: BuildStats) -> None:
    """Add a shard's statistics to the build's (counters add, per-seed rows append)."""
    for f in dataclasses.fields(total):
        mine, theirs = getattr(total, f.name), getattr(part, f.name)
        if isinstance(mine, Counter):
            mine.update(theirs)
        elif isinstance(mine, list):
            mine.extend(theirs)
        elif isinstance(mine, int):
            setattr(total, f.name, mine + theirs)


def place_parts(root: Path, parts: list[tuple[Path, WrittenShards]]) -> WrittenShards:
    """Rename every non-empty part to its final shard name (one empty shard when all are empty)."""
    rows = [(out, *row) for out, w in parts for row in zip(w.parquet, w.jsonl, w.records_per_shard, strict=True)]
    kept = [row for row in rows if row[3]] or rows[:1]
    result = WrittenShards(num_records=sum(w.num_records for _, w in parts))
    result.arrow_bytes = sum(w.arrow_bytes for _, w in parts)
    for index, (out, parquet, jsonl, records) in enumerate(kept):
        for rel, sub, suffix, names in ((parquet, DATA_DIR, "parquet", result.parquet),
                                        (jsonl, JSONL_DIR, "jsonl", result.jsonl)):
            final = f"{sub}/{shard_name(index, len(kept), suffix)}"
            (out / rel).rename(root / final)
            names.append(final)
        result.records_per_shard.append(records)
    return result


def _absorb(summary: ShardSummary, stats: BuildStats, rejects: Path, progress: Progress) -> None:
    merge_stats(stats, summary.stats)
    stats.pages_cached += summary.cache_hits
    stats.pages_processed += summary.processed
    with (summary.out / PART_REJECTS).open("rb") as part, rejects.open("ab") as whole:
        shutil.copyfileobj(part, whole)
    progress.update(summary.stats.pages, summary.stats.records, summary.stats.rejects)


def _start_helpers(config: BuildConfig, pool: LocalPool | None, pages: int) -> None:
    """Start the local engine's helpers before the pages are hashed (their start-up, jieba included,
    overlaps the planning) when every shard will be processed: more than one shard, none cached yet."""
    if pool is not None and config.engine == "local" and pages > config.pages_per_shard \
            and _no_shard_cached(config.page_cache_dir):
        pool.start(segment=True)


def _no_shard_cached(cache_dir: Path | None) -> bool:
    """True when the shard cache holds no shard of this pipeline version (or there is no cache)."""
    if cache_dir is None:
        return True
    try:
        with os.scandir(shards_dir(cache_dir)) as entries:
            return next(entries, None) is None
    except OSError:
        return True


def write_records(config: BuildConfig, root: Path, processor: Processor, finish: Finisher | None = None,
                  pool: LocalPool | None = None) -> tuple[BuildStats, WrittenShards]:
    """Write ``data/``, ``jsonl/`` and ``rejects.jsonl`` of a release under ``root`` (``finish``: run by
    each shard task on its parts, :attr:`~builders.scale.tasks.ShardTask.finish`; ``pool``: the local
    engine's helpers, kept by the caller for later stages).

    Raises:
        InvalidRecordError: a record failed validation under ``on_invalid="error"``.
        ConfigError: ``engine="ray"`` without Ray installed.
    """
    stats = BuildStats()
    if config.page_cache_dir:  # what a build killed while writing a cache entry left
        sweep_page_cache(config.page_cache_dir)
        sweep(shards_dir(config.page_cache_dir))
    found = discover(config.seeds, config.own_dirs)
    _start_helpers(config, pool, len(found.pages))
    metas, manifest_problems = load_manifest(config.seeds, {page.name for page in found.pages}, known_code)
    for problem in found.warnings:
        log.warning("%s: %s: %s", problem.source_file, problem.code, problem.message)
    with (root / REJECTS_FILE).open("w", encoding="utf-8") as rejects:
        ProblemSink(rejects, stats, config.on_invalid).add_all([*found.warnings, *manifest_problems])
    tasks = plan_shards(config, root, metas, processor, found.pages, finish)
    for sub in (DATA_DIR, JSONL_DIR):
        (root / sub).mkdir(parents=True, exist_ok=True)
    progress = Progress(sum(len(t.pages) for t in tasks), config.progress)
    parts: list[tuple[Path, WrittenShards]] = []
    try:
        for summary in run_tasks(tasks, config.engine, config.workers, config.ray_address, pool):
            _absorb(summary, stats, root / REJECTS_FILE, progress)
            parts.append((summary.out, summary.written))
    finally:
        progress.close()
    shards = place_parts(root, parts)
    shutil.rmtree(root / PARTS_DIR)
    return stats, shards
