"""Which files of the seeds folder are pages, in a deterministic order; every other file accounted for.

A page is a regular file named ``*.txt`` in any case (``a.TXT``), anywhere under the
seeds folder. Nothing is opened here except to hash pages, and never a special file:

- other files (``x.md``, no extension) and folders that cannot be listed are warnings
  (``skipped-file``, ``unreadable-folder``), so nothing is left out silently;
- FIFOs, devices and sockets named ``*.txt`` are rejected unread (``special-file``);
- a symbolic link is followed only when it resolves inside the seeds folder, and is
  recorded under its own name; one resolving outside is rejected unread
  (``link-outside-seeds``); links to folders are not followed (their pages, when inside,
  are read under their real names);
- names are POSIX paths relative to the seeds folder; bytes that are not UTF-8 are
  kept as ``\\xNN`` (:func:`~builders.read.decode.escape_name`), so no name crashes a build.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from builders.read.decode import NotRegularFile, escape_name, read_regular
from schema import Problem

PAGE_SUFFIX = ".txt"
KNOWN_FILES = frozenset({"manifest.csv"})
"""Files at the top of the seeds folder that are read, but are not pages."""


@dataclass(frozen=True)
class SeedFile:
    """One page of the seeds folder.

    Attributes:
        name: POSIX path relative to the seeds folder, as text (``source_file``).
        path: The path to open (may hold bytes that are not UTF-8).
        problem: A reject found without reading the file (special file, link outside).
    """

    name: str
    path: Path
    problem: Problem | None = None


@dataclass
class Discovery:
    """The pages of a seeds folder, sorted by name, and the warnings about the rest."""

    pages: list[SeedFile] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _problem(code: str, name: str, message: str) -> Problem:
    return Problem(code=code, source_file=name, line=None, message=message)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def discover(seeds: Path, skip: Iterable[Path] = ()) -> Discovery:
    """Every file under ``seeds``: pages (sorted by name) and warnings (sorted by name).

    ``skip``: folders that are not read and not reported, wherever they are (a build's own output and
    cache folders when they lie inside the seeds folder: a second build must see what the first saw)."""
    found = Discovery()
    root = seeds.resolve()
    skipped = {real for path in skip if (real := _resolved(path)) is not None}

    def unreadable(err: OSError) -> None:
        name = _name(Path(err.filename or seeds), seeds)
        found.warnings.append(_problem("unreadable-folder", name, f"folder not read: {err.strerror}; "
                                       "its pages are not in the release (fix its permissions)"))

    for folder, dirs, files in os.walk(seeds, onerror=unreadable):
        if skipped:
            dirs[:] = [d for d in dirs if _resolved(Path(folder, d)) not in skipped]
        for sub in [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            dirs.remove(sub)
            name = _name(Path(folder, sub), seeds)
            found.warnings.append(_problem("skipped-file", name, "a link to a folder is not followed"))
        for file in files:
            _classify(Path(folder, file), seeds, root, found)
    found.pages.sort(key=lambda p: p.name)
    found.warnings.sort(key=lambda p: (p.source_file, p.code))
    return found


def _resolved(path: Path) -> Path | None:
    """The real path of ``path``; None for a link loop (Python 3.11 raises RuntimeError, 3.13 OSError) or a
    name no path can hold."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # ValueError: a name holding NUL (from a manifest)
        return None


def is_link_loop(path: Path) -> bool:
    """True when ``path`` is a link that never reaches a file (a loop)."""
    return path.is_symlink() and _resolved(path) is None


def inside_seeds(path: Path, seeds: Path) -> bool:
    """True when ``path`` (links followed) is ``seeds`` or lies under it: what may be read of a seeds folder."""
    real, root = _resolved(path), _resolved(seeds)
    return real is not None and root is not None and _inside(real, root)


def _name(path: Path, seeds: Path) -> str:
    return escape_name(path.relative_to(seeds).as_posix())


def _classify(path: Path, seeds: Path, root: Path, found: Discovery) -> None:
    name = _name(path, seeds)
    if not path.name.lower().endswith(PAGE_SUFFIX):
        if name not in KNOWN_FILES:
            found.warnings.append(_problem("skipped-file", name, f"not a page (pages are *{PAGE_SUFFIX}): not read"))
        return
    if path.is_symlink():  # only links are resolved: links to folders are not walked
        real = _resolved(path)
        if real is None:
            found.pages.append(SeedFile(name, path, _problem(
                "unreadable-file", name, "a link that leads back to itself (a link loop): not read (fix the link)")))
            return
        if not _inside(real, root):
            found.pages.append(SeedFile(name, path, _problem(
                "link-outside-seeds", name, "a link to a file outside the seeds folder: not read (copy the file in)")))
            return
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = stat.S_IFREG  # a broken link or no permission: reading it gives the reject
    if not stat.S_ISREG(mode):
        found.pages.append(SeedFile(name, path, _problem("special-file", name, "not a regular file: not read")))
        return
    found.pages.append(SeedFile(name, path))


def has_pages(seeds: Path, skip: Iterable[Path] = ()) -> bool:
    """True when :func:`discover` finds a page (read or rejected) under ``seeds``: the same walk, stopped
    at the first file named ``*.txt`` (a build's check for an empty seeds folder, before it discovers)."""
    skipped = {real for path in skip if (real := _resolved(path)) is not None}
    for folder, dirs, files in os.walk(seeds):
        if any(file.lower().endswith(PAGE_SUFFIX) for file in files):
            return True
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))
                   and (not skipped or _resolved(Path(folder, d)) not in skipped)]
    return False


def seed_paths(seeds: Path, skip: Iterable[Path] = ()) -> list[Path]:
    """The paths of the pages under ``seeds``, sorted by name (see :func:`discover`)."""
    return [page.path for page in discover(seeds, skip).pages]


def file_sha256(path: Path) -> str | None:
    """SHA-256 of a regular file's bytes; None when it cannot be read or is too large (the task then rejects it)."""
    try:
        return hashlib.sha256(read_regular(path)).hexdigest()
    except (NotRegularFile, OSError):
        return None
