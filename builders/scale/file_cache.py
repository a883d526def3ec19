"""A cache entry of finished files with a small JSON summary, for output that a build can copy instead of make.

An entry is a folder ``<folder>/<key>/`` holding named files and ``summary.json``. It is
written to a temporary folder and renamed, so a reader never sees half of one; a damaged
or missing entry reads as none. The cache is optional: when the disk refuses, nothing is
kept and the build goes on. The key must name everything the files' bytes depend on (the
caller's business; see :func:`digest`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

SUMMARY = "summary.json"
CHUNK = 1 << 20


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


def recall(entry: Path, targets: Mapping[str, Path]) -> dict[str, Any] | None:
    """Copy the entry's files over ``targets`` (entry name -> path) and return its summary; None when
    there is no readable entry (then no target was touched: the files are copied beside their targets
    first and put in place once all are copied)."""
    copies = {name: target.with_name(f".{target.name}.recalled") for name, target in targets.items()}
    try:
        summary = json.loads((entry / SUMMARY).read_text(encoding="utf-8"))
        if not isinstance(summary, dict):
            return None
        for name, copy in copies.items():
            shutil.copyfile(entry / name, copy)
    except (OSError, ValueError):
        for copy in copies.values():
            copy.unlink(missing_ok=True)
        return None
    for name, copy in copies.items():
        copy.replace(targets[name])
    return summary


def keep(entry: Path, files: Mapping[str, Path], summary: dict[str, Any]) -> None:
    """Keep ``files`` (entry name -> path) and ``summary`` as the entry (atomically; an existing entry
    is left alone)."""
    if entry.exists():
        return
    tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir(parents=True)
        for name, path in files.items():
            shutil.copyfile(path, tmp / name)
        (tmp / SUMMARY).write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
        tmp.rename(entry)
    except OSError:  # another process kept the same entry first, or a full disk: the cache is optional
        shutil.rmtree(tmp, ignore_errors=True)
