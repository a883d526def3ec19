"""Reading seed files: encodings, line ends, and bad input as stable reject codes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from builders.pipeline import process_file
from builders.read.decode import Page, read_page
from schema import Problem

PAGE = "县委召开常委会议\n\n本报讯（记者 张三）５月６日，县委召开常委会议。\n"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (PAGE.encode("utf-8"), "utf-8-sig"),
        (b"\xef\xbb\xbf" + PAGE.encode("utf-8"), "utf-8-sig"),
        (PAGE.encode("gb18030"), "gb18030"),
        (PAGE.encode("gbk"), "gb18030"),
        (PAGE.replace("\n", "\r\n").encode("utf-8"), "utf-8-sig"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "crlf"],
)
def test_encodings_decode_to_the_same_text(tmp_path: Path, raw: bytes, encoding: str) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(raw)
    page = read_page(path, tmp_path)
    assert isinstance(page, Page)
    assert page.text == PAGE and page.encoding == encoding and page.source_file == "page.txt"
    result = process_file(path, tmp_path)
    assert [a.headline for a in result.articles] == ["县委召开常委会议"]
    assert result.articles[0].bylines[0].name == "张三"


TRADITIONAL = "縣委召開常委會議\n\n本報訊（記者 張三）５月６日，縣委召開常委會議，研究部署農村基礎設施建設。\n"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [(TRADITIONAL.encode("big5"), "cp950"), (TRADITIONAL.encode("cp950"), "cp950"),
     (TRADITIONAL.encode("gbk"), "gb18030"), (TRADITIONAL.encode("gb18030"), "gb18030")],
    ids=["big5", "cp950", "gbk-traditional", "gb18030-traditional"],
)
def test_big5_is_told_from_gb18030_by_the_characters_it_gives(tmp_path: Path, raw: bytes, encoding: str) -> None:
    """Big5 bytes are valid GB18030 too and decoded as such gave nonsense silently (縣委 -> 郡〆); read as
    Big5 they give the page. Traditional characters encoded in GBK stay GB18030 (Big5 cannot read them)."""
    assert raw.decode("gb18030") != TRADITIONAL or encoding == "gb18030"
    path = tmp_path / "page.txt"
    path.write_bytes(raw)
    page = read_page(path, tmp_path)
    assert isinstance(page, Page) and page.text == TRADITIONAL and page.encoding == encoding
    assert [a.headline for a in process_file(path, tmp_path).articles] == ["縣委召開常委會議"]


def test_simplified_gb18030_pages_with_rare_characters_stay_gb18030() -> None:
    """A simplified page with a few characters outside GB2312 (names: 喆, 堃, 镕) is GB18030 as before."""
    from builders.read.legacy import MAX_RARE_GB, decode_legacy, rare_gb_share

    text = PAGE + "王喆、李堃、朱镕基出席会议。" + PAGE * 3
    assert 0 < rare_gb_share(text) < MAX_RARE_GB
    assert decode_legacy(text.encode("gb18030")) == (text, "gb18030")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"", "empty-page"),
        (b" \n\t\r\n\xe3\x80\x80\n", "blank-page"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary-file"),
        (bytes(range(1, 32)) * 4, "binary-file"),
        (b"\xff\xfe\xfd\xfc\x81\x30", "undecodable-bytes"),
        ("县委召开常委会议".encode("big5", errors="replace") + b"\xff", "undecodable-bytes"),
    ],
    ids=["empty", "whitespace", "png", "controls", "garbage", "big5"],
)
def test_bad_files_become_rejects(tmp_path: Path, raw: bytes, code: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(raw)
    page = read_page(path, tmp_path)
    assert isinstance(page, Problem) and page.code == code and page.source_file == "bad.txt"
    result = process_file(path, tmp_path)
    assert result.rejected and [p.code for p in result.problems] == [code]
    # read, then rejected: the file is still identified (the manifest lists its size and SHA-256)
    assert (result.n_bytes, result.sha256) == (len(raw), hashlib.sha256(raw).hexdigest())


def test_text_without_titles_is_a_reject_with_every_line_listed(tmp_path: Path) -> None:
    path = tmp_path / "body.txt"
    path.write_text("会议强调，要抓好落实。\n\n各地要进一步加强组织领导。\n", encoding="utf-8")
    result = process_file(path, tmp_path)
    assert result.rejected
    assert {(p.code, p.line) for p in result.problems} == {
        ("no-headline", 1),
        ("no-headline", 3),
        ("no-articles", None),
    }


@pytest.mark.parametrize(("codec", "name"), [("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE")])
def test_utf16_without_its_byte_order_mark_is_a_reject_that_says_how_to_convert(tmp_path: Path, codec: str,
                                                                                name: str) -> None:
    """Not decoded (without the mark, binary files read as UTF-16 too), but the message names the
    encoding to convert from instead of calling a text page binary."""
    path = tmp_path / "page.txt"
    path.write_bytes(PAGE.encode(codec))
    page = read_page(path, tmp_path)
    assert isinstance(page, Problem) and page.code == "binary-file"
    assert f"reads as {name} text" in page.message and f"iconv -f {name} -t UTF-8" in page.message
    png = tmp_path / "png.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    other = read_page(png, tmp_path)
    assert isinstance(other, Problem) and "UTF-16" not in other.message
