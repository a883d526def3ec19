"""Parse one page: decoded text -> article drafts, plus the problems met.

``parse_page`` never raises for any text, and every non-blank line is accounted for:
it fed a field of an article (``ParseResult.assignments``) or is listed, with a
reason, in ``ParseResult.problems``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from builders.parse import credits
from builders.parse.assemble import Parts, assemble
from builders.parse.blocks import continues_elsewhere, split_blocks
from builders.parse.folding import fold
from builders.parse.fragments import reattach
from builders.parse.layout import PHOTO_NEWS, Block, Typed, classify_page
from builders.parse.linelabel import label_lines
from builders.parse.lines import Line, split_lines
from builders.parse.patterns import MARKER
from schema import ArticleDraft, Problem, Sidebar, Span

LATIN_NOISE = re.compile(r"(?<![A-Za-z])[a-z]{2,}(?![A-Za-z])")
"""A lowercase Latin word inside Chinese text: OCR or dump noise (…情况 and 打赢…)."""
LATIN_PAIR = re.compile(b"[a-z]{2}")
"""What any match of :data:`LATIN_NOISE` holds: a quick scan first (its look-behind makes it slow on a long
body) of the body's ASCII characters alone (leaving the others out can join two letters, never part them)."""


@dataclass
class ParseResult:
    """The articles of one page and the problems met on the way."""

    articles: list[ArticleDraft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    assignments: dict[int, str] = field(default_factory=dict)
    """Line number -> ``"<ordinal>.<field>"`` for every line that fed an article."""


def article_id(source_sha256: str, title_lines: list[str], body: str) -> str:
    """Content-derived ID: sha256 over the page hash, title lines and body (16 hex)."""
    payload = "\x1f".join([source_sha256, "\x1e".join(title_lines), body])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _owned_lines(parts: Parts) -> dict[int, tuple[Line, str]]:
    """The article's lines keyed by their start offset, with the field each fed."""
    owned: dict[int, tuple[Line, str]] = {}
    for line in parts.block.column:
        owned[line.start] = (line, "column")
    for line in parts.block.titles:
        owned[line.start] = (line, "title_lines")
    for line in parts.tip:
        owned[line.start] = (line, "reading_tip")
    for line in parts.extra_lines:
        owned[line.start] = (line, "front")
    for para in parts.paras:
        for line in para.lines:
            owned[line.start] = (line, "body")
        if para.marker:
            owned[para.marker[1].start] = (para.marker[1], "continued_on")
    for _, lines in parts.sidebars:
        for line in lines:
            owned[line.start] = (line, "sidebars")
    return owned


def _spans(owned: dict[int, tuple[Line, str]], order: dict[int, int]) -> list[Span]:
    """Contiguous runs of the article's lines (in page order) as character spans."""
    lines = sorted((line for line, _ in owned.values()), key=lambda line: line.start)
    runs: list[list[int]] = []  # [start, end] of each run, made Spans once at the end
    previous = None
    for line in lines:
        if runs and previous is not None and order[line.start] == order[previous.start] + 1:
            runs[-1][1] = line.end
        else:
            runs.append([line.start, line.end])
        previous = line
    return [Span(start=start, end=end) for start, end in runs]


def _flags(parts: Parts, body: str) -> list[str]:
    flags = set(parts.flags)
    if LATIN_PAIR.search(body.encode("ascii", "ignore")) and LATIN_NOISE.search(body):
        flags.add("latin-noise")
    if not body:
        flags.add("empty-body")
    return sorted(flags)


def _draft(parts: Parts, ordinal: int, source: tuple[str, str], spans: list[Span]) -> ArticleDraft:
    body = "\n".join(p.text for p in parts.paras if p.text)
    kind = "photo" if parts.photo_credit and not parts.has_lead and len(parts.paras) <= 3 else "news"
    if PHOTO_NEWS.match(fold(parts.headline)):
        kind = "photo"
    if any(b.role in ("reporter", "correspondent") for b in parts.bylines):
        kind = "news"
    return ArticleDraft(
        id=article_id(source[1], parts.title_lines, body),
        source_file=source[0],
        source_sha256=source[1],
        spans=spans,
        ordinal=ordinal,
        column=parts.column,
        kicker=parts.kicker,
        headline=parts.headline,
        subheadline=parts.subheadline,
        title_lines=parts.title_lines,
        reading_tip="".join(line.text for line in parts.tip) or None,
        bylines=credits.dedupe(parts.bylines),
        body=body,
        captions=list(parts.captions),
        sidebars=[Sidebar(title=t, text="\n".join(x.text for x in lines)) for t, lines in parts.sidebars],
        attribution=parts.attribution,
        continued_on=parts.continued_on,
        continued_from=parts.continued_from,
        kind=kind,
        dateline=parts.dateline,
        flags=_flags(parts, body),
    )


def parse_page(text: str, source_file: str, source_sha256: str, learned: bool = True) -> ParseResult:
    """Split a decoded page into article drafts; never raises for any text.

    ``learned=False`` cuts articles by the rules alone, without the line labeller.
    """
    result = ParseResult()
    lines = split_lines(text)
    order = {line.start: i for i, line in enumerate(lines)}
    typed = classify_page(lines)
    labels = label_lines(lines, [t.kind for t in typed], text) if learned else None
    for item, label in zip(typed, labels or (), strict=False):
        item.label = label  # what split_blocks gives them (without making each line's anew)
    preamble, blocks = split_blocks(typed, labels)
    for block in blocks:
        if not block.titles:  # (上接第一版)… after an article's text: the rest of another page's article
            page = _continued_from(block.items)
            result.problems += [_preamble_problem(item, source_file, page) for item in block.items]
    parts = _drop_empty([assemble(block) for block in blocks if block.titles], result, source_file)
    loose = [t for t in preamble if t.kind in ("body", "subhead")]
    orphans = assemble(Block(items=loose)) if loose else None  # (no text, no paragraph to reattach)
    for article, para in reattach(parts, orphans):
        note = f"moved to the article {article.headline[:20]!r}, whose last sentence it completes"
        result.problems.append(_line_problem("reattached-fragment", source_file, para.lines[0], note))
    moved = {line.start for part in parts for para in part.paras for line in para.lines}
    continued = _continued_from(preamble)
    for k, item in enumerate(preamble):
        if item.line.start not in moved:
            result.problems.append(_preamble_problem(item, source_file, continued if k >= continued[0] else None))
    seen: set[str] = set()
    for ordinal, part in enumerate(parts):
        owned = _owned_lines(part)
        draft = _draft(part, ordinal, (source_file, source_sha256), _spans(owned, order))
        if draft.id in seen:
            draft = draft.model_copy(update={"id": article_id(source_sha256, [str(ordinal)], draft.id)})
        seen.add(draft.id)
        result.articles.append(draft)
        result.assignments.update({line.number: f"{ordinal}.{name}" for line, name in owned.values()})
    _account(lines, result, source_file)
    result.problems.sort(key=lambda p: (p.line or 0, p.code))
    return result


def _line_problem(code: str, source_file: str, line: Line, what: str) -> Problem:
    """A problem about one line, quoting the line's start."""
    return Problem(code=code, source_file=source_file, line=line.number, message=f"{what}: {line.text[:30]}")


def _continued_from(items: list[Typed]) -> tuple[int, str]:
    """Where lines with no title above them go on an article of another page ((上接第一版)… at the top
    of a page, or after an article's text), and that page; ``(len(items), "")`` when they do not."""
    for k, item in enumerate(items):
        head = MARKER.match(item.line.folded) if continues_elsewhere(item) else None
        if head:
            return k, head.group("page").replace(" ", "")
    return len(items), ""


def _preamble_problem(item: Typed, source_file: str, continued: tuple[int, str] | None = None) -> Problem:
    """A line before the page's first title: page furniture, the rest of an article of another page
    ((上接第一版)…, whose headline is printed there), or text with no headline."""
    if item.kind == "furniture":
        return _line_problem("page-furniture", source_file, item.line, "page header or editor line")
    if continued is not None:
        note = f"the rest of an article continued from {continued[1]}, whose headline is printed there"
        return _line_problem("continued-without-headline", source_file, item.line, note)
    return _line_problem("no-headline", source_file, item.line, "text before the first title line")


def _drop_empty(parts: list[Parts], result: ParseResult, source_file: str) -> list[Parts]:
    """Title lines with no text, caption or box after them are not an article."""
    kept = []
    for part in parts:
        if part.paras or part.captions or part.sidebars:
            kept.append(part)
            continue
        for line in [*part.block.column, *part.block.titles, *part.tip, *part.extra_lines]:
            result.problems.append(_line_problem("no-body", source_file, line, "title with no text after it"))
    return kept


def _account(lines: list[Line], result: ParseResult, source_file: str) -> None:
    """List every non-blank line that fed no article and has no problem yet."""
    listed = {p.line for p in result.problems}
    for line in lines:
        if line.number not in result.assignments and line.number not in listed:
            result.problems.append(_line_problem("unassigned-line", source_file, line, "line fed no field"))
    if not result.articles:
        result.problems.append(
            Problem(
                code="no-articles",
                source_file=source_file,
                line=None,
                message="no title line followed by text was found on the page",
            )
        )
