"""Officials: people named right after their post (县委副书记、县长胡献如).

A title is one or more units joined by 、, each unit ``organ* modifier? head`` built
from the vocabulary of :mod:`builders.enrich.posts` (县委 + 副 + 书记, 管委会 + 常务副 + 主任).
The name that follows is 2-3 characters (4 with a compound surname), starts with a
surname and stops before the verb or particle that follows it (主持, 传达, 的, 在…).
A leading proper place name (庆元县委书记) is dropped from the title: the page's
county is the record's ``region``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from builders.enrich.names import FOLLOWERS, looks_like_name
from builders.enrich.posts import HEADS, LEVELS, MODIFIERS, ORGAN_SUFFIXES, ORGANS, PLACE_SUFFIXES
from builders.enrich.region import place_names
from schema import Official

HAN = r"[\u4e00-\u9fff]"
NOT_IN_ORGAN = "的了在和与及对为是把将从向于说等并也都还由被要让给"
GENERIC_ORGAN = rf"[^\W\d_{NOT_IN_ORGAN}]{{1,8}}?(?:{'|'.join(ORGAN_SUFFIXES + PLACE_SUFFIXES)})"
"""An organ we have no name for: a short run of characters ending like an organ (文明办)."""

_NOT_POST_AFTER = ("处", "组", "们", "会")
"""A head followed by these is not a person's post: 书记处, 主任们."""


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted(set(words), key=lambda w: (-len(w), w)))


@cache
def title_pattern() -> re.Pattern[str]:
    """A title: units ``organ* modifier? head`` joined by 、 (search it anchored with ``$``)."""
    organ = rf"(?:(?:{_alt(LEVELS)})?(?:{_alt(ORGANS)})|{GENERIC_ORGAN}|{_alt(LEVELS)})"
    unit = rf"(?:{organ})*(?:{_alt(MODIFIERS)})?(?:{_alt(HEADS)})"
    return re.compile(rf"{unit}(?:、{unit})*")


@cache
def _title_at_end() -> re.Pattern[str]:
    return re.compile(title_pattern().pattern + "$")


def strip_place(title: str) -> str:
    """Drop a leading county, prefecture or province name (庆元县委书记 -> 县委书记).

    The longest name is dropped whose rest is still a whole title and does not start
    with 委 (庆元县委 keeps its 县: 县委书记, not 委书记).
    """
    names = place_names()
    for end in range(min(len(title) - 2, 12), 1, -1):
        rest = title[end:]
        if title[:end] in names and not rest.startswith("委") and title_pattern().fullmatch(rest):
            return rest
    return title


@cache
def head_pattern() -> re.Pattern[str]:
    """Where a post head ends and a name may begin."""
    return re.compile(rf"(?:{_alt(HEADS)})(?={HAN})")


WINDOW = 40
"""How far back from a head a title may start (characters)."""

_BOUNDARY = re.compile(r"[^\u4e00-\u9fff、]")


def title_before(text: str, end: int) -> str | None:
    """The title ending at ``end`` (the name's start), place-name prefix dropped."""
    start = max(0, end - WINDOW)
    window = text[start:end]
    cut = [m.end() for m in _BOUNDARY.finditer(window)]
    window = window[cut[-1] :] if cut else window
    match = _title_at_end().search(window)
    return strip_place(match.group(0)) if match else None


def name_after(text: str, start: int, words_end: frozenset[int]) -> str | None:
    """The name at ``start``: the longest 2-4 character candidate followed by a stop.

    Args:
        text: The body.
        start: Where the name would begin.
        words_end: Offsets where a segmenter token ends; a name ending there is preferred.
    """
    candidates = []
    for length in (3, 2, 4):
        name = text[start : start + length]
        rest = text[start + length : start + length + 4]
        if len(name) == length and looks_like_name(name) and _stops(rest):
            candidates.append((start + length not in words_end, name))
    return min(candidates)[1] if candidates else None


def _stops(rest: str) -> bool:
    return not rest or not re.match(HAN, rest[0]) or rest.startswith(FOLLOWERS)


def find_officials(text: str, words_end: frozenset[int] = frozenset()) -> list[Official]:
    """Officials in ``text``, de-duplicated by (name, title), in order of mention."""
    found: dict[tuple[str, str], Official] = {}
    for match in head_pattern().finditer(text):
        if text.startswith(_NOT_POST_AFTER, match.end()):
            continue
        name = name_after(text, match.end(), words_end)
        title = title_before(text, match.end()) if name else None
        if name and title:
            found.setdefault((name, title), Official(name=name, title=title))
    return list(found.values())
