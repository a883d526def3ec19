"""WordTable: a packed, sorted word table answers every look-up as the dict it was made from."""

from __future__ import annotations

import marshal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders.segment import table as word_table
from builders.segment.table import WordTable

WORDS = st.text(alphabet=st.characters(blacklist_characters="\n", blacklist_categories=("Cs",)), max_size=6)


@given(st.dictionaries(WORDS, st.integers(-(2**63), 2**63 - 1)), st.lists(WORDS, max_size=20))
def test_ints_answer_as_the_dict(table: dict[str, int], asked: list[str]) -> None:
    packed = WordTable.unpack(marshal.loads(marshal.dumps(WordTable.from_dict(table).pack())))
    for word in [*asked, *table, *asked]:  # asked twice: the remembered answers too
        assert packed.get(word) == table.get(word)
        assert packed.get(word, -1) == table.get(word, -1)
        assert (word in packed) == (word in table)
    assert packed == table and packed.as_dict() == table and len(packed) == len(table)
    assert sorted(packed) == sorted(table)


@given(st.dictionaries(WORDS, st.floats(allow_nan=False)), st.lists(WORDS, max_size=20))
def test_floats_are_kept_exactly(table: dict[str, float], asked: list[str]) -> None:
    packed = WordTable.unpack(WordTable.from_dict(table).pack())
    for word in [*asked, *table]:
        assert packed.get(word, 0.5) == table.get(word, 0.5)
    assert dict(packed.items()) == table


def test_strings_share_the_words_of_another_table() -> None:
    freq = WordTable.from_dict({"庆元县": 6, "县委": 100, "书记": 90})
    tags = WordTable.from_dict({"庆元县": "ns", "县委": "n", "书记": "n"})
    assert tags.same_words(freq)
    shared = WordTable.unpack(tags.pack(words_elsewhere=True), freq)
    assert shared["庆元县"] == "ns" and shared.get("书记") == "n" and shared.get("县长") is None
    assert list(shared) == ["书记", "县委", "庆元县"] and list(shared.values()) == ["n", "n", "ns"]  # sorted
    with pytest.raises(KeyError):
        shared["县长"]
    with pytest.raises(ValueError):
        WordTable.unpack(tags.pack(words_elsewhere=True))  # its words are elsewhere


def test_damaged_tables_are_refused() -> None:
    joined, typecode, data, names = WordTable.from_dict({"甲": 1, "乙": 2}).pack()
    with pytest.raises(ValueError):
        WordTable.unpack((joined, typecode, data[:-8], names))
    joined, typecode, data, names = WordTable.from_dict({"甲": "n", "乙": "v"}).pack()
    with pytest.raises(ValueError):
        WordTable.unpack((joined, typecode, bytes([0, 7]), names))
    with pytest.raises(ValueError):
        WordTable.from_dict({"甲\n乙": 1}).pack()


def test_a_table_searched_often_makes_its_whole_dict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word_table, "MAX_SEARCHES", 2)
    table = WordTable.from_dict({"甲": 1, "乙": 2, "丙": 3})
    assert [table.get(w) for w in "甲丁"] == [1, None] and not table._whole
    assert [table.get(w, 0) for w in "乙丙丁甲戊"] == [2, 3, 0, 1, 0] and table._whole
    assert table._seen == {"甲": 1, "乙": 2, "丙": 3}  # the misses are no longer kept


@pytest.mark.parametrize("packed", [
    (5, "q", b"\0" * 8, []),  # an int where the words belong
    ("a", 7, b"\0" * 8, []),  # no type code
    ("a", "q", "text", []),  # values that are no bytes
    ("a", "s", b"\0", [1]),  # a string value that is no string
    ("b\na", "q", b"\0" * 16, []),  # words out of order: bisection would miss them
    ("a\na", "q", b"\0" * 16, []),  # a word twice
])
def test_tables_damaged_past_marshal_are_refused(packed: tuple[object, ...]) -> None:
    with pytest.raises((ValueError, TypeError)):
        WordTable.unpack(packed)  # type: ignore[arg-type]


def test_a_key_that_is_no_string_is_missing_as_in_a_dict() -> None:
    table = WordTable.from_dict({"甲": 1})
    assert table.get(1) is None and table.get(None, 5) == 5  # type: ignore[call-overload]
    assert 1 not in table


def test_a_search_after_another_thread_made_the_whole_dict_finds_the_word() -> None:
    table = WordTable.from_dict({"甲": 1, "乙": 2})
    table._seen, table._whole = table.as_dict(), True  # what the other thread did after this one looked
    assert table._find("乙") == 2 and table._find("丙") is None
