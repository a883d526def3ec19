"""Sharded builds: same bytes for any engine and worker count, incremental = clean, cache hits."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders.build import build_release
from builders.cli import main
from builders.errors import ConfigError
from builders.release.config import BuildConfig
from builders.release.stats import BuildStats
from builders.release.write import WrittenShards
from builders.scale import engines, file_cache
from builders.scale.plan import cut
from builders.scale.progress import Progress
from builders.scale.shard import ShardSummary
from builders.scale.tasks import ShardTask
from tests.benchmarks.corpus import make_corpus
from tests.conftest import META

ConfigFactory = Callable[..., BuildConfig]
PAGES = 24
SHARD = 6


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a folder by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def config(seeds: Path, out: Path, **overrides: object) -> BuildConfig:
    """A real-pipeline build of ``seeds`` into ``out`` in shards of :data:`SHARD` pages."""
    values: dict[str, object] = {"seeds": seeds, "out": out, "dataset": META, "progress": False,
                                 "pages_per_shard": SHARD, "cache": False, "workers": 1}
    values.update(overrides)
    return BuildConfig(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """:data:`PAGES` generated pages."""
    folder = tmp_path_factory.mktemp("corpus")
    make_corpus(folder, PAGES)
    return folder


@pytest.fixture(scope="module")
def one_worker(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The release of :func:`corpus` built in this process."""
    report = build_release(config(corpus, tmp_path_factory.mktemp("one")))
    assert report.stats.records > PAGES and len([f for f in report.files if f.endswith(".parquet")]) == PAGES // SHARD
    return tree(report.release_dir)


def test_two_workers_give_the_same_bytes_as_one(corpus: Path, one_worker: dict[str, bytes], tmp_path: Path) -> None:
    report = build_release(config(corpus, tmp_path, workers=2))
    assert tree(report.release_dir) == one_worker


def _dies_in_a_helper(path: Path, seeds: Path, meta: object) -> object:
    """``release_file``, except that a pool helper kills itself on its first page (as the OOM killer
    would kill it); a module-level function, so the spawned helpers can unpickle it."""
    import multiprocessing
    import os
    import signal

    from builders.pipeline import release_file

    if multiprocessing.parent_process() is not None:
        os.kill(os.getpid(), signal.SIGKILL)
    return release_file(path, seeds, meta)  # type: ignore[arg-type]


def test_a_helper_killed_mid_build_leaves_the_same_release(corpus: Path, one_worker: dict[str, bytes],
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    """A real helper process dies by SIGKILL while it processes a shard: the build process runs that shard
    and the rest itself, finishes, and the release is byte for byte the one-worker release."""
    import builders.build

    monkeypatch.setattr(builders.build, "release_file", _dies_in_a_helper)
    with caplog.at_level("WARNING", logger="xianbao"):
        report = build_release(config(corpus, tmp_path, workers=2))
    assert "a helper process died" in caplog.text, "no shard went to the helper"
    assert tree(report.release_dir) == one_worker


def test_ray_gives_the_same_bytes_as_local(corpus: Path, one_worker: dict[str, bytes], tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]' (CI installs it with [dev])")
    report = build_release(config(corpus, tmp_path, engine="ray", workers=2))
    assert tree(report.release_dir) == one_worker


def _dies_once_on_ray(path: Path, seeds: Path, meta: object) -> object:
    """``release_file``, except that the first Ray worker to run it kills itself (``XB_TEST_MARKER``: the
    file that says it happened; ``XB_TEST_ALWAYS``: every attempt dies)."""
    import os
    import signal

    from builders.pipeline import release_file

    marker = Path(os.environ["XB_TEST_MARKER"])
    if os.environ.get("XB_TEST_ALWAYS") or not marker.exists():
        marker.touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return release_file(path, seeds, meta)  # type: ignore[arg-type]


def test_a_ray_worker_that_dies_is_retried_and_one_that_always_dies_is_one_line(
    corpus: Path, one_worker: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A killed Ray worker's task runs again (same bytes); a task whose worker dies every time stops the
    build with an OutputError (one line, exit 1 on the command line), not Ray's traceback."""
    pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]' (CI installs it with [dev])")
    import builders.build
    from builders.errors import OutputError

    monkeypatch.setattr(builders.build, "release_file", _dies_once_on_ray)
    monkeypatch.setenv("XB_TEST_MARKER", str(tmp_path / "died"))
    monkeypatch.syspath_prepend(str(Path(__file__).parents[1]))  # Ray workers import this module by name
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parents[1]))
    report = build_release(config(corpus, tmp_path / "once", engine="ray", workers=2))
    assert (tmp_path / "died").exists() and tree(report.release_dir) == one_worker
    monkeypatch.setenv("XB_TEST_ALWAYS", "1")
    with pytest.raises(OutputError, match=r"shard task 0 failed on Ray 3 times"):
        build_release(config(corpus, tmp_path / "always", engine="ray", workers=2))
    assert not (tmp_path / "always").exists() or not any((tmp_path / "always").rglob("*.parquet"))


