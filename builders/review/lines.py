"""The left pane: the page text line by line, cut where an article's span starts or ends.

Spans are character ranges into the decoded text; a physical line is shown whole,
cut into segments each owned by one article (its ordinal) or by none.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from schema import Article, Problem

PALETTE = 10
"""Article colours: ordinal modulo this picks one of the CSS classes ``c0`` … ``c9``."""


@dataclass(frozen=True)
class Segment:
    """A run of one line's characters owned by one article, or by none (``owner is None``)."""

    text: str
    owner: int | None


@dataclass(frozen=True)
class LineView:
    """One physical line of the page as the review shows it (every property computed once, in :func:`line_view`)."""

    number: int
    text: str
    segments: list[Segment]
    owners: list[int]
    """Ordinals of the articles owning a non-blank character of the line, in page order."""
    role: str | None
    """The field the line fed (``title_lines``, ``body``…), when known."""
    codes: list[str]
    """Problem codes about this line."""
    blank: bool
    loose: bool
    """A non-blank character outside every article: unassigned text or page furniture."""
    whole: int | None
    """The one article owning every non-blank character of the line, if there is one."""
    css: str
    """CSS classes: ``l``, the owner's colour, ``x`` outside every article, ``b`` blank, ``q`` with a problem."""

    @property
    def mixed(self) -> bool:
        """Parts of the line belong to different articles (or to none): shown segment by segment."""
        return not self.blank and self.whole is None and len(self.segments) > 1


def line_view(number: int, text: str, segments: list[Segment], role: str | None, codes: list[str]) -> LineView:
    inked = [s for s in segments if s.text.strip()]
    owners = sorted({s.owner for s in inked if s.owner is not None})
    loose = any(s.owner is None for s in inked)
    whole = owners[0] if len(owners) == 1 and not loose else None
    classes = ["l"]
    if not inked:
        classes.append("b")
    elif whole is not None:
        classes.append(f"c{whole % PALETTE}")
    elif not owners:
        classes.append("x")
    if codes:
        classes.append("q")
    return LineView(number, text, segments, owners, role, codes, not inked, loose, whole, " ".join(classes))


def _owners_by_offset(articles: list[Article]) -> list[tuple[int, int, int]]:
    """Every span as ``(start, end, ordinal)``, sorted."""
    return sorted((span.start, span.end, a.ordinal) for a in articles for span in a.spans)


def _segments(text: str, start: int, spans: list[tuple[int, int, int]]) -> list[Segment]:
    """Cut ``text`` (which starts at offset ``start``) at the span boundaries inside it."""
    end = start + len(text)
    cuts = {start, end}
    for a, b, _ in spans:
        cuts.update(x for x in (a, b) if start < x < end)
    bounds = sorted(cuts)
    segments: list[Segment] = []
    for a, b in itertools.pairwise(bounds):
        owner = next((o for s, e, o in spans if s <= a and b <= e), None)
        if segments and segments[-1].owner == owner:
            segments[-1] = Segment(segments[-1].text + text[a - start:b - start], owner)
        else:
            segments.append(Segment(text[a - start:b - start], owner))
    return segments or [Segment("", None)]


def page_lines(text: str, articles: list[Article], problems: list[Problem],
               assignments: dict[int, str]) -> list[LineView]:
    """Every line of ``text`` with its owners, role and problem codes."""
    spans = _owners_by_offset(articles)
    codes: dict[int, list[str]] = defaultdict(list)
    for problem in problems:
        if problem.line is not None and problem.code not in codes[problem.line]:
            codes[problem.line].append(problem.code)
    lines, offset = [], 0
    for number, raw in enumerate(text.split("\n"), start=1):
        touching = [s for s in spans if s[0] < offset + len(raw) and s[1] > offset]
        segments = _segments(raw, offset, touching) if touching else [Segment(raw, None)]
        lines.append(line_view(number, raw, segments, _role(assignments.get(number)), codes.get(number, [])))
        offset += len(raw) + 1
    return lines


def _role(assignment: str | None) -> str | None:
    """``"3.title_lines"`` -> ``"title_lines"``."""
    return assignment.partition(".")[2] if assignment else None
