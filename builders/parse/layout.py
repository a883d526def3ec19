"""The kind of every line of a page (title, heading, credit, body, marker…), and the rules' verdict
on a run of title-like lines (:func:`judge_run`).

A title block is a run of short, unpunctuated lines (or markdown headings). Whether a
run starts a new article is weighed from what surrounds it: a credit, a 电头 or a
dated lead after it, a heading, two or more title lines, a continuation marker
before it -- versus a section subhead (一、…) or a page-broken sentence start. Where
the line labeller's labels are at hand they decide first (:mod:`builders.parse.labelled`);
:mod:`builders.parse.blocks` cuts the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from builders.parse import credits
from builders.parse.lines import Line, is_closed
from builders.parse.patterns import (
    BARE_MARKER_TAIL,
    BOX,
    CAPTION_HEAD,
    END_MARK,
    ENUMERATOR,
    MARKER,
    POINTERS,
    SIDEBAR_FIRST,
    SIDEBAR_LABEL,
    TIP_FIRST,
    TIP_LABEL,
    VERBISH,
    is_closing_dateline,
    is_furniture,
    is_listing,
    is_office,
    is_rule,
    label_start,
    lead_match,
    marker_of,
    opener_match,
)

MAX_TITLE = 40
MAX_RUN_TOGETHER = 60
"""Kicker, headline and subheadline run together on one line, separated by spaces."""
MAX_TITLE_LINES = 3
SUBHEAD_MAX = 12
"""Longest unnumbered section subhead (抓住机遇确定战略); longer lone lines are headlines."""
MID_PUNCT = re.compile(r"[，,、；;]")
TITLE_END_BAD = tuple("，,、；;：:")
TITLE_CUES = re.compile(r"[ “”\"「」！？!?·—]")

SAYS = re.compile(r"(?:强调|指出|表示|要求|寄语|说|[:：])$")
"""A short line ending in a verb of saying (某某强调) is a kicker, never a column banner."""
OPENING_QUOTES = ("“", "「", "『", '"')
"""A paragraph may open with a quotation; a sentence cut by a page break rarely resumes with one."""
PHOTO_NEWS = re.compile(r"^[【\[]?\s*图片新闻\s*[】\]]?$")
CAPTION_FIRST = frozenset("图上下左右" + POINTERS)
"""The characters the openings of :data:`builders.parse.patterns.CAPTION_HEAD` start with."""
FRONT = {"credit", "tip-label", "tip-inline", "caption", "marker-from"}
"""Line kinds that sit between a title block and the body."""


@dataclass
class Typed:
    """A line with its kind: title, heading, body, credit, caption, marker-on, marker-from,
    tip-label, tip-inline, sidebar-label, sidebar-inline, end-credit."""

    line: Line
    kind: str
    label: str = ""
    """The line labeller's label (:mod:`builders.linelabel`), when it ran."""


@dataclass
class Block:
    """The lines of one article: banner, title lines, then everything up to the next one."""

    column: list[Line] = field(default_factory=list)
    titles: list[Line] = field(default_factory=list)
    items: list[Typed] = field(default_factory=list)
    paired: bool = False
    """Opened by a two-line headline block right after another article (:func:`headline_pair`)."""


TWO_HAN = re.compile("[\u4e00-\u9fff][^\u4e00-\u9fff]*[\u4e00-\u9fff]")
"""Two characters of the CJK block at least, anywhere in the text (one search, no loop)."""


def is_title_text(folded: str) -> bool:
    """Two Chinese characters at least: a title has words, not only marks."""
    return TWO_HAN.search(folded) is not None


def is_title_like(line: Line) -> bool:
    """Short, no full stop, not ending like a clause: could be a title line."""
    text, size = line.folded, line.size
    if size > MAX_RUN_TOGETHER:
        return False  # (too long whatever the limit below: spare the search)
    limit = MAX_RUN_TOGETHER if " " in text and not MID_PUNCT.search(text) else MAX_TITLE
    if size > limit or "。" in text or text.endswith(TITLE_END_BAD):
        return False
    if is_closing_dateline(text):
        return False  # （新华社北京１月４日电）: the end of the article above
    return TWO_HAN.search(text) is not None and not lead_match(text) and not is_listing(text)


