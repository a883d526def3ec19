"""Turn one article block into its parts: titles, credits, paragraphs, captions, boxes.

Paragraphs cut by a page or column break are re-joined here: a body line that
follows a paragraph ending without closing punctuation continues that paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from builders.parse import credits
from builders.parse.credits import PHOTO_ENDS
from builders.parse.folding import ends_folding_to, fold
from builders.parse.layout import PHOTO_NEWS, Block, Typed, is_lead
from builders.parse.lines import Line, is_closed
from builders.parse.patterns import (
    BARE_MARKER_TAIL,
    BRACKET_ENDS,
    CAPTION_POINTER,
    END_MARK,
    ENUMERATOR,
    MARKER,
    PHOTO_CREDIT_PAREN,
    SIDEBAR_LABEL,
    TIP_LABEL,
    ends_with,
    is_closing_dateline,
    is_listing,
    is_signing_date,
    marker_of,
)
from builders.parse.sentences import ends_unfinished, starts_mid_sentence
from builders.parse.surnames import has_surname
from builders.parse.titles import dateline, title_roles, unbulleted
from schema import Byline, Caption, Dateline

CONTINUING = frozenset("，、。；：,;:）)”》」』")
"""Marks that no paragraph starts with: a closing quote or bracket ends a sentence begun above
(not ’, which also abbreviates a year: ’９８)."""
PARAGRAPH_LEAD_IN = ("——", "──")
"""A paragraph ending in a double dash (……表述——, trailing spaces aside) leads into the next one: what
follows starts a new paragraph, however the labeller reads it (not a lone —, which also joins ranges: 2月1日—5日)."""
SECTION_NUMBER = re.compile(r"[(]?(?:[一二三四五六七八九十]{1,3}|[0-9]{1,2})[)]?[、.]?")
"""A section number printed alone on a line (一, （二）, 3.): a subhead of its own, never part of a sentence."""
SECTION_NUMBER_MAX = 6
"""The longest text :data:`SECTION_NUMBER` matches whole: a longer line is tested no further."""
CREDIT_LAST = (*BRACKET_ENDS, "摄", "影", "图")
"""The last characters of a photo credit, bracketed or not (…（甲乙摄）, 甲乙 摄, 摄影, 供图)."""



@dataclass
class Para:
    """A body paragraph, possibly re-joined from several lines."""

    lines: list[Line]
    text: str
    subhead: bool = False
    marker: tuple[str, Line] | None = None
    """A (下转第X版) marker printed right after this paragraph: (page, marker line)."""

    @property
    def closed(self) -> bool:
        """Ends a sentence, is a subhead, or ends with a photo credit after a sentence (…。（甲乙摄）, …。 甲乙 摄)."""
        if self.subhead or is_closed(self.text):
            return True
        if not ends_folding_to(self.text, CREDIT_LAST):
            return False  # no photo credit can end it (a paragraph cut by a break is not folded for that)
        folded = fold(self.text)
        return _photo_credit(folded) is not None or _closing_credit(folded) is not None


@dataclass
class Parts:
    """Everything an article block yields, before it becomes a draft."""

    block: Block
    column: str | None = None
    title_lines: list[str] = field(default_factory=list)
    kicker: str | None = None
    headline: str = ""
    subheadline: str | None = None
    tip: list[Line] = field(default_factory=list)
    bylines: list[Byline] = field(default_factory=list)
    paras: list[Para] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    sidebars: list[tuple[str, list[Line]]] = field(default_factory=list)
    attribution: str | None = None
    continued_from: str | None = None
    dateline: Dateline | None = None
    has_lead: bool = False
    indents: bool = False
    """The block opens its paragraphs with a first-line indent (most of its body lines are indented)."""
    photo_credit: bool = False
    flags: set[str] = field(default_factory=set)
    extra_lines: list[Line] = field(default_factory=list)
    """Lines consumed into a field other than the body (credits, captions, markers…)."""

    @property
    def continued_on(self) -> str | None:
        pages = [p.marker[0] for p in self.paras if p.marker]
        return pages[-1] if pages else None


def _split_markers(parts: Parts, para: Para) -> None:
    """Markers printed inside a paragraph: （上接第一版）… at its start, …（下转第二版） at its end."""
    if "版" not in para.text:
        return  # every marker names a page: (下转第二版) (and no character folds to 版)
    folded = fold(para.text)
    head = MARKER.match(folded)
    if head and head.group("dir") not in ("下转", "转"):
        parts.continued_from = head.group("page").replace(" ", "")
        para.text = para.text[head.end() :].lstrip()
        folded = fold(para.text)
    tail = next(reversed(list(MARKER.finditer(folded))), None) or BARE_MARKER_TAIL.search(folded)
    if tail and tail.end() == len(folded.rstrip()) and tail.group("dir") in ("下转", "转") and tail.start() > 0:
        para.text = para.text[: tail.start()].rstrip()
        para.marker = (tail.group("page").replace(" ", ""), para.lines[-1])


LEAD_IN_TAIL = 8
"""Characters from a paragraph's end that are folded to see whether it ends in ——."""


