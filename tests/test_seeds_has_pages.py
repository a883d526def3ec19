"""The empty-seeds check stops at the first page and agrees with discovery."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders.read.seeds import discover, has_pages


def layout(root: Path, kind: str) -> tuple[Path, list[Path]]:
    seeds = root / "seeds"
    seeds.mkdir()
    skip: list[Path] = []
    if kind == "manifest only":
        (seeds / "manifest.csv").write_text("file\n", encoding="utf-8")
    elif kind == "page in a subfolder":
        (seeds / "a" / "b").mkdir(parents=True)
        (seeds / "a" / "b" / "p.txt").write_text("x\n", encoding="utf-8")
    elif kind == "upper-case suffix":
        (seeds / "P.TXT").write_text("x\n", encoding="utf-8")
    elif kind == "page only in the build's output":
        (seeds / "dist").mkdir()
        (seeds / "dist" / "p.txt").write_text("x\n", encoding="utf-8")
        skip.append(seeds / "dist")
    elif kind == "page only behind a folder link":
        (root / "elsewhere").mkdir()
        (root / "elsewhere" / "p.txt").write_text("x\n", encoding="utf-8")
        (seeds / "link").symlink_to(root / "elsewhere", target_is_directory=True)
    elif kind == "a link to a page outside":
        (root / "outside.txt").write_text("x\n", encoding="utf-8")
        (seeds / "p.txt").symlink_to(root / "outside.txt")
    return seeds, skip


@pytest.mark.parametrize("kind", ["empty", "manifest only", "page in a subfolder", "upper-case suffix",
                                  "page only in the build's output", "page only behind a folder link",
                                  "a link to a page outside"])
def test_has_pages_is_whether_discovery_finds_a_page(tmp_path: Path, kind: str) -> None:
    seeds, skip = layout(tmp_path, kind)
    expected = bool(discover(seeds, skip).pages)
    assert has_pages(seeds, skip) is expected
    assert expected is (kind in ("page in a subfolder", "upper-case suffix", "a link to a page outside"))
