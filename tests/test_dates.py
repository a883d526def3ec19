"""Year inference on made-up texts: the general rules, not only the seeds."""

from __future__ import annotations

import datetime
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders.enrich.dates import article_date, digit_years, infer_year, normalize, weekday_years

JUNE = [(6, 12)]
"""A dateline in the middle of the year: the latest year written as a date is the print year."""
FEBRUARY = [(2, 11)]
"""A dateline early in the year, when pages report the past year's results."""


def year(text: str, datelines: list[tuple[int, int]] = JUNE) -> int | None:
    return infer_year(text, datelines).year


def test_latest_explicit_year_is_the_page_year() -> None:
    assert year("2019年,全县获评先进。2020年以来,我县持续发力。") == 2020


def test_last_year_mentioned_on_this_years_page() -> None:
    guess = infer_year("会议肯定了2024年所做的工作,同意2025年工作思路。", JUNE)
    assert (guess.year, guess.evidence) == (2025, "explicit-year:2025年")


def test_targets_and_range_ends_are_not_the_page_year() -> None:
    assert year("到2035年基本实现现代化。2022年,全市GDP增长。") == 2022
    assert year("编制2021—2025年规划,2020年完成。") == 2020


@pytest.mark.parametrize(
    "text",
    [
        "2022年,全市GDP增长。力争到2025年建成。",
        "2022年,全市GDP增长。2024年前完成改造。",
        "2022年,全市GDP增长。2023年底前全部完工。",
        "2022年,全市GDP增长。预计2026年产值将达十亿元。",
        "2022年,全市GDP增长。2026年将建成投用。",
    ],
)
def test_plan_targets_and_deadlines_are_never_the_print_year(text: str) -> None:
    assert year(text) == 2022


def test_a_target_later_than_every_date_is_an_upper_bound_only() -> None:
    assert year("力争到2025年实现全覆盖。", FEBRUARY) is None


def test_a_range_from_one_year_to_another_is_no_target() -> None:
    assert year("从1990年到2005年,产量翻了两番。") == 2005


def test_year_in_book_title_or_fiscal_year_is_only_a_bound() -> None:
    assert year("印发《关于2024年度考核结果的通报》。") is None
    assert year("2024年度考核优秀,2025年继续努力。") == 2025


def test_quantities_are_not_years() -> None:
    assert year("共有2020户居民,2481人参加。") is None


def test_full_width_digits() -> None:
    assert year("２０２３年５月") == 2023


def test_years_in_chinese_numerals() -> None:
    assert digit_years("一九九七年六月四日,二〇二〇年十二月三十一日") == "1997年6月4日,2020年12月31日"
    assert year("二〇一七年十月,全县获评先进。") == 2017


def test_no_dateline_leaves_the_latest_year_unsettled() -> None:
    assert year("2019年,全县获评先进。", []) is None


def test_a_january_report_on_last_years_figures_is_not_that_year() -> None:
    assert year("2021年,全县生产总值增长8%。", [(1, 20)]) is None
    assert year("2021年,全县生产总值增长8%。", FEBRUARY) is None


def test_a_year_counted_to_its_end_on_an_early_page_is_last_year() -> None:
    guess = infer_year("截至2021年底,全县累计建成公路120公里。", FEBRUARY)
    assert (guess.year, guess.evidence) == (2022, "year-ended:2021年")
    assert year("2021年全年完成投资30亿元。", [(1, 8)]) == 2022


def test_a_year_named_as_this_one_on_an_early_page() -> None:
    assert year("2022年是实施规划的关键一年。2021年,全县增长8%。", FEBRUARY) == 2022
    assert year("2022年春节前夕,志愿者走访慰问。", FEBRUARY) == 2022


def test_a_year_named_as_gone_is_the_year_before() -> None:
    guess = infer_year("刚刚过去的2021年,全县经济稳中有进。", [])
    assert (guess.year, guess.evidence) == (2022, "past-year:2021年")


def test_december_and_january_datelines_leave_the_year_open() -> None:
    assert year("2021年,全县生产总值增长8%。", [(12, 30), (1, 2)]) is None


def test_a_full_date_a_few_days_before_the_dateline() -> None:
    guess = infer_year("2021年12月30日晚,大桥合龙。", [(1, 2)])
    assert (guess.year, guess.evidence) == (2022, "dated:2021年12月30日 before 1月2日")
    assert year("2021年3月2日,条例经审议通过。", [(3, 6)]) == 2021
    assert year("条例自2022年5月1日起施行。", [(3, 6)]) is None


def test_a_lead_date_with_a_year_is_no_dateline() -> None:
    assert year("2018年11月30日,全市召开大会。2018年以来全市增长。", [(11, 30)]) is None


def test_a_banner_date_with_its_weekday() -> None:
    guess = infer_year("某某日报 2019年10月1日 星期二 第01版\n2018年,全市增长。", [])
    assert (guess.year, guess.evidence) == (2019, "banner:2019年10月1日 星期二")
    assert year("2019年10月1日 星期三 第01版", []) is None  # the weekday does not fit


