"""seeds/manifest.csv: decoded like pages, one problem per bad row with its line, values escaped in the card."""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path

import pytest

from builders.read.manifest import load_manifest
from builders.read.seeds import discover
from builders.release.card import count_table
from builders.release.markdown import cell

HEADER = "file,newspaper,date,page,region,url,license\n"


def _load(tmp_path: Path, raw: bytes, pages: str = "abcdefg") -> tuple[dict[str, object], list[tuple[int | None, str]]]:
    for letter in pages:
        (tmp_path / f"{letter}.txt").write_text("某县新闻\n\n正文。\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_bytes(raw)
    metas, problems = load_manifest(tmp_path, {p.name for p in discover(tmp_path).pages})
    assert {p.code for p in problems} <= {"bad-manifest-row"}
    return dict(metas), [(p.line, p.message) for p in problems]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_the_manifest_is_decoded_like_a_page(tmp_path: Path, encoding: str) -> None:
    metas, problems = _load(tmp_path, (HEADER + "a.txt,庆元报,2020-05-29,01,,,\n").encode(encoding))
    assert problems == []
    meta = metas["a.txt"]
    assert meta.newspaper == "庆元报" and meta.date == datetime.date(2020, 5, 29)  # type: ignore[attr-defined]


def test_bad_rows_are_problems_with_their_line_and_do_not_swallow_the_next(tmp_path: Path) -> None:
    rows = [
        'a.txt,"庆元报,2020-05-29,01,,,',          # line 2: unclosed quote
        "b.txt,遂昌报,2020-05-30,02,,,",           # line 3: good
        "c.txt,x" + "长" * 140_000 + ",,,,,",      # line 4: a field over 128 KiB (the csv module's limit)
        "d.txt,松阳报,,,,,,,",                      # line 5: too many fields
        "e.txt,松阳报",                             # line 6: too few
        "f.txt,缙云报,2020-13-01,,,,",              # line 7: a bad date
        "g.txt,云和报,,,,,",                        # line 8: good
    ]
    metas, problems = _load(tmp_path, (HEADER + "\n".join(rows) + "\n").encode("utf-8"))
    assert sorted(metas) == ["b.txt", "g.txt"]
    assert [line for line, _ in problems] == [2, 4, 5, 6, 7]
    assert "quote" in problems[0][1] and "field limit" in problems[1][1]


def test_rows_no_record_could_hold_are_problems_not_invalid_records(tmp_path: Path) -> None:
    rows = [
        "a.txt,庆元报,1850-05-29,01,,,",       # line 2: a year of print out of range
        "b.txt,遂昌报,,,33112,,",               # line 3: a region of 5 digits
        "c.txt,松阳报,2020-05-29,01,331126,,",  # line 4: good
        "./d.txt,云和报,,,,,",                  # line 5: not a page name of the folder
        "c.txt,缙云报,,,,,",                    # line 6: a second row for c.txt
        "../e.txt,景宁报,,,,,",                 # line 7: outside the folder
    ]
    (tmp_path.parent / "e.txt").write_text("外面的文件\n", encoding="utf-8")
    metas, problems = _load(tmp_path, (HEADER + "\n".join(rows) + "\n").encode("utf-8"), pages="abcd")
    assert list(metas) == ["c.txt"] and metas["c.txt"].newspaper == "松阳报"  # type: ignore[attr-defined]
    assert [line for line, _ in problems] == [2, 3, 5, 6, 7]
    assert "1900" in problems[0][1] and "6-digit" in problems[1][1] and "line 4" in problems[3][1]


def test_a_manifest_linked_from_outside_the_seeds_folder_is_not_read(tmp_path: Path) -> None:
    seeds, outside = tmp_path / "seeds", tmp_path / "elsewhere.csv"
    seeds.mkdir()
    (seeds / "a.txt").write_text("某县新闻\n\n正文。\n", encoding="utf-8")
    outside.write_text(HEADER + "a.txt,外部报,,,,,\n", encoding="utf-8")
    (seeds / "manifest.csv").symlink_to(outside)
    metas, problems = load_manifest(seeds, {"a.txt"})
    assert metas == {} and [p.code for p in problems] == ["bad-manifest-row"] and "outside" in problems[0].message


@pytest.mark.parametrize("header", ["newspaper,date,page\n", "a.txt,庆元报,2020-05-29\n"])
def test_a_header_without_the_file_column_is_one_problem(tmp_path: Path, header: str) -> None:
    """No header, or one without ``file``: one problem on line 1 that says so (each row was 'the `file`
    column is empty'), and no row used."""
    metas, problems = _load(tmp_path, (header + "庆元报,2020-05-29,01\n" * 3).encode("utf-8"))
    assert metas == {}
    # a row of values as the header: its values are unknown columns too
    assert [line for line, _ in problems] == ([1, 1] if header.startswith("a.txt") else [1])
    assert "no `file` column" in problems[-1][1] and "file,newspaper,date" in problems[-1][1]


def test_an_unreadable_manifest_is_one_problem(tmp_path: Path) -> None:
    metas, problems = _load(tmp_path, b"\xff\xfe\xfd\x81\x30\x00garbage")
    assert metas == {} and len(problems) == 1 and problems[0][0] is None


@pytest.mark.parametrize("value", ["甲|乙", "甲\n## 乙", "## x", "<script>alert(1)</script>", "*a* [l](http://x) `c`"])
def test_manifest_values_are_data_in_the_card(value: str) -> None:
    table = count_table("newspaper", Counter({value: 3, "庆元报": 2}))
    lines = table.splitlines()
    assert len(lines) == 4 and all(line.count("|") - line.count("\\|") == 3 for line in lines)
    assert "<script>" not in table and "\n#" not in table
    assert cell("庆元报") == "庆元报" and cell("(unknown)") == "(unknown)"


def test_a_manifest_link_loop_and_a_name_holding_nul_are_problems(tmp_path: Path) -> None:
    (tmp_path / "manifest.csv").symlink_to("manifest.csv")
    metas, problems = load_manifest(tmp_path, set())
    assert metas == {} and "loop" in problems[0].message
    (tmp_path / "manifest.csv").unlink()
    metas2, problems2 = _load(tmp_path, (HEADER + "a\x00.txt,某报,,,,,\na.txt,某报,,,,,\n").encode("utf-16"))
    assert list(metas2) == ["a.txt"] and [line for line, _ in problems2] == [2]


def test_rows_are_checked_against_the_pages_the_caller_found(tmp_path: Path) -> None:
    metas, problems = _load(tmp_path, (HEADER + "a.txt,某报,,,,,\nb.txt,某报,,,,,\n").encode(), pages="a")
    assert list(metas) == ["a.txt"]
    (tmp_path / "manifest.csv").write_text(HEADER + "a.txt,某报,,,,,\nb.txt,某报,,,,,\n", encoding="utf-8")
    metas, problems = load_manifest(tmp_path, {"b.txt"})
    assert list(metas) == ["b.txt"] and [p.line for p in problems] == [2]
