"""Does a line read as the continuation of an unfinished sentence (a page or column break)?"""

from __future__ import annotations

import re

from builders.parse.folding import fold
from builders.parse.patterns import NON_INITIAL
from builders.segment.tokenizer import cut, in_jieba_dictionary

VERB_LE = re.compile(r"^(?!为了|除了|到了|有了|了解)[\u4e00-\u9fff]{1,2}了(?!解)")
SHORT_END = re.compile(r"^[^\s，,。！？!?、；;：:“”‘’\"(（]{1,3}[。！？!?]")
"""A line whose first sentence ends within three characters (交谈。他说…): the end of a sentence begun
above, as no paragraph opens on so short a sentence outside quotation marks."""


OPEN_CLOSE = (("“", "”"), ("‘", "’"), ("(", ")"), ("《", "》"), ("「", "」"), ("『", "』"), ("[", "]"), ("【", "】"))
"""Quotation marks and brackets that a finished phrase closes (width-folded: （ is ()."""
NON_FINAL_WORDS = frozenset("的对从向把被与和及或而并是将让使给于由其这那为以就也都还又才比跟同") | {
    *("尤其", "而是", "但是", "以及", "并且", "或者", "因为", "所以", "如果", "虽然", "而且", "不仅"),
    *("通过", "根据", "按照", "关于", "对于", "由于", "作为", "随着", "为了", "除了", "包括"),
    *("就是", "正是", "也是", "都是", "便是", "乃是", "即是", "更是", "才是", "不是"),
}
"""Function words that leave a phrase open: a structural particle (的), a preposition (对, 把, 通过),
a conjunction (和, 而是, 以及), a copula (是, 就是, 正是), an adverb (也, 就, 尤其). A line the segmenter ends on
one of them (…作为马克思主义政党的 | 根本要求) stops mid-sentence; words ending in the same
character (实事求是, 政通人和) are read whole and do not count."""

CLAUSE_MARK = re.compile(r"[，,、；;]")
"""A mark inside a sentence: a line holding one is a clause or more of a sentence, not a phrase."""
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


def cut_word(tail: str, head: str) -> str | None:
    """The word the segmenter reads across a break in context when the part of it before the
    break is no word of two characters or more (中国武 | 汉民众: 武汉, 分区施 | 策的: 施策,
    主任张智 | 义打来: 张智义), else None (不能马虎 | 眼下: 马虎 is a word; a spaced line 品 牌)."""
    left, right = fold(tail).rstrip()[-JOIN_CONTEXT:], fold(head).lstrip()[:JOIN_CONTEXT]
    if not left or not right or " " in left[-2:] or right[0].isspace():
        return None
    at = 0
    for word in cut(left + right):
        start, at = at, at + len(word)
        if at == len(left):
            return None
        if at > len(left):
            part = left[start:]
            return None if len(part) >= 2 and in_jieba_dictionary(part) else word
    return None


def ends_on_particle(text: str) -> bool:
    """Does the segmenter end ``text`` on a structural particle standing alone (…经历了近二十年的)?"""
    folded = fold(text).rstrip()
    if not folded.endswith(("的", "地", "得")):
        return False
    words = cut(folded[-JOIN_CONTEXT * 2 :])
    return bool(words) and words[-1] in ("的", "地", "得")


def ends_unfinished(text: str) -> bool:
    """Does ``text`` stop where no heading or sentence ends: inside quotation marks or brackets
    (…主办的“ | 墨彩斑斓…”), or on a function word (…中国共产党的 | 根本要求)?"""
    folded = fold(text).rstrip()
    if any(folded.count(opening) > folded.count(closing) for opening, closing in OPEN_CLOSE):
        return True
    words = cut(folded[-JOIN_CONTEXT * 2 :]) if folded else []
    return bool(words) and words[-1] in NON_FINAL_WORDS


def starts_mid_sentence(tail: str, head: str) -> bool:
    """Does ``head`` read as the continuation of the unfinished sentence ``tail``?"""
    head, tail = fold(head).lstrip(), fold(tail).rstrip()
    if not head or not tail:
        return False
    if head[0] in NON_INITIAL or VERB_LE.match(head) or SHORT_END.match(head):
        return True
    return _bridges_a_word(tail, head)


def cuts_a_word(tail: str, head: str) -> bool:
    """Does a page break cut a word between a title-like line ``tail`` and the body line ``head``
    below it? The line goes on into ``head`` (领 | 导), or the segmenter reads a word across the
    break and the line is a sentence already (a clause mark in it) or the word is one of the
    dictionary's (……感谢某县广 | 大农户, ……精准施 | 策的办法, 中心主任张智 | 义打来的电话)."""
    folded = fold(head).lstrip()
    if SHORT_END.match(folded):
        return True  # 与师生亲切 | 交谈。他说…
    if starts_mid_sentence(tail, head) and not in_jieba_dictionary(folded[:2]):
        return True
    word = cut_word(tail, head)
    return word is not None and (CLAUSE_MARK.search(fold(tail)) is not None or in_jieba_dictionary(word))
