"""Page parser (placeholder; the real parser lands with issue 2)."""

from __future__ import annotations

from dataclasses import dataclass, field

from schema import ArticleDraft, Problem


@dataclass
class ParseResult:
    """The articles of one page and the problems met on the way."""

    articles: list[ArticleDraft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse_page(text: str, source_file: str, source_sha256: str) -> ParseResult:
    """Split a decoded page into article drafts."""
    return ParseResult(problems=[Problem(code="no-articles", source_file=source_file, line=None, message="stub")])
