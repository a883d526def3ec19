"""The labeller's vocabulary features (bit sets) against their definition over Python sets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders.parse import vocabulary
from builders.parse.lines import Line


def reference_set(text: str) -> set[str]:
    """A line's vocabulary by its definition: the characters of its sample, common ones left out."""
    return set(vocabulary.sample(text)) - vocabulary.COMMON


def reference_share(grams: set[str], pool: set[str]) -> float:
    return len(grams & pool) / len(grams) if grams else 0.0


def reference_context(sets: list[set[str]], i: int) -> tuple[str, str]:
    before = set().union(*sets[max(0, i - vocabulary.WINDOW) : i])
    after = set().union(*sets[i + 1 : i + 1 + vocabulary.WINDOW])
    b, a = reference_share(sets[i], before), reference_share(sets[i], after)
    lean = "after" if a - b > 0.15 else "before" if b - a > 0.15 else "even"
    shift = len(after & before) / max(1, min(len(after), len(before))) if after and before else -1.0
    return lean, vocabulary._bucket(shift)


def reference_overlap(a: set[str], b: set[str]) -> str:
    if not a or not b:
        return "none"
    share = len(a & b) / min(len(a), len(b))
    return "0" if share == 0 else "lo" if share < 0.1 else "mid" if share < 0.25 else "hi"


def _lines(texts: list[str]) -> list[Line]:
    return [Line(k + 1, 0, len(text), text, 0) for k, text in enumerate(texts)]


CHARS = st.one_of(
    st.sampled_from("县城新建公园口袋的了，。“”（） 甲乙丙丁戊己庚辛"),  # few distinct: lines share characters
    st.characters(codec="utf-8"),
    st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),  # beyond the BMP
    st.sampled_from(["\ud800", "\udfff"]),  # lone surrogates, as a broken dump may hold
)
PAGES = st.lists(st.text(CHARS, max_size=150), min_size=1, max_size=30)


@settings(max_examples=300)
@given(PAGES)
def test_bit_sets_count_what_the_sets_count(texts: list[str]) -> None:
    lines = _lines(texts)
    bits, sets = vocabulary.bit_sets(lines), [reference_set(line.folded) for line in lines]
    assert [b.bit_count() for b in bits] == [len(s) for s in sets]
    for i in range(len(lines)):
        assert vocabulary.context(bits, i) == reference_context(sets, i)
        if i:
            assert vocabulary.overlap(bits[i], bits[i - 1]) == reference_overlap(sets[i], sets[i - 1])


def test_a_page_of_many_lines_is_set_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"第{k}行县城新建口袋公园{chr(0x4E00 + k)}" for k in range(200)]
    lines = _lines(texts)
    whole = vocabulary.bit_sets(lines)
    monkeypatch.setattr(vocabulary, "MAX_CELLS", 50)  # a few lines per part
    parts = vocabulary.bit_sets(lines)
    assert [b.bit_count() for b in parts] == [len(reference_set(t)) for t in texts]
    assert [vocabulary.context(parts, i) for i in range(200)] == [vocabulary.context(whole, i) for i in range(200)]


def test_common_characters_and_both_ends_of_a_long_line() -> None:
    long = "甲" * 60 + "乙" * 100 + "丙" * 60  # the middle (乙) is not sampled
    bits = vocabulary.bit_sets(_lines(["的了。、", long]))
    assert bits[0] == 0
    assert bits[1].bit_count() == 2


@settings(max_examples=200)
@given(st.lists(st.tuples(st.text(CHARS, max_size=80), st.booleans()), min_size=1, max_size=40))
def test_near_sets_give_the_marked_lines_the_features_of_all_sets(page: list[tuple[str, bool]]) -> None:
    lines, marked = _lines([text for text, _ in page]), [flag for _, flag in page]
    sets = [reference_set(line.folded) for line in lines]
    near = vocabulary.near_sets(lines, marked)
    for i, flag in enumerate(marked):
        if not flag:
            continue
        assert vocabulary.context(near, i) == reference_context(sets, i)
        for j in (i - 1, i + 1):
            if 0 <= j < len(lines):
                assert vocabulary.overlap(near[i], near[j]) == reference_overlap(sets[i], sets[j])


def test_near_sets_leave_lines_far_from_a_mark_unsampled() -> None:
    texts = [f"县城{chr(0x4E00 + k)}" for k in range(30)]
    near = vocabulary.near_sets(_lines(texts), [k == 10 for k in range(30)])
    assert [k for k, bits in enumerate(near) if bits] == list(range(10 - vocabulary.WINDOW, 10 + vocabulary.WINDOW + 1))


def test_the_id_table_starts_over_when_full_and_counts_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocabulary, "MAX_IDS", 40)
    monkeypatch.setattr(vocabulary._LOCAL, "ids", vocabulary._Ids())
    pages = [[f"县城{chr(0x4E00 + 7 * k + j)}{chr(0x5E00 + k)}公园" for j in range(5)] for k in range(20)]
    for texts in pages:  # 10 new characters a page: the table fills and starts over, more than once
        lines = _lines(texts)
        bits, sets = vocabulary.bit_sets(lines), [reference_set(line.folded) for line in lines]
        assert [b.bit_count() for b in bits] == [len(s) for s in sets]
        assert [vocabulary.context(bits, i) for i in range(5)] == [reference_context(sets, i) for i in range(5)]
    assert vocabulary._LOCAL.ids.count <= 40
    assert not vocabulary.bit_sets(_lines(["县" * 39 + "".join(chr(0x6000 + k) for k in range(60))]))[0] & 1
