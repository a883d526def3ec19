"""The parser's shortcuts give the answers of the plain tests they spare.

A cheap test in front of a pattern (how a role word ends, how long it can be) must never turn
away a text the pattern takes; a memo must give what the function computes, and a result
handed out must not change what the memo gives next. Each shortcut is checked here against
the plain definition on generated text made of the characters the patterns look for.
"""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from builders.parse import assemble, credits, folding, layout, lines, page, patterns
from builders.parse.folding import fold
from builders.parse.patterns import PHOTO_CREDIT_PAREN, ROLE

ROLE_PIECES = [
    "记者", "摄影", "摄影记者", "图", "摄", "实习生", "撰稿", "撰稿人", "撰文", "通讯员", "责任编辑", "编辑", "责编",
    "编审", "校对", "文", "本报", "新华社", "县融媒体中心", "驻某国", "特约", "评论员", "课题组", "调研组", "本刊",
]  # fmt: skip
PIECES = st.sampled_from([*ROLE_PIECES, "甲", "乙丙", "县", "/", "／", " ", "、", "（", "）", "。", "a", "1", "\n"])
TEXTS = st.lists(st.one_of(PIECES, st.characters(categories=["Lo", "Po", "Zs"])), max_size=12).map("".join)


def plain_is_role(chunk: str) -> bool:
    """The definition: the role pattern takes the whole chunk."""
    match = ROLE.match(chunk)
    return match is not None and match.end() == len(chunk)


@given(TEXTS)
def test_a_role_word_alone_is_told_as_the_pattern_tells_it(chunk: str) -> None:
    assert credits._is_role(chunk) == plain_is_role(chunk)


def test_role_words_with_prefixes_up_to_the_longest_are_told_alike() -> None:
    assert credits._is_role("县" * 10 + "记者") and credits._is_role("县" * 8 + "摄影记者")
    for word in ROLE_PIECES:
        for size in range(15):
            chunk = "县" * size + word
            assert credits._is_role(chunk) == plain_is_role(chunk), chunk


@given(TEXTS)
def test_a_commentator_credit_ends_as_the_shortcut_expects(text: str) -> None:
    assert text.endswith(credits.COMMENTATOR_ENDS) or not credits.COMMENTATOR.match(text)


CLOSINGS = st.sampled_from(["（记者 甲乙）", "（甲 乙）", "报道）", ")"])


@given(st.lists(st.one_of(PIECES, CLOSINGS), max_size=8).map("".join))
@example("□ 甲乙 丙丁")
@example("本报记者 甲乙")
def test_credit_lines_memo_gives_what_it_computes(text: str) -> None:
    credits._credit_line.cache_clear()
    first = credits.credit_line(text)
    credits._credit_line.cache_clear()
    assert credits.credit_line(text) == first == credits.credit_line(text)
    if first:
        first.clear()  # a caller changing its list leaves the memo alone
        assert credits.credit_line(text)


@given(st.lists(st.one_of(PIECES, CLOSINGS), max_size=8).map("".join))
def test_closing_credits_memo_gives_what_it_computes(text: str) -> None:
    credits._end_credit.cache_clear()
    first = credits.end_credit(text)
    again = credits.end_credit(text)
    assert first == again
    if first is not None:
        first[1].clear()  # a caller changing its list leaves the memo alone
        assert credits.end_credit(text) == again


