"""Line patterns of the parser on made-up lines."""

from __future__ import annotations

import pytest

from builders.parse.folding import fold
from builders.parse.patterns import ENUMERATOR


@pytest.mark.parametrize(
    "line",
    ["一、抓住机遇", "（二）强化保障", "3.加强管理", "2、1月4日，某县举行活动", "２、１月４日，某县举行活动",
     "第三章 总则", "１：5月5日，游客在公园赏花", "2:村民在田间劳作"],
)
def test_numbered_items(line: str) -> None:
    # a numbered item may open on a date: 2、1月4日 (the item's number, then the day)
    assert ENUMERATOR.match(fold(line))


@pytest.mark.parametrize("line", ["3.5万吨粮食入库", "2019年全县完成", "1.2亿元投向农村", "3:1 城关队力克新港队",
                                  "２：０！主队晋级", "8:30 开幕式举行", "1:1000的地形图", "3:1战胜对手"])
def test_numbers_that_are_not_items(line: str) -> None:
    assert not ENUMERATOR.match(fold(line))


@pytest.mark.parametrize(
    ("credit", "bylines"),
    [
        ("文/张三", [("张三", "reporter")]),
        ("文/张三 图/李四", [("张三", "reporter"), ("李四", "photographer")]),
        ("图/李四 文/张三", [("李四", "photographer"), ("张三", "reporter")]),
        ("文 张三", [("张三", "reporter")]),
        ("记者 甘 霖 通讯员 阮 一鸣", [("甘霖", "reporter"), ("阮一鸣", "correspondent")]),
        ("本报记者 文 静", [("文静", "reporter")]),
        ("记者 张三、文 静", [("张三", "reporter"), ("文静", "reporter")]),
    ],
)
def test_a_lone_role_word_is_a_role_unless_a_role_comes_right_before_it(credit: str,
                                                                          bylines: list[tuple[str, str]]) -> None:
    """文 is a surname and the text's role word: 文/张三 credits 张三 (it gave 文张三, the spaced-name rule
    joining across the slash), 本报记者 文 静 credits 文静."""
    from builders.parse.credits import parse_names

    found = parse_names(fold(credit))
    assert found is not None and [(b.name, b.role) for b in found] == bylines


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


@pytest.mark.parametrize(("text", "names"), [
    ("游客在公园赏花。 记者 张三 摄", ["张三"]),
    ("游客在公园赏花。 张三 摄", ["张三"]),
    ("游客在公园赏花。 记者张三摄", ["张三"]),
    ("景区环境优美。 欢迎拍摄", None),
    ("馆内文物珍贵。 严禁偷摄", None),
])
def test_a_plain_photo_credit_is_spaced_or_names_a_role(text: str, names: list[str] | None) -> None:
    """Stripped from any paragraph, an unbracketed photo credit must look like one: a sentence ending in
    摄 (欢迎拍摄 -> photographer 欢迎拍) is text."""
    from builders.parse.assemble import _photo_credit

    found = _photo_credit(fold(text))
    assert (None if found is None else [b.name for b in found[1]]) == names