def test_a_banner_date_naming_its_page_or_numeric_with_its_weekday() -> None:
    guess = infer_year("第3版：要闻 2021-05-06\n预计2023年底前完成,2018年起步。", [(5, 5)])
    assert (guess.year, guess.evidence) == (2021, "banner:2021-05-06")
    assert year("某某日报 2019年10月1日 第01版\n2018年,全市增长。", []) == 2019
    assert year("2021-05-06 星期四\n正文。", []) == 2021
    assert year("2021-05-06 星期五\n正文。", []) is None  # the weekday does not fit
    assert year("2021-05-06\n正文。", []) is None  # a bare date names no page
    assert year("他说2021.5.6那天刊在第二版上,大家都看了。", []) is None  # a sentence is no banner


def test_event_years() -> None:
    assert year("在“十四五”开局之年,全县上下") == 2021
    assert year("“十三五”收官之年") == 2020
    assert year("庆祝中国共产党成立100周年") == 2021


def test_conflicting_evidence_gives_none() -> None:
    assert year("“十四五”开局之年。庆祝改革开放40周年。") is None


def test_weekday_unique_after_era_floor() -> None:
    guess = infer_year("10月20日(周六),开发区召开会议,推进乡村振兴。", [(10, 20)])
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


def test_a_dated_event_beats_a_later_year_named_in_the_text() -> None:
    text = "1997年12月30日,大桥合龙。大桥将于1999年底全线通车,1999年,全线通车。"
    assert year(text, [(1, 2)]) == 1998


def test_an_event_and_a_past_year_that_agree() -> None:
    assert year("刚刚过去的1997年,改革开放20周年的纪念活动。1999年,澳门回归。", [(1, 3)]) == 1998


def test_a_month_later_than_the_pages_month_shows_the_latest_year_is_over() -> None:
    assert year("2018年10月,大桥开工。", [(6, 12)]) is None
    assert year("2018年5月,大桥开工。", [(6, 12)]) == 2018
    assert year("大桥将于2018年10月通车。2018年,全县增长。", [(6, 12)]) == 2018


@pytest.mark.parametrize(
    ("text", "month", "day", "own"),
    [
        ("本报讯 3月5日上午，县里开会。", 3, 5, True),
        ("2018年3月5日，工程开工。", 3, 5, False),  # every mention has its year
        ("2018年3月5日开工，3月5日验收。", 3, 5, True),
        ("13月5日", 3, 5, True),  # 13月5日 is no mention of 3月5日: the date is not mentioned at all
        ("１3月5日和2019年3月5日", 3, 5, False),  # a full-width digit before is a digit too
        ("没有日期的一段话。", 3, 5, True),
    ],
)
def test_own_dateline(text: str, month: int, day: int, own: bool) -> None:
    from builders.enrich.dates import _own_dateline

    assert _own_dateline(text, month, day) is own


def test_weekday_datelines_need_a_digit_first() -> None:
    from builders.enrich.dates import weekday_datelines

    assert weekday_datelines("10月20日(周六)，12月1日 星期日，2018年5月4日（周五）") == [
        (10, 20, 6, "10月20日(周六)"), (12, 1, 7, "12月1日 星期日")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["中国", "ab", "\n", "\r\n", "１２", "：", "…", "①", "\u3000", "\u0301", "\u0308",
                                 "\u1100", "\u1161", "\u11a8", "ｶ", "ﾞ", "\u3099", "A\u030a", "\ufb01", "\u2028"]),
                max_size=20))
def test_normalize_line_by_line_is_nfkc_of_the_whole_text(parts: list[str]) -> None:
    text = "".join(parts)
    assert normalize(text) == unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize("note", ["（原载2008年5月12日《某某日报》第1版）", "详见本报2008年5月12日第2版",
                                  "转载自2008年5月12日 第3版"])
def test_a_note_naming_another_print_is_no_banner(note: str) -> None:
    """A reprint note or cross-reference names another print's date and page: it was taken for the page's
    banner (exact evidence, 2008) over the text's own 2019; so was any such line in the middle of a page."""
    page = ("县里召开座谈会\n\n本报讯 5月6日，县里召开座谈会。2019年以来，全县新建道路30公里。\n\n"
            "座谈会上，大家交流了经验。\n\n"
            f"{note}\n\n会议要求抓好落实。\n\n各乡镇负责人参加会议。\n\n会后，大家参观了新建的道路。\n")
    assert infer_year(page, [(5, 6)]).year == 2019
    middle = page.replace(note, "某某县报 2008年5月12日 第2版")
    assert infer_year(middle, [(5, 6)]).year == 2019
    top = "某某县报 2021年5月6日 第2版\n\n" + page.replace(note, "")
    assert infer_year(top, [(5, 6)]).evidence == "banner:2021年5月6日"
