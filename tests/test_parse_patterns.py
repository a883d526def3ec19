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
