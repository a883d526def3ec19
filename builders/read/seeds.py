"""Which files of the seeds folder are pages, in a deterministic order."""

from __future__ import annotations

import hashlib
from pathlib import Path


def seed_paths(seeds: Path) -> list[Path]:
    """Every ``*.txt`` under ``seeds``, sorted by POSIX relative path (a deterministic order)."""
    return sorted(seeds.rglob("*.txt"), key=lambda p: p.relative_to(seeds).as_posix())


def file_sha256(path: Path) -> str | None:
    """SHA-256 of a file's bytes; None when it cannot be read (the task then rejects it)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
