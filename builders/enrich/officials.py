"""Officials: people named right after their post (县委副书记、县长胡献如, 国务院副总理吴邦国).

A title is one or more units joined by 、 or 兼, each unit
``pre-modifier? organ* modifier? head`` built from the vocabulary of
:mod:`builders.enrich.posts` (县委 + 副 + 书记, 前 + 总统, 驻华 + 大使, 国防 + 部长).
The post must end where a segmenter word ends, and the name is the words that follow
it (:func:`builders.enrich.names.name_at`): a Chinese name (surname, 2-4 characters),
a transliterated foreign one (卡里莫夫, 罗马诺·普罗迪), a Tibetan, Mongolian or Japanese one,
kept in full as printed. A leading proper place name (庆元县委书记) is dropped from the
title: the page's county is the record's ``region``. 负责人 is no post
(:data:`builders.enrich.posts.ROLES`). Title lines are read too, each line alone.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from itertools import accumulate, pairwise

from builders.enrich.names import NOT_PERSON_LAST, frequency
from builders.enrich.names import remembered_name_at as name_at
from builders.enrich.posts import (
    FUSED_HEADS,
    HEADS,
    JOINERS,
    LEVELS,
    MODIFIERS,
    ORGAN_SUFFIXES,
    ORGANS,
    PLACE_SUFFIXES,
    PRE_MODIFIERS,
    ROLES,
)
from builders.enrich.region import place_names
from builders.segment.tokenizer import cut, tag
from schema import Official

HAN = r"[\u4e00-\u9fff]"
NOT_IN_ORGAN = "的了在和与及对为是把将从向于说等并也都还由被要让给兼、"
GENERIC_ORGAN = rf"[^\W\d_{NOT_IN_ORGAN}]{{1,8}}?(?:{'|'.join(ORGAN_SUFFIXES + PLACE_SUFFIXES)})"
"""An organ we have no name for: a short run of characters ending like an organ (文明办)."""
POSTED = rf"驻[^\W\d_{NOT_IN_ORGAN}]{{1,6}}?(?=(?:大使|总领事|领事|公使|参赞|代表))"
"""Where a diplomat is posted (驻华, 驻马耳他)."""

_NOT_POST_AFTER = ("处", "组", "们", "会", "府", "团", "制", "令", "职", "级", "候选")
"""A head followed by these is not a person's post: 书记处, 主任们, 总统府, 主席团."""


def _alt(words: Iterable[str]) -> str:
    """An alternation of ``words``, longest first (at any place, the longest word there is tried
    first, then the next shorter one: all the words matching at a place are prefixes of each other)."""
    return "|".join(sorted(set(words), key=lambda w: (-len(w), w)))


Trie = dict[str, "Trie"]
"""Words by their next character; the key ``""`` marks a word's end."""


def _trie(words: Iterable[str]) -> str:
    """The alternation of :func:`_alt` as a prefix tree (总(?:书记|理|经理)…): the same words tried
    in the same order (the longest first), but a place is tried against the words of its first
    character only, not against every word in turn."""
    root: Trie = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(root)


def _branches(node: Trie) -> str:
    """The pattern of the words under ``node``; greedy, so a longer word is tried before a shorter one."""
    branches = [re.escape(char) + _branches(below) for char, below in sorted(node.items()) if char]
    if not branches:
        return ""
    if len(branches) == 1:
        body, atom = branches[0], len(branches[0]) == 1
    elif all(len(branch) == 1 for branch in branches):
        body, atom = f"[{''.join(branches)}]", True
    else:
        body, atom = f"(?:{'|'.join(branches)})", True
    if "" not in node:
        return body
    return f"{body}?" if atom else f"(?:{body})?"


