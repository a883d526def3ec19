"""More of the parser's shortcuts (see ``test_parse_shortcuts``): each cheap test or memo gives the
answer of the plain test it spares, on generated text made of what the patterns look for.
"""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from builders.parse import assemble, credits, layout, lines, patterns
from builders.parse.lines import new_line


def max_width(pattern: re.Pattern[str]) -> int:
    """The most characters a match of ``pattern`` can take (the regex parser's own bound)."""
    return int(re.__dict__["_parser"].parse(pattern.pattern).getwidth()[1])


MARKS = st.sampled_from([
    "（", "）", "(", ")", "下转", "上接", "转", "接", "续", "第", "二", "2", "版", "完", "全文完", "待续", "。", "！",
    " ", "年", "月", "日", "2021", "二○二一", "一", "、", ".", "县", "甲乙", "记者", "摄", "图", "报道", "■", "□",
    "图为", "图片新闻", "▲", "，", "”", "本报讯", "\u3000", "—",
])  # fmt: skip
TEXTS = st.lists(st.one_of(MARKS, st.characters(categories=["Lo", "Po", "Zs"])), max_size=16).map("".join)


@given(TEXTS)
@example("（下转第二版）")
@example("下转第2版")
def test_a_marker_line_is_looked_for_only_where_it_names_a_page(text: str) -> None:
    plain = patterns.MARKER_LINE.match(text)
    assert (patterns.marker_of(text) is None) == (plain is None)


@given(TEXTS)
@example("十个项目。（完）红枫村")
@example("持续推进（完）")
@example(" ")
def test_end_marks_inside_a_line_are_looked_for_only_where_one_can_be(text: str) -> None:
    plain = {cut for m in lines.END_MARK_IN.finditer(text) for cut in (m.start(), m.end())}
    plain = {cut for cut in plain if text[:cut].strip() and text[cut:].strip()}
    assert lines._end_mark_cuts(text) == plain
    if not plain and not (lines._may_glue(text) and lines.GLUED_LEAD.search(text)):
        assert lines._pieces(text) == ([(0, text)] if text.strip() else [])


def test_a_section_number_is_short() -> None:
    assert max_width(assemble.SECTION_NUMBER) == assemble.SECTION_NUMBER_MAX


@given(TEXTS)
@example("（二）")
@example("2021年5月6日")
def test_a_line_alone_is_told_as_the_plain_tests_tell_it(text: str) -> None:
    line = new_line(1, 0, len(text), text, 0)
    plain = (
        assemble.SECTION_NUMBER.fullmatch(line.folded) is not None
        or patterns.SIGNING_DATE.fullmatch(line.folded) is not None
        or (line.size <= assemble.LISTING_MAX and patterns.is_listing(line.folded))
    )
    assert assemble._alone(line) == plain
    assert patterns.is_signing_date(line.folded) == (patterns.SIGNING_DATE.fullmatch(line.folded) is not None)


LONG = st.tuples(TEXTS, st.integers(0, 80), TEXTS, st.sampled_from([*sorted(layout.PLAIN_ENDS), "摄", "）", " "]))


@given(LONG)
@example(("", 70, "", "。"))
@example(("■ ", 70, "", "。"))
@example(("图为", 70, "", "。"))
def test_a_long_plainly_ended_line_is_typed_as_the_full_tests_type_it(parts: tuple[str, int, str, str]) -> None:
    head, size, tail, end = parts
    text = (head + "县" * size + tail + end).strip() or "县"
    line = new_line(1, 0, len(text), text, 0)
    quick = layout.classify(line)
    saved = layout._plain_long
    try:
        layout._plain_long = lambda line, folded: False  # the full tests always run
        full = layout.classify(line)
    finally:
        layout._plain_long = saved
    assert quick == full


def test_no_credit_ends_in_a_plain_mark_and_a_long_line_is_too_long_for_one() -> None:
    ends = (*credits.TAIL_ENDS, *patterns.BRACKET_ENDS, *credits.PHOTO_ENDS, "闻", "】", "]")
    assert not any(end.endswith(tuple(layout.PLAIN_ENDS)) for end in ends)
    assert layout.MAX_RUN_TOGETHER >= credits.MAX_CREDIT
    assert layout.MAX_RUN_TOGETHER >= layout.MAX_TITLE


@given(TEXTS)
@example("甲乙 文/图")
@example("图文：甲乙")
@example("甲乙/文 丙丁/图")
@example("记者：甲乙")
def test_role_rewrites_are_tried_only_where_they_can_match(text: str) -> None:
    plain = credits.SUFFIX_ROLE.sub(
        r"\2/\1", credits.TEXT_PHOTO.sub("文/图 ", credits.SUFFIX_TEXT_PHOTO.sub(r"\2 \1", text).strip())
    )
    if ":" in plain or "：" in plain:
        plain = credits.ROLE_COLON.sub(r"\1 ", plain)
    assert credits._prefix_roles(text) == plain


@given(TEXTS)
@example("记者 甲乙")
@example("本报记者甲乙丙丁戊")
def test_the_names_memo_gives_what_it_computes_and_each_caller_a_list_of_its_own(text: str) -> None:
    credits._parse_names.cache_clear()
    first = credits.parse_names(text)
    if first is not None:
        first.append(credits._byline("甲乙", "unknown"))  # a caller's list is its own
    credits._parse_names.cache_clear()
    computed = credits.parse_names(text)
    again = credits.parse_names(text)
    assert again == computed
    assert first is None or first[:-1] == computed


def plain_is_closed(text: str) -> bool:
    """The definition :func:`builders.parse.lines.is_closed` had before its shortcut for a last terminal."""
    stripped = text.rstrip()
    if stripped[-1:] in ("者", "部", "按", "记", "注") and lines.SIGNED_OFF.search(lines.fold(stripped[-12:])):
        return True
    while stripped and stripped[-1] in lines.CLOSERS:
        inner = stripped[:-1].rstrip()
        if inner and inner[-1] in lines.TERMINALS:
            return True
        if stripped[-1] in "”’」』\"'" and inner:
            stripped = inner
            continue
        return False
    return bool(stripped) and stripped[-1] in lines.TERMINALS


ENDINGS = st.lists(st.sampled_from([*lines.TERMINALS, *lines.CLOSERS, "——编者", "县", " ", "者", ""]), max_size=6)


@given(TEXTS, ENDINGS.map("".join))
@example("好。”", "")
@example("……！——编者", "")
def test_a_text_is_closed_as_the_plain_definition_says(head: str, end: str) -> None:
    assert lines.is_closed(head + end) == plain_is_closed(head + end)


ROLE_TEXTS = st.lists(
    st.one_of(st.sampled_from([*credits.ROLE_OPENER.pattern.replace("?", "").split("|"), "责任编辑", "责编",
                               "编审", "校对", "撰稿人", "撰文", "文", "图", "摄", "/", "甲乙", "县", "中心"]),
              st.characters(categories=["Lo"])),
    max_size=6,
).map("".join)


@given(ROLE_TEXTS)
@example("县融媒体中心记者")
@example("文/")
def test_role_words_are_looked_for_only_in_a_text_holding_one_of_their_characters(text: str) -> None:
    quick, plain = credits._role_at_start(text), patterns.ROLE.match(text)
    assert (quick and quick.span()) == (plain and plain.span())
    if credits.ROLE_OPENER_FIRST.isdisjoint(text):
        assert credits.ROLE_OPENER.search(text) is None
