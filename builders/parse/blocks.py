"""Cut a typed page into article blocks: runs of title lines open an article where the line
labeller's labels say so (:mod:`builders.parse.labelled`), else where the rules of
:func:`builders.parse.layout.judge_run` do; then reading tips and box labels printed above a title
block move to the article below.
"""

from __future__ import annotations

from builders.parse import credits
from builders.parse.headpairs import headline_pair
from builders.parse.labelled import (
    TITLE_LABELS,
    echoes_subhead,
    kicker_before_title,
    labelled_run,
    labelled_verdict,
    may_title,
    office_above_heading,
    repeats_kicker_pair,
)
from builders.parse.layout import MAX_TITLE, Block, Typed, ends_article, judge_run, open_block
from builders.parse.patterns import BOX, ENUMERATOR, MARKER, is_signing_date


def split_blocks(typed: list[Typed], labels: list[str] | None = None) -> tuple[list[Typed], list[Block]]:
    """Cut a typed page into article blocks; lines before the first title are returned apart.

    ``labels`` (from :mod:`builders.linelabel`, one per line) decide which runs of title
    lines open an article; without them the rules of :func:`judge_run` do.
    """
    preamble: list[Typed] = []
    blocks: list[Block] = []
    i = 0
    while i < len(typed):
        item = typed[i]
        if (
            labels is not None
            and i + 1 < len(labels)
            and labels[i + 1] == "title-start"
            and kicker_before_title(typed, labels, i)
        ):
            j = labelled_run(typed, labels, i + 1)
            blocks.append(open_block([t.line for t in typed[i:j]]))
            i = j
            continue
        signature = _signature(typed, i, blocks[-1] if blocks else None)
        if signature > i:  # 某某县人民政府 | 2021年5月6日 under a notice: the lines its signer put there
            assert blocks
            blocks[-1].items += [Typed(t.line, "body", t.label) for t in typed[i:signature]]
            i = signature
            continue
        if _jump_head(typed, i):
            blocks.append(open_block([item.line]))
            i += 1
            continue
        labelled_title = labels is not None and labels[i] == "title-start" and may_title(item)
        if item.kind in ("title", "heading") or labelled_title:
            current = blocks[-1] if blocks else None
            if labels is not None and (current is not None or labelled_title):
                enumerated = current is not None and ENUMERATOR.match(item.line.folded)
                if headline_pair(typed, labels, i, current):
                    block = open_block([typed[i].line, typed[i + 1].line])
                    block.paired = True
                    blocks.append(block)
                    i += 2
                    continue
                if labels[i] in TITLE_LABELS and may_title(item) and not enumerated:
                    j = labelled_run(typed, labels, i)
                    if current is not None and office_above_heading(typed, i, j, current):
                        current.items.append(Typed(item.line, "attribution", labels[i]))
                        i += 1
                        continue
                    if repeats_kicker_pair(typed, i, j, current):
                        assert current is not None
                        current.items += [Typed(t.line, "subhead", labels[k]) for k, t in enumerate(typed[i:j], i)]
                        i = j
                        continue
                    if not echoes_subhead(typed, i, j, current):
                        blocks.append(open_block([t.line for t in typed[i:j]]))
                        i = j
                        continue
                    item = Typed(item.line, "subhead")
                else:
                    verdict = labelled_verdict(typed, labels, i, current)
                    if verdict == "new":
                        blocks.append(open_block([item.line]))
                        i += 1
                        continue
                    item = Typed(item.line, verdict)
            else:
                j = i
                while j < len(typed) and typed[j].kind in ("title", "heading"):
                    j += 1
                verdict = judge_run([t.line for t in typed[i:j]], typed[j] if j < len(typed) else None, current)
                if verdict == "new":
                    blocks.append(open_block([t.line for t in typed[i:j]]))
                    i = j
                    continue
                item = Typed(item.line, verdict)
        if labels is not None and item.label != labels[i]:  # (parse_page has labelled its lines)
            item = Typed(item.line, item.kind, labels[i])
        if blocks and continues_elsewhere(item) and _has_text(blocks[-1]):
            blocks.append(Block())  # (上接第一版)… after an article's text: another page's article goes on
        (blocks[-1].items if blocks and item.kind != "furniture" else preamble).append(item)
        i += 1
    return _tips_to_next(preamble, blocks)


