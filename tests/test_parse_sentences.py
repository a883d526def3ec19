"""Does a line continue the unfinished sentence of the line before it (a page break)?"""

from __future__ import annotations

import pytest

from builders.parse.sentences import starts_mid_sentence


@pytest.mark.parametrize(
    ("tail", "head"),
    [
        ("全面分析问题短", "板,加大支持力度"),  # 短板 cut across the break
        ("记者祝升明详", "细了解了情况"),  # 详细
        ("会议强调，要加快", "，确保完成任务"),  # a comma never opens a line
    ],
)
def test_a_cut_word_or_a_comma_continues_the_sentence(tail: str, head: str) -> None:
    assert starts_mid_sentence(tail, head)


@pytest.mark.parametrize(
    ("tail", "head"),
    [
        ("带动村民人均增收三千元以上", "黄小明回乡办厂后"),  # 上黄 is a word, but not read across here
        ("茶园连成片", "村民们背着竹篓上山"),
    ],
)
def test_a_word_that_only_the_dictionary_sees_across_the_break_does_not(tail: str, head: str) -> None:
    assert not starts_mid_sentence(tail, head)
