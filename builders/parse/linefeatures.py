"""A line's own structural features for the line labeller: a tuple of values, no words.

Length (bucketed), closing punctuation, sentence and comma counts, the 电头 and lead-opener
patterns, markdown level, first-line indent, a blank line before it, enumerators, leading and
trailing dashes, a colon, a bracketed tail or title note, a box, a continuation marker, a first
character no sentence starts with, a closing credit; and the page's dump style from them.
:mod:`builders.parse.linelabel` turns the values into the CRF's features (the line's own, and
as the neighbour of the lines around it).
"""

from __future__ import annotations

import bisect
import re

from builders.parse import credits
from builders.parse.lines import Line, is_closed
from builders.parse.patterns import (
    BOX,
    BRACKET_ENDS,
    ENUMERATOR,
    MARKER,
    NON_INITIAL,
    TITLE_NOTE,
    lead_match,
    opener_match,
)

SHORT = 60
"""Longer lines are never title lines: the title-only patterns are not tried on them."""
SIZES = (2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 30, 40, 60, 100)
TAIL_BRACKET = re.compile(r"[(（][^()（）]{1,24}[)）]$")
COLON_END = re.compile(r"[:：]$")
DASH_END = re.compile(r"[—–－-]{1,3}$")
NEIGHBOUR_KEYS = ("kind", "size", "end", "lead", "opener", "lv", "ind", "dash0", "dash1", "colon", "closed", "noninit")
FAR_KEYS = ("kind", "size", "end", "lead", "lv")
"""Features of the lines two before and two after (fewer: they matter less)."""


SIZE_NAMES = (*map(str, SIZES), "big")
"""A length's bucket: the first of :data:`SIZES` that it does not exceed, else ``big``."""


END_CLASSES = {
    ch: name
    for name, chars in (
        ("stop", "。"),
        ("excl", "！？!?"),
        ("semi", "；;"),
        ("colon", "：:"),
        ("comma", "，,、"),
        ("quote", "”’」』\"'"),
        ("bracket", ")）】》"),
        ("dash", "—–－-"),
    )
    for ch in chars
}
"""The class of a line's last character, for the punctuation that has one."""
DASHES = ("—", "–", "－", "-")
DASH_FIRST = frozenset(DASHES)
"""What a line opening on a dash (——作者, a feature) starts with."""
BOX_FIRST = frozenset(BOX)
"""What a line opening on a box or bullet (□, ▲: a feature) starts with."""


def _end_class(text: str) -> str:
    if not text:
        return "none"
    ch = text[-1]
    name = END_CLASSES.get(ch)
    if name is not None:
        return name
    if "\u4e00" <= ch <= "\u9fff":
        return "han"
    return "digit" if ch.isdigit() else "other"


KEYS = (
    "kind", "size", "end", "closed", "stops", "commas", "lead", "opener", "lv", "ind", "blank", "space",
    "enum", "dash0", "dash1", "colon", "bracket", "note", "box", "marker", "noninit", "endcredit",
)  # fmt: skip
"""The names of a line's own features, in the order of its feature strings."""
KIND, SIZE, END, LEAD_AT, LV, IND, BLANK, NONINIT = (
    KEYS.index(k) for k in ("kind", "size", "end", "lead", "lv", "ind", "blank", "noninit")
)
FLAGS = ("False", "True")
"""``str(flag)``, looked up: ``FLAGS[flag]``."""
COUNTS = ("0", "1", "2", "3", "4")
Values = tuple[str, ...]
"""A line's own feature values, in the order of :data:`KEYS`."""


def line_values(line: Line, kind: str, indented: bool, blank_before: bool) -> Values:
    """Structural features of one line (no words), in the order of :data:`KEYS`."""
    folded = line.folded
    size = line.size
    short = size <= SHORT
    end = folded.rstrip()
    first = folded[:1]
    stops, commas = folded.count("。"), folded.count("，") + folded.count(",")
    return (
        kind,
        SIZE_NAMES[bisect.bisect_left(SIZES, size)],
        _end_class(end),
        FLAGS[is_closed(folded)],
        COUNTS[stops if stops < 3 else 3],
        COUNTS[commas if commas < 4 else 4],
        FLAGS[lead_match(folded) is not None],
        FLAGS[opener_match(folded) is not None],
        COUNTS[line.level if line.level < 3 else 3],
        FLAGS[indented],
        FLAGS[blank_before],
        FLAGS[" " in line.text],
        FLAGS[short and ENUMERATOR.match(folded) is not None],
        FLAGS[short and first in DASH_FIRST],
        FLAGS[folded.endswith(DASHES)],  # DASH_END: a line holds no newline for $ to stop before
        FLAGS[short and folded.endswith((":", "："))],  # COLON_END
        FLAGS[short and folded.endswith(BRACKET_ENDS) and TAIL_BRACKET.search(folded) is not None],
        FLAGS[short and end.endswith(BRACKET_ENDS) and TITLE_NOTE.search(folded) is not None],  # (ends_with)
        FLAGS[short and first in BOX_FIRST],
        FLAGS["版" in folded and MARKER.search(folded) is not None],  # every marker names a page
        FLAGS[first in NON_INITIAL],  # (an empty line's "" is in no set of characters)
        FLAGS[folded.endswith((")", "）")) and credits.end_credit(folded) is not None],
    )


SINCE_NAMES = ("none", *SIZE_NAMES)


def page_style(own: list[Values]) -> str:
    """How the dump marks paragraphs: markdown headings, first-line indents, blank lines, nothing."""
    if any(f[LV] != "0" for f in own):
        return "md"
    if sum(f[IND] == "True" for f in own) * 4 >= len(own):
        return "indent"
    return "blank" if sum(f[BLANK] == "True" for f in own) * 2 >= len(own) else "tight"
