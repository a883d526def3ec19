"""Re-attach fragments that a dump laid out in the wrong place.

An article whose last sentence is cut off (its last paragraph ends without closing
punctuation and no (下转…) marker follows) may be completed by a fragment printed
at the tail of another article on the same page: a run of paragraphs that starts
mid-sentence and ends a sentence. Such a run moves to the article it completes.
"""

from __future__ import annotations

import re

from builders.parse.assemble import Para, Parts
from builders.parse.lines import fold
from builders.parse.patterns import NON_INITIAL
from builders.segment.tokenizer import in_jieba_dictionary

MAX_FRAGMENT_PARAS = 3
VERB_LE = re.compile(r"^(?!为了|除了|到了|有了|了解)[\u4e00-\u9fff]{1,2}了(?!解)")


def _bridges_a_word(tail: str, head: str) -> bool:
    """Does the first character of ``head`` complete a word cut at the end of ``tail``?

    Only a head whose first two characters are not a word themselves counts:
    问题短 | 板,加大 (短板), 祝升明详 | 细了解 (详细).
    """
    if in_jieba_dictionary(head[:2]):
        return False
    return any(in_jieba_dictionary(tail[-k:] + head[0]) for k in (1, 2))


def starts_mid_sentence(tail: str, head: str) -> bool:
    """Does ``head`` read as the continuation of the unfinished sentence ``tail``?"""
    head, tail = fold(head).lstrip(), fold(tail).rstrip()
    if not head or not tail:
        return False
    if head[0] in NON_INITIAL or VERB_LE.match(head):
        return True
    return _bridges_a_word(tail, head)


def _candidate(dangling: Parts, other: Parts, first: int = 1) -> int | None:
    """Index of the first paragraph of a fragment at the tail of ``other``, if any.

    ``first`` is 0 for the text before the page's first title, which may be a
    fragment as a whole.
    """
    paras = other.paras
    for start in range(max(first, len(paras) - MAX_FRAGMENT_PARAS), len(paras)):
        if start and (not paras[start - 1].closed or paras[start - 1].marker):
            continue
        if paras[start].subhead:
            continue
        if not (paras[-1].closed or paras[-1].marker):
            continue
        if starts_mid_sentence(dangling.paras[-1].text, paras[start].text):
            return start
    return None


def _move(dangling: Parts, other: Parts, start: int) -> None:
    moved = other.paras[start:]
    del other.paras[start:]
    tail = dangling.paras[-1]
    head = moved[0]
    dangling.paras[-1] = Para(tail.lines + head.lines, tail.text + head.text, marker=head.marker)
    dangling.paras.extend(moved[1:])
    dangling.flags.add("reattached-fragment")


def reattach(articles: list[Parts], orphans: Parts | None = None) -> list[tuple[Parts, Para]]:
    """Move misplaced fragments to the articles they complete; flag the rest truncated.

    Args:
        articles: the page's articles, in page order.
        orphans: body text found before the page's first title, if any.

    Returns the (article, first moved paragraph) pairs, for the page's problem list.
    """
    moves: list[tuple[Parts, Para]] = []
    for dangling in articles:
        if not dangling.paras or dangling.paras[-1].closed or dangling.continued_on:
            continue
        for other in [*articles, *([orphans] if orphans else [])]:
            if other is dangling or len(other.paras) < (1 if other is orphans else 2):
                continue
            start = _candidate(dangling, other, 0 if other is orphans else 1)
            if start is not None:
                moves.append((dangling, other.paras[start]))
                _move(dangling, other, start)
                break
        else:
            dangling.flags.add("truncated")
    return moves
