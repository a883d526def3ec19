"""The faster forms of the enrichment's patterns and passes find what the plain forms find."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from builders.enrich.officials import HAN, _alt, _trie
from builders.enrich.posts import HEADS, JOINERS, LEVELS, MODIFIERS, ORGANS, PRE_MODIFIERS, ROLES

TABLES = (HEADS, ROLES, LEVELS, ORGANS, MODIFIERS, PRE_MODIFIERS, JOINERS)
CHARS = sorted({char for table in TABLES for word in table for char in word} | set("甲乙，。a1"))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TABLES), st.text(alphabet=CHARS, max_size=30))
def test_a_prefix_tree_tries_the_words_of_an_alternation_in_its_order(words: tuple[str, ...], text: str) -> None:
    """At every place the same word matches, and backtracking tries the same words in the same order
    (the longest first): every place's list of (word, what follows) agrees."""
    plain, tree = re.compile(f"(?:{_alt(words)})"), re.compile(f"(?:{_trie(words)})")
    for start in range(len(text) + 1):
        a, b = plain.match(text, start), tree.match(text, start)
        assert (a and a.group()) == (b and b.group())
    ahead = [re.compile(rf"(?=((?:{pattern}))(?={HAN}))") for pattern in (_alt(words), _trie(words))]
    assert [m.span(1) for m in ahead[0].finditer(text)] == [m.span(1) for m in ahead[1].finditer(text)]
    ending = [re.compile(rf"(?:{pattern})+$") for pattern in (_alt(words), _trie(words))]  # backtracks
    assert [bool(ending[0].match(text, s)) for s in range(len(text))] == [
        bool(ending[1].match(text, s)) for s in range(len(text))
    ]


def test_the_prefix_tree_of_the_heads() -> None:
    tree = _trie(HEADS)
    assert re.fullmatch(f"(?:{tree})", "主任委员") and re.fullmatch(f"(?:{tree})", "主任")
    assert re.match(f"(?:{tree})", "总经理助理").group() == "总经理"  # type: ignore[union-attr]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="县区市镇乡街道委政届百山祖庆元甲乙长党", max_size=40))
def test_towns_scan_for_the_county_character_as_the_lookbehind_did(text: str) -> None:
    from builders.enrich.entities import _TOWN

    behind = re.compile(r"(?<=[县区市])([\u4e00-\u9fff]{2,4}?(?:街道|镇|乡))(?![长党政人])")
    assert [m.group(1) for m in _TOWN.finditer(text)] == [m.group(1) for m in behind.finditer(text)]


def test_word_roles_are_the_few_words_with_a_role_in_order() -> None:
    from builders.enrich.entities import PLACE, word_roles

    roles = word_roles(Counter(["会议", "庆元县", "召开", "的", "丽水市", "会议"]))
    assert list(roles) == ["庆元县", "丽水市"] and all(bits & PLACE for bits in roles.values())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=CHARS, max_size=40))
def test_the_head_scan_takes_one_character_and_finds_every_head_a_lookahead_finds(text: str) -> None:
    from builders.enrich.officials import head_pattern

    ahead = re.compile(rf"(?=((?:{_alt(HEADS)}))(?={HAN}))")
    assert [m.span(1) for m in head_pattern().finditer(text)] == [m.span(1) for m in ahead.finditer(text)]


YEAR_PIECES = ["2021", "1998", "19", "20", "3", "12", "年", "年度", "月", "日", ".", "%", "-", "/", " ", "星期四",
               "（周五）", "到", "至", "将", "是", "前", "底", "，", "甲"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(YEAR_PIECES), max_size=16).map("".join))
def test_year_patterns_opening_on_their_digits_find_what_the_lookahead_forms_found(text: str) -> None:
    from builders.enrich import dates

    year = re.compile(r"(?=[12])(?<![\d.])((?:19|20)\d\d)(?![\d.%])(年度|年|(?=[\u4e00-\u9fff]))")
    assert [(m.span(), m.groups()) for m in dates._YEAR.finditer(text)] == [
        (m.span(), m.groups()) for m in year.finditer(text)
    ]
    for pattern in (dates._FULL_DATE, dates._BANNER, dates._BANNER_DATE, dates._YEAR_MONTH):
        ahead = re.compile("(?=[12])" + pattern.pattern)
        assert [(m.span(), m.groups()) for m in pattern.finditer(text)] == [
            (m.span(), m.groups()) for m in ahead.finditer(text)
        ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["县委", "书记", "甲乙", "说", "，", "局"]), max_size=40),
       st.sets(st.sampled_from(["县委", "书记", "甲乙", "说", "，", "局", "无"]), max_size=7))
def test_token_positions_by_their_counts_are_the_positions(tokens: list[str], words: set[str]) -> None:
    from builders.enrich.entities import _positions

    assert _positions(tokens, words, Counter(tokens)) == [i for i, w in enumerate(tokens) if w in words]


PLAN_PIECES = ["“", "\"", "”", "十四五", "十三五", "十", "四", "五", "规划", "的", "开局", "收官", "起步", "甲"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PLAN_PIECES), max_size=14).map("".join))
def test_plan_events_opening_on_shi_show_the_quote_the_optional_quote_showed(text: str) -> None:
    from builders.enrich.dates import PLANS, event_years

    plan = re.compile(r"(?=[“\"十])[“\"]?(十[一二三四五]五)[”\"]?(?:规划)?(?:的)?(开局|起步|收官)")
    expected = [(PLANS[m.group(1)] + (0 if m.group(2) in ("开局", "起步") else 4), m.group(0))
                for m in plan.finditer(text)]
    assert [(e.year, e.text) for e in event_years(text) if "周年" not in e.text] == expected


DATELINE_PIECES = ["1", "10", "2", "31", "年", "月", "日", " ", "（", "(", "周", "星期", "六", "日", "）", "甲"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(DATELINE_PIECES), max_size=14).map("".join))
def test_weekday_datelines_opening_on_a_digit_are_the_lookbehind_ones(text: str) -> None:
    from builders.enrich.dates import _DATELINE

    plain = re.compile(r"(?=\d)(?<![\d年])(\d{1,2})月(\d{1,2})日\s*[（(]?\s*(?:周|星期)([一二三四五六日天])[)）]?")
    assert [(m.span(), m.group("month", "day", "weekday")) for m in _DATELINE.finditer(text)] == [
        (m.span(), m.groups()) for m in plain.finditer(text)
    ]
