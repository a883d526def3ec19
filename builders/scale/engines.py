"""Run shard tasks on an engine and give back their summaries in shard order.

Engines only decide *where* :func:`builders.scale.shard.run_shard` runs; the tasks and the
order of their results are the same everywhere, so the release is byte-identical on
every engine and for any number of workers:

- ``local``: this process and ``workers - 1`` processes of a
  :class:`concurrent.futures.ProcessPoolExecutor` (``spawn`` start method, jieba loaded
  once per process by the pool's initializer, which also makes each worker die with this
  process: :func:`die_with_parent`); this process alone when one worker (or
  one shard to process) is enough. Shards found in the shard cache
  (:mod:`builders.scale.shard_cache`) are copied in this process. The reuse pass of a large
  release rewrites its shards on helpers of its own (:class:`LocalPool`, :func:`map_local`).
- ``ray``: one Ray task per shard (``pip install "xianbao[ray]"``). Without an address
  a local Ray instance with ``workers`` CPUs is started and stopped; with one, the
  cluster's workers must see the seeds and output folders at the same paths (a shared
  file system) and have xianbao installed.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import shutil
import signal
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Generic, Literal, Protocol, TypeVar

from builders.errors import ConfigError, OutputError, need_extra
from builders.release.write import arrow_without_pandas
from builders.scale.runtime import tune_gc
from builders.scale.shard import ShardSummary, run_shard, shard_is_cached
from builders.scale.tasks import ShardTask
from builders.segment.tokenizer import jieba_tokenizer

log = logging.getLogger("xianbao")
Engine = Literal["local", "ray"]
ENGINES: tuple[Engine, ...] = ("local", "ray")
T = TypeVar("T")
R = TypeVar("R")


class Indexed(Protocol):
    """A task with its place in the order of results (a :class:`ShardTask`, a :class:`Slot`)."""

    @property
    def index(self) -> int: ...


def default_workers() -> int:
    """All cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


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


def warm_worker(parent: int | None = None, segment: bool = True) -> None:
    """Pool initializer: die with the build process, keep pandas out (a worker only writes
    shards), then (``segment``: a pool for shard tasks) load jieba once, before the first task."""
    if parent is not None:
        die_with_parent(parent)
    tune_gc()
    arrow_without_pandas()
    if segment:
        jieba_tokenizer()


def _attempt(task: ShardTask) -> ShardSummary | Exception:
    """Run a task here; its exception is kept and raised when the task's turn comes."""
    try:
        return run_shard(task)
    except Exception as err:  # re-raised in task order by _shared_run
        return err


class _SharedTasks:
    """The shard tasks still to process, taken lowest first by whoever is free: this process or a
    pool process. The pool is given one task per helper at a time (a feeder thread hands it the
    next one as soon as one finishes), so no task waits in a helper's queue while this process
    could run it: at the end of a build both sides finish within about one shard of each other.
    """

    def __init__(self, tasks: Sequence[Indexed], todo: Sequence[Indexed], call: Call[Any, Any] | None = None
                 ) -> None:
        self.pending = deque(todo)
        self.todo = {task.index for task in todo}
        self.futures: dict[int, Future[Any]] = {}
        self.lock = threading.Lock()
        self.stopped = False
        self.broken = False
        self.call = call

    def claim(self, task: Indexed) -> tuple[Future[Any] | None, Indexed | None]:
        """For the task due next (not yet done here): its pool future to wait for, or a task this
        process runs first (the due one itself when nobody took it, else the lowest pending one
        while the pool still works on the due one)."""
        with self.lock:
            if task.index not in self.todo:
                return None, task  # found in the shard cache: copied here
            future = self.futures.get(task.index)
            if future is not None and (future.done() or not self.pending):
                return self.futures.pop(task.index), None
            return None, self.pending.popleft()

    def feed(self, pool: Executor, helpers: int) -> None:
        """Keep ``helpers`` tasks running in ``pool`` until none is pending (feeder thread)."""
        running: set[Future[Any]] = set()
        while True:
            with self.lock:
                while len(running) < helpers and self.pending and not self.stopped:
                    task = self.pending.popleft()
                    future = self.futures[task.index] = self._submit(pool, task)
                    running.add(future)
            if not running:
                return
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            if any(not f.cancelled() and isinstance(f.exception(), BrokenExecutor) for f in finished):
                with self.lock:
                    self.stopped = True  # a helper died: the pending tasks are left to this process

    def _submit(self, pool: Executor, task: Indexed) -> Future[Any]:
        """The task's pool future; when the pool cannot take it (a helper died and broke it), a
        future holding that error, raised at the task's turn, and no more tasks for the pool."""
        try:
            if self.call is None:
                return pool.submit(run_shard, task)  # type: ignore[arg-type]
            return pool.submit(self.call.work, self.call.prepare(task))  # type: ignore[arg-type]
        except Exception as err:  # BrokenProcessPool, or a pool shut down under us
            failed: Future[Any] = Future()
            failed.set_exception(err)
            self.stopped = True
            return failed

    def keep_here(self) -> bool:
        """Hand the pool no more tasks: those pending are taken by this process (a helper died). True
        the first time."""
        with self.lock:
            first, self.stopped, self.broken = not self.broken, True, True
        return first

    def stop(self) -> None:
        """Hand out no more tasks; cancel those not started."""
        with self.lock:
            self.stopped = True
            self.pending.clear()
            for future in self.futures.values():
                future.cancel()