@cache
def title_pattern() -> re.Pattern[str]:
    """A title: units ``pre? organ* modifier? head`` joined by 、 or 兼 (search it anchored with ``$``)."""
    fused = rf"[^\W\d_{NOT_IN_ORGAN}]{{1,2}}(?=(?:{_trie(MODIFIERS)})?(?:{_trie(FUSED_HEADS)}))"
    organ = rf"(?:(?:{_trie(LEVELS)})?(?:{_trie(ORGANS)})|{GENERIC_ORGAN}|{POSTED}|{_trie(LEVELS)})"
    unit = rf"(?:{_trie(PRE_MODIFIERS)})?(?:{organ})*(?:{fused})?(?:{_trie(MODIFIERS)})?(?:{_trie(HEADS)})"
    return re.compile(rf"{unit}(?:(?:{_trie(JOINERS)}){unit})*")


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
    """Where a post head ends and a name may begin; overlapping heads are all found (总务厅长官:
    厅长 and 长官), group 1 is the head.

    A match is a head's first character (a class the scan skips to, 4x faster than trying every place
    and a fifth faster than a lookahead for it), the head read from there by a lookbehind over that one
    character: a match takes one character, so a head starting at the next place is found too."""
    first = "".join(sorted({head[0] for head in HEADS}))
    return re.compile(rf"[{first}](?<=(?=((?:{_trie(HEADS)}))(?={HAN})).)")


WINDOW = 40
"""How far back from a head a title may start (characters)."""

_BOUNDARY = re.compile(r"[^\u4e00-\u9fff、]")


def title_before(text: str, end: int, floor: int = 0) -> str | None:
    """The title ending at ``end`` (the name's start), place-name prefix dropped; it starts at
    ``floor`` or later (after the previous official's name in a list printed without punctuation)."""
    start = max(floor, end - WINDOW)
    window = text[start:end]
    cut_at = [m.end() for m in _BOUNDARY.finditer(window)]
    return _title_ending(window[cut_at[-1] :] if cut_at else window)


@lru_cache(maxsize=1 << 16)
def _title_ending(clause: str) -> str | None:
    """The title ending ``clause`` (remembered: a paper prints the same posts again and again)."""
    match = _title_at_end().search(clause)
    return strip_place(_drop_verbs(match.group(0))) if match else None


_KEEP_IN_TITLE = frozenset((*MODIFIERS, *PRE_MODIFIERS, *JOINERS))
_NOT_IN_TITLE_TAGS = "pcud"
"""Prepositions, conjunctions, particles, adverbs: a title starts after them (据|某中心总经理)."""
_MEETING_VERBS = (
    "找到 会见 会晤 接见 看望 慰问 陪同 宴请 拜会 拜访 采访 邀请 致电 致信 告诉 感谢 表彰 授予 接到 推选 推举 "
    "选举 任命 担任 出任 兼任 选为 正如 对于 关于 致"
)
_BEFORE_TITLE = frozenset(_MEETING_VERBS.split())
"""Verbs of meeting and appointing, which put a person's title after them (找到|医疗队党支部书记);
verbs inside organ names (药品注册司, 执法稽查局) stay."""


def _drop_verbs(title: str) -> str:
    """Start the title after the last meeting verb or function word that a generic organ took in
    (陈某|匆匆|找到|医疗队临时党支部书记, 据|某中心总经理), or after a person's name that a verb
    follows (甲乙|当选某省人大主任), while the rest is a title."""
    words = cut(title)
    offset, start = 0, 0
    for word, after in pairwise(words):
        offset += len(word)
        kind = tag(word)
        drop = word in _BEFORE_TITLE or (kind[0] in _NOT_IN_TITLE_TAGS and word not in _KEEP_IN_TITLE)
        if (drop or (kind.startswith("nr") and tag(after) == "v")) and title_pattern().fullmatch(title[offset:]):
            start = offset
    return title[start:]


def find_officials(text: str, tokens: Sequence[str] | None = None) -> list[Official]:
    """Officials in ``text``, de-duplicated by (name, title), in order of mention.

    Args:
        text: The body without whitespace (the tokens joined).
        tokens: Its segmenter words; segmented here when not given.
    """
    return officials_and_listed(text, tokens)[0]


