"""The site's folder and files: the output folder rule, page file names, templates, writing."""

from __future__ import annotations

import functools
import hashlib
import re
import shutil
from importlib.resources import files
from pathlib import Path

import jinja2

from builders.errors import ConfigError, OutputError

MARKER = ".xianbao-review"
"""A file in every review site, so a later run may replace the folder and no other."""
ASSETS = ("review.css", "review.js")
UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


MAX_SLUG_BYTES = 200
"""Longest page slug in bytes: the page file adds ``.html``, and file systems allow 255 bytes a name."""


def slug_of(source_file: str, taken: set[str]) -> str:
    """A safe, unique file name for a page: its path with ``/`` as ``__``; a hash where that is not enough."""
    plain = source_file.strip("/").replace("/", "__")
    slug = UNSAFE.sub("_", plain)
    if slug != plain or slug.lower() in taken or len(slug.encode()) > MAX_SLUG_BYTES:
        cut = slug.encode()[: MAX_SLUG_BYTES - 9].decode(errors="ignore")
        slug = f"{cut}-{hashlib.sha256(source_file.encode()).hexdigest()[:8]}"
    taken.add(slug.lower())
    return slug


@functools.cache
def environment() -> jinja2.Environment:
    """Templates from the package; autoescape everything; no stray whitespace."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("builders.review", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def prepare_out(out: Path) -> None:
    """Make ``out`` an empty folder: refuse one that holds anything but an earlier review site."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out} is a file; pass a folder (new, empty, or an earlier review site)")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise ConfigError(f"--out {out} is not empty and not a review site; pass a new or empty folder")
        shutil.rmtree(out)
    try:
        (out / "pages").mkdir(parents=True, exist_ok=True)
        (out / "assets").mkdir(exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create {out}: {err}") from err


def write_file(path: Path, text: str) -> Path:
    try:
        path.write_bytes(text.encode("utf-8"))
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err}") from err
    return path


def write_assets(out: Path) -> None:
    """The CSS and JS every page links to, and the marker file."""
    for name in ASSETS:
        write_file(out / "assets" / name, files("builders.review").joinpath("assets", name).read_text("utf-8"))
    write_file(out / MARKER, "A review site written by `xianbao review`; rewritten by it.\n")
