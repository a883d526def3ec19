"""Re-attach fragments that a dump laid out in the wrong place.

An article whose last sentence is cut off (its last paragraph ends without closing
punctuation and no (下转…) marker follows) may be completed by a fragment printed
at the tail of another article on the same page: a run of paragraphs that starts
mid-sentence and ends a sentence. Such a run moves to the article it completes.
"""

from __future__ import annotations

from builders.parse.assemble import Para, Parts
from builders.parse.sentences import starts_mid_sentence

MAX_FRAGMENT_PARAS = 3


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
