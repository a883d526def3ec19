"""Two-line heads the labeller reads as a section's subhead pair: where such a block of two short lines
(headline and subheadline, no lead or credit of their own) starts the next article instead
(:func:`builders.parse.blocks.split_blocks` asks :func:`headline_pair`).
"""

from __future__ import annotations

import re
from itertools import pairwise

from builders.parse.labelled import TITLE_LABELS, subhead_form
from builders.parse.layout import MAX_TITLE, MID_PUNCT, Block, Typed, ends_article
from builders.parse.lines import Line, is_closed
from builders.parse.patterns import is_office, lead_match

HEADLINE_PAIR_MAX = 30
"""Longest line of a two-line headline block printed after another article."""
PARALLEL_MAX = 8
"""Two lines of one length up to this are parallel phrases (加强社区防控 / 便民举措贴心): the
paired subhead of a section, not a headline with its subheadline."""
CLAUSES = re.compile(r"[，,；;]")


def _runs_on(folded: str) -> bool:
    """Does a line stop a clause just begun (…医用材料公司，原本大): a sentence cut by the line's
    end, not a headline, whose clauses are of a size (不用出小区，加微信能送菜)?"""
    parts = CLAUSES.split(folded.strip())
    return len(parts) >= 2 and 2 * len(parts[-1]) < len(parts[-2])


def _pair_line(item: Typed) -> bool:
    line = item.line
    fits = item.kind == "title" and line.size <= HEADLINE_PAIR_MAX
    return fits and not is_closed(line.folded) and not _runs_on(line.folded)


def _parallel(first: Line, second: Line) -> bool:
    """Two phrases of one length (加强社区防控 / 便民举措贴心), or two unpunctuated lines of one
    length (a slogan couplet): the paired head of a section, not a headline and its subheadline."""
    if first.size != second.size:
        return False
    return first.size <= PARALLEL_MAX or not (MID_PUNCT.search(first.folded) or MID_PUNCT.search(second.folded))


def _pair_form(folded: str) -> str | None:
    """The form of a subhead (:func:`subhead_form`), or ``clauses`` for one of two clauses
    (藏粮于地，藏粮于技), None for a plain line."""
    return subhead_form(folded) or ("clauses" if CLAUSES.search(folded) else None)


def _echoes_singles(first: Line, current: Block) -> bool:
    """Has the article a one-line subhead of the form of the block's first line, or are its
    subheads short phrases of one length, as the block's first line is? Then the block is its
    next section: a subhead with a short summary line under it."""
    form = _pair_form(first.folded)
    if form is not None and any(t.kind == "subhead" and _pair_form(t.line.folded) == form for t in current.items):
        return True
    sizes = {t.line.size for t in current.items if t.kind == "subhead"}
    return sizes == {first.size} and first.size <= PARALLEL_MAX  # subheads of one length (排查到户, 分片包干)


def _subhead_pattern(current: Block) -> tuple[bool, bool]:
    """Has the article section subheads of one line only, and has it a block of two? A short line
    naming an office inside the body (文化馆, 某某医疗队) heads a section too."""
    heads = [t.kind == "subhead" or (t.kind == "attribution" and t is not current.items[-1]) for t in current.items]
    pairs = any(a and b for a, b in pairwise(heads))
    return any(heads) and not pairs, pairs


def _opens_on_lead(current: Block) -> bool:
    """Does the article's first body line carry a 电头 (本报某地某月某日电, 新华社…电)? A 消息."""
    first = next((t for t in current.items if t.kind == "body"), None)
    return first is not None and bool(lead_match(first.line.folded))


def headline_pair(typed: list[Typed], labels: list[str], i: int, current: Block | None) -> bool:
    """Does a block of two short lines that the labeller reads as a two-line subhead start the
    next article (headline and subheadline, no lead or credit of their own)?

    The block follows a finished sentence and a paragraph follows it; neither line is a sentence
    cut by the line's end, the two are not parallel phrases of one length, and the first is not a
    bare office name (a section's label: 文化馆, 图书馆; a headline says something). The article above
    is a news report (消息) opening on a 电头, which rarely carries subheads, or a piece opened by
    such a block itself (a series headed alike), and has no subheads; or it is a feature whose
    subheads are one line each, none of the block's form: a feature keeps one form for its
    subheads, so a block of two starts the next article.
    """
    if current is None or not current.items or i + 2 >= len(typed) or labels[i] in TITLE_LABELS:
        return False
    last, body = current.items[-1], typed[i + 2]
    if last.kind != "body" or not ends_article(last.line):
        return False
    if not (_pair_line(typed[i]) and _pair_line(typed[i + 1])) or labels[i + 1] == "title-start":
        return False
    if _parallel(typed[i].line, typed[i + 1].line) or is_office(typed[i].line.folded):
        return False  # parallel phrases, or an office naming its section (文化馆 | 舞蹈课搬上了网)
    if body.kind != "body" or body.line.size <= MAX_TITLE or labels[i + 2] == "body-continued":
        return False
    singles, pairs = _subhead_pattern(current)
    if singles:
        return not _echoes_singles(typed[i].line, current)
    return not pairs and (_opens_on_lead(current) or current.paired)