def classify(line: Line) -> str:
    """The kind of one line, before context is weighed."""
    folded = line.folded
    start = label_start(folded)  # (most lines start as no label does: neither pattern is tried)
    tip = TIP_LABEL.match(folded) if start in TIP_FIRST else None
    side = SIDEBAR_LABEL.match(folded) if start in SIDEBAR_FIRST else None
    if line.level and tip and not tip.group("rest"):
        return "tip-label"
    if line.level and side and not side.group("rest"):
        return "sidebar-label"
    if line.level:
        return "furniture" if is_furniture(folded) else "heading"  # # 第5版：县域经济: a banner, not a title
    marker = marker_of(folded)
    if marker:
        return "marker-on" if marker[0] == "on" else "marker-from"
    if tip and line.size <= 8 and not tip.group("rest"):
        return "tip-label"
    if tip and re.match(r"^[【\[]?\s*(编者按|编前语|阅读提示)\s*[】\]:：]", folded):
        return "tip-inline"
    if side and not side.group("rest") and line.size <= 8:
        return "sidebar-label"
    return _classify_text(line, folded, start)


def _classify_text(line: Line, folded: str, start: str) -> str:
    """The kind of a line that is no label, marker or heading (``start``: its :func:`label_start`)."""
    if is_furniture(folded) or is_rule(folded):
        return "furniture"
    first = folded[:1]
    if first in ("(", "（") and END_MARK.match(folded):
        return "end-mark"
    if _plain_long(line, folded):  # (most lines: the tests below of credits and titles would all say no)
        return "caption" if first in CAPTION_FIRST and CAPTION_HEAD.match(folded) else "body"
    if credits.credit_line(folded) is not None:
        return "credit"
    ending = credits.end_credit(folded)
    if ending and ending[0] == 0:
        return "end-credit"
    if start == "图" and PHOTO_NEWS.match(folded):
        return "title"  # 图片新闻 heads a photo item, like a headline
    if first in CAPTION_FIRST and CAPTION_HEAD.match(folded):
        return "caption"
    tail = credits.credit_tail(folded)
    if tail and 0 < tail[0] <= MAX_TITLE and "。" not in folded[: tail[0]]:
        return "caption"
    return "title" if is_title_like(line) else "body"


PLAIN_ENDS = frozenset("。！？!?，,；;”")
"""Marks that end no credit (…摄, …（甲乙）, …报道 end otherwise) and no markdown or bracket of a label."""
PLAIN_LONG = max(MAX_RUN_TOGETHER, credits.MAX_CREDIT)
"""Characters beyond which a line is neither a title (:data:`MAX_RUN_TOGETHER`) nor a credit line
(:data:`builders.parse.credits.MAX_CREDIT`): both bounds, not one that happens to equal the other."""


def _plain_long(line: Line, folded: str) -> bool:
    """Is the line too long for a title or a credit line (:data:`PLAIN_LONG`), unboxed, and does it end in
    one of :data:`PLAIN_ENDS`?
    Then it is no credit line, closing credit, photo credit, 图片新闻 or title line: body, or a caption."""
    return (
        line.size > PLAIN_LONG
        and folded[-1:] in PLAIN_ENDS
        and folded[:1] not in BOX
        and not folded[:1].isspace()  # (the credit tests strip the line: its ends are the ones tested)
    )


def is_lead(line: Line) -> bool:
    """Does this line open a news lead (电头, date, 近日…)?"""
    folded = line.folded
    return bool(lead_match(folded) or opener_match(folded))


MASTHEAD = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:日报|晚报|时报|周报|报)$")
"""A paper's name alone on a line (青山报, 某某日报): the 报头, when a page banner follows it."""


