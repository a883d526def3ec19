"""A title block's lines -> title_lines, kicker (引题), headline (主题) and subheadline (副题)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from builders.parse.folding import fold
from builders.parse.lines import Line
from builders.parse.patterns import BRACKET_ENDS, DATE, TITLE_NOTE, ends_with, fold_number
from schema import Dateline

KICKER_CUE = re.compile(
    r"^(?:围绕|为了?|在|以|聚焦|坚持|按照|贯彻|落实|紧扣|着眼|深化|助力|喜迎|庆祝|纪念|迎接|奋力|全力)|(?:主题|之际|前夕|以来|期间)$"
)
LEAD_IN = re.compile(r"(?:——|—|[:：])$")
"""A title line ending in —— or ： leads into the headline below it: a kicker (引题)."""
DASHES = re.compile(r"^[—–\-－]{1,3}\s*")
BULLET = re.compile(r"^(?:[□■◇◆●△▲☆★◎•▶▪]|○(?![○〇零一二三四五六七八九十0-9]))\s*(?=\S\S)")
"""A bullet printed before a brief's headline (●县图书馆新增…, ■ 某某…): an ornament of the line, not a word
of the headline (title_lines keep it as printed). Not a ○ that writes a zero (○五年)."""
RUN_TOGETHER_SUB = re.compile(r"\s+(?:——|──|－－)\s*(?=\S)")
"""A subheadline run into the headline's line after a space: 主题 ——副题."""
WEEKDAYS = {c: i for i, c in enumerate("一二三四五六日", start=1)} | {"天": 7}


@dataclass
class Titles:
    """The title lines as printed (markdown and notes removed) and the roles they fill."""

    lines: list[str]
    kicker: str | None = None
    headline: str = ""
    subheadline: str | None = None


def title_roles(titles: list[Line]) -> Titles:
    """title_lines, kicker, headline and subheadline of a title block; a bullet a title line is
    printed with stays in title_lines, not in the role it fills."""
    parts = Titles([_without_note(line.text) for line in titles])
    _roles(parts, titles)
    parts.kicker, parts.subheadline = unbulleted(parts.kicker), unbulleted(parts.subheadline)
    parts.headline = unbulleted(parts.headline) or parts.headline
    return parts


def _roles(parts: Titles, titles: list[Line]) -> None:
    texts = parts.lines
    if len(texts) == 1:
        parts.headline = texts[0]
        sub = RUN_TOGETHER_SUB.search(texts[0])
        if sub and sub.start() >= 2:
            parts.headline, parts.subheadline = texts[0][: sub.start()], texts[0][sub.end() :]
    elif len(texts) == 2:
        first, second = titles
        if DASHES.match(texts[0]) and not DASHES.match(texts[1]):
            parts.subheadline, parts.headline = texts
            return
        lead_in = bool(LEAD_IN.search(fold(texts[0])))
        kicker_first = (first.level > second.level > 0) or (
            not DASHES.match(texts[1]) and (lead_in or bool(KICKER_CUE.search(fold(texts[0]))))
        )
        if kicker_first:
            parts.kicker, parts.headline = texts
        else:
            parts.headline, parts.subheadline = texts
    else:
        parts.kicker, parts.headline, parts.subheadline = texts[0], texts[1], " ".join(texts[2:])
    if parts.subheadline:
        parts.subheadline = DASHES.sub("", parts.subheadline) or parts.subheadline


def unbulleted(text: str | None) -> str | None:
    """A title line without the bullet it is printed with (●县图书馆新增图书 -> 县图书馆新增图书)."""
    return BULLET.sub("", text, count=1) if text else text


def _without_note(text: str) -> str:
    """A title line without a trailing note such as （附图片２张） or （图片）."""
    folded = fold(text)
    match = TITLE_NOTE.search(folded) if ends_with(folded, BRACKET_ENDS) else None
    return text[: match.start()].strip() if match and match.start() > 0 else text


def dateline(text: str) -> Dateline | None:
    match = DATE.search(fold(text))
    if not match:
        return None
    month, day = fold_number(match.group("month")), fold_number(match.group("day"))
    if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    weekday = WEEKDAYS.get(match.group("wd") or "")
    return _dateline(month, day, weekday)


@functools.lru_cache(maxsize=512)
def _dateline(month: int, day: int, weekday: int | None) -> Dateline:
    """``Dateline(month=month, day=day, weekday=weekday)``, validated once (a dateline is frozen; the
    dates of a year are few)."""
    return Dateline(month=month, day=day, weekday=weekday)