def _outcome(future: Future[Any], task: Indexed, shared: _SharedTasks, call: Call[Any, Any] | None) -> Any:
    """The pool's result for ``task``; when its helper died (killed, out of memory) and broke the pool,
    the task is run again here, and so is every task after it: the same result, a warning, no failure."""
    try:
        return future.result()
    except BrokenExecutor:
        if shared.keep_here():
            log.warning("a helper process died (killed, or out of memory); task %d and those after it run in "
                        "the build process", task.index)
    if call is not None:
        return call.attempt(task)  # type: ignore[arg-type]
    shard: ShardTask = task  # type: ignore[assignment]
    shutil.rmtree(shard.out, ignore_errors=True)  # whatever the dead helper left half-written
    return _attempt(shard)


_WAITING = object()
"""No result yet (a call's result may be None)."""


def _shared_run(tasks: Sequence[Indexed], todo: Sequence[Indexed], pool: Executor, helpers: int,
                call: Call[Any, Any] | None = None) -> Iterator[Any]:
    """Summaries in task order; this process runs tasks too, beside ``helpers`` pool processes.

    Tasks of ``todo`` go, lowest first, to whichever side is free (:class:`_SharedTasks`); while
    the next summary due is still in the pool, this process runs the lowest pending task itself
    and keeps its summary (or exception) until its turn. Exceptions are raised in task order.
    Shard tasks run :func:`run_shard`; with ``call``, a task is ``call.work(call.prepare(task))``.
    """
    shared = _SharedTasks(tasks, todo, call)
    feeder = threading.Thread(target=shared.feed, args=(pool, helpers), daemon=True, name="xianbao-feeder")
    feeder.start()
    done: dict[int, Any] = {}
    try:
        for task in tasks:
            result: Any = _WAITING
            while task.index not in done and result is _WAITING:
                future, mine = shared.claim(task)
                if mine is not None:
                    done[mine.index] = _attempt(mine) if call is None else call.attempt(mine)  # type: ignore[arg-type]
                elif future is not None:
                    result = _outcome(future, task, shared, call)
            if result is _WAITING:
                result = done.pop(task.index)
            if isinstance(result, Exception):
                raise result
            yield result
    finally:
        shared.stop()
        feeder.join()


class LocalPool:
    """A stage's pool of helper processes (``workers - 1``, ``spawn``), started when first asked for
    (the build starts the shard tasks' before it hashes the pages). A context manager; leaving it
    shuts the helpers down."""

    def __init__(self, workers: int | None = None) -> None:
        self.helpers = (workers or default_workers()) - 1
        self.pool: ProcessPoolExecutor | None = None

    def get(self, segment: bool = True) -> ProcessPoolExecutor:
        """The pool, its helpers started now if they are not yet (``segment``: they load jieba first).

        The helpers are spawned here, by one no-op task each, from the calling thread: a helper's
        parent-death signal (:func:`die_with_parent`) is sent when the *thread* that started it ends,
        so they must not be started by a stage's feeder thread."""
        if self.pool is None:
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(max_workers=self.helpers, mp_context=context, initializer=warm_worker,
                                            initargs=(os.getpid(), segment))
            for _ in range(self.helpers):  # each spawns one: none can be idle yet (a start-up takes ~1 s)
                self.pool.submit(int)
        return self.pool

    @property
    def started(self) -> bool:
        """True once the helpers are started (and until they are shut down)."""
        return self.pool is not None

    def start(self, segment: bool = True) -> None:
        """Start the helpers now, so they are ready when the tasks come."""
        if self.helpers > 0:
            self.get(segment)

    def close(self, wait: bool = True) -> None:
        """Shut the helpers down; tasks not started are cancelled. ``wait=False`` (every task has been
        waited for: the helpers are idle): they exit on their own while this process goes on with the
        release, and are waited for when it exits."""
        if self.pool is not None:
            self.pool.shutdown(wait=wait, cancel_futures=True)
            self.pool = None

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close(wait=kind is not None)  # after a failure a helper may still be writing: wait for it


def run_local(tasks: Sequence[ShardTask], workers: int, pool: LocalPool | None = None) -> Iterator[ShardSummary]:
    """Run tasks in this process (one worker), or here and in ``workers - 1`` pool processes
    (``pool``'s, else a pool of its own); results in task order.

    Tasks found in the shard cache are copied in this process; a pool is started only
    when more than one task has pages to process.
    """
    todo = [task for task in tasks if not shard_is_cached(task)]
    workers = max(1, min(workers, len(todo)))
    if workers == 1:
        yield from map(run_shard, tasks)
        return
    with LocalPool(workers) if pool is None or pool.helpers < 1 else contextlib.nullcontext(pool) as kept:
        yield from _shared_run(tasks, todo, kept.get(), min(workers - 1, kept.helpers))