def classify_page(lines: list[Line]) -> list[Typed]:
    """Type every line of a page; a paper's name at the top of the page right above the page banner
    (青山报 | 2021年4月8日 星期四) is furniture too, not a headline."""
    typed = [Typed(line, classify(line)) for line in lines]
    if len(typed) > 1 and typed[1].kind == "furniture" and MASTHEAD.match(typed[0].line.folded.strip("# ")):
        typed[0] = Typed(typed[0].line, "furniture")
    return typed


def last_body(block: Block) -> Typed | None:
    return next((t for t in reversed(block.items) if t.kind in ("body", "subhead")), None)


def _body_count(block: Block) -> int:
    return sum(1 for t in block.items if t.kind in ("body", "subhead"))


def _title_level(block: Block) -> int:
    levels = [line.level for line in block.titles if line.level]
    return min(levels) if levels else 0


def ends_article(line: Line) -> bool:
    """A line ending a sentence, or ending with a (下转第X版) marker (bracketed or not)."""
    folded = line.folded.rstrip()
    if is_closed(folded) or "版" not in folded:  # every marker names a page
        return is_closed(folded)
    marker = list(MARKER.finditer(folded))
    return bool(marker and marker[-1].end() == len(folded)) or BARE_MARKER_TAIL.search(folded) is not None


def judge_run(run: list[Line], nxt: Typed | None, current: Block | None) -> str:
    """Is a run of title-like lines a new article (``new``), or does its first line
    belong to the current article as ``attribution``, ``subhead`` or ``body``?"""
    if current is None:
        return "new"
    first, last = run[0], last_body(current)
    ended = bool(current.items) and current.items[-1].kind in (
        "marker-on",
        "end-credit",
        "attribution",
        "credit",
        "end-mark",
    )
    fronted = nxt is not None and (nxt.kind in FRONT or (nxt.kind == "body" and is_lead(nxt.line)))
    after_closed = last is None or ended or ends_article(last.line)
    closing = len(run) > 1 or nxt is None or nxt.kind in ("marker-on", "title", "heading")
    if is_office(first.folded) and last is not None and after_closed and not first.level and closing:
        return "attribution"
    if any(line.level for line in run):
        deeper = len(run) == 1 and first.level > _title_level(current) > 0
        return "subhead" if deeper and not fronted and not ended and _body_count(current) >= 2 else "new"
    if ended or fronted or len(run) >= 2:
        return "new"
    return _judge_single(first, current, after_closed)


def _judge_single(line: Line, current: Block, after_closed: bool) -> str:
    folded = line.folded
    if ENUMERATOR.match(folded):
        return "subhead"
    if MID_PUNCT.search(folded) and not TITLE_CUES.search(folded):
        return "body"  # a sentence start cut by a page break: 随后,某某认真听取后溪
    if not after_closed:
        return "body"
    if TITLE_CUES.search(folded) or VERBISH.search(folded) or line.size > SUBHEAD_MAX or _body_count(current) < 2:
        return "new"
    return "subhead"


def open_block(run: list[Line]) -> Block:
    if len(run) > MAX_TITLE_LINES:
        return Block(column=run[:-MAX_TITLE_LINES], titles=run[-MAX_TITLE_LINES:])
    if len(run) >= 2 and (run[0].size <= 4 or _bullet_banner(run)) and not SAYS.search(run[0].folded):
        return Block(column=run[:1], titles=run[1:])
    return Block(titles=run)


def _bullet_banner(run: list[Line]) -> bool:
    """Is the first line of a title run a banner printed with a bullet over plain title lines
    (■ 乡村振兴在行动 | 绿水镇茶产业带动千户增收), not a kicker leading into the headline (■ 某某——)?"""
    first = run[0].folded
    return first[:1] in BOX and not credits.TITLE_LEAD_IN.search(first) and all(
        line.folded[:1] not in BOX for line in run[1:]
    )
