"""The year a page was printed, from the evidence in its text (when its path carries no date).

Strong evidence settles the year alone, if all of it agrees and fits the bounds below:

* events that name their year: 十四五开局 (2021), 中国共产党成立100周年 (2021);
* a weekday printed with a dateline (10月20日(周六)) that leaves one year, a banner date
  with its weekday (2019年10月1日 星期二), a full date a few days before a dateline
  (1997年12月31日 … 1月2日电: 1998), a year named as gone (刚刚过去的1997年: 1998).

Explicit years are sorted by what they say (:data:`KINDS`): a plan's target or a deadline
(到2035年, 2023年前完成, 2020年将…) is an upper bound and never the print year; a fiscal
year, a 《》 title or a range start only a lower bound. The latest of the other years is
the print year only where the page's datelines say when in the year it was printed:
from April to November; from January to March pages report the past year's results, so
there it needs a year named as this one (2020年是…, 2020年春节) -- or a year counted to
its end (截至2019年底) makes it the next year. Era words give a lower bound (乡村振兴 was
first said in 2017). Whatever does not settle it gives None: a wrong year is worse than none.
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

# A pattern opening on literal characters or a class, (?:19|20), is scanned for them quickly (re skips to
# them); one opening on a lookbehind tries every position, and one opening on a lookahead, (?=[12]), each
# candidate the slow way: the same matches, over twice as fast over a page. So the year's lookbehind comes
# after its four digits ((?<![\d.]....): no digit or dot before them).
_YEAR = re.compile(r"((?:19|20)\d\d)(?<![\d.]....)(?![\d.%])(年度|年|(?=[\u4e00-\u9fff]))")
_TARGET = re.compile(r"(?:(?<![年截])到|(?<![年截])至|力争|争取|预计|计划|目标|确保|将于|远景|有望|之前)$")
_DEADLINE = re.compile(r"^(?:年?底|年?末|\d{1,2}月(?:底|末)?)?(?:前|之前|以前)")
_FUTURE = re.compile(r"^[,，]?(?:将|要|力争|争取|预计|计划|有望|起将)")
_PAST = re.compile(r"(?:过去的|刚刚过去的|刚过去的|去年|上年)$")
_ENDED_BEFORE = re.compile(r"(?:截至|截止|截止到|截至到)$")
_ENDED_AFTER = re.compile(r"^(?:年?底|年?末|全年)(?!前)")
_CURRENT = re.compile(r"^[,，]?(?:是|也是|春节|除夕|元宵|元旦|新春|春运|工作会议|工作要点)")
_RANGE = re.compile(r"^[-—–~～至到]\s*(?:19|20)\d\d")
_UNIT = re.compile(r"^[万亿个元人户家名件项位座所条米吨亩多余次辆只头株台套场期批篇]")
_PLAN = re.compile(r"(十[一二三四五]五)[”\"]?(?:规划)?(?:的)?(开局|起步|收官)")
"""A plan's start or end (十四五开局); the quote before it, if any, is shown with it (:func:`_shown_plan`)."""
_PLAN_QUOTES = "“\""
_ANNIVERSARY = re.compile(r"(中国共产党成立|建党|新中国成立|建国|改革开放)(\d{2,3}|[一二三四五六七八九十百]+)周年")
_DATELINE = re.compile(
    r"(?P<month>\d(?<![\d年]\d)\d?)月(?P<day>\d{1,2})日\s*[（(]?\s*(?:周|星期)(?P<weekday>[一二三四五六日天])[)）]?"
)
"""A date printed with its weekday (10月20日(周六)); no digit or 年 before the month (its lookbehind after the
month's first digit: a pattern opening on a digit is scanned for it fast)."""
_PLAN_AT = re.compile("五(?<=十[一二三四五]五)")
"""What every :data:`_PLAN` holds (十三五), found by a fast scan for 五."""
_WEEKDAY_AFTER_DAY = re.compile(r"日\s*[（(]?\s*(?:周|星期)")
"""What every :data:`_DATELINE` holds, found by a fast literal scan (most pages print no weekday)."""
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
    """Full-width digits and brackets to half-width (NFKC).

    Line by line: a line break composes and reorders with nothing, so NFKC of the text is NFKC of
    its lines joined again, and a line already in NFKC passes its quick check and is left as it is
    (a page is no longer normalised whole for one full-width colon)."""
    return "\n".join([unicodedata.normalize("NFKC", line) for line in text.split("\n")])


