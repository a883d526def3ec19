"""Does a line read as the continuation of an unfinished sentence (a page or column break)?"""

from __future__ import annotations

import re

from builders.parse.lines import fold
from builders.parse.patterns import NON_INITIAL
from builders.segment.tokenizer import cut, in_jieba_dictionary

VERB_LE = re.compile(r"^(?!为了|除了|到了|有了|了解)[\u4e00-\u9fff]{1,2}了(?!解)")


JOIN_CONTEXT = 4
"""Characters on each side of a break that the segmenter reads to see a word across it."""


def _bridges_a_word(tail: str, head: str) -> bool:
    """Does the first character of ``head`` complete a word cut at the end of ``tail``?

    Only a head whose first two characters are not a word themselves counts, and the
    segmenter must read a word across the break in context: 问题短 | 板,加大 (短板),
    祝升明详 | 细了解 (详细); not 元以上 | 黄学明 (上黄 is a word, but not here).
    """
    if in_jieba_dictionary(head[:2]) or not any(in_jieba_dictionary(tail[-k:] + head[0]) for k in (1, 2)):
        return False
    return _word_across(tail[-JOIN_CONTEXT:], head[:JOIN_CONTEXT])


def _word_across(left: str, right: str) -> bool:
    """Does the segmenter put a word across the join of ``left`` and ``right``?"""
    at = 0
    for word in cut(left + right):
        at += len(word)
        if at == len(left):
            return False
        if at > len(left):
            return True
    return False


def starts_mid_sentence(tail: str, head: str) -> bool:
    """Does ``head`` read as the continuation of the unfinished sentence ``tail``?"""
    head, tail = fold(head).lstrip(), fold(tail).rstrip()
    if not head or not tail:
        return False
    if head[0] in NON_INITIAL or VERB_LE.match(head):
        return True
    return _bridges_a_word(tail, head)
