"""Split page text into typed lines with character offsets.

Everything downstream works on :class:`Line` objects: the stripped text as printed,
an NFKC view for pattern matching (full-width digits and brackets folded), the
markdown heading level, and the span in the page text it came from.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

import numpy as np
import numpy.typing as npt

HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
SPACES = re.compile(r"[ \t\u3000\u00a0]+")
EMPHASIS = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
QUOTE = re.compile(r"^(?:>\s*)+")

CLOSERS = "”’」』）)】》\"'"
"""Closing quotes and brackets that may follow a sentence's final punctuation."""
TERMINALS = "。！？!?…；;：:"
"""Punctuation that ends a sentence (or a lead-in that the next paragraph completes)."""


T = TypeVar("T")


class _once(Generic[T]):
    """A property computed on first use and kept in the instance: ``functools.cached_property``
    without the lock Python 3.11 takes on every first use (the values are pure: computing one
    twice in two threads gives the same)."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _once[T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> T | _once[T]:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


@dataclass(frozen=True)
class Line:
    """One non-blank line of the page."""

    number: int
    """1-based line number in the page text."""
    start: int
    end: int
    text: str
    """The line as printed, stripped, inner runs of spaces folded to one, # removed."""
    level: int
    """Markdown heading level (1-6), 0 for a plain line."""
    indented: bool = False
    """Printed with a first-line indent (leading spaces or U+3000): how indenting dumps open a paragraph."""

    @_once
    def folded(self) -> str:
        """Width-folded view for matching (same length as ``text``): １９９８ -> 1998, （ -> (."""
        return fold(self.text)

    @_once
    def size(self) -> int:
        """Length without spaces."""
        return len(self.text.replace(" ", ""))


def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on demand: code point -> its one-character NFKC form."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD = _FoldTable()
FOLD_FIXED = (
    "\x00-\x7f\u00b7\u2014\u2018\u2019\u201c\u201d\u2026\u25a0-\u25ff\u2605\u2606"
    "\u3001\u3002\u3008-\u3011\u3014\u3015\u3400-\u4dbf\u4e00-\u9fff"
)
"""Characters that fold to themselves: ASCII, ideographs, the common Chinese punctuation (tests check every one)."""
UNFIXED = re.compile(f"([^{FOLD_FIXED}]+)")
"""A run of characters that may fold to another one (a group: ``split`` keeps the runs)."""


def fold(text: str) -> str:
    """NFKC per character, keeping the length (so offsets stay valid): ＷＴＯ１９ -> WTO19."""
    if text.isascii():
        return text
    if len(text) > MAX_FOLD_MEMO:
        return _fold_runs(text)
    return _MEMO[text]


MAX_FOLD_MEMO = 20_000
"""Longer texts are folded each time, not kept in the memo."""
MAX_RUNS = 65_536
"""Distinct runs kept in :data:`_RUNS` (the same few punctuation marks make up most of them)."""
MAX_RUN_KEPT = 8
"""Longest run kept in :data:`_RUNS`: the table's memory stays bounded whatever the pages hold."""


class _RunTable(dict[str, str]):
    """Run of characters -> its folded form, filled on demand (a page repeats ，：（） over and over)."""

    def __missing__(self, run: str) -> str:
        folded = run.translate(_FOLD)
        if len(run) <= MAX_RUN_KEPT:  # long runs (kana, Hangul, Cyrillic text) are folded each time
            if len(self) >= MAX_RUNS:
                self.clear()
            self[run] = folded
        return folded


_RUNS = _RunTable()


def _fold_runs(text: str) -> str:
    """``text.translate(_FOLD)``, with only the runs of characters outside :data:`FOLD_FIXED` looked up."""
    pieces = UNFIXED.split(text)  # fixed text, a run, fixed text, a run, …, fixed text
    if len(pieces) == 1:
        return text
    pieces[1::2] = map(_RUNS.__getitem__, pieces[1::2])
    return "".join(pieces)


class _Memo(dict[str, str]):
    """:func:`fold` of a text met before (a paragraph is folded by several of the assembler's steps);
    filled on demand and by :func:`split_lines` (its lines' folded texts), emptied when full."""

    def __missing__(self, text: str) -> str:
        return self.keep(text, _fold_runs(text))

    def keep(self, text: str, folded: str) -> str:
        if len(self) >= MAX_MEMO:
            self.clear()
        self[text] = folded
        return folded


MAX_MEMO = 1024
_MEMO = _Memo()


class _CodeTable:
    """Code point -> its folded code point, as numpy arrays filled on demand (made on first use)."""

    def __init__(self) -> None:
        self.folded = np.arange(0x110000, dtype=np.uint32)
        self.known = np.zeros(0x110000, dtype=bool)

    def fold(self, text: str) -> str:
        """:func:`fold` of a whole page at once: every character looked up in one array."""
        codes: npt.NDArray[np.uint32] = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        new = codes[~self.known[codes]]
        if new.size:
            for code in set(new.tolist()):
                self.folded[code] = ord(_FOLD[code])  # the table str.translate folds by
            self.known[new] = True
        return str(self.folded[codes].tobytes().decode("utf-32-le", "surrogatepass"))


@functools.cache
def _code_table() -> _CodeTable:
    return _CodeTable()


PAGE_CHUNK = 1 << 16
"""Characters folded at once by :func:`fold_page` (bounds the arrays of a huge page)."""


def fold_page(text: str) -> str:
    """:func:`fold` of a page's text, so a line's fold is a slice of it (folding goes character by
    character), in chunks of :data:`PAGE_CHUNK`."""
    if text.isascii():
        return text
    table = _code_table()
    return "".join(table.fold(text[at : at + PAGE_CHUNK]) for at in range(0, len(text), PAGE_CHUNK))