_HAN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
_HAN_YEAR = re.compile(r"[〇零○一二三四五六七八九]{4}(?=年)")
_HAN_NUMBER = "[一二三四五六七八九十]"
_HAN_DATE = re.compile(rf"(?={_HAN_NUMBER})(?<=\d年)({_HAN_NUMBER}{{1,3}})月({_HAN_NUMBER}{{1,3}})日")


def _han_number(word: str) -> str:
    """一 -> 1, 十二 -> 12, 二十一 -> 21, 三十 -> 30."""
    tens, _, ones = word.partition("十") if "十" in word else ("", "", word)
    value = (int(tens.translate(_HAN_DIGITS)) if tens else 1) * 10 if "十" in word else 0
    return str(value + (int(ones.translate(_HAN_DIGITS)) if ones else 0))


_HAN_YEAR_AT = re.compile("年(?<=[〇零○一二三四五六七八九]{4}年)")
_HAN_DATE_AT = re.compile(f"年(?<=\\d年){_HAN_NUMBER}")
"""What :data:`_HAN_YEAR` and :data:`_HAN_DATE` need, found by a fast scan for 年: most pages have neither."""


def digit_years(text: str) -> str:
    """Years and dates written in Chinese numerals as digits: 一九九七年六月四日 -> 1997年6月4日."""
    if _HAN_YEAR_AT.search(text):
        text = _HAN_YEAR.sub(lambda m: m.group(0).translate(_HAN_DIGITS), text)
    if _HAN_DATE_AT.search(text) is None:
        return text
    return _HAN_DATE.sub(lambda m: f"{_han_number(m.group(1))}月{_han_number(m.group(2))}日", text)


def _in_book_title(text: str, pos: int) -> bool:
    return text.rfind("《", 0, pos) > text.rfind("》", 0, pos)


def _kind(text: str, m: re.Match[str]) -> str | None:
    """What a year mention says about the print year (see :data:`KINDS`), None when it is no date."""
    suffix, after = m.group(2), text[m.end() :]
    before = text[max(0, m.start() - 6) : m.start()]
    if _UNIT.match(after) or before.endswith("第") or before.endswith(tuple("-—–~～")):
        return None
    if _TARGET.search(before) or _DEADLINE.match(after) or (suffix == "年" and _FUTURE.match(after)):
        return "target"
    if _PAST.search(before):
        return "past"
    if suffix == "年度" or _in_book_title(text, m.start()) or _RANGE.match(after):
        return "bound"
    if _ENDED_BEFORE.search(before) or _ENDED_AFTER.match(after):
        return "ended"
    return "current" if _CURRENT.match(after) else "date"


KINDS = {
    "target": "a plan's target or a deadline (到2035年, 2023年前完成, 2020年将): the print year is not later",
    "past": "a year named as gone (刚刚过去的1997年): the print year is the next one",
    "bound": "a fiscal year, a title or a range start (2024年度, 《2020年…》): the print year is not earlier",
    "ended": "a year counted to its end (截至2019年底, 2018年全年): the year may be over",
    "current": "a year spoken of as this one (2019年是…, 2020年春节, 1998年将是…)",
    "date": "any other year written as a date",
}
"""The kinds of year mention that :func:`explicit_years` tells apart."""


def explicit_years(text: str) -> dict[str, list[Mention]]:
    """Years written as dates, by kind (:data:`KINDS`); quantities (2020户) are not years."""
    found: dict[str, list[Mention]] = {kind: [] for kind in KINDS}
    for m in _YEAR.finditer(text):
        kind = _kind(text, m)
        if kind:
            shown = m.group(0) if m.group(2) else text[m.start() : m.end() + 2]
            found[kind].append(Mention(int(m.group(1)), shown))
    return found


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUM.get(word)


def _shown_plan(text: str, m: re.Match[str]) -> str:
    """The text of a :data:`_PLAN` match with the quote right before it (“十四五”开局). The pattern opens on
    十, which the scan skips to fast, not on the optional quote; no match ends with a quote, so the one
    before a match is never another match's."""
    quoted = m.start() > 0 and text[m.start() - 1] in _PLAN_QUOTES
    return text[m.start() - 1 : m.end()] if quoted else m.group(0)


