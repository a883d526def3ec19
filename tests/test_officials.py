"""Officials on made-up sentences: general rules, other names, posts and provinces."""

from __future__ import annotations

import pytest

from builders.enrich.officials import find_officials, strip_place


def pairs(text: str) -> list[tuple[str, str]]:
    return [(o.name, o.title) for o in find_officials(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市委书记王建国主持会议。", [("王建国", "市委书记")]),
        ("婺源县委副书记、县长程小华强调,要抓落实。", [("程小华", "县委副书记、县长")]),
        ("镇党委书记李明传达了会议精神。", [("李明", "镇党委书记")]),
        ("常务副县长周海涛出席。", [("周海涛", "常务副县长")]),
        ("县人大常委会主任吴卫东、县政协主席陈立新参加。", [("吴卫东", "县人大常委会主任"), ("陈立新", "县政协主席")]),
        ("高新区党工委书记、管委会主任孙强指出", [("孙强", "高新区党工委书记、管委会主任")]),
        ("省委常委、宣传部部长欧阳明调研", [("欧阳明", "省委常委、宣传部部长")]),
        ("县农业农村局局长潘晓东介绍", [("潘晓东", "县农业农村局局长")]),
        ("社区书记张红梅说:“大家来了。”", [("张红梅", "社区书记")]),
        ("副市长林亮的讲话", [("林亮", "副市长")]),
    ],
)
def test_officials(text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "中央书记处书记出席会议。",  # an organ, not a post + name
        "党组书记要严格履行第一责任人职责。",  # a verb after the post
        "习近平总书记关于党的自我革命的重要思想",
        "区人大常委会党组工作汇报",
        "各位主任委员参加。",
        "委领导郑兰富参加。",  # no post named
    ],
)
def test_not_officials(text: str) -> None:
    assert pairs(text) == []


def test_name_does_not_swallow_the_verb() -> None:
    assert pairs("区长祝升明调研督导") == [("祝升明", "区长")]
    assert pairs("县长胡献如主持会议") == [("胡献如", "县长")]


def test_leading_place_name_is_dropped_but_level_kept() -> None:
    assert strip_place("庆元县委书记") == "县委书记"
    assert strip_place("衢州市委副书记") == "市委副书记"
    assert strip_place("庆元县行政服务中心主任") == "行政服务中心主任"
    assert strip_place("泉井边村村委会副主任") == "泉井边村村委会副主任"