def test_an_unreachable_ray_address_is_a_one_line_error_not_a_hang() -> None:
    import socket

    from builders.errors import ConfigError

    with socket.socket() as probe:  # a port nobody listens on: bind, never listen
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        with pytest.raises(ConfigError, match="no Ray head node"):
            engines.reach(f"127.0.0.1:{port}")
        with pytest.raises(ConfigError, match="no Ray client server"):
            engines.reach(f"ray://127.0.0.1:{port}")
    for bad in ("nonsense", "host:", ":6379", "ray://host"):
        with pytest.raises(ConfigError, match="give HOST:PORT"):
            engines.reach(bad)
    engines.reach("auto")  # the running local cluster: Ray's to find


def test_incremental_rebuild_equals_a_clean_build(tmp_path: Path) -> None:
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    make_corpus(seeds, PAGES - 4)
    first = build_release(config(seeds, tmp_path / "a", cache=True, cache_dir=cache))
    assert (first.stats.pages_cached, first.stats.pages_processed) == (0, PAGES - 4)
    make_corpus(seeds, PAGES)
    again = build_release(config(seeds, tmp_path / "b", cache=True, cache_dir=cache))
    assert (again.stats.pages_cached, again.stats.pages_processed) == (PAGES - 4, 4), "old pages were processed again"
    clean = build_release(config(seeds, tmp_path / "c"))
    assert clean.stats.pages_cached == 0
    assert tree(again.release_dir) == tree(clean.release_dir)
    reused = build_release(config(seeds, tmp_path / "d", cache=True, cache_dir=cache, workers=2))
    assert (reused.stats.pages_cached, reused.stats.pages_processed) == (PAGES, 0)
    assert len(list(cache.glob("*/shards/*/summary.json"))) == PAGES // SHARD + 1, "shards are not cached whole"
    assert tree(reused.release_dir) == tree(clean.release_dir), "a shard copied from the shard cache differs"


