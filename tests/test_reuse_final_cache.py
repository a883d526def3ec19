"""Finished shards kept in the build cache: copied only when the records, the reuse objects, the write
options and the pipeline version are all those they were made with."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from builders.release.write import WriteOptions
from builders.reuse import stage
from builders.reuse.stage import Shard, final_key, patch_shard
from builders.scale import file_cache
from schema import Reuse
from tests.test_reuse_build import build, records, seeds  # noqa: F401  (the fixture)

STALE = b"a stale copy"
ORIGINAL = {"cluster": None, "kind": "original", "source_id": None, "similarity": None, "passages": [],
            "credited_to": None}


@pytest.fixture(scope="module")
def unmarked(seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    """A release whose records have ``reuse: null`` (the shard tasks' output, before the pass)."""
    return build(seeds, tmp_path_factory.mktemp("out"), reuse=False, pages_per_shard=3)


def shard(unmarked: Path, folder: Path) -> Shard:
    """A fresh copy of the release's one shard, as the pass finds it."""
    folder.mkdir(parents=True, exist_ok=True)
    parquet, jsonl = folder / "s.parquet", folder / "s.jsonl"
    shutil.copyfile(next((unmarked / "data").glob("*.parquet")), parquet)
    shutil.copyfile(next((unmarked / "jsonl").glob("*.jsonl")), jsonl)
    return Shard(parquet, jsonl, 0)


def reuses(unmarked: Path, **change: Any) -> list[Reuse]:
    n = len(records(unmarked))
    return [Reuse(**ORIGINAL), *(Reuse(**(ORIGINAL | change)) for _ in range(n - 1))]


def poison(final: Path) -> None:
    """Replace every kept finished file with bytes no patch makes, its summary made to agree (a sound
    entry, only of other content): a build that copies one shows it."""
    for entry in final.iterdir():
        summary = json.loads((entry / file_cache.SUMMARY).read_text(encoding="utf-8"))
        summary.pop(file_cache.CHECK)
        for name in ("data.parquet", "data.jsonl"):
            (entry / name).write_bytes(STALE)
            summary[file_cache.FILES][name] = [len(STALE), hashlib.sha256(STALE).hexdigest()]
        summary[file_cache.CHECK] = file_cache.summary_check(summary)
        (entry / file_cache.SUMMARY).write_text(json.dumps(summary), encoding="utf-8")


def the_entry(final: Path) -> Path:
    (entry,) = final.iterdir()
    return entry


@pytest.fixture
def kept(unmarked: Path, tmp_path: Path) -> tuple[Path, bytes]:
    """A finished shard kept (then poisoned) under ``tmp_path/final``; the bytes it was patched to."""
    final = tmp_path / "final"
    first = shard(unmarked, tmp_path / "first")
    patch_shard((first, reuses(unmarked), WriteOptions(), final))
    assert len(list(final.iterdir())) == 1
    poison(final)
    return final, first.jsonl.read_bytes()


def test_the_same_records_and_reuse_objects_are_copied_with_their_figures(unmarked: Path, tmp_path: Path) -> None:
    final = tmp_path / "final"
    first, again = shard(unmarked, tmp_path / "a"), shard(unmarked, tmp_path / "b")
    made = patch_shard((first, reuses(unmarked), WriteOptions(), final))
    copied = patch_shard((again, reuses(unmarked), WriteOptions(), final))
    assert copied == made and made[0].records and made[1] > 0
    assert again.parquet.read_bytes() == first.parquet.read_bytes()
    assert again.jsonl.read_bytes() == first.jsonl.read_bytes()
    poison(final)
    third = shard(unmarked, tmp_path / "c")
    patch_shard((third, reuses(unmarked), WriteOptions(), final))
    assert third.jsonl.read_bytes() == STALE  # the poisoned entry was the one used: the test can see a copy


def test_other_reuse_objects_are_patched_not_copied(unmarked: Path, tmp_path: Path, kept: tuple[Path, bytes]) -> None:
    final, _ = kept
    other = shard(unmarked, tmp_path / "other")
    patch_shard((other, reuses(unmarked, kind="reprint", cluster="0" * 16), WriteOptions(), final))
    assert b'"kind":"reprint"' in other.jsonl.read_bytes()
    assert other.parquet.read_bytes() != STALE


def test_other_records_are_patched_not_copied(unmarked: Path, tmp_path: Path, kept: tuple[Path, bytes]) -> None:
    final, _ = kept
    other = shard(unmarked, tmp_path / "other")
    text = other.jsonl.read_text(encoding="utf-8")
    other.jsonl.write_text(text.replace("春耕", "秋收", 1), encoding="utf-8")
    patch_shard((other, reuses(unmarked), WriteOptions(), final))
    assert "秋收" in other.jsonl.read_text(encoding="utf-8")
    assert other.parquet.read_bytes() != STALE


def test_other_write_options_are_patched_not_copied(unmarked: Path, tmp_path: Path, kept: tuple[Path, bytes]) -> None:
    final, patched = kept
    other = shard(unmarked, tmp_path / "other")
    patch_shard((other, reuses(unmarked), WriteOptions(row_group_size=1), final))
    assert other.jsonl.read_bytes() == patched and other.parquet.read_bytes() != STALE


def test_another_pipeline_version_is_patched_not_copied(unmarked: Path, tmp_path: Path, kept: tuple[Path, bytes],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    final, patched = kept
    monkeypatch.setattr(stage, "pipeline_version", lambda: "f" * 64)
    other = shard(unmarked, tmp_path / "other")
    patch_shard((other, reuses(unmarked), WriteOptions(), final))
    assert other.jsonl.read_bytes() == patched and other.parquet.read_bytes() != STALE


def test_the_key_names_each_input(unmarked: Path, tmp_path: Path) -> None:
    one = shard(unmarked, tmp_path / "one")
    lines = [r.model_dump_json() for r in reuses(unmarked, kind="reprint")]
    key = final_key(one, lines, WriteOptions())
    assert final_key(one, lines[::-1], WriteOptions()) != key
    assert final_key(one, lines[:-1], WriteOptions()) != key
    assert final_key(one, lines, WriteOptions(compression_level=3)) != key
    one.parquet.write_bytes(one.parquet.read_bytes() + b"\0")
    assert final_key(one, lines, WriteOptions()) != key


def test_a_cached_rebuild_is_the_clean_build_byte_for_byte(seeds: Path, tmp_path: Path) -> None:  # noqa: F811
    clean = build(seeds, tmp_path / "clean")
    cache = {"cache": True, "cache_dir": tmp_path / "cache"}
    warm = build(seeds, tmp_path / "warm", **cache)
    again = build(seeds, tmp_path / "again", **cache)
    for release in (warm, again):
        files = sorted(p.relative_to(release) for p in release.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(clean) for p in clean.rglob("*") if p.is_file())
        assert all((release / f).read_bytes() == (clean / f).read_bytes() for f in files), release
    assert list((tmp_path / "cache").rglob("final/*/summary.json"))


def _made_again(unmarked: Path, tmp_path: Path, final: Path) -> None:
    """A shard patched with the kept entry's inputs gets the bytes of a fresh patch, not the entry's."""
    fresh, again = shard(unmarked, tmp_path / "fresh"), shard(unmarked, tmp_path / "again")
    made = patch_shard((fresh, reuses(unmarked), WriteOptions(), None))
    assert patch_shard((again, reuses(unmarked), WriteOptions(), final)) == made
    assert again.parquet.read_bytes() == fresh.parquet.read_bytes()
    assert again.jsonl.read_bytes() == fresh.jsonl.read_bytes()


def _keep_one(unmarked: Path, tmp_path: Path) -> Path:
    final = tmp_path / "final"
    patch_shard((shard(unmarked, tmp_path / "first"), reuses(unmarked), WriteOptions(), final))
    return final


@pytest.mark.parametrize("damage", ["truncated", "other bytes", "summary {}", "summary figures", "linked"])
def test_a_damaged_entry_is_made_again_not_copied(unmarked: Path, tmp_path: Path, damage: str) -> None:
    final = _keep_one(unmarked, tmp_path)
    entry = the_entry(final)
    parquet, summary = entry / "data.parquet", entry / file_cache.SUMMARY
    if damage == "truncated":
        parquet.write_bytes(parquet.read_bytes()[:100])
    elif damage == "other bytes":
        data = bytearray(parquet.read_bytes())
        data[len(data) // 2] ^= 1
        parquet.write_bytes(bytes(data))
    elif damage == "summary {}":
        summary.write_text("{}", encoding="utf-8")
    elif damage == "summary figures":
        summary.write_text(summary.read_text(encoding="utf-8").replace('"grown": ', '"grown": 1'), encoding="utf-8")
    else:
        outside = tmp_path / "outside.parquet"
        outside.write_bytes(parquet.read_bytes())
        parquet.unlink()
        parquet.symlink_to(outside)
    _made_again(unmarked, tmp_path, final)


def test_entries_half_kept_by_a_killed_build_are_swept(tmp_path: Path) -> None:
    dead = os.fork()
    if dead == 0:
        os._exit(0)
    os.waitpid(dead, 0)
    here = file_cache.HOST
    gone, live = tmp_path / f".{'a' * 64}.{here}-{dead}.tmp", tmp_path / f".{'b' * 64}.{here}-{os.getpid()}.tmp"
    for folder in (gone, live):
        folder.mkdir()
    file_cache.sweep(tmp_path)
    assert not gone.exists() and live.exists()
