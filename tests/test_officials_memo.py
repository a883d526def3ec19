"""The remembered name look-up (:func:`builders.enrich.names.remembered_name_at`) reads no further than its key."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builders.enrich import names
from builders.enrich.officials import find_officials
from builders.segment.tokenizer import cut
from tests.benchmarks.corpus import make_page

PIECES = ["王", "李", "欧阳", "卡里", "莫夫", "·", "普罗迪", "丹增", "多吉", "桥本", "龙太郎", "建国", "胜利", "说",
          "主持", "的", "县长", "书记", "副", "山东省", "庆元县", "表示", "同志", "、", "会见", "高度", "，", "A"]
TEXT = st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_text_past_the_key_never_changes_the_name(start: str, tail: str) -> None:
    """Two texts with the same key (the first characters and words) get the same name, whatever follows."""
    reads = names._name_reads()
    one, other = start * 8, start * 8 + tail  # the first ``reads`` characters alike
    tokens_one, tokens_other = cut(one), cut(other)
    key_words = names.FOREIGN_WORDS + 1
    if one[:reads] == other[:reads] and tokens_one[:key_words] == tokens_other[:key_words]:
        assert names.name_at(one, 0, tokens_one, 0) == names.name_at(other, 0, tokens_other, 0)
    assert names.remembered_name_at(other, 0, tokens_other, 0) == names.name_at(other, 0, tokens_other, 0)


def test_remembered_officials_are_the_computed_ones() -> None:
    bodies = ["".join(cut(line)) for index in range(0, 300, 7) for line in make_page(index).splitlines()]
    first = [find_officials(text) for text in bodies]
    names._NAMES_SEEN.clear()
    again = [find_officials(text) for text in reversed(bodies)]
    assert first == again[::-1] and any(first)