def _flip(path: Path) -> None:
    """Change one byte of a file inside its text (a CJK character stays valid UTF-8: 中 -> 丮)."""
    data = bytearray(path.read_bytes())
    at = next(i for i in range(len(data) // 3, len(data) - 2) if 0xE4 <= data[i] <= 0xE9 and data[i + 2] < 0xBA)
    data[at + 2] += 1
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damaged", ["page", "shard-part", "shard-rejects", "shard-summary"])
def test_a_cache_entry_damaged_on_disk_is_not_copied_into_the_release(
    corpus: Path, one_worker: dict[str, bytes], tmp_path: Path, damaged: str
) -> None:
    """One changed byte in a cached page result or a cached shard part (disk damage, an edit) gave a
    release with that byte, exit 0 and checksums to match. An entry is now checked against the SHA-256
    recorded when it was kept: a damaged one reads as none, and the release is the clean one."""
    cache = tmp_path / "cache"
    build_release(config(corpus, tmp_path / "warm", cache=True, cache_dir=cache))
    version = next(cache.iterdir())
    if damaged == "page":
        shutil.rmtree(version / "shards")
        shutil.rmtree(version / "reuse" / "final", ignore_errors=True)
        _flip(sorted(version.glob("[0-9a-f][0-9a-f]/*.json"))[0])
    elif damaged == "shard-part":
        _flip(sorted(version.glob("shards/*/jsonl/*.jsonl"))[0])
    elif damaged == "shard-rejects":
        _flip(max(version.glob("shards/*/rejects.jsonl"), key=lambda p: p.stat().st_size))
    else:  # a count in the statistics of a shard: 3 records become 4
        summary = sorted(version.glob("shards/*/summary.json"))[0]
        summary.write_text(summary.read_text(encoding="utf-8").replace('"records": ', '"records": 1', 1))
    again = build_release(config(corpus, tmp_path / "again", cache=True, cache_dir=cache))
    assert tree(again.release_dir) == one_worker
    third = build_release(config(corpus, tmp_path / "third", cache=True, cache_dir=cache))
    assert tree(third.release_dir) == one_worker and third.stats.pages_cached == PAGES  # the entry was made anew


def test_a_cached_shard_gets_its_reuse_sketch_from_the_shard_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sketch file of a shard copied from the shard cache is copied too, not made again, and the
    release is the clean one; a shard that was processed makes its sketch and keeps it there."""
    import builders.build

    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    make_corpus(seeds, PAGES - 4)
    build_release(config(seeds, tmp_path / "a", cache=True, cache_dir=cache))
    assert len(list(cache.glob("*/shards/*/finished.sketch"))) == (PAGES - 4 + SHARD - 1) // SHARD
    made: list[int] = []
    sketch = builders.build.sketch_shard

    def counted(folder: Path, task: ShardTask, written: WrittenShards) -> None:
        made.append(task.index)
        sketch(folder, task, written)

    monkeypatch.setattr(builders.build, "sketch_shard", counted)
    make_corpus(seeds, PAGES)
    again = build_release(config(seeds, tmp_path / "b", cache=True, cache_dir=cache))
    assert made == [PAGES // SHARD - 1]  # the last shard, which got the new pages; the others were copied
    assert tree(again.release_dir) == tree(build_release(config(seeds, tmp_path / "c")).release_dir)


def test_cache_is_keyed_by_content_and_can_be_turned_off(tmp_path: Path) -> None:
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    make_corpus(seeds, 3)
    build_release(config(seeds, tmp_path / "a", cache=True, cache_dir=cache))
    (seeds / "000001.txt").write_text((seeds / "000001.txt").read_text(encoding="utf-8") + "\n编辑：王明\n")
    changed = build_release(config(seeds, tmp_path / "b", cache=True, cache_dir=cache))
    assert (changed.stats.pages_cached, changed.stats.pages_processed) == (2, 1)
    off = build_release(config(seeds, tmp_path / "c", cache=False, cache_dir=cache))
    assert (off.stats.pages_cached, off.stats.pages_processed) == (0, 3)
    assert tree(off.release_dir) == tree(changed.release_dir)


def test_the_temporary_files_of_a_killed_build_are_swept(tmp_path: Path) -> None:
    """A build killed while writing a page entry left its temporary file beside the entries for good
    (never read, never removed): they are written in one folder, and a build with the cache removes
    those of processes that are gone, not those of a live one; the same for half-stored shards."""
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    make_corpus(seeds, 3)
    build_release(config(seeds, tmp_path / "a", cache=True, cache_dir=cache))
    temporary, shards = next(cache.iterdir()) / ".tmp", next(cache.iterdir()) / "shards"
    assert temporary.is_dir() and not list(temporary.iterdir())
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    here = file_cache.HOST
    dead, live = temporary / f".{'0' * 64}.{here}-{gone}.tmp", temporary / f".{'1' * 64}.{here}-{os.getpid()}.tmp"
    for path in (dead, live):
        path.write_bytes(b"half an entry")
    dead_shard, live_shard = shards / f".{'2' * 64}.{here}-{gone}.tmp", shards / f".{'3' * 64}.{here}-{os.getpid()}.tmp"
    for path in (dead_shard, live_shard):
        (path / "data").mkdir(parents=True)
    build_release(config(seeds, tmp_path / "b", cache=True, cache_dir=cache))
    assert not dead.exists() and live.exists() and not dead_shard.exists() and live_shard.is_dir()


def test_the_sweep_spares_other_machines_recent_files_and_survives_what_it_cannot_remove(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache shared by the machines of a cluster: another machine's temporary file (its pid means nothing
    here) is removed only once it is over an hour old; a file the sweep may not remove (another user's, a
    read-only cache) is left, and the build goes on (it failed with Permission denied)."""
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    make_corpus(seeds, 3)
    build_release(config(seeds, tmp_path / "a", cache=True, cache_dir=cache))
    temporary = next(cache.iterdir()) / ".tmp"
    recent, old, locked = (temporary / f".{c * 64}.other_host-1.tmp" for c in "456")
    for path in (recent, old, locked):
        path.write_bytes(b"half an entry")
    for path in (old, locked):
        os.utime(path, (time.time() - 2 * file_cache.STALE_SECONDS,) * 2)
    unlink = Path.unlink

    def refused(path: Path, missing_ok: bool = False) -> None:
        if path == locked:
            raise PermissionError(13, "Permission denied", str(path))
        unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refused)
    report = build_release(config(seeds, tmp_path / "b", cache=True, cache_dir=cache))
    assert report.stats.records > 0 and recent.exists() and not old.exists() and locked.exists()


def test_a_linked_shard_entry_is_not_restored(tmp_path: Path) -> None:
    """A shard entry is copied out only from a real folder of the cache (as every file_cache entry):
    one made a link to a folder elsewhere reads as none, and the shard is built."""
    from builders.scale.shard_cache import restore
    from builders.scale.tasks import PART_REJECTS

    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    make_corpus(seeds, 3)
    build_release(config(seeds, tmp_path / "a", cache=True, cache_dir=cache))
    entry = next(next(cache.iterdir()).glob("shards/*"))
    assert restore(entry, tmp_path / "out", PART_REJECTS) is not None
    elsewhere = tmp_path / "elsewhere"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere, target_is_directory=True)
    assert restore(entry, tmp_path / "out2", PART_REJECTS) is None


