"""Paragraph ends: which page breaks are re-joined, which line breaks are paragraphs."""

from __future__ import annotations

from builders.parse.lines import split_lines
from builders.parse.page import parse_page

HEAD = "县里举办首届茶文化节\n\n本报讯 五月十日，县里在云岭茶园举办首届茶文化节，两千多名游客参加了开幕式。\n\n"
BODY = [
    "茶农们现场展示了采茶、炒茶的传统手艺。游客们排起长队，争相品尝新茶。",
    "当天，茶园还开设了直播间，三位茶农轮流介绍自家的茶叶，一个上午就卖出了四百多斤。",
    "县农业农村局负责人说，茶文化节将每年举办一次，带动更多农户靠茶致富。",
]


def _paragraphs(text: str) -> list[str]:
    articles = parse_page(text, "page.txt", "0" * 64).articles
    assert len(articles) == 1
    return articles[0].body.split("\n")


def test_a_line_records_its_first_line_indent() -> None:
    indented, flush = split_lines("\u3000\u3000县里召开会议。\n县里召开会议。\n")
    assert indented.indented and not flush.indented
    assert indented.text == flush.text


def test_a_flush_line_continues_a_paragraph_where_paragraphs_are_indented() -> None:
    lines = ["\u3000\u3000" + BODY[0], BODY[1], "\u3000\u3000" + BODY[2]]
    text = HEAD.replace("本报讯", "\u3000\u3000本报讯") + "\n\n".join(lines) + "\n"
    assert _paragraphs(text)[1:] == [BODY[0] + BODY[1], BODY[2]]


def test_flush_lines_are_paragraphs_where_no_paragraph_is_indented() -> None:
    text = HEAD + "\n\n".join(BODY) + "\n"
    assert _paragraphs(text)[1:] == BODY
