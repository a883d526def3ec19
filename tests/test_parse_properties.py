"""Property tests: the parser never raises and never loses a line, whatever the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders.parse.page import parse_page
from builders.read.decode import normalise

SHA = "0" * 64
PIECES = [
    "本报讯(记者 张三 李四)",
    "□ 通讯员 王五",
    "（下转第二版）",
    "(上接第一版)",
    "阅读提示",
    "记者手记",
    "## ",
    "# ",
    "县委召开常委会议",
    "图为一景 通讯员 赵六 摄",
    "区农业农村局",
    "一、",
    "3月16日,",
    "。",
    "，",
    "会议强调，要抓好落实。",
    "近日",
    "（孙悟）",
    "新华社北京１月２９日电（记者甲乙）",
    "“",
    "”",
    " ",
    "\n",
    "\n\n",
    "１０月２０日（周六）",
    "ＷＴＯ",
    "and",
    "\r\n",
    "——",
    "摄",
]
text_strategy = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=40).map("".join)


def text_line_numbers(text: str) -> set[int]:
    """Lines holding any letter, digit or character (markup-only lines such as '#' or '>' may go)."""
    return {i for i, line in enumerate(text.split("\n"), start=1) if any(ch.isalnum() for ch in line)}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_strategy)
def test_parser_never_raises_and_accounts_for_every_line(raw: str) -> None:
    text = normalise(raw)
    result = parse_page(text, "x.txt", SHA)
    reported = {p.line for p in result.problems if p.line is not None}
    missing = text_line_numbers(text) - set(result.assignments) - reported
    assert not missing, f"lines fed nothing and were not reported: {sorted(missing)}"
    for article in result.articles:
        assert article.headline
        for span in article.spans:
            assert 0 <= span.start <= span.end <= len(text)
    if not result.articles:
        assert any(p.code == "no-articles" for p in result.problems)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PIECES[:18]), min_size=1, max_size=30).map("\n".join))
def test_ordinals_and_ids(raw: str) -> None:
    result = parse_page(raw, "x.txt", SHA)
    assert [a.ordinal for a in result.articles] == list(range(len(result.articles)))
    assert len({a.id for a in result.articles}) == len(result.articles)
    assert parse_page(raw, "x.txt", SHA).articles == result.articles  # deterministic