def _leads_in(text: str) -> bool:
    """Does the paragraph end in ——/── (trailing spaces aside)? Only its end is folded (folding
    goes character by character), the whole text when the end is nothing but spaces; a paragraph
    whose last character folds to no dash (most end in 。) is not folded."""
    if not ends_folding_to(text, ("—", "─")):
        return False
    end = fold(text[-LEAD_IN_TAIL:]).rstrip()
    if len(end) < 2 and len(text) > LEAD_IN_TAIL:
        end = fold(text).rstrip()
    return end.endswith(PARAGRAPH_LEAD_IN)


LISTING_MAX = 60
"""Longest line read as a row of a table or listing (a longer one is a paragraph with stray spaces)."""


def _alone(line: Line) -> bool:
    """Does the line stand as a paragraph of its own, continued by none: a section number (一, （二）), a
    signer's date (2021年5月6日), a row of a table or listing (地区生产总值 45.6亿元 增长6.8%, 19:00 新闻联播)?"""
    folded = line.folded
    if len(folded) <= SECTION_NUMBER_MAX and SECTION_NUMBER.fullmatch(folded):
        return True
    if is_signing_date(folded):
        return True
    return line.size <= LISTING_MAX and is_listing(folded)


def _joins(last: Para, item: Typed, indents: bool) -> bool:
    """Does a body line continue the paragraph before it? Yes after an unfinished sentence
    (a page break), where the labeller saw a continued paragraph, or, in a block that indents
    its paragraphs, on a line printed without the indent."""
    if last.marker is not None or item.kind != "body" or (last.subhead and _alone(last.lines[-1])):
        return False
    if _leads_in(last.text):
        return False  # ……表述—— : the dash leads into a new paragraph
    if last.subhead and len(last.lines) == 1 and ends_unfinished(last.text):
        return True  # not a subhead after all: a paragraph's first line, cut inside a quotation or on 的
    if item.line.folded[:1] in CONTINUING:
        return True  # no paragraph starts with a comma: a page break cut the sentence there
    if _alone(item.line):
        return False  # a section number, a signer's date or a table row: a line of its own
    if ENUMERATOR.match(item.line.folded) and not starts_mid_sentence(last.text, item.line.text):
        return False  # １、… ２、…: each numbered item is a paragraph of its own (unless 统 | 一、 cuts a word)
    if indents and not last.subhead and last.lines[0].indented and not item.line.indented:
        return True  # every paragraph opens indented: a flush line is the rest of one cut by a break
    return not last.closed or (item.label == "body-continued" and not last.subhead)


def _indents(block: Block) -> bool:
    """Does the block open its paragraphs with a first-line indent? Most of its body lines
    (at least two) are indented."""
    body = [item.line.indented for item in block.items if item.kind == "body"]
    return sum(body) >= 2 and 2 * sum(body) > len(body)


def _add_body(parts: Parts, item: Typed) -> None:
    last = parts.paras[-1] if parts.paras else None
    if last is not None and _joins(last, item, parts.indents):
        last.lines.append(item.line)
        last.text += item.line.text
        last.subhead = False
    else:
        subhead = item.kind == "subhead" or _alone(item.line)
        last = Para([item.line], item.line.text, subhead=subhead)
        parts.paras.append(last)
    _split_markers(parts, last)


def _add_caption(parts: Parts, line: Line) -> None:
    tail = credits.credit_tail(line.folded)
    if tail:
        text, names = line.text[: tail[0]].strip(), tail[1]
    else:
        text, names = line.text, []
    text = CAPTION_POINTER.sub("", text) or text  # ▲图为…: the arrow points at the photo
    parts.captions.append(Caption(text=text or line.text, credits=names))
    parts.extra_lines.append(line)


def _add_marker(parts: Parts, line: Line) -> None:
    marker = marker_of(line.folded)
    if marker is None:
        return
    direction, page = marker
    if direction == "from":
        parts.continued_from = page
    elif parts.paras:
        parts.paras[-1].marker = (page, line)
        return
    else:
        parts.flags.add("marker-without-text")
    parts.extra_lines.append(line)


