"""The year a page was printed, from the evidence in its text.

Evidence, strongest first:

* events that name their year: 十四五开局 (2021), 中国共产党成立100周年 (2021);
* explicit years: the page year is the LATEST year written as a date (2021年第一次,
  “2020中国县域…”), since news report the past (2019年, 2024年度 on a 2025 page) but
  rarely print a later year except as a target, which is ignored (到2035年, 2021-2025年);
  years in 《》 titles and 年度 give only a lower bound;
* a weekday printed with a dateline (10月20日(周六)): the years in which that date
  falls on that weekday, between the lower bound and :data:`LATEST_YEAR`;
* era words give a lower bound (乡村振兴 was first said in 2017, 六保 in 2020).

Evidence that disagrees, or a weekday that leaves more than one year, gives None.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

LATEST_YEAR = 2026
"""The last year a page of the corpus can have been printed; bump it as the corpus grows."""
EARLIEST_YEAR = 1949

ERA_FLOORS = {
    "二十大": 2022, "二十届": 2022, "十九大": 2017, "十九届": 2017, "十八大": 2012, "新时代": 2017,
    "乡村振兴": 2017, "蓝天保卫战": 2017, "六稳": 2018, "六保": 2020, "疫情防控": 2020, "新冠": 2020,
    "共同富裕示范区": 2021, "数字化改革": 2021, "党史学习教育": 2021, "十四五": 2019, "十五五": 2024,
    "最多跑一次": 2016, "五水共治": 2013, "习近平总书记": 2012, "高质量发展": 2017, "未来社区": 2019,
}  # fmt: skip
"""Words first used in a known year: a page that uses one was printed that year or later."""

PLANS = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}
_NUM = {"一百": 100, "百": 100, "九十": 90, "七十": 70, "七十五": 75, "八十": 80, "四十": 40, "五十": 50}

_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?![\d.%])(年度|年|(?=[\u4e00-\u9fff]))")
_TARGET = re.compile(r"(?:到|至|力争|争取|预计|计划|目标|确保|将于|远景)$")
_RANGE = re.compile(r"^[-—–~～至到]\s*(?:19|20)\d\d")
_UNIT = re.compile(r"^[万亿个元人户家名件项位座所条米吨亩多余次辆只头株台套场期批篇]")
_PLAN = re.compile(r"[“\"]?(十[一二三四五]五)[”\"]?(?:规划)?(?:的)?(开局|起步|收官)")
_ANNIVERSARY = re.compile(r"(中国共产党成立|建党|新中国成立|建国|改革开放)(\d{2,3}|[一二三四五六七八九十百]+)周年")
_DATELINE = re.compile(r"(\d{1,2})月(\d{1,2})日\s*[（(]?\s*(?:周|星期)([一二三四五六日天])[)）]?")
_WEEKDAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
_ORIGINS = {"中国共产党成立": 1921, "建党": 1921, "新中国成立": 1949, "建国": 1949, "改革开放": 1978}


@dataclass(frozen=True)
class Mention:
    """A piece of evidence: the year it points to and the text that shows it."""

    year: int
    text: str


@dataclass(frozen=True)
class YearGuess:
    """The page year and how it was known (None, None when the evidence does not settle it)."""

    year: int | None
    evidence: str | None


def normalize(text: str) -> str:
    """Full-width digits and brackets to half-width (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def _in_book_title(text: str, pos: int) -> bool:
    return text.rfind("《", 0, pos) > text.rfind("》", 0, pos)


def explicit_years(text: str) -> tuple[list[Mention], list[Mention]]:
    """Years written as dates: (page-year candidates, lower bounds only). Targets are dropped."""
    dates: list[Mention] = []
    bounds: list[Mention] = []
    for m in _YEAR.finditer(text):
        year, suffix, after = int(m.group(1)), m.group(2), text[m.end() :]
        before = text[max(0, m.start() - 4) : m.start()]
        if _UNIT.match(after) or before.endswith("第") or _TARGET.search(before) or before.endswith(tuple("-—–~～")):
            continue
        mention = Mention(year, m.group(0) if suffix else text[m.start() : m.end() + 2])
        is_bound = suffix == "年度" or _in_book_title(text, m.start()) or bool(_RANGE.match(after))
        (bounds if is_bound else dates).append(mention)
    return dates, bounds


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUM.get(word)


def event_years(text: str) -> list[Mention]:
    """Events that name their year: plan starts and ends, anniversaries."""
    found = []
    for m in _PLAN.finditer(text):
        start = PLANS[m.group(1)]
        found.append(Mention(start if m.group(2) in ("开局", "起步") else start + 4, m.group(0)))
    for m in _ANNIVERSARY.finditer(text):
        years = _number(m.group(2))
        if years is not None:
            found.append(Mention(_ORIGINS[m.group(1)] + years, m.group(0)))
    return found


def era_floor(text: str) -> int:
    """The earliest year the page's vocabulary allows."""
    return max((year for word, year in ERA_FLOORS.items() if word in text), default=EARLIEST_YEAR)


def weekday_datelines(text: str) -> list[tuple[int, int, int, str]]:
    """(month, day, ISO weekday, text) of dates printed with a weekday, e.g. 10月20日(周六)."""
    return [
        (int(m.group(1)), int(m.group(2)), _WEEKDAYS[m.group(3)], m.group(0))
        for m in _DATELINE.finditer(text)
        if 1 <= int(m.group(1)) <= 12 and 1 <= int(m.group(2)) <= 31
    ]


def weekday_years(month: int, day: int, weekday: int, lo: int, hi: int) -> set[int]:
    """Years in ``[lo, hi]`` in which month/day falls on the ISO weekday."""
    years = set()
    for year in range(lo, hi + 1):
        try:
            if datetime.date(year, month, day).isoweekday() == weekday:
                years.add(year)
        except ValueError:
            continue
    return years


def _join(mentions: Iterable[str]) -> str:
    return "; ".join(dict.fromkeys(mentions))


def infer_year(text: str) -> YearGuess:
    """The page's year from its text, or ``YearGuess(None, None)``."""
    text = normalize(text)
    dates, bounds = explicit_years(text)
    events = event_years(text)
    floor = max([era_floor(text)] + [m.year for m in dates + bounds + events])
    datelines = weekday_datelines(text)
    fits = [weekday_years(mo, d, wd, max(floor, EARLIEST_YEAR), LATEST_YEAR) for mo, d, wd, _ in datelines]
    weekday = set.intersection(*fits) if fits else None
    weekday_text = _join(f"weekday:{t}" for *_, t in datelines)
    if events:
        years = {m.year for m in events}
        year = years.pop()
        if years or year < floor or (weekday is not None and year not in weekday):
            return YearGuess(None, None)
        evidence = _join(
            [f"event:{m.text}" for m in events] + [f"explicit-year:{m.text}" for m in dates if m.year == year]
        )
        return YearGuess(year, evidence + (f"; {weekday_text}" if weekday else ""))
    latest = max(dates, key=lambda m: m.year) if dates else None
    if weekday is not None:
        if latest and latest.year in weekday:
            return YearGuess(latest.year, f"explicit-year:{latest.text}; {weekday_text}")
        if len(weekday) == 1 and (latest is None or latest.year < min(weekday)):
            return YearGuess(min(weekday), weekday_text)
        return YearGuess(None, None)
    if latest and latest.year >= floor:
        return YearGuess(latest.year, f"explicit-year:{latest.text}")
    return YearGuess(None, None)


def article_date(year: int | None, month: int | None, day: int | None) -> datetime.date | None:
    """The ISO date when all three parts are known and form a real date."""
    if year is None or month is None or day is None:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None
