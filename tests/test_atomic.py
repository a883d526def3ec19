"""Builds are exclusive and atomic: a lock per dataset folder, own staging, one rename per publication."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from builders.build import build_release
from builders.errors import BuildLockedError, OutputError
from builders.release.atomic import clean_stale, exclusive
from builders.release.config import BuildConfig
from builders.release.validate import validate_release

ROOT = Path(__file__).resolve().parents[1]


def _listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if ".cache" not in p.parts)


def test_a_second_build_into_the_same_folder_is_refused_while_one_runs(
    fake_pipeline: None, make_config: Callable[..., BuildConfig]
) -> None:
    config = make_config()
    with exclusive(config.release_dir.parent), pytest.raises(BuildLockedError, match="another xianbao build"):
        build_release(config)
    assert not config.release_dir.exists()
    assert build_release(config).status == "created"  # the lock is free again


def test_stale_staging_of_a_killed_build_is_never_trusted_and_is_removed(
    fake_pipeline: None, make_config: Callable[..., BuildConfig]
) -> None:
    config = make_config()
    dataset = config.release_dir.parent
    for stale in (".0.1.0.staging", ".0.1.0.staging-99-dead", ".0.1.0.staging-98-beef/.parts/00000"):
        (dataset / stale).mkdir(parents=True)
        (dataset / stale / "junk.jsonl").write_text("{not a record", encoding="utf-8")
    (dataset / ".CHANGELOG.md.staging-97-cafe").write_text("half", encoding="utf-8")
    assert build_release(config).status == "created"
    assert validate_release(config.release_dir) == []
    assert sorted(p.name for p in dataset.iterdir()) == ["0.1.0", "CHANGELOG.md"]


def test_a_kill_inside_the_force_swap_leaves_the_old_version_restored(
    fake_pipeline: None, make_config: Callable[..., BuildConfig], seeds: Path
) -> None:
    release = build_release(make_config()).release_dir
    before = {p: p.read_bytes() for p in release.rglob("*") if p.is_file()}
    release.rename(release.with_name(".0.1.0.old"))  # killed between the two renames of a swap
    clean_stale(release.parent)
    assert {p: p.read_bytes() for p in release.rglob("*") if p.is_file()} == before
    (seeds / "004_e.txt").write_text("2")
    assert build_release(make_config(force=True)).status == "replaced"
    assert sorted(p.name for p in release.parent.iterdir()) == ["0.1.0", "CHANGELOG.md"]
    assert validate_release(release) == []


def test_a_full_disk_at_the_last_step_publishes_nothing(
    fake_pipeline: None, make_config: Callable[..., BuildConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(path: Path, text: str) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr("builders.release.changelog.stage_text", full)
    config = make_config()
    with pytest.raises(OutputError, match="No space left"):
        build_release(config)
    assert _listing(config.release_dir.parent) == []


def test_pool_workers_die_with_the_build_process(tmp_path: Path) -> None:
    """kill -9 of the parent: its worker goes at once (it would go on writing into staging)."""
    parent = subprocess.Popen(
        [sys.executable, "-c",
         "import os, subprocess, sys, time\n"
         "child = subprocess.Popen([sys.executable, '-c', 'import time; from builders.scale.engines import "
         "die_with_parent; die_with_parent({0}); print(1, flush=True); time.sleep(60)'.format(os.getpid())],"
         " stdout=subprocess.PIPE)\n"
         "child.stdout.readline(); print(child.pid, flush=True); time.sleep(60)\n"],
        stdout=subprocess.PIPE, cwd=ROOT, text=True,
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    for _ in range(50):
        if not _alive(child):
            break
        time.sleep(0.1)
    assert not _alive(child), "the worker outlived its parent"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(") ")[-1][0] != "Z"  # a zombie is dead, waiting for init to reap it
    except FileNotFoundError:
        return False