def _route(parts: Parts, item: Typed, state: dict[str, bool]) -> None:
    """Send one typed line of the block to the field it feeds."""
    kind, line = item.kind, item.line
    if kind == "body" and not state.get("sidebar") and not state.get("tip"):
        state["tip"] = False
        _add_body(parts, item)  # (most lines: where the last branch below sends them, no kind compared)
        return
    if kind == "tip-label":
        state["tip"] = True
        parts.extra_lines.append(line)
    elif kind == "tip-inline":
        match = TIP_LABEL.match(line.folded)
        parts.tip.append(Line(line.number, line.start, line.end, line.text[match.start("rest") :] if match else "", 0))
    elif kind in ("sidebar-label", "sidebar-inline"):
        match = SIDEBAR_LABEL.match(line.folded)
        label = match.group("label") if match else line.text
        rest = line.text[match.start("rest") :] if match and match.group("rest") else ""
        parts.sidebars.append((label, [Line(line.number, line.start, line.end, rest, 0)] if rest else []))
        state["sidebar"] = True
        if not rest:
            parts.extra_lines.append(line)
    elif kind in ("credit", "end-credit"):
        names = credits.credit_line(line.folded) if kind == "credit" else None
        if names is None:
            ending = credits.end_credit(line.folded)
            names = ending[1] if ending else []
        parts.bylines.extend(names)
        parts.photo_credit |= any(b.role == "photographer" for b in names)
        parts.extra_lines.append(line)
        state["tip"] = False
    elif kind == "caption" and PHOTO_NEWS.match(fold(parts.headline)):
        _add_body(parts, Typed(line, "body", item.label))  # 图为……（甲乙摄） under 图片新闻: the item's text
    elif kind == "caption":
        _add_caption(parts, line)
    elif kind in ("marker-on", "marker-from"):
        _add_marker(parts, line)
    elif kind == "end-mark":
        parts.extra_lines.append(line)
    elif kind == "attribution":
        parts.attribution = line.text.strip("（）() ")
        parts.extra_lines.append(line)
    elif state.get("sidebar"):
        parts.sidebars[-1][1].append(line)
    elif state.get("tip") and item.label in ("", "tip", "tip-label") and not (parts.tip and is_lead(line)):
        parts.tip.append(line)
    else:
        state["tip"] = False
        _add_body(parts, item)


def _join_closing_dateline(parts: Parts) -> None:
    """A last paragraph that is only a closing dateline (a page break put it on its own line)
    belongs to the paragraph it closes."""
    if len(parts.paras) < 2:
        return
    last, before = parts.paras[-1], parts.paras[-2]
    if last.text.lstrip()[:1] not in "（(" or before.subhead or before.marker:
        return
    if not is_closing_dateline(fold(last.text)):
        return
    before.lines.extend(last.lines)
    before.text += last.text
    before.marker = last.marker
    parts.paras.pop()


def _strip_lead(parts: Parts) -> None:
    """Remove the 电头 and its credit from the first paragraph; keep them as data."""
    if not parts.paras:
        return
    first = parts.paras[0]
    lead = credits.lead(fold(first.text))
    if lead is None:
        return
    parts.has_lead = True
    parts.bylines = lead.bylines + parts.bylines
    first.text = first.text[lead.length :].lstrip()
    if lead.date:
        parts.dateline = dateline(lead.date)


def _strip_tail_credits(parts: Parts) -> None:
    """A closing (记者 甲乙) or a photo credit (… 通讯员 甲乙 摄) ending the last paragraph."""
    if not parts.paras:
        return
    last = parts.paras[-1]
    folded = fold(last.text)
    end_mark = END_MARK.search(folded) if ends_with(folded, BRACKET_ENDS) else None
    if end_mark and end_mark.start() > 0:
        last.text, folded = last.text[: end_mark.start()].rstrip(), folded[: end_mark.start()].rstrip()
    found = credits.end_credit(folded) or credits.credit_tail(folded)
    if found and found[0] > 0 and is_closed(folded[: found[0]]):
        last.text = last.text[: found[0]].rstrip()
        parts.bylines.extend(found[1])
        parts.photo_credit |= any(b.role == "photographer" for b in found[1])


