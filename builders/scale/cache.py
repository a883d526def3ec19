"""Per-seed cache of processed pages, so a rebuild only parses and enriches new pages.

A page's entry is keyed by everything its records depend on: the file's SHA-256, its
path relative to seeds/ (records carry ``source_file``), its manifest metadata, the
name of the page processor, and :data:`PIPELINE_VERSION`. Any change to the code of
``builders/`` or ``schema/`` (sources and data files) gives a new version, so a stale
entry is never read. Entries are JSON files written atomically; a build that reads
them writes the same bytes as a clean build, because cached records go through the
same validation and writers as fresh ones.

Layout: ``<cache_dir>/<PIPELINE_VERSION[:16]>/<key[:2]>/<key>.json``; delete the
folder at any time (``rm -rf dist/.cache``).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builders.pipeline import PageResult
from builders.read.manifest import PageMeta
from builders.scale.file_cache import sweep, temp_name
from schema import Article, Problem

TMP_DIR = ".tmp"
"""The folder, beside the ``<key[:2]>`` folders, of entries being written."""
PACKAGES = ("builders", "schema")
"""Packages whose files define the pipeline's behaviour."""
SOURCE_SUFFIXES = (".py", ".txt", ".tsv", ".md", ".json", ".crfsuite")
"""Files whose content shapes output: code, tables, and the line labeller's model (a retrained model
without a code change must not reuse cached pages)."""


def pipeline_files(root: Path) -> list[Path]:
    """The files hashed into :data:`PIPELINE_VERSION`, sorted by POSIX path."""
    found = [p for pkg in PACKAGES for p in (root / pkg).rglob("*") if p.is_file() and p.suffix in SOURCE_SUFFIXES]
    return sorted((p for p in found if "__pycache__" not in p.parts), key=lambda p: p.relative_to(root).as_posix())


OUTPUT_LIBRARIES = ("jieba", "rjieba", "rensa", "numpy", "pyarrow", "pydantic")
"""Installed libraries whose version can change what a page or a sketch becomes: part of the key,
so an upgrade never mixes cached results of the old version with new ones."""


def _library_versions() -> str:
    found = []
    for name in OUTPUT_LIBRARIES:
        try:
            found.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}==none")
    return "\n".join(found)


@functools.cache
def pipeline_version() -> str:
    """SHA-256 over the relative path and bytes of every pipeline file and the versions of
    :data:`OUTPUT_LIBRARIES` (deterministic)."""
    root = Path(__file__).resolve().parents[2]
    digest = hashlib.sha256(_library_versions().encode() + b"\0")
    for path in pipeline_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def processor_name(processor: Callable[..., Any]) -> str:
    """``module.qualname`` of a page processor (part of the cache key)."""
    return f"{processor.__module__}.{processor.__qualname__}"


def page_key(name: str, sha256: str, meta: PageMeta | None, processor: str) -> str:
    """The cache key of one seed page."""
    parts = [pipeline_version(), processor, name, sha256, repr(meta)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def encode_result(result: PageResult) -> str:
    """A page result as one JSON document (records as their JSONL lines)."""
    return json.dumps(
        {
            "source_file": result.source_file,
            "sha256": result.sha256,
            "n_bytes": result.n_bytes,
            "articles": [a.model_dump_json() for a in result.articles],
            "problems": [p.model_dump_json() for p in result.problems],
        },
        ensure_ascii=False,
    )


def decode_result(text: str) -> PageResult:
    """The inverse of :func:`encode_result`."""
    data = json.loads(text)
    return PageResult(
        data["source_file"],
        data["sha256"],
        data["n_bytes"],
        [Article.model_validate_json(a) for a in data["articles"]],
        [Problem.model_validate_json(p) for p in data["problems"]],
    )


def temporary_dir(folder: Path) -> Path:
    """Where the page cache under ``folder`` writes entries before their rename: one folder, so that
    the files of killed builds are found (:func:`sweep_page_cache`) without listing every entry."""
    return folder / pipeline_version()[:16] / TMP_DIR


def sweep_page_cache(folder: Path) -> None:
    """Remove the temporary files of processes that are gone (killed while writing an entry)."""
    sweep(temporary_dir(folder))


@dataclass(frozen=True)
class PageCache:
    """Cached page results under ``folder`` for one pipeline version and processor."""

    folder: Path
    processor: str

    def _path(self, key: str) -> Path:
        return self.folder / pipeline_version()[:16] / key[:2] / f"{key}.json"

    def _tmp(self) -> Path:
        return temporary_dir(self.folder)

    def get(self, key: str) -> PageResult | None:
        """The cached result, or None when absent, unreadable or damaged (its first line, the SHA-256 of
        the rest, differs): then the page is processed again."""
        try:
            check, _, payload = self._path(key).read_bytes().partition(b"\n")
            if hashlib.sha256(payload).hexdigest().encode() != check:
                return None
            return decode_result(payload.decode("utf-8"))
        except (OSError, ValueError, KeyError):
            return None

    def put(self, key: str, result: PageResult) -> None:
        """Store a result atomically (write a temporary file, then rename); skipped when the disk refuses."""
        path = self._path(key)
        tmp = self._tmp() / temp_name(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.parent.mkdir(exist_ok=True)
            payload = encode_result(result).encode("utf-8")
            tmp.write_bytes(hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
            tmp.replace(path)
        except OSError:  # a full disk: the cache is optional, the build goes on without this entry
            tmp.unlink(missing_ok=True)
