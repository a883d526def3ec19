"""Line patterns of the parser on made-up lines."""

from __future__ import annotations

import pytest

from builders.parse.folding import fold
from builders.parse.patterns import ENUMERATOR


@pytest.mark.parametrize(
    "line",
    ["一、抓住机遇", "（二）强化保障", "3.加强管理", "2、1月4日，某县举行活动", "２、１月４日，某县举行活动",
     "第三章 总则"],
)
def test_numbered_items(line: str) -> None:
    # a numbered item may open on a date: 2、1月4日 (the item's number, then the day)
    assert ENUMERATOR.match(fold(line))


@pytest.mark.parametrize("line", ["3.5万吨粮食入库", "2019年全县完成", "1.2亿元投向农村"])
def test_numbers_that_are_not_items(line: str) -> None:
    assert not ENUMERATOR.match(fold(line))


@pytest.mark.parametrize(
    ("credit", "names"),
    [
        ("□ 记者 𠮷田 通讯员 阮文", ["𠮷田", "阮文"]),  # CJK Extension B
        ("□ 记者 李𬀩", ["李𬀩"]),  # Extension E, a name character of the general standard table
        ("本报记者 𬀩明", ["𬀩明"]),
    ],
)
def test_credited_names_with_characters_outside_the_basic_plane_are_kept(credit: str, names: list[str]) -> None:
    from builders.parse.page import parse_page

    page = (f"\n# 村里的新变化\n\n{credit}\n\n本报讯 12月31日,村里举行表彰大会,全村村民参加。\n\n"
            "大会上,村委会主任表扬了10户文明家庭。\n")
    (article,) = parse_page(page, "x.txt", "0" * 64).articles
    assert [b.name for b in article.bylines] == names