def _has_text(block: Block) -> bool:
    return any(t.kind in ("body", "subhead") for t in block.items)


def _signature(typed: list[Typed], i: int, current: Block | None) -> int:
    """End of the signature that starts at ``i`` under an article's text: a date alone on a line
    (2021年5月6日) after a line of the signer's that ends no sentence (某某县人民政府, 中华人民共和国主席某某),
    or such a line printed as a title with the date under it, nothing but a title or the page's end
    after; ``i`` when there is none."""
    if current is None:
        return i
    if is_signing_date(typed[i].line.folded):
        if not _has_text(current):  # (looked at once the line may sign: the block's items are many)
            return i
        last = current.items[-1]
        signed = last.kind in ("body", "subhead", "attribution") and not ends_article(last.line)
        return i + 1 if signed and last.line.size <= MAX_TITLE else i
    if typed[i].kind != "title" or i + 1 >= len(typed) or not is_signing_date(typed[i + 1].line.folded):
        return i
    if not _has_text(current):
        return i
    closing = i + 2 == len(typed) or typed[i + 2].kind in ("title", "heading", "furniture")
    return i + 2 if closing and ends_article(current.items[-1].line) else i


def continues_elsewhere(item: Typed) -> bool:
    """Does the line open on a (上接第一版) marker: the rest of an article begun on another page?"""
    if item.kind not in ("marker-from", "body", "subhead") or "版" not in item.line.folded:
        return False
    head = MARKER.match(item.line.folded)
    return head is not None and head.group("dir") not in ("下转", "转")


def _jump_head(typed: list[Typed], i: int) -> bool:
    """Is the title line at ``i`` right above a (上接第一版)… line the headline the continued article is
    printed under on this page (老街焕新颜 | （上接第一版）改造后的…)? (A longer run of title lines is
    judged as any other: its first line may be the closing office line of the article above.)"""
    return typed[i].kind in ("title", "heading") and i + 1 < len(typed) and continues_elsewhere(typed[i + 1])


TIP_KINDS = ("tip-inline", "tip-label")


def _trailing_tip(items: list[Typed], own: bool) -> int | None:
    """Where a 编者按/阅读提示 ending the lines starts, when nothing but its text follows it (and,
    in an article's lines, ``own``, its body text comes before it: else the note is the article's own)."""
    at = next((k for k in range(len(items) - 1, -1, -1) if items[k].kind in TIP_KINDS), None)
    if at is None or any(t.kind != "body" for t in items[at + 1 :]):
        return None
    return at if not own or any(t.kind in ("body", "subhead") for t in items[:at]) else None


def _tips_to_next(preamble: list[Typed], blocks: list[Block]) -> tuple[list[Typed], list[Block]]:
    """An editor's note or reading tip (编者按：…, 阅读提示) printed after an article's text, right
    above the next title block, introduces the next article: its lines move there (so do those
    before the page's first title). A box label with no text of its own right above a title block
    (短评 | 让数据多跑路), or a boxed line naming no role there (■ 基层传真), is the column banner of the
    next article, not a box or a credit of the one before."""
    owners = [preamble, *(block.items for block in blocks[:-1])]
    for k, (items, block) in enumerate(zip(owners, blocks, strict=False)):
        at = _trailing_tip(items, own=k > 0)
        if at is not None:
            block.items[:0] = items[at:]
            del items[at:]
        elif items and (items[-1].kind == "sidebar-label" or _boxed_label(items[-1])) and not block.column:
            block.column.append(items.pop().line)  # 短评 | 让数据多跑路: the column the piece is printed in
    return preamble, blocks


def _boxed_label(item: Typed) -> bool:
    """Is a line the rules type as a credit a boxed column banner (■ 基层传真 | 西岭乡开展…)? A boxed
    line naming no role (□ 甲乙) is a credit under a headline, never right above the next one."""
    if item.kind != "credit" or item.line.folded[:1] not in BOX:
        return False
    found = credits.credit_line(item.line.folded)
    return bool(found) and found is not None and all(b.role == "unknown" for b in found)