def _strip_photo_credits(parts: Parts) -> None:
    """A closing credit ending a paragraph before the last after a finished sentence (…预约。（张静）), and a
    photo credit ending any paragraph so, bracketed (…现场。（新华社记者甲乙摄）) or not (１：…游玩。 记者 甲乙 摄),
    are credits, not text."""
    for para in parts.paras[:-1]:
        _strip_credit(parts, para, BRACKET_ENDS, _closing_credit)
    for para in parts.paras:
        if _strip_credit(parts, para, CREDIT_LAST, _photo_credit):
            parts.photo_credit = True


def _strip_credit(parts: Parts, para: Para, last: tuple[str, ...],
                  find: Callable[[str], tuple[int, list[Byline]] | None]) -> bool:
    """Move the credit ``find`` sees at the end of ``para`` (whose text ends folding to one of ``last``) to
    the article's bylines; whether there was one."""
    found = find(fold(para.text)) if ends_folding_to(para.text, last) else None
    if found:
        para.text = para.text[: found[0]].rstrip()
        parts.bylines.extend(found[1])
    return found is not None


def _closing_credit(folded: str) -> tuple[int, list[Byline]] | None:
    """(where it starts, names) of a closing credit ending a finished sentence (…预约。（张静）)."""
    found = credits.end_credit(folded) if ends_with(folded, BRACKET_ENDS) else None
    return found if found and found[0] > 0 and is_closed(folded[: found[0]]) else None


def _photo_credit(folded: str) -> tuple[int, list[Byline]] | None:
    """(where it starts, photographers) of a photo credit ending a finished sentence (…。（甲乙摄）, …。 甲乙 摄)."""
    match = PHOTO_CREDIT_PAREN.search(folded) if ends_with(folded, BRACKET_ENDS) else None
    if match:
        if match.start() == 0 or not is_closed(folded[: match.start()]):
            return None
        names = credits.parse_names(match.group("credit"), photo=True)
        return (match.start(), names) if names else None
    tail = credits.credit_tail(folded) if ends_with(folded, PHOTO_ENDS) else None
    if not tail or tail[0] == 0 or not is_closed(folded[: tail[0]]):
        return None
    return tail if _plain_photo_credit(folded[tail[0] :], tail[1]) else None


CREDIT_ROLE = re.compile("记者|通讯员|实习生|摄影师")


def _plain_photo_credit(credit: str, names: list[Byline]) -> bool:
    """An unbracketed photo credit after a sentence is one when it is spaced (甲乙 摄) or names a role
    (记者甲乙摄) and each name has a surname: not a sentence ending in 摄 (欢迎拍摄, 严禁偷摄)."""
    body = credit.strip()
    return (" " in body or CREDIT_ROLE.search(body) is not None) and all(has_surname(b.name) for b in names)


def _find_dateline(parts: Parts) -> None:
    """The first month-day in the lead's first sentence, unless the 电头 had one."""
    if parts.dateline or not parts.paras:
        return
    first_sentence = re.split(r"[。！？!?]", parts.paras[0].text, maxsplit=1)[0]
    parts.dateline = dateline(first_sentence)


def _mid_attributions_as_subheads(items: list[Typed]) -> list[Typed]:
    """An office name closes an article (区农业农村局); one with more body after it (文化馆 above
    its section) is a section subhead."""
    body = [i for i, item in enumerate(items) if item.kind == "body"]
    last_body = body[-1] if body else -1
    return [
        Typed(item.line, "subhead", item.label) if item.kind == "attribution" and i < last_body else item
        for i, item in enumerate(items)
    ]


def assemble(block: Block) -> Parts:
    """All fields of one article block, page breaks re-joined."""
    column = " ".join(unbulleted(line.text) or line.text for line in block.column) or None  # ■ 基层传真 -> 基层传真
    parts = Parts(block, column=column, indents=_indents(block))
    if block.titles:
        titles = title_roles(block.titles)
        parts.title_lines, parts.kicker = titles.lines, titles.kicker
        parts.headline, parts.subheadline = titles.headline, titles.subheadline
    state: dict[str, bool] = {}
    for item in _mid_attributions_as_subheads(block.items):
        _route(parts, item, state)
    if state.get("tip") and not parts.paras and len(parts.tip) > 1:
        items = {t.line.start: t for t in block.items}
        for line in parts.tip[1:]:
            _add_body(parts, items.get(line.start, Typed(line, "body")))
        parts.tip = parts.tip[:1]
    _join_closing_dateline(parts)
    _strip_lead(parts)
    _strip_photo_credits(parts)
    _strip_tail_credits(parts)
    _find_dateline(parts)
    return parts
