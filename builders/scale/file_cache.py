"""A cache entry of finished files with a small JSON summary, for output that a build can copy instead of make.

An entry is a folder ``<folder>/<key>/`` holding named files and ``summary.json``. It is
written to a temporary folder and renamed, so a reader never sees half of one; its summary
records each file's size and SHA-256 (and its own), checked as the files are copied out, so a
damaged, truncated or linked entry reads as none. The cache is optional: when the disk refuses,
nothing is kept and the build goes on. The key must name everything the files' bytes depend on
(the caller's business; see :func:`digest`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import stat
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

SUMMARY = "summary.json"
FILES = "files"
"""The summary's entry of each kept file's ``[size, SHA-256]``."""
CHECK = "sha256"
"""The summary's entry of the SHA-256 of the rest of it."""
TMP = ".tmp"
HOST = re.sub(r"[^A-Za-z0-9_]", "_", socket.gethostname()) or "host"
"""This machine in temporary names (:func:`temp_name`): a cache may be shared by the machines of a cluster."""
STALE_SECONDS = 3600
"""Age after which any temporary entry is swept: no entry takes that long to write."""
CHUNK = 1 << 20
T = TypeVar("T")


def file_digest(path: Path) -> bytes:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.digest()


def digest(parts: Iterable[str | bytes]) -> str:
    """A key from its parts (each is length-prefixed, so no two lists of parts give the same text)."""
    found = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        found.update(len(data).to_bytes(8, "little"))
        found.update(data)
    return found.hexdigest()


def copy_hashed(source: Path, target: Path, *, keeping: bool) -> tuple[int, str]:
    """Copy a regular file; return its size and SHA-256. ``keeping``: into an entry; else out of one
    (never through a link). Nothing is synced to disk: a file a crash left short fails its check."""
    fd = os.open(source, os.O_RDONLY | (0 if keeping else getattr(os, "O_NOFOLLOW", 0)))
    with os.fdopen(fd, "rb") as src:
        if not stat.S_ISREG(os.fstat(src.fileno()).st_mode):
            raise OSError(f"{source} is not a regular file")
        digest, size = hashlib.sha256(), 0
        with target.open("wb") as out:
            while block := src.read(CHUNK):
                digest.update(block)
                size += len(block)
                out.write(block)
    return size, digest.hexdigest()


def _summary(entry: Path) -> dict[str, Any] | None:
    """The entry's summary when the entry is a real folder (no link) with a readable summary."""
    if not stat.S_ISDIR(entry.lstat().st_mode):
        return None
    fd = os.open(entry / SUMMARY, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        summary = json.loads(fh.read().decode("utf-8"))
    if not isinstance(summary, dict) or not isinstance(summary.get(FILES), dict):
        return None
    check = summary.pop(CHECK, None)
    return summary if check == summary_check(summary) else None


def summary_check(summary: dict[str, Any]) -> str:
    """SHA-256 of a summary's content (keys sorted): damage to the summary itself reads as no entry."""
    return hashlib.sha256(json.dumps(summary, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def recall(entry: Path, targets: Mapping[str, Path] | Callable[[dict[str, Any]], Mapping[str, Path]],
           parse: Callable[[dict[str, Any]], T]) -> T | None:
    """Copy the entry's files over ``targets`` (entry name -> path, or a function of the summary giving
    them) and return ``parse(summary)``; None when there is no sound entry: a link, a file missing, a
    size or SHA-256 other than the summary's, a summary ``parse`` or ``targets`` refuses (KeyError,
    TypeError, ValueError). Then no target was touched: the files are copied and checked beside their
    targets first, and put in place once all are."""
    copies: dict[str, Path] = {}
    try:
        summary = _summary(entry)
        found = targets(summary) if summary is not None and callable(targets) else targets
        if summary is None or not isinstance(found, Mapping) or sorted(summary[FILES]) != sorted(found):
            return None
        value = parse(summary)
        for name, target in found.items():
            copies[name] = target.with_name(f".{target.name}.recalled")
            if list(copy_hashed(entry / name, copies[name], keeping=False)) != summary[FILES][name]:
                raise ValueError(f"{entry / name} is not the file kept")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        for copy in copies.values():
            copy.unlink(missing_ok=True)
        return None
    for name, copy in copies.items():
        copy.replace(found[name])
    return value


def keep(entry: Path, files: Mapping[str, Path], summary: dict[str, Any]) -> None:
    """Keep ``files`` (entry name -> path) and ``summary`` as the entry (atomically; an existing entry
    is left alone). The summary records each file's size and
    SHA-256, which :func:`recall` checks."""
    if entry.exists():
        return
    tmp = entry.with_name(temp_name(entry.name))
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir(parents=True)
        kept = {}
        for name, path in files.items():  # a name may hold folders (data/part.parquet)
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            kept[name] = list(copy_hashed(path, tmp / name, keeping=True))
        with (tmp / SUMMARY).open("w", encoding="utf-8") as fh:
            content = summary | {FILES: kept}
            fh.write(json.dumps(content | {CHECK: summary_check(content)}, ensure_ascii=False))
        tmp.rename(entry)
    except OSError:  # another process kept the same entry first, or a full disk: the cache is optional
        shutil.rmtree(tmp, ignore_errors=True)


def temp_name(name: str) -> str:
    """The name under which this process writes ``name`` before its rename (``.<name>.<host>-<pid>.tmp``):
    :func:`sweep` removes it once its process is gone, without touching another machine's."""
    return f".{name}.{HOST}-{os.getpid()}{TMP}"


def sweep(folder: Path) -> None:
    """Remove the temporary entries (folders or files, :func:`temp_name`) left in ``folder`` by processes
    killed while writing them: this machine's whose process is gone, and any over :data:`STALE_SECONDS`
    old (another machine's, sharing the cache). What cannot be removed is left (the cache is optional)."""
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.name.endswith(TMP)]
    except OSError:
        return
    now = time.time()
    for name in names:
        path = folder / name
        if not _stale(path, name[: -len(TMP)].rpartition(".")[2], now):
            continue
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        except OSError:  # another user's file, a read-only cache: left
            pass


def _stale(path: Path, tag: str, now: float) -> bool:
    host, _, pid = tag.rpartition("-")
    if host == HOST and pid.isdigit() and not _alive(int(pid)):
        return True
    try:
        return now - path.lstat().st_mtime > STALE_SECONDS
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True
