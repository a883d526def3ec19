"""The reader's character classes (control and format characters) against the slow per-character reference."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders.read import decode

EVERY_CODE_POINT = "".join(map(chr, range(0x110000)))
"""All of Unicode, surrogates included (a Python string may hold them)."""


def slow_is_control(ch: str) -> bool:
    """The reference: a control character (Cc) that is not whitespace or NEL (a line break)."""
    return ch not in "\n\t\r\f\v\x85" and unicodedata.category(ch) == "Cc"


def slow_remove_format_controls(text: str) -> tuple[str, int]:
    """The reference: every Cf character and every stray control removed, one at a time."""
    kept = "".join(ch for ch in text if unicodedata.category(ch) != "Cf" and not slow_is_control(ch))
    return kept, len(text) - len(kept)


def test_controls_are_exactly_the_non_whitespace_cc_characters() -> None:
    """NEL is a line break (normalised to LF), not a stray control."""
    assert set(decode.CONTROLS.findall(EVERY_CODE_POINT)) == {ch for ch in EVERY_CODE_POINT if slow_is_control(ch)}
    assert "\x85" not in decode.CONTROLS.pattern


@pytest.mark.parametrize("text, lines", [
    ("甲\x85乙", ["甲", "乙"]), ("甲\u2028乙", ["甲", "乙"]), ("甲\u2029乙", ["甲", "", "乙"]),
    ("甲\r\n乙\r丙", ["甲", "乙", "丙"])])
def test_unicode_line_breaks_are_line_ends(text: str, lines: list[str]) -> None:
    assert decode.normalise(text).split("\n") == lines


def test_a_few_stray_controls_are_removed_and_many_make_a_binary_file() -> None:
    notice = "停电通知\n\n因线路检修，城东片区\x1b明日停电。\n"
    page = decode.read_bytes_page(notice.encode(), "a.txt")
    assert isinstance(page, decode.Page) and "\x1b" not in page.text and page.format_controls == 1
    garbled = decode.read_bytes_page(notice.replace("，", "\x1b\x07\x1b\x07").encode(), "b.txt")
    assert not isinstance(garbled, decode.Page) and garbled.code == "binary-file"


def test_format_characters_are_exactly_category_cf() -> None:
    found = set(decode._format_characters().findall(EVERY_CODE_POINT))
    assert found == {ch for ch in EVERY_CODE_POINT if unicodedata.category(ch) == "Cf"}
    assert {"\u200b", "\u202e", "\ufeff", "\u00ad"} <= found


def test_the_format_characters_memo_gives_the_same_class(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIANBAO_CACHE_DIR", str(tmp_path))
    decode._format_characters.cache_clear()
    try:
        derived = decode._format_characters().pattern  # scanned, then written to the memo folder
        assert list((tmp_path / "memo").glob("format-characters-*.marshal"))
        decode._format_characters.cache_clear()
        assert decode._format_characters().pattern == derived  # read back from the memo
    finally:
        decode._format_characters.cache_clear()


def test_a_damaged_memo_is_derived_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIANBAO_CACHE_DIR", str(tmp_path))
    decode._format_characters.cache_clear()
    try:
        expected = decode._format_characters().pattern
        for memo in (tmp_path / "memo").glob("format-characters-*.marshal"):
            memo.write_bytes(b"not marshal")
        decode._format_characters.cache_clear()
        assert decode._format_characters().pattern == expected
    finally:
        decode._format_characters.cache_clear()


TRICKY = st.sampled_from(
    [
        "\u200b",
        "\u200d",
        "\u202e",
        "\u2066",
        "\ufeff",
        "\u00ad",
        "\U000e0001",
        "\ud800",
        "\udfff",
        "\x00",
        "\x1f",
        "\x7f",
        "\x85",
        "\x9f",
        "\t",
        "\n",
        "\r",
        "\x0b",
        "\x0c",
    ]
)
TEXTS = st.text(st.one_of(st.characters(), st.characters(categories=["Cs", "Cf", "Cc", "Zs"]), TRICKY, st.just("县")))


@given(TEXTS)
def test_remove_format_controls_matches_the_reference(text: str) -> None:
    assert decode.remove_format_controls(text) == slow_remove_format_controls(text)


@given(TEXTS)
def test_control_count_matches_the_reference(text: str) -> None:
    assert len(decode.CONTROLS.findall(text)) == sum(1 for ch in text if slow_is_control(ch))


def test_the_character_table_holds_both_classes_for_every_code_point() -> None:
    kinds = decode._character_kinds()
    controls = {chr(c) for c in range(0x110000) if kinds[c] == decode.CONTROL}
    formats = {chr(c) for c in range(0x110000) if kinds[c] == decode.FORMAT}
    assert controls == set(decode.CONTROLS.findall(EVERY_CODE_POINT))
    assert formats == set(decode._format_characters().findall(EVERY_CODE_POINT))


@given(TEXTS)
def test_kinds_are_counted_as_the_classes_find_them(text: str) -> None:
    expected = (len(decode.CONTROLS.findall(text)), len(decode._format_characters().findall(text)))
    assert decode.count_kinds(text) == expected


@given(st.text(st.one_of(st.characters(codec="utf-8"), TRICKY.filter(lambda ch: not "\ud800" <= ch <= "\udfff"))))
def test_decoding_counts_controls_as_the_reference(tail: str) -> None:
    text = "县" + tail  # no leading BOM (utf-8-sig drops it), never blank
    decoded = decode.decode(text.encode("utf-8"), "page.txt")
    controls = sum(1 for ch in text if slow_is_control(ch))
    if "\x00" in text or controls > max(decode.CONTROL_SHARE * len(text), decode.MIN_CONTROLS):
        assert not isinstance(decoded, tuple) and decoded.code == "binary-file"
    else:
        assert decoded == (decode.normalise(text), "utf-8-sig")


def test_a_page_of_more_lines_than_a_page_holds_is_too_large() -> None:
    many = "短行\n" * decode.MAX_PAGE_LINES
    assert isinstance(decode.read_bytes_page(many.encode(), "a.txt"), decode.Page)
    assert isinstance(decode.read_bytes_page(many[:-1].encode(), "b.txt"), decode.Page)
    found = decode.read_bytes_page((many + "再一行").encode(), "c.txt")
    assert not isinstance(found, decode.Page) and found.code == "page-too-large" and "20001 lines" in found.message