def officials_and_listed(
    text: str, tokens: Sequence[str] | None = None, headings: Sequence[str] = ()
) -> tuple[list[Official], list[str]]:
    """Officials (see :func:`find_officials`) and the people listed after them with 、
    (局长甲乙、丙丁、戊己: 丙丁 and 戊己 are people named, not officials of the post).

    Officials named in the ``headings`` (title lines, each read alone) follow those of the body,
    unless the body names the same person with a post (its title is the fuller one).
    """
    found, listed = _in_text(text, tokens if tokens is not None else cut(text))
    named = {o.name for o in found}
    for line in headings:
        line = "".join(line.split())
        if head_pattern().search(line) is None:  # no post head: no official, and no need to segment the line
            continue
        for official in _in_text(line, cut(line))[0]:
            if official.name not in named and official not in found:
                found.append(official)
    return found, listed


class TokenStarts:
    """Where the tokens of a text start: offset -> index of the token starting there (binary search
    over the offsets, instead of a dict made for every text of which a few entries are asked for)."""

    def __init__(self, tokens: Sequence[str]) -> None:
        self.starts = list(accumulate(map(len, tokens), initial=0))

    def get(self, offset: int) -> int | None:
        """The index of the token starting at ``offset`` (the number of tokens at the end), or None."""
        at = bisect_left(self.starts, offset)
        return at if at < len(self.starts) and self.starts[at] == offset else None


def _in_text(text: str, tokens: Sequence[str]) -> tuple[list[Official], list[str]]:
    """Officials and listed people of one text and its tokens."""
    index = TokenStarts(tokens)
    found: dict[tuple[str, str], Official] = {}
    listed: list[str] = []
    floor = 0
    for match in head_pattern().finditer(text):
        end = match.end(1)
        if end < floor or text.startswith(_NOT_POST_AFTER, end) or (at := index.get(end)) is None:
            continue  # the cheap tests first
        name = name_at(text, end, tokens, at)
        title = title_before(text, end, floor) if name else None
        if name and title:
            floor = end + len(name)
            found.setdefault((name, title), Official(name=name, title=title))
            listed += _listed_after(text, end + len(name), tokens, index)
    return list(found.values()), list(dict.fromkeys(listed + _after_roles(text, tokens, index)))


def _person(name: str) -> bool:
    """No dictionary word (代表商讨, 群众植树; 江泽民 nr is a name) nor a word ending (农工党, 戴着)."""
    if name[-1] in NOT_PERSON_LAST:
        return False
    return not frequency(name) or (len(name) >= 3 and tag(name).startswith("nr"))


@cache
def role_pattern() -> re.Pattern[str]:
    """Where a word for a person without a post (村民, 志愿者) ends and a name may begin."""
    return re.compile(rf"(?:{_trie(ROLES)})(?={HAN})")


def _after_roles(text: str, tokens: Sequence[str], index: TokenStarts) -> list[str]:
    """People named right after a role word (村民甲乙说), with the same name rule as officials."""
    names = []
    for match in role_pattern().finditer(text):
        at = index.get(match.end())
        name = name_at(text, match.end(), tokens, at) if at is not None else None
        if name and _person(name):
            names.append(name)
            names += _listed_after(text, match.end() + len(name), tokens, index)
    return names


def _listed_after(text: str, end: int, tokens: Sequence[str], index: TokenStarts) -> list[str]:
    """Names that follow a name, each after a 、 (not a post: 甲乙、县长丙丁 is an official)."""
    names = []
    while text.startswith("、", end) and (at := index.get(end + 1)) is not None:
        name = name_at(text, end + 1, tokens, at)
        if not name or not _person(name) or title_pattern().match(text, end + 1):
            break
        names.append(name)
        end += 1 + len(name)
    return names