@pytest.mark.parametrize("kind", ["parent", "absolute", "nested"])
def test_a_shard_entry_naming_a_part_outside_its_folder_is_not_restored(tmp_path: Path, kind: str) -> None:
    """The part names of a shard entry come from its summary: one naming a file outside the shard's folder
    (a crafted or damaged summary whose own checksum matches) reads as no entry, and nothing is written."""
    from builders.scale.file_cache import keep
    from builders.scale.shard_cache import restore, stats_json
    from builders.scale.tasks import PART_REJECTS

    out = tmp_path / "out" / "shard"
    out.mkdir(parents=True)
    escaped = tmp_path / "out" / "escaped.parquet"
    name = {"parent": "../escaped.parquet", "absolute": str(escaped), "nested": "data/../../escaped.parquet"}[kind]
    made = tmp_path / "made"
    made.mkdir()
    for part in ("a.parquet", "b.jsonl", PART_REJECTS):
        (made / part).write_bytes(b"part")
    entry = tmp_path / "cache" / "entry"
    entry.parent.mkdir()
    keep(entry, {"data/a.parquet": made / "a.parquet", "b.jsonl": made / "b.jsonl", PART_REJECTS: made / PART_REJECTS},
         {"stats": stats_json(BuildStats()), "written": {"parquet": ["data/a.parquet"], "jsonl": ["b.jsonl"],
                                                         "records_per_shard": [1], "num_records": 1, "arrow_bytes": 4}})
    summary = entry / "summary.json"  # the crafted entry: the part renamed, its summary checksum made again
    data = json.loads(summary.read_text(encoding="utf-8"))
    data.pop(file_cache.CHECK)
    data["written"]["parquet"] = [name]
    data["files"][name] = data["files"].pop("data/a.parquet")
    (entry / name).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(made / "a.parquet", entry / name)
    summary.write_text(json.dumps(data | {file_cache.CHECK: file_cache.summary_check(data)}), encoding="utf-8")
    escaped.unlink(missing_ok=True)
    assert restore(entry, out, PART_REJECTS) is None
    assert not escaped.exists()