@dataclass(frozen=True)
class Call(Generic[T, R]):
    """A task of a later stage for :func:`map_local`: ``work(prepare(slot))``, where ``prepare`` runs in
    this process (it may read this process's state) and ``work`` is a picklable module-level function."""

    work: Callable[[T], R]
    prepare: Callable[[Slot], T]

    def attempt(self, slot: Slot) -> R | Exception:
        """Run it here; its exception is kept and raised when the task's turn comes."""
        try:
            return self.work(self.prepare(slot))
        except Exception as err:  # re-raised in task order by _shared_run
            return err


@dataclass(frozen=True)
class Slot:
    """Task ``index`` of :func:`map_local`."""

    index: int


def map_local(call: Call[T, R], count: int, pool: LocalPool | None) -> Iterator[R]:
    """``call`` on tasks ``0 .. count - 1``, here and on ``pool``'s helpers (started if need be, without
    jieba); results in task order. Without a pool (one worker, or Ray), all run here."""
    slots = [Slot(k) for k in range(count)]
    if pool is None or pool.helpers < 1 or count < 2:
        for slot in slots:
            yield call.work(call.prepare(slot))
        return
    yield from _shared_run(slots, slots, pool.get(segment=False), pool.helpers, call)


def import_ray() -> Any:
    """The ``ray`` module, or a :class:`~builders.errors.MissingExtraError` saying how to install it."""
    return need_extra("ray", "ray", "--engine ray")


RAY_CONNECT_SECONDS = 10.0
"""How long the Ray cluster's address is given to answer before the build stops (``ray.init`` itself
retries an unreachable address for many minutes)."""


def reach(address: str) -> None:
    """Stop with a one-line error unless ``address`` (``host:port``, ``ray://host:port``; ``auto``: the
    running local cluster, left to Ray) accepts a TCP connection.

    Raises:
        ConfigError: the address is malformed or nothing answers there within :data:`RAY_CONNECT_SECONDS`.
    """
    if address == "auto":
        return
    client = address.startswith("ray://")
    host, _, port = address.removeprefix("ray://").rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit():
        raise ConfigError(f"--ray-address {address!r}: give HOST:PORT of the head node (or ray://HOST:PORT, or auto)")
    try:
        socket.create_connection((host, int(port)), timeout=RAY_CONNECT_SECONDS).close()
    except OSError as err:
        kind = "Ray client server" if client else "Ray head node (its GCS port, 6379 by default)"
        raise ConfigError(f"--ray-address {address}: no {kind} answers there ({err}); start the cluster, "
                          "or fix the address") from None


RAY_RETRIES = 2
"""Times Ray runs a shard task again whose worker died (a system failure; a task's own exception is
never retried): a task only writes its own parts folder, so running it again gives the same bytes."""


def run_ray(tasks: Sequence[ShardTask], workers: int, address: str | None) -> Iterator[ShardSummary]:
    """Run each task as a Ray task; results in task order.

    Raises:
        The task's own exception (e.g. :class:`InvalidRecordError`), unwrapped from Ray's.
    """
    ray = import_ray()
    started = not ray.is_initialized()
    if started:
        if address:
            reach(address)
        options: dict[str, Any] = {"address": address} if address else {"num_cpus": workers}
        ray.init(include_dashboard=False, log_to_driver=False, **options)
    try:
        remote = ray.remote(num_cpus=1, max_retries=RAY_RETRIES)(run_shard)
        refs = [remote.remote(task) for task in tasks]
        for task, ref in zip(tasks, refs, strict=True):
            try:
                yield ray.get(ref)
            except ray.exceptions.RayTaskError as err:
                raise err.cause from None
            except ray.exceptions.RayError as err:  # the worker died every time (killed, out of memory)
                first = (str(err).strip().splitlines() or [type(err).__name__])[0]
                raise OutputError(f"shard task {task.index} failed on Ray {RAY_RETRIES + 1} times "
                                  f"({type(err).__name__}: {first}); nothing was released: build again, "
                                  "or with --engine local") from None
    finally:
        if started:
            ray.shutdown()


def run_tasks(
    tasks: Sequence[ShardTask], engine: Engine = "local", workers: int | None = None, address: str | None = None,
    pool: LocalPool | None = None,
) -> Iterator[ShardSummary]:
    """Summaries of ``tasks``, in task order, from the chosen engine (``pool``: the local engine's
    helpers, kept by the caller for later stages)."""
    count = workers or default_workers()
    if engine == "ray":
        return run_ray(tasks, count, address)
    return run_local(tasks, count, pool)
