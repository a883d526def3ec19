"""Year inference on made-up texts: the general rules, not only the seeds."""

from __future__ import annotations

import datetime

import pytest

from builders.enrich.dates import article_date, infer_year, weekday_years


def year(text: str) -> int | None:
    return infer_year(text).year


def test_latest_explicit_year_is_the_page_year() -> None:
    assert year("2019年,全县获评先进。2020年以来,我县持续发力。") == 2020


def test_last_year_mentioned_on_this_years_page() -> None:
    guess = infer_year("会议肯定了2024年所做的工作,同意2025年工作思路。")
    assert (guess.year, guess.evidence) == (2025, "explicit-year:2025年")


def test_targets_and_range_ends_are_not_the_page_year() -> None:
    assert year("到2035年基本实现现代化。2022年,全市GDP增长。") == 2022
    assert year("编制2021—2025年规划,2020年完成。") == 2020


def test_year_in_book_title_or_fiscal_year_is_only_a_bound() -> None:
    assert year("印发《关于2024年度考核结果的通报》。") is None
    assert year("2024年度考核优秀,2025年继续努力。") == 2025


def test_quantities_are_not_years() -> None:
    assert year("共有2020户居民,2481人参加。") is None


def test_full_width_digits() -> None:
    assert year("２０２３年１２月") == 2023


def test_event_years() -> None:
    assert year("在“十四五”开局之年,全县上下") == 2021
    assert year("“十三五”收官之年") == 2020
    assert year("庆祝中国共产党成立100周年") == 2021


def test_conflicting_evidence_gives_none() -> None:
    assert year("“十四五”开局之年。庆祝改革开放40周年。") is None


def test_weekday_unique_after_era_floor() -> None:
    guess = infer_year("10月20日(周六),开发区召开会议,推进乡村振兴。")
    assert (guess.year, guess.evidence) == (2018, "weekday:10月20日(周六)")


def test_weekday_ambiguous_without_floor() -> None:
    assert year("10月20日(周六),召开会议。") is None


def test_weekday_agrees_with_explicit_year() -> None:
    assert year("1月4日(星期四),2024年新年第一会。") == 2024


def test_weekday_disagrees_with_event() -> None:
    assert year("3月16日(周一),“十四五”开局之年。") is None  # 2021-03-16 was a Tuesday


def test_no_evidence() -> None:
    assert infer_year("会议强调要抓好落实。").evidence is None


def test_weekday_years() -> None:
    assert weekday_years(10, 20, 6, 2000, 2020) == {2001, 2007, 2012, 2018}
    assert weekday_years(2, 29, 4, 2000, 2030) == {2024}


@pytest.mark.parametrize(
    ("parts", "expected"),
    [((2018, 10, 20), datetime.date(2018, 10, 20)), ((2019, 2, 29), None), ((None, 5, 1), None)],
)
def test_article_date(parts: tuple, expected: datetime.date | None) -> None:
    assert article_date(*parts) == expected