def test_identical_pages_in_different_shards_are_rejected_once(
    fake_pipeline: None, seeds: Path, make_config: ConfigFactory
) -> None:
    shutil.copyfile(seeds / "000_a.txt", seeds / "005_copy.txt")
    report = build_release(make_config(pages_per_shard=1, workers=1))
    assert report.stats.records == 9
    assert report.stats.rejects_by_code == {"no-articles": 1, "invalid-record": 3}
    assert [s.file for s in report.stats.seeds if s.rejects == 3] == ["005_copy.txt"]


def test_shards_by_pages_and_size(fake_pipeline: None, make_config: ConfigFactory, tmp_path: Path) -> None:
    report = build_release(make_config(pages_per_shard=2, max_shard_bytes=3_000))
    parquet = [f for f in report.files if f.endswith(".parquet")]
    assert len(parquet) > 2 and parquet[-1].endswith(f"-of-{len(parquet):05d}.parquet")
    (tmp_path / "no-pages").mkdir()
    empty = build_release(make_config(out=tmp_path / "x", seeds=tmp_path / "no-pages", allow_empty=True))
    assert [f for f in empty.files if f.endswith(".jsonl")] == ["jsonl/train-00000-of-00001.jsonl", "rejects.jsonl"]


def test_shared_run_yields_in_task_order_and_raises_the_first_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_run(task: ShardTask) -> ShardSummary:
        time.sleep(0.01 * (task.index % 3))
        if task.index in (4, 6):
            raise ValueError(f"shard {task.index}")
        return ShardSummary(task.index, task.out, BuildStats(), WrittenShards())

    monkeypatch.setattr(engines, "run_shard", fake_run)
    tasks = [ShardTask(k, Path(), (), Path(str(k)), None, "warn", fake_run) for k in range(9)]  # type: ignore[arg-type]
    with ThreadPoolExecutor(2) as pool:
        assert [s.index for s in engines._shared_run(tasks[:4], tasks[:4], pool, 2)] == [0, 1, 2, 3]
        run = engines._shared_run(tasks, tasks[1:], pool, 1)  # task 0 is "cached": run here
        assert [next(run).index for _ in range(4)] == [0, 1, 2, 3]
        with pytest.raises(ValueError, match="shard 4"):
            list(run)


def test_shared_run_gives_the_pool_one_task_per_helper_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """No task waits queued in a helper while this process could take it: the pool holds at most one
    task per helper, and every task runs exactly once."""
    ran: list[int] = []

    def fake_run(task: ShardTask) -> ShardSummary:
        time.sleep(0.02)
        ran.append(task.index)
        return ShardSummary(task.index, task.out, BuildStats(), WrittenShards())

    class CountingPool(ThreadPoolExecutor):
        outstanding = most = 0

        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
            CountingPool.outstanding += 1
            CountingPool.most = max(CountingPool.most, CountingPool.outstanding)
            future = super().submit(fn, *args, **kwargs)
            future.add_done_callback(lambda _: setattr(CountingPool, "outstanding", CountingPool.outstanding - 1))
            return future

    monkeypatch.setattr(engines, "run_shard", fake_run)
    monkeypatch.setattr(engines, "_attempt", fake_run)
    tasks = [ShardTask(k, Path(), (), Path(str(k)), None, "warn", fake_run) for k in range(12)]  # type: ignore[arg-type]
    with CountingPool(4) as pool:
        assert [s.index for s in engines._shared_run(tasks, tasks, pool, 1)] == list(range(12))
    assert CountingPool.most == 1
    assert sorted(ran) == list(range(12))


