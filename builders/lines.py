"""Split page text into typed lines with character offsets.

Everything downstream works on :class:`Line` objects: the stripped text as printed,
an NFKC view for pattern matching (full-width digits and brackets folded), the
markdown heading level, and the span in the page text it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
SPACES = re.compile(r"[ \t\u3000\u00a0]+")

CLOSERS = "”’」』）)】》\"'"
"""Closing quotes and brackets that may follow a sentence's final punctuation."""
TERMINALS = "。！？!?…；;：:"
"""Punctuation that ends a sentence (or a lead-in that the next paragraph completes)."""


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

    @property
    def folded(self) -> str:
        """Width-folded view for matching (same length as ``text``): １９９８ -> 1998, （ -> (."""
        return fold(self.text)

    @property
    def size(self) -> int:
        """Length without spaces."""
        return len(self.text.replace(" ", ""))


def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


def fold(text: str) -> str:
    """NFKC per character, keeping the length (so offsets stay valid): ＷＴＯ１９ -> WTO19."""
    if text.isascii():
        return text
    return "".join(_fold_char(ch) for ch in text)


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text`` (already LF-normalised) with their offsets."""
    lines: list[Line] = []
    offset = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        start, end = offset, offset + len(raw)
        offset = end + 1
        content = SPACES.sub(" ", raw).strip()
        if not content:
            continue
        level = 0
        match = HEADING.match(content)
        if match and match.group(2):
            level, content = len(match.group(1)), match.group(2)
        elif match:
            continue  # a bare run of '#' carries no text
        lead = len(raw) - len(raw.lstrip())
        lines.append(Line(number, start + lead, start + len(raw.rstrip()), content, level))
    return lines


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
