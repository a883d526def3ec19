"""Run shard tasks on an engine and give back their summaries in shard order.

Engines only decide *where* :func:`builders.scale.shard.run_shard` runs; the tasks and the
order of their results are the same everywhere, so the release is byte-identical on
every engine and for any number of workers:

- ``local``: this process and ``workers - 1`` processes of a
  :class:`concurrent.futures.ProcessPoolExecutor` (``spawn`` start method, jieba loaded
  once per process by the pool's initializer, which also makes each worker die with this
  process: :func:`die_with_parent`); this process alone when one worker (or
  one shard to process) is enough. Shards found in the shard cache
  (:mod:`builders.scale.shard_cache`) are copied in this process.
- ``ray``: one Ray task per shard (``pip install "xianbao[ray]"``). Without an address
  a local Ray instance with ``workers`` CPUs is started and stopped; with one, the
  cluster's workers must see the seeds and output folders at the same paths (a shared
  file system) and have xianbao installed.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, Literal

from builders.errors import need_extra
from builders.release.write import arrow_without_pandas
from builders.scale.shard import ShardSummary, run_shard, shard_is_cached
from builders.scale.tasks import ShardTask
from builders.segment.tokenizer import jieba_tokenizer

Engine = Literal["local", "ray"]
ENGINES: tuple[Engine, ...] = ("local", "ray")


def default_workers() -> int:
    """All cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


IN_FLIGHT_PER_HELPER = 2
"""Tasks queued per pool process, so it keeps working while this process runs a task."""


PR_SET_PDEATHSIG = 1
"""Linux ``prctl`` option: a signal this process gets when its parent dies."""
WATCH_SECONDS = 0.2


def die_with_parent(parent: int) -> None:
    """Make this worker die when the build process ``parent`` dies, even by ``kill -9``.

    Linux: the kernel sends SIGKILL at the parent's death (``PR_SET_PDEATHSIG``). Elsewhere a
    daemon thread checks every 0.2 s that the parent is still there. Either way an orphaned
    worker never goes on writing into a staging folder.
    """
    try:
        armed = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0
    except (AttributeError, OSError):
        armed = False
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="xianbao-parent-watch").start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def warm_worker(parent: int | None = None) -> None:
    """Pool initializer: die with the build process, keep pandas out (a worker only writes
    shards), then load jieba once, before the first task."""
    if parent is not None:
        die_with_parent(parent)
    arrow_without_pandas()
    jieba_tokenizer()


def _attempt(task: ShardTask) -> ShardSummary | Exception:
    """Run a task here; its exception is kept and raised when the task's turn comes."""
    try:
        return run_shard(task)
    except Exception as err:  # re-raised in task order by _shared_run
        return err


def _shared_run(tasks: Sequence[ShardTask], todo: Sequence[ShardTask], pool: Executor, helpers: int
                ) -> Iterator[ShardSummary]:
    """Summaries in task order; this process runs tasks too, beside ``helpers`` pool processes.

    The pool is kept fed with the lowest unassigned tasks; while the next summary due is
    still in the pool, this process runs the lowest unassigned task itself and keeps its
    summary (or exception) until its turn.
    """
    pending = deque(todo)
    futures: dict[int, Future[ShardSummary]] = {}
    done: dict[int, ShardSummary | Exception] = {}
    try:
        for task in tasks:
            while task.index not in done:
                while pending and sum(not f.done() for f in futures.values()) < IN_FLIGHT_PER_HELPER * helpers:
                    queued = pending.popleft()
                    futures[queued.index] = pool.submit(run_shard, queued)
                future = futures.get(task.index)
                if future is not None and (future.done() or not pending):
                    done[task.index] = futures.pop(task.index).result()
                else:
                    mine = pending.popleft() if future is not None or (pending and pending[0] is task) else task
                    done[mine.index] = _attempt(mine)
            result = done.pop(task.index)
            if isinstance(result, Exception):
                raise result
            yield result
    finally:
        for future in futures.values():
            future.cancel()


def run_local(tasks: Sequence[ShardTask], workers: int) -> Iterator[ShardSummary]:
    """Run tasks in this process (one worker), or here and in ``workers - 1`` pool processes;
    results in task order.

    Tasks found in the shard cache are copied in this process; a pool is started only
    when more than one task has pages to process.
    """
    todo = [task for task in tasks if not shard_is_cached(task)]
    workers = max(1, min(workers, len(todo)))
    if workers == 1:
        yield from map(run_shard, tasks)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers - 1, mp_context=context, initializer=warm_worker,
                             initargs=(os.getpid(),)) as pool:
        yield from _shared_run(tasks, todo, pool, workers - 1)


def import_ray() -> Any:
    """The ``ray`` module, or a :class:`~builders.errors.MissingExtraError` saying how to install it."""
    return need_extra("ray", "ray", "--engine ray")


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