def test_shared_run_raises_a_broken_pool_at_the_task_it_could_not_take(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool that refuses a task (a helper died) neither kills the feeder thread nor loses the
    task: the tasks before it come out, then its turn raises the pool's error."""
    def fake_run(task: ShardTask) -> ShardSummary:
        time.sleep(0.01)
        return ShardSummary(task.index, task.out, BuildStats(), WrittenShards())

    class BreakingPool(ThreadPoolExecutor):
        taken = 0

        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
            if BreakingPool.taken == 2:
                raise RuntimeError("pool broken")
            BreakingPool.taken += 1
            return super().submit(fn, *args, **kwargs)

    errors: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))
    monkeypatch.setattr(engines, "run_shard", fake_run)
    monkeypatch.setattr(engines, "_attempt", lambda task: time.sleep(0.2) or fake_run(task))
    tasks = [ShardTask(k, Path(), (), Path(str(k)), None, "warn", fake_run) for k in range(8)]  # type: ignore[arg-type]
    seen: list[int] = []
    with BreakingPool(1) as pool, pytest.raises(RuntimeError, match="pool broken"):
        for summary in engines._shared_run(tasks, tasks, pool, 1):
            seen.append(summary.index)
    assert seen == sorted(seen) and len(seen) >= 2 and not errors


def test_tasks_of_a_helper_that_died_run_here_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    """A helper killed mid-build (the OOM killer, ``kill -9``) breaks the pool: its task and every later
    one run in the build process, the half-written output of the dead one is cleared first, the summaries
    come out in task order, and the user gets one warning, not a traceback."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    ran_here: list[int] = []
    ran_in_pool: list[int] = []

    def summary(task: ShardTask) -> ShardSummary:
        return ShardSummary(task.index, task.out, BuildStats(), WrittenShards())

    def here(task: ShardTask) -> ShardSummary:
        assert not (task.out / "half-written.parquet").exists()
        ran_here.append(task.index)
        return summary(task)

    class DyingPool(ThreadPoolExecutor):
        taken = 0

        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
            DyingPool.taken += 1
            task = args[0]
            if DyingPool.taken <= 2:
                ran_in_pool.append(task.index)
                return super().submit(summary, task)
            task.out.mkdir(parents=True, exist_ok=True)
            (task.out / "half-written.parquet").write_bytes(b"PAR1")  # the helper died while writing
            broken: Future[ShardSummary] = Future()
            broken.set_exception(BrokenProcessPool("a process in the pool was terminated abruptly"))
            return broken

    monkeypatch.setattr(engines, "_attempt", lambda task: time.sleep(0.05) or here(task))
    tasks = [ShardTask(k, Path(), (), tmp_path / f"{k:05d}", None, "warn", here) for k in range(8)]  # type: ignore[arg-type]
    with DyingPool(1) as pool, caplog.at_level("WARNING", logger="xianbao"):
        summaries = list(engines._shared_run(tasks, tasks, pool, 1))
    assert [s.index for s in summaries] == list(range(8))
    assert DyingPool.taken == 3  # two tasks done in the pool, the third refused: no more were handed to it
    assert sorted(ran_here + ran_in_pool) == list(range(8)) and len(ran_in_pool) == 2
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "helper process died" in warnings[0]


def test_a_later_stage_shares_its_calls_with_the_pool_in_order() -> None:
    """``map_local``'s calls (the reuse pass rewriting shards) go to whichever side is free; ``prepare``
    runs in this process; results come in task order and a failure is raised at its own turn."""
    prepared: list[int] = []

    def prepare(slot: engines.Slot) -> int:
        prepared.append(slot.index)
        return slot.index

    def work(k: int) -> int:
        time.sleep(0.01 * (k % 3))
        if k == 5:
            raise ValueError("task 5")
        return k * k

    slots = [engines.Slot(k) for k in range(8)]
    with ThreadPoolExecutor(2) as pool:
        run = engines._shared_run(slots, slots, pool, 1, engines.Call(work, prepare))
        assert [next(run) for _ in range(5)] == [0, 1, 4, 9, 16]
        with pytest.raises(ValueError, match="task 5"):
            list(run)
    assert len(prepared) == len(set(prepared)) and set(prepared) <= set(range(8))
    assert list(engines.map_local(engines.Call(abs, lambda slot: -slot.index), 4, None)) == [0, 1, 2, 3]
    with ThreadPoolExecutor(2) as pool:  # a call may give None
        nothing = engines.Call(lambda k: None, lambda slot: slot.index)
        assert list(engines._shared_run(slots, slots, pool, 1, nothing)) == [None] * 8


def test_the_helpers_outlive_the_stage_that_started_them() -> None:
    """One pool serves the shard tasks and then the reuse pass: a helper must not die when the first
    stage's feeder thread ends (its parent-death signal follows the thread that spawned it)."""
    with engines.LocalPool(2) as pool:
        first = list(engines.map_local(engines.Call(abs, lambda slot: -slot.index), 6, pool))
        pids = {pid for pid in pool.get()._processes}
        second = list(engines.map_local(engines.Call(abs, lambda slot: -slot.index), 6, pool))
        assert first == second == list(range(6)) and pool.started
        assert pids == set(pool.get()._processes)
    assert not pool.started


