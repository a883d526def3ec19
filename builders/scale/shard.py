"""One shard task: a fixed run of seed pages -> its own Parquet/JSONL parts, rejects and summary.

A :class:`ShardTask` is plain, picklable data; :func:`run_shard` is a module-level
function, so every engine (in process, a process pool, Ray) runs the very same code
and the output does not depend on the engine or the number of workers. A task writes
under its own folder (``<staging>/.parts/<k>/``); the build then renames the parts to
their final ``train-XXXXX-of-YYYYY`` names and merges the small :class:`ShardSummary`
objects. A task holds at most one page's articles at a time (plus the writer's
row-group buffer).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from builders.pipeline import PageResult
from builders.release.records import ProblemSink, checked_records
from builders.release.stats import BuildStats
from builders.release.write import ShardWriter, WrittenShards
from builders.scale.cache import PageCache, page_key, processor_name
from builders.scale.file_cache import SUMMARY
from builders.scale.shard_cache import entry_dir, keep_finished, recall_finished, restore, shard_key, store
from builders.scale.tasks import PART_REJECTS, ShardFile, ShardTask
from schema import Problem


@dataclass
class ShardSummary:
    """What one shard task produced: small, whatever the size of the shard.

    Attributes:
        index: The task's shard index.
        out: The task's folder (parts and rejects, relative names in ``written``).
        stats: Counts, rejects and per-seed rows of its pages.
        written: Its Parquet/JSONL parts (relative to ``out``), possibly one empty part.
        cache_hits: Pages read from the cache.
        processed: Pages parsed and enriched.
    """

    index: int
    out: Path
    stats: BuildStats
    written: WrittenShards
    cache_hits: int = 0
    processed: int = 0


def _duplicate_page(result: PageResult, first: str) -> PageResult:
    """Reject every record of a page whose bytes were already released from ``first``."""
    problems = [
        Problem(
            code="invalid-record",
            source_file=a.source_file,
            line=None,
            message=f"id {a.id} was already released from {first}; the same page is in seeds twice?",
            locations=["id"],
        )
        for a in result.articles
    ]
    return PageResult(result.source_file, result.sha256, result.n_bytes, [], [*result.problems, *problems])


def _page_results(task: ShardTask, summary: ShardSummary) -> Iterator[PageResult]:
    """Each page's result in order: from the cache when possible, else processed (and cached)."""
    cache = PageCache(task.cache_dir, processor_name(task.processor)) if task.cache_dir else None
    for page in task.pages:
        key = page_key(page.name, page.sha256, page.meta, cache.processor) if cache and page.sha256 else None
        result = cache.get(key) if cache and key else None
        if page.problem is not None:
            result = PageResult(page.name, None, problems=[page.problem])
        elif result is not None:
            summary.cache_hits += 1
        else:
            result = task.processor(page.path or task.seeds / page.name, task.seeds, page.meta)
            summary.processed += 1
            if cache and key and result.sha256 == page.sha256:
                cache.put(key, result)
        yield _duplicate_page(result, page.duplicate_of) if page.duplicate_of else result


def run_shard(task: ShardTask) -> ShardSummary:
    """Build one shard: copy it from the shard cache, or process (or recall) its pages,
    validate, write parts and rejects (and cache them); then run ``task.finish`` on the parts.

    Raises:
        InvalidRecordError: a record failed validation under ``on_invalid="error"``.
    """
    task.out.mkdir(parents=True, exist_ok=True)
    entry = _entry(task)
    cached = restore(entry, task.out, PART_REJECTS) if entry else None
    if cached is not None:
        summary = ShardSummary(task.index, task.out, *cached, cache_hits=len(task.pages))
    else:
        summary = _build_shard(task)
        if entry is not None and [s.sha256 for s in summary.stats.seeds] == [p.sha256 for p in task.pages]:
            store(entry, task.out, PART_REJECTS, summary.stats, summary.written)
        else:
            entry = None  # a page changed while the build ran: these parts are not the entry's
    if task.finish is not None:
        _finish(task, summary.written, entry)
    return summary


def _finish(task: ShardTask, written: WrittenShards, entry: Path | None) -> None:
    """Run ``task.finish``; the file of a :class:`~builders.scale.tasks.ShardFile` finisher is copied
    from the shard's cache entry when it is kept there, and kept there after it is made."""
    finish = task.finish
    assert finish is not None
    if not isinstance(finish, ShardFile) or entry is None:
        finish(task, written)
        return
    target = finish.path(task)
    if not recall_finished(entry, target):
        finish(task, written)
        keep_finished(entry, target)


def _entry(task: ShardTask) -> Path | None:
    """The task's shard-cache folder; None without a cache or with an unreadable page."""
    if task.cache_dir is None or not all(p.sha256 for p in task.pages):
        return None
    return entry_dir(task.cache_dir, shard_key(task))


def shard_is_cached(task: ShardTask) -> bool:
    """True when :func:`run_shard` will copy the task's files from the shard cache."""
    entry = _entry(task)
    return entry is not None and (entry / SUMMARY).is_file()


def _build_shard(task: ShardTask) -> ShardSummary:
    """Process (or recall) the task's pages, validate, and write its parts and rejects."""
    summary = ShardSummary(task.index, task.out, BuildStats(), WrittenShards())
    with (task.out / PART_REJECTS).open("w", encoding="utf-8") as rejects, ShardWriter(task.out, task.options) as w:
        sink = ProblemSink(rejects, summary.stats, task.on_invalid)
        for article, line in checked_records(_page_results(task, summary), sink):
            w.write(article, line)
        summary.written = w.close()
    return summary
