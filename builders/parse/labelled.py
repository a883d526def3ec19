"""The line labeller's verdicts on title-like lines: where its labels open an article, and where a
line it calls a title stays a section subhead, a kicker or a closing source line of the article above
(:func:`builders.parse.blocks.split_blocks` asks them in turn).
"""

from __future__ import annotations

import re
from itertools import pairwise

from builders.parse import credits
from builders.parse.layout import (
    MAX_TITLE,
    MAX_TITLE_LINES,
    MID_PUNCT,
    OPENING_QUOTES,
    Block,
    Typed,
    ends_article,
    is_lead,
    is_title_text,
    judge_run,
    last_body,
)
from builders.parse.lines import Line
from builders.parse.patterns import (
    BOX,
    COLUMN_TAG,
    ENUMERATOR,
    is_closing_dateline,
    is_office,
    lead_match,
    opens_undated_brief,
)
from builders.parse.sentences import cuts_a_word, ends_on_particle

TITLE_LABELS = ("title-start", "title")
QUOTED = re.compile(r"^[“\"「『][^“”\"「」『』]+[”\"」』]$")
COUPLET = re.compile(r"^[^\s，,。；;：:]{2,12}(?: [^\s，,。；;：:]{2,12})+$")
"""Spaced phrases with no other punctuation: 专人精准对接 线上线下协同."""


def subhead_form(folded: str) -> str | None:
    """The form a feature's section subheads share, when a line has one: a bullet (● ……), a
    quotation (“……”), a couplet of spaced phrases, or a question; None for a plain line."""
    folded = folded.strip()
    if folded[:1] in BOX and len(folded) > 1:
        return "bulleted"  # ● 某某方面…, ■ 某某…
    if QUOTED.match(folded):
        return "quoted"
    if COUPLET.match(folded):
        return "couplet"
    return "question" if folded.endswith(("？", "?")) else None


def echoes_subhead(typed: list[Typed], i: int, j: int, current: Block | None) -> bool:
    """Is a lone line the labeller opens an article with a section subhead after all? No lead
    follows, and it has the form of a subhead the current article already has, or else (when
    the article's own title has another form) that of the next lone line before any credit."""
    if current is None or j != i + 1 or j >= len(typed):
        return False
    nxt = typed[j]
    form = subhead_form(typed[i].line.folded)
    if form is None or nxt.kind != "body" or is_lead(nxt.line):
        return False
    if any(t.kind == "subhead" and subhead_form(t.line.folded) == form for t in current.items):
        return True
    if any(subhead_form(line.folded) == form for line in current.titles):
        return False  # a series of pieces headed alike (求真务实 在大地上…, 双周协商 画出…)
    return _echoed_ahead(typed, j, form)


ECHO_REACH = 40
"""How many lines ahead a subhead looks for the next one of its form."""
KICKER_ENDS = ("——", "—", ":", "：")
"""How a line that introduces the line below it ends (某医院某科医生某某—— | “……”)."""


def _ends_feature(item: Typed) -> bool:
    """Does this line end the run a section subhead looks ahead in (a credit or a 电头)?"""
    return item.kind in ("credit", "end-credit", "heading") or bool(lead_match(item.line.folded))


def _introduces(line: Line) -> bool:
    """Does the line end as one introducing the line below (某某—— | 某某：)?"""
    return line.folded.rstrip().endswith(KICKER_ENDS)


def _lone_title(typed: list[Typed], k: int) -> bool:
    alone = typed[k - 1].kind != "title" and k + 1 < len(typed) and typed[k + 1].kind == "body"
    return typed[k].kind == "title" and alone


def _echoed_ahead(typed: list[Typed], j: int, form: str) -> bool:
    """Does a lone line of the same form follow before any credit or 电头 (the next subhead
    of the same feature)?"""
    for k in range(j, min(len(typed), j + ECHO_REACH)):
        if _ends_feature(typed[k]):
            return False
        if _lone_title(typed, k):
            return subhead_form(typed[k].line.folded) == form
    return False


REPORTER_LEAD = re.compile(r"^(?:本报)?记者(?:从|近日从|日前从|获悉|了解到)")
"""A lead that opens on the reporter and the source (记者从…获悉): never a headline."""
MAX_LABELLED_TITLE = 60
"""Longest line the labeller may make a title line although the rules call it body (a kicker
ending in ：, —— or a full sentence: 某某书记：, 过去……。如今……。山东农村——)."""


