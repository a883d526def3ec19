"""Values that cost a second to derive, kept in the temp folder between processes.

jieba keeps its parsed dictionary in the temp folder the same way. A memo is keyed by
everything its value is derived from, so a stale one is never read; a missing or
damaged one is derived again and rewritten atomically. Values are what :mod:`marshal`
stores (dicts, lists, strings, numbers), which loads several times faster than pickle or
JSON. Nothing released is read from here: a memo only saves start-up time.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def memo_path(name: str, key: bytes) -> Path:
    """The memo file of ``name`` for ``key``."""
    return Path(tempfile.gettempdir()) / f"xianbao-{name}-{hashlib.sha256(key).hexdigest()[:20]}.marshal"


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
        loaded = marshal.loads(path.read_bytes())
        if valid(loaded):
            return loaded
    except (OSError, EOFError, ValueError, TypeError):
        pass  # missing or damaged: derived again below
    value = derive()
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(marshal.dumps(value))
        os.replace(temporary, path)
    except (OSError, ValueError):
        temporary.unlink(missing_ok=True)  # a read-only temp folder only costs the next process time
    return value
