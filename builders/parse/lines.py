"""Split page text into typed lines with character offsets.

Everything downstream works on :class:`Line` objects: the stripped text as printed,
an NFKC view for pattern matching (full-width digits and brackets folded), the
markdown heading level, and the span in the page text it came from.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from builders.parse.folding import fold, fold_page, known, remember

HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
SPACES = re.compile(r"[ \t\u3000\u00a0]+")
EMPHASIS = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
QUOTE = re.compile(r"^(?:>\s*)+")

CLOSERS = "”’」』）)】》\"'"
"""Closing quotes and brackets that may follow a sentence's final punctuation."""
TERMINALS = "。！？!?…；;：:"
"""Punctuation that ends a sentence (or a lead-in that the next paragraph completes)."""
TERMINAL_SET = frozenset(TERMINALS)
"""The characters of :data:`TERMINALS` (none of them a closer, nor the end of a sign-off)."""
SIGNED_OFF = re.compile(r"[。！？!?…”’」』)）]\s*[—─]{1,3}\s*(?:编者|作者|译者|笔者|编辑部?)(?:按|附记|注)?$")
"""A note signed off after its last sentence (……！——编者, ……。——作者): finished text."""


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
        return len(self.text) - self.text.count(" ")  # (the length of text.replace(" ", ""), uncopied)


def new_line(number: int, start: int, end: int, text: str, level: int, indented: bool = False) -> Line:
    """``Line(number, start, end, text, level, indented)``, its fields written at once: a frozen
    dataclass's ``__init__`` sets each through ``object.__setattr__`` (a page makes one per line)."""
    line = object.__new__(Line)
    line.__dict__.update(number=number, start=start, end=end, text=text, level=level, indented=indented)
    return line


GLUED_LEAD = re.compile(r"(?:□|■)|【?(?:据)?(?:本报讯|本报[^，。,\s]{1,12}?[讯电]|新华社[^，。,\s]{1,16}?电)")
GLUED_WORDS = ("本报", "新华社", "□", "■")
"""What every match of :data:`GLUED_LEAD` holds: looked for first (a substring search is cheap)."""
END_MARK_IN = re.compile(r"(?<=[。！？!?…”’」』)）])\s*[(（]\s*(?:完|全文完|未完待续|待续|续完)\s*[)）]")
"""An end mark (（完）) after a finished sentence or a closing credit, wherever it stands in a line."""
SENTENCE_END = re.compile(r"[。！？!?][”’」』)）]?")
MAX_GLUED_TITLE = 40
LEADING_SPACE = re.compile(r"\s*")  # \s is str.isspace


def _may_glue(raw: str) -> bool:
    """Does the line hold one of :data:`GLUED_WORDS` (tested one by one: no generator per line)?"""
    return "本报" in raw or "新华社" in raw or "□" in raw or "■" in raw


def _pieces(raw: str) -> list[tuple[int, str]]:
    """Cut a line where a dump glued a title and a lead (or two articles) together.

    ``…完成任务。县委召开会议本报讯（记者 甲乙）…`` -> ``…完成任务。`` | ``县委召开会议`` | ``本报讯…``:
    a cut is made before a 电头 or □ credit only when what precedes it since the last
    sentence end is short enough to be a title.
    """
    leads = list(GLUED_LEAD.finditer(raw)) if _may_glue(raw) else []
    cuts = _end_mark_cuts(raw)
    if not leads and not cuts:
        return [(0, raw)] if raw and not raw.isspace() else []  # nothing glued (most lines); (raw.strip(), uncopied)
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


def _end_mark_cuts(raw: str) -> set[int]:
    """Where an end mark inside a line starts and ends (…十个项目。（完）红枫村…): the mark ends an
    article, so it stands on a line of its own (an end-mark line) and what follows starts a new line."""
    if ("完" not in raw and "续" not in raw) or ("(" not in raw and "（" not in raw):
        return set()  # (every mark holds 完 or 续, and a bracket: 继续, 持续 hold no mark)
    cuts: set[int] = set()
    for match in END_MARK_IN.finditer(raw):
        cuts.update({match.start(), match.end()})
    return {cut for cut in cuts if raw[:cut].strip() and raw[cut:].strip()}


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
        cut = len(whole) > MAX_GLUED_TITLE or "完" in whole or "续" in whole
        for piece_start, raw in _pieces(whole) if cut else [(0, whole)]:
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
        met = known(line.text)
        if met is None:
            new.append(line)
        else:
            line.__dict__["folded"] = met
    if len(new) < PAGE_FOLD_LINES:
        return
    folded = fold_page(text)
    for line in new:
        if line.text == text[line.start : line.end]:
            line.__dict__["folded"] = remember(line.text, folded[line.start : line.end])


def _line(number: int, start: int, raw: str, indentable: bool = True) -> Line | None:
    """One piece of a line, or None when it holds no text; only a line's first piece can be indented."""
    content = raw.strip()
    if " " in content or "\u3000" in content or "\t" in content or "\u00a0" in content:
        content = SPACES.sub(" ", content)  # (the runs of SPACES are whitespace: strip first, the same text)
    if ("*" in content or "_" in content) and ("**" in content or "__" in content):  # (one character first)
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
    return new_line(number, start + lead, start + len(raw.rstrip()), content, level, indentable and lead > 0)


def is_closed(text: str) -> bool:
    """True when ``text`` ends a sentence (closing quotes/brackets after it allowed) or a note
    signed off after its last sentence (……！——编者)."""
    stripped = text.rstrip()
    last = stripped[-1:]
    if last in TERMINAL_SET:
        return True  # (most sentences: what the tests below find for a text ending so)
    if last in ("者", "部", "按", "记", "注") and SIGNED_OFF.search(fold(stripped[-12:])):
        return True
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