@given(st.text(st.sampled_from(["县", "一", "龥", "\u4dff", "\ua000", "㐀", "。", " ", "a", "\n", "（"]), max_size=12))
def test_two_han_characters_are_found_by_one_search(text: str) -> None:
    assert layout.is_title_text(text) == (sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") >= 2)


LINES = st.lists(
    st.one_of(PIECES, CLOSINGS, st.sampled_from(["□", "■", "●", "摄", "报道", "供图", "：", "——", "县" * 30])),
    max_size=14,
)


@given(LINES.map("".join))
@example("本报评论员")
@example("县委调研组")
@example("本报记者 甲乙")
@example("通讯员 甲乙 摄")
@example("县" * 70 + " 记者 甲乙")
@example("□ 甲乙 丙丁")
def test_credit_lines_turned_away_early_are_no_credits(text: str) -> None:
    """The early exit (too long, no role word, no box, no 摄 or 报道 at the end) answers as the full test."""
    quick = credits.credit_line(text)
    saved = credits._may_name_role, credits.TAIL_ENDS
    try:
        credits._may_name_role = lambda _: True  # type: ignore[assignment]
        credits.TAIL_ENDS = ("",)  # every text ends so: the early exit is never taken
        credits._credit_line.cache_clear()
        full = credits.credit_line(text)
    finally:
        credits._may_name_role, credits.TAIL_ENDS = saved
    assert quick == full


DUMP = st.lists(
    st.sampled_from(
        [
            "本报讯",
            "本报某地1月4日电",
            "新华社北京电",
            "据",
            "□",
            "■",
            "县委召开会议",
            "。",
            "，",
            " ",
            "\n",
            "甲乙" * 12,
        ]
    ),
    max_size=16,
).map("".join)


@given(DUMP)
def test_lines_without_a_lead_word_are_not_searched_for_glued_leads(text: str) -> None:
    quick = lines.split_lines(text)
    saved = lines._may_glue
    try:
        lines._may_glue = lambda raw: True  # the pattern always runs
        full = lines.split_lines(text)
    finally:
        lines._may_glue = saved
    assert quick == full


@given(DUMP)
def test_the_glue_test_is_the_lead_words_test(text: str) -> None:
    assert lines._may_glue(text) == any(word in text for word in lines.GLUED_WORDS)


@given(st.text(st.sampled_from(["—", "─", "\ufe31", "\ufe58", " ", "\u3000", "\u2002", "县", "。"]), max_size=20))
@example("县——" + " " * 9)
@example("\ufe31\ufe31" + "\u3000" * 12)
@example("—")
def test_a_paragraph_leads_in_as_its_folded_text_ends(text: str) -> None:
    assert assemble._leads_in(text) == fold(text).rstrip().endswith(("——", "──"))


def test_folding_keeps_spaces_spaces_and_the_others_not() -> None:
    """What lets ``ends_folding_to`` fold a text's last character alone."""
    every = [chr(code) for code in range(0x110000)]
    assert [ch for ch in every if ch.isspace() != folding._fold_char(ch).isspace()] == []


ENDS = [")", "）", "\ufe5a", "\u207e", "—", "\ufe31", "─", " ", "\u3000", "县", "。"]


@given(st.text(st.sampled_from(ENDS), max_size=12))
@example("县）\u3000 ")
@example("\ufe5a")
def test_a_text_ends_folding_to_a_character_as_its_fold_ends(text: str) -> None:
    for ends in ((")", "）"), ("—", "─")):
        assert folding.ends_folding_to(text, ends) == fold(text).rstrip().endswith(ends)


@given(st.text(st.sampled_from(["a", "b", "Z", "县", "。", " ", "1", "\u00e9", "\uff41"]), max_size=30))
@example("情况and打赢")
@example("a县b")
def test_latin_noise_is_looked_for_as_the_pattern_finds_it(body: str) -> None:
    """The quick scan of the body's ASCII characters never turns away a body the pattern takes."""
    quick = page.LATIN_PAIR.search(body.encode("ascii", "ignore")) is not None
    assert (quick and page.LATIN_NOISE.search(body) is not None) == (page.LATIN_NOISE.search(body) is not None)


FURNITURE_PIECES = st.sampled_from([
    "本版", "责任", "值班", "编辑", "编审", "责编", "美编", "校对", "组版", "版式", "审读", "主任",
    "：", ":", " ", "甲乙",
    "2020", "年", "1", "月", "日", "星期二", "第", "版", "要闻", "总第", "期", "A", "B1", "![", "](", ")", "]", "，",
    "一", "十", "县", "。", "\u3000",
])  # fmt: skip
LINE_TEXTS = st.lists(st.one_of(FURNITURE_PIECES, PIECES, st.characters()), max_size=14).map("".join)


@given(LINE_TEXTS)
@example("责任编辑：甲乙")
@example("2020年1月1日 星期二")
@example("A1版 要闻")
@example("![图](a.png)")
def test_furniture_is_tried_only_where_it_can_match(text: str) -> None:
    assert patterns.is_furniture(text) == (patterns.FURNITURE.match(text) is not None)


LEAD_PIECES = st.sampled_from([
    "据", "本报", "新华社", "中新社", "县日报", "北京", "（", "）", "(", ")", "1月4日", "讯", "电", "记者", "甲乙",
    "报道", "：", " ", "县城", "，",
])  # fmt: skip


@given(st.lists(st.one_of(LEAD_PIECES, st.characters()), max_size=12).map("".join))
@example("本报讯（记者 甲乙）县城")
@example("新华社北京1月4日电")
def test_a_lead_is_looked_for_only_in_a_text_holding_its_word(text: str) -> None:
    found, plain = patterns.lead_match(text), patterns.LEAD.match(text)
    assert (found is None) == (plain is None)
    assert found is None or plain is None or found.span() == plain.span()


LABEL_PIECES = st.sampled_from([
    "【", "[", "】", "]", " ", "\u3000", "\t", "核心阅读", "阅读提示", "编者按", "编前语", "导读", "内容提要", "提要",
    "记者手记", "相关链接", "链接", "延伸阅读", "小贴士", "短评", "背景", "新闻链接", "名词解释", "编后", "：", "县城",
])  # fmt: skip
SPACES_OF_UNICODE = "".join(ch for ch in map(chr, range(0x110000)) if ch.isspace())


@given(st.lists(st.one_of(LABEL_PIECES, st.sampled_from(SPACES_OF_UNICODE), st.characters()), max_size=8).map("".join))
@example("【 核心阅读】")
@example("\u3000编者按：")
def test_labels_are_looked_for_only_where_one_can_start(text: str) -> None:
    start = patterns.label_start(text)
    if start not in patterns.TIP_FIRST:
        assert patterns.TIP_LABEL.match(text) is None
    if start not in patterns.SIDEBAR_FIRST:
        assert patterns.SIDEBAR_LABEL.match(text) is None


def test_the_label_start_skips_the_spaces_the_patterns_skip() -> None:
    assert {ch for ch in map(chr, range(0x110000)) if re.match(r"\s", ch)} == set(SPACES_OF_UNICODE)
    for space in SPACES_OF_UNICODE:
        assert patterns.label_start(f"【{space}{space}编者按") == "编"
        assert patterns.TIP_LABEL.match(f"【{space}{space}编者按") is not None


def plain_closed(para: assemble.Para) -> bool:
    """The definition: a subhead, a closed sentence, or a photo credit after one (the whole text folded)."""
    if para.subhead or lines.is_closed(para.text):
        return True
    folded = fold(para.text)
    credit = PHOTO_CREDIT_PAREN.search(folded) if folded.rstrip().endswith((")", "）")) else None
    return credit is not None and credit.start() > 0 and lines.is_closed(folded[: credit.start()])


PARA_PIECES = st.sampled_from(
    ["县城", "。", "（", "）", "(", ")", "\uff09", "\ufe5a", "甲乙摄", "通讯员", " ", "\u3000", "，"]
)


@given(st.lists(st.one_of(PARA_PIECES, st.characters()), max_size=10).map("".join), st.booleans())
@example("县城。（甲乙摄）", False)
@example("县城。（甲乙摄\ufe5a  ", False)
def test_a_paragraph_is_closed_as_its_definition_says(text: str, subhead: bool) -> None:
    para = assemble.Para([], text, subhead=subhead)
    assert para.closed == plain_closed(para)


@given(
    st.integers(1, 99), st.integers(0, 999), st.integers(0, 999), st.text(max_size=5), st.integers(0, 6), st.booleans()
)
def test_a_line_made_at_once_is_the_line_its_fields_make(
    number: int, start: int, end: int, text: str, level: int, indented: bool
) -> None:
    made, plain = (
        lines.new_line(number, start, end, text, level, indented),
        lines.Line(number, start, end, text, level, indented),
    )
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain) and vars(made) == vars(plain)
    assert made.folded == plain.folded and made.size == plain.size


