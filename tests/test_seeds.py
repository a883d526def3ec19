"""Seeds discovery and reading: every file accounted for, nothing outside read, no name or file type crashes."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from builders.build import build_release
from builders.read.decode import Page, read_page
from builders.read.seeds import discover
from builders.release.config import BuildConfig
from schema import Problem
from tests.conftest import META

PAGE = "县委召开常委会议\n\n本报讯（记者 张三）５月６日，县委召开常委会议。\n"


def _codes(problems: list[Problem]) -> dict[str, str]:
    return {p.source_file: p.code for p in problems}


def test_every_file_is_a_page_or_a_warning(tmp_path: Path) -> None:
    for name in ("a.TXT", "b.txt", "x.md", "z.text", "noext", "manifest.csv", "sub/c.Txt", "sub/manifest.csv"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(PAGE, encoding="utf-8")
    found = discover(tmp_path)
    assert [p.name for p in found.pages] == ["a.TXT", "b.txt", "sub/c.Txt"]
    assert _codes(found.warnings) == {"x.md": "skipped-file", "z.text": "skipped-file", "noext": "skipped-file",
                                      "sub/manifest.csv": "skipped-file"}


def test_an_unreadable_folder_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "p.txt").write_text(PAGE, encoding="utf-8")
    real = os.scandir

    def scandir(path: str) -> object:  # chmod 000 does not stop root: refuse like the kernel would
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert _codes(discover(tmp_path).warnings) == {"locked": "unreadable-folder"}


def test_a_fifo_is_rejected_without_opening_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.txt")
    found = discover(tmp_path)
    assert [(p.name, p.problem.code if p.problem else None) for p in found.pages] == [("x.txt", "special-file")]
    result: list[object] = []
    reader = threading.Thread(target=lambda: result.append(read_page(tmp_path / "x.txt", tmp_path)), daemon=True)
    reader.start()
    reader.join(5)
    assert not reader.is_alive(), "reading a FIFO hangs"
    assert isinstance(result[0], Problem) and result[0].code == "special-file"


def test_links_outside_are_rejected_and_links_inside_keep_their_name(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("SECRET 县委召开常委会议\n", encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(PAGE, encoding="utf-8")
    (seeds / "b.txt").symlink_to("a.txt")
    (seeds / "x.txt").symlink_to(outside)
    (seeds / "up").symlink_to(tmp_path, target_is_directory=True)
    found = discover(seeds)
    assert [(p.name, p.problem.code if p.problem else None) for p in found.pages] == [
        ("a.txt", None), ("b.txt", None), ("x.txt", "link-outside-seeds")]
    assert _codes(found.warnings) == {"up": "skipped-file"}
    page = read_page(seeds / "b.txt", seeds)
    assert isinstance(page, Page) and page.source_file == "b.txt"


def test_a_link_loop_is_an_unreadable_page(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    (tmp_path / "b.txt").symlink_to("c.txt")
    (tmp_path / "c.txt").symlink_to("b.txt")
    found = discover(tmp_path)
    assert [(p.name, p.problem.code if p.problem else None) for p in found.pages] == [
        ("a.txt", None), ("b.txt", "unreadable-file"), ("c.txt", "unreadable-file"), ("loop.txt", "unreadable-file")]


def test_the_build_s_own_folders_inside_the_seeds_folder_are_not_seeds(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    config = BuildConfig(seeds=tmp_path, out=tmp_path / "dist", dataset=META, progress=False, workers=1)
    first = build_release(config)
    (tmp_path / "dist" / "note.txt").write_text(PAGE, encoding="utf-8")
    second = build_release(config)
    assert second.status == "unchanged" and first.release_dir == second.release_dir
    assert [p.name for p in discover(tmp_path, config.own_dirs).pages] == ["a.txt"]


def _build(seeds: Path, out: Path) -> Path:
    config = BuildConfig(seeds=seeds, out=out, dataset=META, progress=False, workers=1, cache=False)
    return build_release(config).release_dir


@pytest.mark.slow
def test_a_build_over_odd_seeds_keeps_the_good_pages_and_reads_nothing_outside(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("SECRET 县委召开常委会议\nroot:x:0:0\n", encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(PAGE, encoding="utf-8")
    (seeds / "b.txt").symlink_to("a.txt")
    (seeds / "c.TXT").write_bytes(PAGE.replace("张三", "李四").encode("utf-16"))
    (seeds / "x.txt").symlink_to(tmp_path / "secret.txt")
    (seeds / "notes.md").write_text("notes", encoding="utf-8")
    os.mkfifo(seeds / "fifo.txt")
    with open(os.fsencode(seeds) + b"/\xcf\xd8.txt", "wb") as fh:  # a GBK name: not UTF-8
        fh.write(PAGE.replace("张三", "王五").encode("gbk"))
    release = _build(Path(os.path.relpath(seeds)), tmp_path / "dist")
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert [s["file"] for s in manifest["seeds"]] == ["\\xcf\\xd8.txt", "a.txt", "b.txt", "c.TXT", "fifo.txt",
                                                      "x.txt"]
    assert [s["articles"] for s in manifest["seeds"]] == [1, 1, 0, 1, 0, 0]
    rejects = (release / "rejects.jsonl").read_text(encoding="utf-8")
    assert "SECRET" not in rejects and "root:" not in rejects
    codes = {json.loads(line)["source_file"]: json.loads(line)["code"] for line in rejects.splitlines()}
    assert codes == {"b.txt": "invalid-record", "fifo.txt": "special-file", "x.txt": "link-outside-seeds"}
    other = _build(Path(str(seeds.resolve()) + "/../seeds/"), tmp_path / "dist2")  # another spelling of --seeds
    assert (other / "manifest.json").read_bytes() == (release / "manifest.json").read_bytes()
    assert (other / "rejects.jsonl").read_bytes() == (release / "rejects.jsonl").read_bytes()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-le"])
def test_utf16_and_utf32_with_a_bom_decode(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00"}.get(encoding, b"")
    (tmp_path / "p.txt").write_bytes(bom + PAGE.encode(encoding))
    page = read_page(tmp_path / "p.txt", tmp_path)
    assert isinstance(page, Page) and page.text == PAGE


def test_bidi_and_invisible_controls_are_removed_counted_and_flagged(tmp_path: Path) -> None:
    from builders.pipeline import process_file

    text = "县委召开\u202e常委会议\n\n本报讯（记者 张三）\u200b５月６日，县委\u2066召开常委会议。\n"
    (tmp_path / "p.txt").write_text(text, encoding="utf-8")
    page = read_page(tmp_path / "p.txt", tmp_path)
    assert isinstance(page, Page) and page.text == PAGE and page.format_controls == 3
    result = process_file(tmp_path / "p.txt", tmp_path)
    assert [a.headline for a in result.articles] == ["县委召开常委会议"]
    assert "format-controls-removed" in result.articles[0].flags
    assert [p.code for p in result.problems] == ["format-controls-removed"]


def test_a_page_over_the_limit_is_rejected_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("builders.read.decode.MAX_PAGE_BYTES", 1000)
    (tmp_path / "big.txt").write_text(PAGE * 100, encoding="utf-8")
    page = read_page(tmp_path / "big.txt", tmp_path)
    assert isinstance(page, Problem) and page.code == "page-too-large"
