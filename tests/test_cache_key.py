"""The cache key of the pipeline covers its code and the libraries that shape its output."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from builders.scale import cache


def test_a_library_upgrade_changes_the_pipeline_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.pipeline_version()
    real = importlib.metadata.version

    def upgraded(name: str) -> str:
        return "99.0" if name == "rjieba" else real(name)

    monkeypatch.setattr(importlib.metadata, "version", upgraded)
    cache.pipeline_version.cache_clear()
    try:
        assert cache.pipeline_version() != before
    finally:
        monkeypatch.undo()
        cache.pipeline_version.cache_clear()
    assert cache.pipeline_version() == before


def test_every_output_library_is_a_declared_dependency() -> None:
    required = {r.split(";")[0].split("[")[0].split("=")[0].split(">")[0].split("<")[0].strip().lower()
                for r in importlib.metadata.requires("xianbao") or []}
    assert set(cache.OUTPUT_LIBRARIES) <= required


def test_the_line_labellers_model_is_part_of_the_pipeline() -> None:
    # a retrained model without a code change must not reuse pages cached with the old one
    root = Path(cache.__file__).resolve().parents[2]
    files = {p.relative_to(root).as_posix() for p in cache.pipeline_files(root)}
    assert "builders/parse/models/lines.crfsuite" in files