def event_years(text: str) -> list[Mention]:
    """Events that name their year: plan starts and ends, anniversaries."""
    found = []
    plans = ("开局" in text or "起步" in text or "收官" in text) and _PLAN_AT.search(text)  # most pages have none
    for m in _PLAN.finditer(text) if plans else ():
        start = PLANS[m.group(1)]
        found.append(Mention(start if m.group(2) in ("开局", "起步") else start + 4, _shown_plan(text, m)))
    for m in _ANNIVERSARY.finditer(text) if "周年" in text else ():
        years = _number(m.group(2))
        if years is not None:
            found.append(Mention(_ORIGINS[m.group(1)] + years, m.group(0)))
    return found


_ERA_WORDS = sorted(ERA_FLOORS.items(), key=lambda item: -item[1])
"""The era words, latest first: the first one a page uses gives its floor."""


def era_floor(text: str) -> int:
    """The earliest year the page's vocabulary allows."""
    return next((year for word, year in _ERA_WORDS if word in text), EARLIEST_YEAR)


def weekday_datelines(text: str) -> list[tuple[int, int, int, str]]:
    """(month, day, ISO weekday, text) of dates printed with a weekday, e.g. 10月20日(周六)."""
    if _WEEKDAY_AFTER_DAY.search(text) is None:
        return []
    return [
        (int(m["month"]), int(m["day"]), _WEEKDAYS[m["weekday"]], m.group(0))
        for m in _DATELINE.finditer(text)
        if 1 <= int(m["month"]) <= 12 and 1 <= int(m["day"]) <= 31
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


EARLY_MONTHS = frozenset((1, 2, 3))
"""Months in which pages report the past year's results (a January report on 2019's figures)."""
MID_MONTHS = frozenset(range(4, 12))
"""Months in which the latest year written as a date is the print year."""
NEAR_DAYS = 10
"""A full date 1 to this many days before a dateline dates the dispatch (1997年12月31日 … 1月2日电)."""

_FULL_DATE = re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日")
_BANNER = re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日\s*[（(]?\s*(?:星期|周)([一二三四五六日天])")


def _date_or_none(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _has_year_month(text: str) -> bool:
    """Whether the text writes a month with its year (2018年10月): what every full date, banner
    date and :func:`year_months` entry needs, found by a fast scan for 年 (most pages have none)."""
    return _YEAR_MONTH_AT.search(text) is not None


def dated_years(text: str, datelines: Iterable[tuple[int, int]]) -> list[Mention]:
    """Print years shown by a full date a few days before a dateline of the page (year-crossing too)."""
    found: list[Mention] = []
    if not _has_year_month(text):
        return found
    leads = set(datelines)
    for m in _FULL_DATE.finditer(text):
        year = int(m.group(1))
        when = _date_or_none(year, int(m.group(2)), int(m.group(3)))
        if when is None or _TARGET.search(text[max(0, m.start() - 6) : m.start()]):
            continue
        for month, day in leads:
            for print_year in (year, year + 1):
                lead = _date_or_none(print_year, month, day)
                if lead and 1 <= (lead - when).days <= NEAR_DAYS:
                    found.append(Mention(print_year, f"{m.group(0)} before {month}月{day}日"))
    return found


def banner_years(text: str) -> list[Mention]:
    """Full dates printed with their (right) weekday, as a page banner prints its date, and the
    dates of banner lines that name their page (:func:`page_banner_years`)."""
    found: list[Mention] = []
    if _has_year_month(text):
        for m in _BANNER.finditer(text):
            when = _date_or_none(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if when and when.isoweekday() == _WEEKDAYS[m.group(4)]:
                found.append(Mention(when.year, m.group(0)))
    return found + page_banner_years(text)


_BANNER_DATE = re.compile(r"((?:19|20)\d\d)(?:年(\d{1,2})月(\d{1,2})日|([-./])(\d{1,2})\4(\d{1,2})(?!\d))")
"""A full date as banners print it: 2021年5月6日, 2021-05-06, 2021.5.6."""
_PAGE_NAME = re.compile(r"第\s*[0-9一二三四五六七八九十]{1,3}\s*版")
_WEEKDAY_WORD = re.compile(r"\s*[（(]?\s*(?:星期|周)([一二三四五六日天])")
MAX_BANNER = 60
"""Longest banner line: paper, date, weekday, page, page name and editor."""
_CLAUSE = re.compile(r"[，,。；;！？!?]")
"""What no banner line holds: a line with a clause is a sentence."""
_CITES = re.compile(r"[《》]|原载|转载|转自|摘自|刊于|刊登|详见|见本报|来源")
"""What a note naming another print holds ((原载2008年5月12日《某某日报》第1版), 详见本报…第2版): its date
is that print's."""
BANNER_REACH = 3
"""A banner without its weekday counts among the page's first or last lines only (the head or foot of the
page, where banners are printed)."""


def page_banner_years(text: str) -> list[Mention]:
    """The date of a page banner line that :data:`_BANNER` does not take: one that names its page
    (第3版：要闻 2021-05-06, 某某日报 2019年10月1日 第01版), or a numeric date with its weekday
    (2021-05-06 星期四). A weekday on the line must fit the date; a date in the text is no banner."""
    found: list[Mention] = []
    if "版" not in text and "-" not in text and "." not in text and "/" not in text:
        return found  # no page named, no numeric date (most pages)
    if _BANNER_DATE.search(text) is None:
        return found  # no line has a date (the pattern spans no line break)
    lines = [line for line in text.split("\n") if line.strip()]
    for at, line in enumerate(lines):
        m = _BANNER_DATE.search(line) if len(line) <= MAX_BANNER else None  # the fast scan first
        if m is None or _CLAUSE.search(line) or _BANNER.search(line) or _CITES.search(line):
            continue  # no date, a sentence, a banner :func:`banner_years` has taken, or a note naming another print
        month, day = (m.group(2), m.group(3)) if m.group(2) else (m.group(5), m.group(6))
        when = _date_or_none(int(m.group(1)), int(month), int(day))
        weekday = _WEEKDAY_WORD.match(line, m.end())
        edge = at < BANNER_REACH or at >= len(lines) - BANNER_REACH
        if when is None or (weekday is None and not (edge and _PAGE_NAME.search(line))):
            continue
        if weekday is None or when.isoweekday() == _WEEKDAYS[weekday.group(1)]:
            found.append(Mention(when.year, m.group(0)))
    return found


@dataclass(frozen=True)
class Evidence:
    """Everything the text says about its print year."""

    strong: list[tuple[int, str]]
    """(year, evidence) that settle the year alone: events, weekdays, full dates, banners, a past year."""
    years: dict[str, list[Mention]]
    lo: int
    hi: int
    months: frozenset[int]
    year_months: dict[int, set[int]]
    """Months written with each year (2018年10月), targets left out."""
    floor: int = EARLIEST_YEAR
    """:func:`era_floor` of the text."""


_YEAR_MONTH_AT = re.compile(r"年(?<=(?:19|20)\d\d年)\d{1,2}月")
_YEAR_MONTH = re.compile(r"((?:19|20)\d\d)年(\d{1,2})月")


def year_months(text: str) -> dict[int, set[int]]:
    """{year: months written with it} of dates that are no target (将于2019年10月 is one)."""
    found: dict[int, set[int]] = {}
    for m in _YEAR_MONTH.finditer(text) if _has_year_month(text) else ():
        if not _TARGET.search(text[max(0, m.start() - 6) : m.start()]) and 1 <= int(m.group(2)) <= 12:
            found.setdefault(int(m.group(1)), set()).add(int(m.group(2)))
    return found


def _strong(
    text: str, years: dict[str, list[Mention]], datelines: list[tuple[int, int]], lo: int
) -> list[tuple[int, str]]:
    strong = [(m.year, f"event:{m.text}") for m in event_years(text)]
    strong += [(m.year + 1, f"past-year:{m.text}") for m in years["past"]]
    strong += [(m.year, f"dated:{m.text}") for m in dated_years(text, datelines)]
    strong += [(m.year, f"banner:{m.text}") for m in banner_years(text)]
    lines = weekday_datelines(text)
    fits = [weekday_years(mo, d, wd, max(lo, EARLIEST_YEAR), LATEST_YEAR) for mo, d, wd, _ in lines]
    weekday = set.intersection(*fits) if fits else set()
    if len(weekday) == 1:
        strong.append((min(weekday), _join(f"weekday:{t}" for *_, t in lines)))
    elif fits:
        strong.append((0, "weekday"))  # printed weekdays that leave several years (or none) conflict
    return strong


_YEAR_BEFORE = re.compile(r"\d{4}年$")


def _own_dateline(text: str, month: int, day: int) -> bool:
    """False when every mention of the date has a year before it (2018年11月30日 is no dateline)."""
    mention, mentioned = f"{month}月{day}日", False
    at = text.find(mention)
    while at >= 0:
        if not (at and text[at - 1].isdecimal()):  # a digit before: 11月4日 is no mention of 1月4日
            mentioned = True
            if not _YEAR_BEFORE.search(text[max(0, at - 5) : at]):
                return True
        at = text.find(mention, at + 1)
    return not mentioned


def gather(text: str, datelines: Iterable[tuple[int, int]] = ()) -> Evidence:
    """The evidence of a page's text and the (month, day) of its articles' datelines."""
    text = digit_years(normalize(text))
    leads = sorted(lead for lead in set(datelines) if _own_dateline(text, *lead))
    leads += [(mo, d) for mo, d, _, _ in weekday_datelines(text)]
    years = explicit_years(text)
    known = [m.year for kind in ("bound", "ended", "current", "date") for m in years[kind]]
    floor = era_floor(text)
    lo = max([floor, *known, *(m.year + 1 for m in years["past"])])
    hi = min([LATEST_YEAR, *(m.year for m in years["target"])])
    months = frozenset(mo for mo, _ in leads)
    return Evidence(_strong(text, years, leads, lo), years, lo, hi, months, year_months(text), floor)


def _latest(evidence: Evidence) -> YearGuess:
    """The latest year written as a date, where the page's months say it is the print year."""
    dated = [m for kind in ("ended", "current", "date") for m in evidence.years[kind]]
    if not dated or not evidence.months:
        return YearGuess(None, None)
    latest = max(dated, key=lambda m: m.year)
    year, shown = latest.year, f"explicit-year:{latest.text}"
    of_latest = {kind for kind in KINDS for m in evidence.years[kind] if m.year == year}
    if evidence.months <= MID_MONTHS and max(evidence.year_months.get(year, {0})) > max(evidence.months) + 1:
        return YearGuess(None, None)  # 2018年10月 on a June page: that year is over
    if evidence.months <= MID_MONTHS or (evidence.months <= EARLY_MONTHS and "current" in of_latest):
        pass
    elif evidence.months <= EARLY_MONTHS and "ended" in of_latest:
        year, shown = year + 1, f"year-ended:{next(m.text for m in evidence.years['ended'] if m.year == year)}"
    else:
        return YearGuess(None, None)
    return YearGuess(year, shown) if evidence.lo <= year <= evidence.hi else YearGuess(None, None)


def infer_year(text: str, datelines: Iterable[tuple[int, int]] = ()) -> YearGuess:
    """The page's year from its text and its datelines' (month, day), or ``YearGuess(None, None)``.

    Strong evidence (:func:`gather`) must agree, and fit the bounds of the explicit years
    unless a date settles it (a weekday, a banner, a full date before a dateline) or two
    kinds of it agree (an event and a past year: explicit years may name later events,
    and a target may be a past one); without it the latest year written as a date is taken
    only where the page's months settle it (:func:`_latest`).
    """
    evidence = gather(text, datelines)
    if evidence.strong:
        years = {year for year, _ in evidence.strong}
        year = years.pop()
        kinds = {shown.split(":", 1)[0] for _, shown in evidence.strong}
        settled = bool(kinds & EXACT) or len(kinds) >= 2 or evidence.lo <= year <= evidence.hi
        if years or not settled or year < evidence.floor:
            return YearGuess(None, None)
        return YearGuess(year, _join(shown for _, shown in evidence.strong))
    return _latest(evidence)


EXACT = frozenset(("weekday", "banner", "dated"))
"""Strong evidence that names a day, not only a year."""


def article_date(year: int | None, month: int | None, day: int | None) -> datetime.date | None:
    """The ISO date when all three parts are known and form a real date."""
    if year is None or month is None or day is None:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None