START_PIECES = st.sampled_from([
    "近日", "日前", "今年以来", "本报记者", "记者从", "随着", "为进一步", "3月", "三月上旬", "1月4日", "2020年1月",
    "五日上午，", "---", "——", "***", "……", "#", "+", "·", "=", "＊", " ", "\u3000", "（完）", "(待续)", "图为", "图：",
    "上图", "图①",
    "图片新闻", "【", "】", "县城", "，", "。",
])  # fmt: skip
STARTS = st.lists(st.one_of(START_PIECES, st.sampled_from(SPACES_OF_UNICODE), st.characters()), max_size=8).map("".join)


@given(STARTS)
@example("——————")
@example("\u3000---")
def test_openers_rules_and_marks_are_tried_only_where_they_can_start(text: str) -> None:
    assert (patterns.opener_match(text) is None) == (patterns.LEAD_OPENER.match(text) is None)
    assert patterns.is_rule(text) == (patterns.RULE.match(text) is not None)
    if text[:1] not in ("(", "（"):
        assert patterns.END_MARK.match(text) is None
    if text[:1] not in layout.CAPTION_FIRST:
        assert patterns.CAPTION_HEAD.match(text) is None
    if patterns.label_start(text) != "图":
        assert layout.PHOTO_NEWS.match(text) is None