def may_title(item: Typed) -> bool:
    """May the labeller make this line a title line? Not a sentence (…。) nor a clause (…，),
    nor a lead that names its reporter's source (记者从某部获悉：…), nor a closing dateline, nor a
    clause stopping on a particle (应该看到，两国毕竟经历了近二十年的: a page break cut the sentence)."""
    folded = item.line.folded.rstrip()
    if REPORTER_LEAD.match(folded) or is_closing_dateline(folded):
        return False
    if MID_PUNCT.search(folded) and ends_on_particle(folded):
        return False
    if item.kind in ("title", "heading"):
        return True
    if item.kind != "body" or item.line.size > MAX_LABELLED_TITLE or not is_title_text(folded):
        return False
    return folded.endswith(KICKER_ENDS) or not (MID_PUNCT.search(folded) or "。" in folded)


def _continues_paragraph(current: Block | None) -> bool:
    """Does the article's last line stop mid-sentence (a paragraph line, not closed)? Then the
    next line, however short, carries that sentence on across a page break."""
    if current is None or not current.items:
        return False
    last = current.items[-1]
    return last.kind == "body" and last.line.size > MAX_TITLE and not ends_article(last.line)


def labelled_run(typed: list[Typed], labels: list[str], i: int) -> int:
    """End of the title run the labeller starts at ``i``: the title lines that follow it, and
    the lines the rules type as titles between them and a byline (:func:`_titles_before_byline`)."""
    j = i + 1
    while j < len(typed) and labels[j] == "title" and may_title(typed[j]):
        j += 1
    return _titles_before_byline(typed, i, j)


def _names_writer(item: Typed) -> bool:
    """Is the line a byline of the writers (本报记者 甲乙, □ 本报评论员), not a photo credit (甲乙 摄)?"""
    if item.kind != "credit":
        return False
    names = credits.credit_line(item.line.folded)
    return names is not None and (not names or any(b.role != "photographer" for b in names))


def _titles_before_byline(typed: list[Typed], i: int, j: int) -> int:
    """A title block stands right above its byline or 电头: rule-typed title lines (no numbered
    subheads) between the run ``i:j`` and a writers' credit line or a 电头 are its title lines
    too (乡村新农人 | 返乡青年的“蘑菇经” | 本报记者 甲乙), up to :data:`MAX_TITLE_LINES`."""
    k = j
    while k < len(typed) and k - i < MAX_TITLE_LINES and typed[k].kind == "title":
        if ENUMERATOR.match(typed[k].line.folded):
            return j
        k += 1
    if k == j or k >= len(typed):
        return j
    after = typed[k]
    return k if _names_writer(after) or (after.kind == "body" and lead_match(after.line.folded)) else j


def _heads_byline(line: Line, current: Block | None) -> bool:
    """May a line above a writers' byline head a new article: the article above has finished its
    text, and the line is no numbered section head?"""
    finished = current is not None and bool(current.items) and ends_article(current.items[-1].line)
    return finished and not ENUMERATOR.match(line.folded)


def labelled_verdict(typed: list[Typed], labels: list[str], i: int, current: Block | None) -> str:
    """What a rule-typed title line that the labeller calls body is: attribution, body, subhead, or
    ``new`` (a headline) when a writers' byline follows it after the article's finished text.

    A line that continues the paragraph before it (a page break) is body; a line whose
    paragraph the next line continues (随后,某某认真听取 | 后溪…) is body, unless that line opens
    with a quotation mark and no word is cut across the break; any other short line inside an
    article is a section subhead: a paragraph of its own.
    """
    line = typed[i].line
    nxt = typed[i + 1] if i + 1 < len(typed) else None
    if judge_run([line], nxt, current) == "attribution":
        return "attribution"
    if nxt is not None and _names_writer(nxt) and _heads_byline(line, current):
        return "new"  # 抓落实要有钉钉子精神 | □ 本报评论员, after a finished text: a headline over its byline
    if nxt is not None and nxt.kind == "body" and _heads_byline(line, current) and COLUMN_TAG.search(line.folded):
        return "new"  # ……就有希望和力量（今日谈）, after a finished text: a headline with its column's name
    if labels[i] == "body-continued" or _continues_paragraph(current):
        return "body"
    if i + 1 < len(labels) and typed[i + 1].kind == "body" and not ends_article(line):
        head = typed[i + 1].line.folded
        if (labels[i + 1] == "body-continued" and not head.startswith(OPENING_QUOTES)) or cuts_a_word(line.text, head):
            return "body"
    if nxt is not None and _brief_after_brief(line, nxt, current):
        return "new"  # 某某电视机 | 某国某公司最近推出…, in a column of such briefs: the next brief's headline
    return "subhead"


