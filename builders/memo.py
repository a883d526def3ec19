"""Values that cost a second to derive, kept in a per-user cache folder between processes.

jieba keeps its parsed dictionary in a cache file the same way. A memo is keyed by
everything its value is derived from, so a stale one is never read; a missing or
damaged one is derived again and rewritten atomically. Values are what :mod:`marshal`
stores (dicts, lists, strings, numbers), which loads several times faster than pickle or
JSON. Nothing released is read from here: a memo only saves start-up time.

The folder is the user's cache folder (``platformdirs.user_cache_dir("xianbao")``, e.g.
``~/.cache/xianbao``; ``XIANBAO_CACHE_DIR`` overrides it), created readable by its owner
only. A memo file is read only when this user owns it and nobody else may write to it or
its folder, so another user of the machine cannot plant or alter a value; a file that
fails these checks is ignored, derived again and replaced (only inside a private folder).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs

ENV = "XIANBAO_CACHE_DIR"


def memo_dir() -> Path:
    """The memo folder (``$XIANBAO_CACHE_DIR``, else the user's cache folder for xianbao)."""
    return Path(os.environ.get(ENV) or platformdirs.user_cache_dir("xianbao", appauthor=False)) / "memo"


def memo_path(name: str, key: bytes) -> Path:
    """The memo file of ``name`` for ``key``."""
    return memo_dir() / f"{name}-{hashlib.sha256(key).hexdigest()[:20]}.marshal"


def _private(item: Path, uid: int | None) -> bool:
    info = item.lstat()
    mine = uid is None or info.st_uid == uid
    return mine and not stat.S_ISLNK(info.st_mode) and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def trusted(path: Path) -> bool:
    """True when ``path`` and its folder belong to this user and only this user may write them."""
    uid = os.getuid() if hasattr(os, "getuid") else None
    return _private(path.parent, uid) and _private(path, uid)


def _store(path: Path, value: Any) -> None:
    """Write ``value`` atomically into the private folder; a folder that cannot be used only costs time."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(path.parent, os.getuid() if hasattr(os, "getuid") else None):
            return
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        payload = marshal.dumps(value)
        with os.fdopen(fd, "wb") as fh:
            fh.write(hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, path)
    except (OSError, ValueError):
        temporary.unlink(missing_ok=True)


CHECK_BYTES = 32
"""A memo file starts with the SHA-256 of the rest (the marshalled value): one damaged on disk (a byte of
a POS tag changed) is derived again, not loaded as a plausible value of the right shape."""


def temp_memo(name: str, key: bytes, derive: Callable[[], Any], valid: Callable[[Any], bool]) -> Any:
    """The value memoised under ``(name, key)``, or ``derive()`` (then memoised).

    Args:
        name: what the value is (part of the file name).
        key: the bytes the value is derived from (versions, inputs).
        derive: computes the value.
        valid: accepts a loaded value of the expected shape.
    """
    path = memo_path(name, key)
    try:
        if trusted(path):
            data = path.read_bytes()
            check, payload = data[:CHECK_BYTES], data[CHECK_BYTES:]
            loaded = marshal.loads(payload) if hashlib.sha256(payload).digest() == check else None
            if loaded is not None and valid(loaded):
                return loaded
    except (OSError, EOFError, ValueError, TypeError):
        pass  # missing or damaged: derived again below
    value = derive()
    _store(path, value)  # replaces a damaged or foreign file in this user's own folder
    return value
