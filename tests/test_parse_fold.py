"""Width folding (``folding.fold``) against the per-character reference: NFKC of each character kept
when it is one character, the character itself otherwise."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from builders.parse import folding, lines


def slow_fold(text: str) -> str:
    """The reference, one character at a time."""
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out)


def test_every_character_taken_as_fixed_folds_to_itself() -> None:
    every = "".join(map(chr, range(0x110000)))
    fixed = re.findall(f"[{folding.FOLD_FIXED}]", every)
    assert len(fixed) > 27_000  # ASCII, the ideographs, the punctuation
    assert [ch for ch in fixed if slow_fold(ch) != ch] == []


def test_folding_keeps_offsets_and_folds_full_width_forms() -> None:
    assert folding.fold("ＷＴＯ１９　（县）：，") == "WTO19 (县):,"
    assert folding.fold("…豈") == "…豈"  # … is three characters under NFKC: kept; U+F900 folds to 豈 (U+8C48)
    assert folding.fold("\u2460") == "1"


TRICKY = st.sampled_from(
    [
        "\uff0c",
        "\u3000",
        "\u00a0",
        "\uf900",
        "\u2460",
        "\u2026",
        "\ufb01",
        "\u1e9b\u0323",
        "\ud800",
        "\u0301",
        "\u1100\u1161",
        "县",
        "。",
        "a",
        " ",
        "\U0001d400",
        "\u2f00",
        "\uff5e",
    ]
)
TEXTS = st.lists(st.one_of(st.characters(), TRICKY, st.characters(categories=["Cs", "Mn", "Lo", "Po", "Zs"]))).map(
    "".join
)


@given(TEXTS)
def test_fold_matches_the_reference(text: str) -> None:
    assert folding.fold(text) == slow_fold(text)
    assert folding.fold(text) == slow_fold(text)  # the second time from the memo


@settings(deadline=None)  # folds >20,000 characters (and the slow reference): 365 ms once on the shared 2 cores
@given(TEXTS)
def test_a_long_text_is_folded_without_the_memo(text: str) -> None:
    long = (text or "县") * (folding.MAX_FOLD_MEMO // max(1, len(text)) + 1) + "，"
    assert len(long) > folding.MAX_FOLD_MEMO
    assert folding.fold(long) == slow_fold(long)


def test_the_fold_run_table_keeps_only_short_runs() -> None:
    """Text outside the fixed characters (Hangul, kana) folds in long runs: they are folded each time,
    not kept, so the table's memory stays bounded whatever the pages hold."""
    long_run = "한국어신문기사" * 30 + "ｱｲｳ"
    text = "记者" + long_run + "报道，甲"
    assert folding.fold(text) == slow_fold(text)
    assert long_run not in folding._RUNS
    assert folding._RUNS and all(len(run) <= folding.MAX_RUN_KEPT for run in folding._RUNS)


@given(TEXTS)
def test_a_page_folds_as_its_characters(text: str) -> None:
    assert folding.fold_page(text) == slow_fold(text)
    assert folding.fold_page(text * 3) == slow_fold(text) * 3  # the second and third time from the table


def test_a_huge_page_folds_in_chunks() -> None:
    text = "ＷＴＯ１９　（县）：，" * (folding.PAGE_CHUNK // 5)
    assert len(text) > 2 * folding.PAGE_CHUNK
    assert folding.fold_page(text) == slow_fold(text)


@given(st.lists(st.one_of(TEXTS, st.sampled_from(["\n", "  ", "# ", "**", "> ", "　"]))).map("".join), st.booleans())
def test_every_line_folds_as_its_own_text(text: str, page_fold: bool) -> None:
    """A line printed as it stands takes its fold from the page's (when a page has many new
    lines: here from one), the others fold their own text."""
    saved = lines.PAGE_FOLD_LINES
    try:
        lines.PAGE_FOLD_LINES = 1 if page_fold else 10**9
        for line in lines.split_lines(text):
            assert line.folded == slow_fold(line.text)
            assert folding.fold(line.text) == slow_fold(line.text)  # what the memo keeps
    finally:
        lines.PAGE_FOLD_LINES = saved


def test_a_page_of_new_lines_is_folded_at_once_and_lines_met_before_from_the_memo() -> None:
    from builders.parse import folding

    folding._MEMO.clear()  # a memo nearly full when the test starts would be emptied between the two parses
    text = "\n".join(f"（{i}）ＷＴＯ第{i}行，" for i in range(2 * lines.PAGE_FOLD_LINES))
    first = lines.split_lines(text)
    assert all("folded" in line.__dict__ for line in first)  # set by split_lines, from the page's fold
    again = lines.split_lines(text)
    assert [line.folded for line in again] == [line.folded for line in first] == [slow_fold(x.text) for x in first]
    assert all(a.__dict__["folded"] is b.__dict__["folded"] for a, b in zip(first, again, strict=True))  # the memo's