def test_build_processes_run_the_garbage_collector_less_often(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build command and every spawned pool helper (which inherits nothing) use the tuned thresholds;
    the process running the tests is left as it was."""
    import gc

    from builders.scale.runtime import GC_THRESHOLDS

    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)  # CPython's defaults (an earlier test's build may have tuned this process)
    with engines.LocalPool(2) as pool:
        helper = pool.get(segment=False).submit(gc.get_threshold).result()
    assert helper == GC_THRESHOLDS and gc.get_threshold() == (700, 10, 10)
    seen: list[tuple[int, ...]] = []

    def build(config: BuildConfig) -> None:
        seen.append(gc.get_threshold())
        raise ConfigError("stopped by the test")

    monkeypatch.setattr("builders.build.build_release", build)
    try:
        result = CliRunner().invoke(main, ["build", "--seeds", "seeds", "--out", "unused"])
    finally:
        gc.set_threshold(*before)
    assert seen == [GC_THRESHOLDS] and "stopped by the test" in result.output


def test_cut_runs_of_pages() -> None:
    assert [len(run) for run in cut(range(7), 3)] == [3, 3, 1]  # type: ignore[arg-type]
    assert list(cut([], 3)) == []


@pytest.mark.parametrize(("overrides", "message"), [({"pages_per_shard": 0}, "positive"), ({"workers": 0}, "positive"),
                                                    ({"engine": "spark"}, "local or ray")])
def test_scale_config_errors(make_config: ConfigFactory, overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build_release(make_config(**overrides))


def test_progress_plain_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(10, None, stream, every=0.0)
    progress.update(4, 12, 1)
    progress.close()
    assert stream.getvalue().startswith("build: 4/10 pages (40%), 12 articles, 1 rejects, ")
    assert "ETA" in stream.getvalue()
    quiet = io.StringIO()
    Progress(10, False, quiet, every=0.0).update(4, 12, 1)
    assert quiet.getvalue() == ""


def test_cli_build_scaling_options(fake_pipeline: None, seeds: Path, tmp_path: Path) -> None:
    args = ["build", "--seeds", str(seeds), "--out", str(tmp_path / "dist"), "--release-version", "0.2.0",
            "--pages-per-shard", "2", "--workers", "1", "--no-cache"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "dist" / ".cache").exists()
    cached = CliRunner().invoke(main, [*args[:-1], "--cache-dir", str(tmp_path / "c"), "--force"])
    assert cached.exit_code == 0, cached.output
    assert (tmp_path / "c").is_dir()
