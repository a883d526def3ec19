"""Shared fixtures: a fake page processor, small seed folders, built releases."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from builders.build import build_release
from builders.pipeline import PageResult
from builders.release.config import BuildConfig, DatasetMeta
from schema import Problem
from tests.factories import make_article

# Loading tests use local folders only: never the network (set before datasets is imported).
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"

META = DatasetMeta(name="test-papers", pretty_name="Test Papers", description="Test.", license="cc-by-4.0")


FENCED = re.compile(r"^```.*?^```$", re.M | re.S)
UNESCAPED_PIPE = re.compile(r"(?<!\\)(?:\\\\)*\|")
"""A ``|`` after an even number of backslashes: a column break."""


def assert_inert_markdown(markdown: str) -> None:
    """Outside code blocks ``markdown`` holds no raw ``<script``/``<img``, no live ``](javascript:`` link,
    and each row of a table has as many columns as the table's header."""
    prose = FENCED.sub("", markdown)
    assert "<script" not in prose and "<img" not in prose
    assert not re.search(r"(?<!\\)\]\(javascript:", prose)
    header = 0
    for line in prose.splitlines():
        if not line.startswith("|"):
            header = 0
            continue
        header = header or len(UNESCAPED_PIPE.findall(line))
        assert len(UNESCAPED_PIPE.findall(line)) == header, f"a table row lost its columns: {line!r}"


def fake_process_file(path: Path, root: Path | None = None, meta: object = None) -> PageResult:
    """Stands in for the parser: a page ``NNN_*.txt`` holding ``k`` gives k articles; ``reject`` none."""
    name = path.relative_to(root).as_posix() if root else path.name
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    text = raw.decode()
    if text.startswith("reject"):
        problem = Problem(code="no-articles", source_file=name, line=None, message="no article found")
        return PageResult(name, sha, len(raw), problems=[problem])
    start = int(name[:3]) * 100
    articles = [make_article(start + i, source_file=name, source_sha256=sha) for i in range(int(text))]
    return PageResult(name, sha, len(raw), articles)


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the real parser/enricher in builds with :func:`fake_process_file`."""
    monkeypatch.setattr("builders.build.release_file", fake_process_file)


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """Four seed pages: 3, 2 and 4 articles, and one rejected page."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name, content in [("000_a.txt", "3"), ("001_b.txt", "2"), ("002_c.txt", "reject"), ("003_d.txt", "4")]:
        (folder / name).write_text(content)
    return folder


@pytest.fixture
def make_config(seeds: Path, tmp_path: Path) -> Callable[..., BuildConfig]:
    """A build config over ``seeds`` writing under ``tmp_path/dist``; keywords override."""

    def make(**overrides: object) -> BuildConfig:
        values: dict[str, object] = {"seeds": seeds, "out": tmp_path / "dist", "dataset": META, "progress": False}
        values.update(overrides)
        return BuildConfig(**values)  # type: ignore[arg-type]

    return make


@pytest.fixture
def built(fake_pipeline: None, make_config: Callable[..., BuildConfig]) -> Path:
    """A release built from ``seeds`` with the fake pipeline; returns its folder."""
    return build_release(make_config()).release_dir
