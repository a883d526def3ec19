"""Exclusive, atomic publication of release folders and files.

- :func:`exclusive`: one build at a time per dataset folder (``OUT/<name>/``), with a
  ``filelock`` lock that the kernel releases when its holder dies, even by ``kill -9``.
- :func:`new_staging` / :func:`clean_stale`: every build writes into a staging folder of
  its own (``.<version>.staging-<pid>-<random>``, never reused); under the lock, folders
  left by killed builds are removed and a backup left by a ``--force`` swap is restored.
- :func:`fsync_tree`, :func:`write_text_atomic`, :func:`swap`: everything is written and
  flushed before one rename makes it visible, so a full disk or a kill at any moment
  leaves the old state or the new one, never a half.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from builders.errors import BuildLockedError

LOCKS = ".locks"
STAGING = ".staging-"
BACKUP = ".old"
RENAME_EXCHANGE = 2
"""Linux ``renameat2`` flag: swap two paths in one step."""


def lock_path(dataset_dir: Path) -> Path:
    """The lock file of a dataset folder: ``OUT/.locks/<name>.lock`` (beside it, so the folder stays clean)."""
    return dataset_dir.parent / LOCKS / f"{dataset_dir.name}.lock"


@contextlib.contextmanager
def exclusive(dataset_dir: Path, timeout: float = 0) -> Iterator[None]:
    """Hold the build lock of ``dataset_dir``; :class:`BuildLockedError` when another build holds it."""
    path = lock_path(dataset_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    dataset_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, timeout=timeout)
    try:
        lock.acquire()
    except Timeout as err:
        raise BuildLockedError(
            f"another xianbao build is writing {dataset_dir} (it holds {path}); "
            "wait for it to finish, then build again"
        ) from err
    try:
        yield
    finally:
        lock.release()


def new_staging(target: Path) -> Path:
    """A new, empty staging folder beside ``target`` that no other build uses."""
    staging = target.with_name(f".{target.name}{STAGING}{os.getpid()}-{secrets.token_hex(4)}")
    staging.mkdir()
    return staging


def clean_stale(dataset_dir: Path) -> None:
    """Under the lock: restore a release a killed ``--force`` swap left as a backup; remove stale staging."""
    if not dataset_dir.is_dir():
        return
    for path in sorted(dataset_dir.iterdir()):
        if not path.name.startswith("."):
            continue
        if path.name.endswith(BACKUP):
            target = dataset_dir / path.name[1 : -len(BACKUP)]
            if not target.exists():
                path.rename(target)
                continue
            shutil.rmtree(path, ignore_errors=True)
        elif STAGING in path.name or path.name.endswith(".staging"):
            _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _fsync(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(root: Path) -> None:
    """Flush every file and folder under ``root`` (and ``root``) to disk."""
    for folder, _, names in os.walk(root):
        for name in names:
            _fsync(Path(folder, name))
        _fsync(Path(folder), directory=True)


def stage_text(path: Path, text: str) -> Path:
    """Write ``text`` to a new temporary file beside ``path``, flushed to disk; :func:`commit` renames it."""
    tmp = path.with_name(f".{path.name}{STAGING}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def commit(tmp: Path, path: Path) -> None:
    """Make a staged file visible as ``path`` in one rename, and flush the folder."""
    tmp.replace(path)
    _fsync(path.parent, directory=True)


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` in one rename: a temporary file beside it, flushed, then renamed."""
    tmp = stage_text(path, text)
    try:
        commit(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux ``renameat2(RENAME_EXCHANGE)``; False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot swap
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def swap(staging: Path, target: Path) -> None:
    """Put ``staging`` in place of the existing ``target``; the old content is removed afterwards.

    One atomic exchange where the system has it. Elsewhere the old folder is renamed to a
    backup first, which :func:`clean_stale` restores if a kill comes between the renames.
    """
    if _exchange(staging, target):
        shutil.rmtree(staging)
        return
    backup = target.with_name(f".{target.name}{BACKUP}")
    shutil.rmtree(backup, ignore_errors=True)
    target.rename(backup)
    staging.rename(target)
    shutil.rmtree(backup)
