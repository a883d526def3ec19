"""Run shard tasks on an engine and give back their summaries in shard order.

Engines only decide *where* :func:`builders.shard.run_shard` runs; the tasks and the
order of their results are the same everywhere, so the release is byte-identical on
every engine and for any number of workers:

- ``local``: ``workers`` processes of a :class:`concurrent.futures.ProcessPoolExecutor`
  (``spawn`` start method, jieba loaded once per process by the pool's initializer); in
  this process when one worker (or one shard to process) is enough. Shards found in
  the shard cache (:mod:`builders.shard_cache`) are copied in this process.
- ``ray``: one Ray task per shard (``pip install "xianbao[ray]"``). Without an address
  a local Ray instance with ``workers`` CPUs is started and stopped; with one, the
  cluster's workers must see the seeds and output folders at the same paths (a shared
  file system) and have xianbao installed.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Literal

from builders.errors import ConfigError
from builders.segment import jieba_tokenizer
from builders.shard import ShardSummary, ShardTask, run_shard, shard_is_cached

Engine = Literal["local", "ray"]
ENGINES: tuple[Engine, ...] = ("local", "ray")


def default_workers() -> int:
    """All cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def warm_worker() -> None:
    """Pool initializer: load jieba once per worker process, before its first task."""
    jieba_tokenizer()


def run_local(tasks: Sequence[ShardTask], workers: int) -> Iterator[ShardSummary]:
    """Run tasks in this process (one worker) or in a process pool; results in task order.

    Tasks found in the shard cache are copied in this process; a pool is started only
    when more than one task has pages to process.
    """
    todo = [task for task in tasks if not shard_is_cached(task)]
    workers = max(1, min(workers, len(todo)))
    if workers == 1:
        yield from map(run_shard, tasks)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=warm_worker) as pool:
        futures = {task.index: pool.submit(run_shard, task) for task in todo}
        try:
            for task in tasks:
                yield futures[task.index].result() if task.index in futures else run_shard(task)
        finally:
            for future in futures.values():
                future.cancel()


def import_ray() -> Any:
    """The ``ray`` module, or a :class:`ConfigError` saying how to install it."""
    try:
        import ray
    except ImportError as err:
        raise ConfigError('--engine ray needs Ray: pip install "xianbao[ray]" (or pip install ray)') from err
    return ray


def run_ray(tasks: Sequence[ShardTask], workers: int, address: str | None) -> Iterator[ShardSummary]:
    """Run each task as a Ray task; results in task order.

    Raises:
        The task's own exception (e.g. :class:`InvalidRecordError`), unwrapped from Ray's.
    """
    ray = import_ray()
    started = not ray.is_initialized()
    if started:
        options: dict[str, Any] = {"address": address} if address else {"num_cpus": workers}
        ray.init(include_dashboard=False, log_to_driver=False, **options)
    try:
        remote = ray.remote(num_cpus=1, max_retries=0)(run_shard)
        refs = [remote.remote(task) for task in tasks]
        for ref in refs:
            try:
                yield ray.get(ref)
            except ray.exceptions.RayTaskError as err:
                raise err.cause from None
    finally:
        if started:
            ray.shutdown()


def run_tasks(
    tasks: Sequence[ShardTask], engine: Engine = "local", workers: int | None = None, address: str | None = None
) -> Iterator[ShardSummary]:
    """Summaries of ``tasks``, in task order, from the chosen engine."""
    count = workers or default_workers()
    if engine == "ray":
        return run_ray(tasks, count, address)
    return run_local(tasks, count)
