"""Does a line continue the unfinished sentence of the line before it (a page break)?"""

from __future__ import annotations

import pytest

from builders.parse.sentences import ends_unfinished, starts_mid_sentence


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


@pytest.mark.parametrize(
    "text",
    [
        "县里请来专家，提出“修旧如旧，留住",  # inside a quotation
        "回收管理办法（修订草案）》（以下简称",  # inside a bracket
        "今年是老街最热闹的",  # on the particle 的
        "县委书记拉过身旁的同志，向",  # on a preposition
        "她每次出门都穿得很讲究，尤其",  # on a two-character adverb
    ],
)
def test_a_line_inside_quotes_or_on_a_function_word_is_unfinished(text: str) -> None:
    assert ends_unfinished(text)


@pytest.mark.parametrize(
    "text",
    [
        "“云舞蹈”跳起来",  # quotes closed
        "坚持实事求是",  # 是 ends a word the segmenter reads whole
        "只要有需要，我会一直在",  # 在 is also a verb: not counted
        "加快生猪产能恢复",
    ],
)
def test_a_finished_phrase_is_not(text: str) -> None:
    assert not ends_unfinished(text)
