"""Small releases for the publish and export tests: varied regions and years, several versions."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from builders.build import build_release
from builders.pipeline import PageResult
from builders.release.config import BuildConfig
from tests.conftest import META
from tests.factories import make_article

QINGYUAN = {"code": "331126", "province": "浙江省", "prefecture": "丽水市", "county": "庆元县"}
KAIHUA = {"code": "330824", "province": "浙江省", "prefecture": "衢州市", "county": "开化县"}
REGIONS: list[dict[str, str] | None] = [QINGYUAN, KAIHUA, None]
YEARS = [2020, 2021, None]
V1 = {"000_a.txt": "3", "001_b.txt": "2", "002_c.txt": "4"}
# Pages must differ in bytes: a build treats identical pages as one.
V2 = {"000_a.txt": "3 修订", "001_b.txt": "2", "002_c.txt": "4", "003_d.txt": "2 新增"}


def varied_process_file(path: Path, root: Path | None = None, meta: object = None) -> PageResult:
    """A page ``NNN_*.txt`` holding ``k [note]`` gives k articles over 3 regions x 3 years (note in the body)."""
    name = path.relative_to(root).as_posix() if root else path.name
    raw = path.read_bytes()
    count, _, note = raw.decode().partition(" ")
    sha = hashlib.sha256(raw).hexdigest()
    articles = []
    for i in range(int(count)):
        n = int(name[:3]) * 100 + i
        year = YEARS[n % 3]
        extra: dict[str, Any] = {"year": year, "region": REGIONS[(n // 2) % 3], "body": f"第{n}篇。{note}"}
        if year is None:
            extra.update(date=None, year_evidence=None)
        articles.append(make_article(n, source_file=name, source_sha256=sha, **extra))
    return PageResult(name, sha, len(raw), articles)


def build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str, pages: dict[str, str]) -> Path:
    """Build version ``version`` of the test dataset from ``pages`` (name -> content); return its folder."""
    monkeypatch.setattr("builders.build.release_file", varied_process_file)
    seeds = tmp_path / f"seeds-{version}"
    seeds.mkdir()
    for name, content in pages.items():
        (seeds / name).write_text(content, encoding="utf-8")
    config = BuildConfig(seeds=seeds, out=tmp_path / "dist", dataset=META, version=version, progress=False)
    return build_release(config).release_dir


def jsonl_records(root: Path) -> list[dict[str, Any]]:
    """The records of a release's JSONL shards, in order."""
    return [json.loads(line) for path in sorted((root / "jsonl").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]