GLUED_LEAD = re.compile(r"(?:□|■)|(?:据)?(?:本报讯|本报[^，。,\s]{1,12}?[讯电]|新华社[^，。,\s]{1,16}?电)")
GLUED_WORDS = ("本报", "新华社", "□", "■")
"""What every match of :data:`GLUED_LEAD` holds: looked for first (a substring search is cheap)."""
SENTENCE_END = re.compile(r"[。！？!?][”’」』)）]?")
MAX_GLUED_TITLE = 40
LEADING_SPACE = re.compile(r"\s*")  # \s is str.isspace


def _pieces(raw: str) -> list[tuple[int, str]]:
    """Cut a line where a dump glued a title and a lead (or two articles) together.

    ``…完成任务。县委召开会议本报讯（记者 甲乙）…`` -> ``…完成任务。`` | ``县委召开会议`` | ``本报讯…``:
    a cut is made before a 电头 or □ credit only when what precedes it since the last
    sentence end is short enough to be a title.
    """
    leads = list(GLUED_LEAD.finditer(raw)) if any(word in raw for word in GLUED_WORDS) else []
    if not leads:
        return [(0, raw)] if raw.strip() else []  # nothing glued (most lines)
    cuts: set[int] = set()
    # Linear in the line: sentence ends and commas are found once, then looked up by bisection
    # (a lead starts with none of the closers, so no sentence end straddles it).
    ends = [m.end() for m in SENTENCE_END.finditer(raw)]
    commas = [m.start() for m in re.finditer("，", raw)]
    first = len(raw) - len(raw.lstrip())
    lstrip: dict[int, int] = {}
    for match in leads:
        at = match.start()
        if at <= first:
            continue
        k = bisect.bisect_right(ends, at)
        since = ends[k - 1] if k else 0
        comma = bisect.bisect_left(commas, since)
        has_comma = comma < len(commas) and commas[comma] < at
        if _stripped_len(raw, since, at, lstrip) <= MAX_GLUED_TITLE and not has_comma:
            cuts.update({since, at} - {0})
    bounds = [0, *sorted(cuts), len(raw)]
    return [(a, raw[a:b]) for a, b in itertools.pairwise(bounds) if raw[a:b].strip()]


def _stripped_len(raw: str, start: int, end: int, lstrip: dict[int, int]) -> int:
    """``len(raw[start:end].strip())`` without copying a long slice (``lstrip`` memoises start -> first non-space)."""
    if end - start <= 4 * MAX_GLUED_TITLE:
        return len(raw[start:end].strip())
    if start not in lstrip:
        spaces = LEADING_SPACE.match(raw, start)
        lstrip[start] = spaces.end() if spaces else start
    start = min(lstrip[start], end)
    while end > start and raw[end - 1].isspace():
        end -= 1
    return end - start


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text`` (already LF-normalised) with their offsets."""
    lines: list[Line] = []
    offset = 0
    for number, whole in enumerate(text.split("\n"), start=1):
        line_start = offset
        offset += len(whole) + 1
        if not whole or whole.isspace():
            continue  # a blank line (what _pieces and _line make of it: nothing)
        for piece_start, raw in _pieces(whole) if len(whole) > MAX_GLUED_TITLE else [(0, whole)]:
            line = _line(number, line_start + piece_start, raw, indentable=piece_start == 0)
            if line is not None:
                lines.append(line)
    _fold_lines(lines, text)
    return lines


PAGE_FOLD_LINES = 16
"""New lines (not in the fold memo) from which a page is folded at once (fewer: each line alone)."""


def _fold_lines(lines: list[Line], text: str) -> None:
    """Set :attr:`Line.folded` of the lines met before from the memo; when many are new, of the
    new ones printed as they stand from the page's fold (kept in the memo: the assembler folds
    their texts again as paragraphs'). The others fold on first use."""
    new = []
    for line in lines:
        known = _MEMO.get(line.text)
        if known is None:
            new.append(line)
        else:
            line.__dict__["folded"] = known
    if len(new) < PAGE_FOLD_LINES:
        return
    folded = fold_page(text)
    for line in new:
        if line.text == text[line.start : line.end]:
            cut = folded[line.start : line.end]
            line.__dict__["folded"] = _MEMO.keep(line.text, cut) if len(cut) <= MAX_FOLD_MEMO else cut


def _line(number: int, start: int, raw: str, indentable: bool = True) -> Line | None:
    """One piece of a line, or None when it holds no text; only a line's first piece can be indented."""
    content = raw.strip()
    if " " in content or "\u3000" in content or "\t" in content or "\u00a0" in content:
        content = SPACES.sub(" ", content)  # (the runs of SPACES are whitespace: strip first, the same text)
    if "**" in content or "__" in content:
        content = EMPHASIS.sub(lambda m: m.group(1) or m.group(2), content)
    if content.startswith(">"):
        content = QUOTE.sub("", content)
    content = content.strip()
    if not content:
        return None
    level = 0
    match = HEADING.match(content) if content.startswith("#") else None
    if match and match.group(2):
        level, content = len(match.group(1)), match.group(2)
    elif match:
        return None  # a bare run of '#' carries no text
    lead = len(raw) - len(raw.lstrip())
    return Line(number, start + lead, start + len(raw.rstrip()), content, level, indentable and lead > 0)


def is_closed(text: str) -> bool:
    """True when ``text`` ends a sentence (closing quotes/brackets after it allowed)."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in CLOSERS:
        inner = stripped[:-1].rstrip()
        if inner and inner[-1] in TERMINALS:
            return True
        if stripped[-1] in "”’」』\"'" and inner:
            # a closing quote after a complete quoted sentence:  …说：“好。”
            stripped = inner
            continue
        return False
    return bool(stripped) and stripped[-1] in TERMINALS