def _brief_after_brief(line: Line, nxt: Typed, current: Block | None) -> bool:
    """Does a lone line head the next of a column of briefs? The article above opened on an undated
    lead naming who (某国某公司最近…) and has finished its text, the body below opens the same way,
    and the line has no form of a feature's subheads (“……”, ● ……)."""
    if current is None or not current.items or nxt.kind != "body" or subhead_form(line.folded):
        return False
    if not opens_undated_brief(nxt.line.folded) or not ends_article(current.items[-1].line):
        return False
    first = next((t for t in current.items if t.kind == "body"), None)
    return first is not None and opens_undated_brief(first.line.folded)


def office_above_heading(typed: list[Typed], i: int, j: int, current: Block | None) -> bool:
    """Is a plain line naming an office (县文化和旅游局) at the head of a title run whose next line is a
    markdown heading the closing source line of the article above (which has finished its text)?
    A dump that marks titles as headings marks every title line so."""
    line = typed[i].line
    if current is None or j < i + 2 or line.level or not typed[i + 1].line.level or not is_office(line.folded):
        return False
    last = last_body(current)
    return last is not None and ends_article(last.line)


def _kicker_pair(typed: list[Typed], k: int) -> str | None:
    """The subhead form of the line after ``k`` when line ``k`` introduces it (某某—— | “……”)."""
    if k + 1 >= len(typed) or typed[k].line.size > MAX_TITLE:
        return None
    if not _introduces(typed[k].line) or typed[k + 1].line.size > MAX_TITLE:
        return None
    return subhead_form(typed[k + 1].line.folded)


def repeats_kicker_pair(typed: list[Typed], i: int, j: int, current: Block | None) -> bool:
    """Is a two-line run the labeller opens an article with (某医院医生某某—— | “……”) a section
    head of the feature it is printed in? A feature keeps one form for its section heads: a pair
    of the same form (a line ending in —— or ：, then a quotation, a couplet or a question) that
    the article, not yet ended, already has in its body, or that comes again before any credit or
    电头, heads the next section, not the next article. Not when the article's own title has that
    form (a series of pieces headed alike), nor when its sections so far are headed otherwise."""
    form = _kicker_pair(typed, i) if j == i + 2 else None
    if form is None or current is None or not current.items or j >= len(typed):
        return False
    if typed[j].kind != "body" or lead_match(typed[j].line.folded) or current.items[-1].kind not in ("body", "subhead"):
        return False
    if any(subhead_form(line.folded) == form for line in current.titles):
        return False
    items = current.items
    pairs = pairwise(items)
    if any(_introduces(a.line) and b.kind == "subhead" and subhead_form(b.line.folded) == form for a, b in pairs):
        return True
    if any(item.kind == "subhead" for item in items):
        return False  # the article's sections are headed in another form
    for k in range(j, min(len(typed) - 2, j + ECHO_REACH)):
        if _ends_feature(typed[k]):
            return False
        if _kicker_pair(typed, k) == form and typed[k + 2].kind == "body":
            return True
    return False


def kicker_before_title(typed: list[Typed], labels: list[str], i: int) -> bool:
    """Is a line ending in —— or ： just above a line the labeller opens an article with the
    kicker of that article (…如今锻炼有去处。山东农村—— | 文化广场…)? Only where the article
    before has visibly ended (a closing credit, an end mark, a 下转 marker): inside a feature
    such a line (某医院某某：| “……”) heads a section."""
    item = typed[i]
    if i + 1 >= len(typed) or labels[i] in TITLE_LABELS or labels[i + 1] != "title-start":
        return False
    if item.kind not in ("body", "title") or not may_title(item) or not may_title(typed[i + 1]):
        return False
    if not _introduces(item.line):
        return False
    return i == 0 or typed[i - 1].kind in ("end-credit", "end-mark", "marker-on")
