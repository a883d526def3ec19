"""Reprints edited harder than containment allows, and quotes in paragraphs of their own (invented text)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from builders.reuse.evidence import evidence
from builders.reuse.normalize import normalize
from builders.reuse.verify import MIN_COMMON, REPRINT_CONTAINMENT, verdict
from tests.test_reuse import CHARS, FORMULA, paragraphs, run, sentence

LEAD = "新华社北京3月5日电（记者 王明）"


def clause(rng: random.Random) -> str:
    return "".join(rng.choice(CHARS) for _ in range(rng.randint(14, 24))) + "。"


def story(rng: random.Random, n: int = 7, sentences: int = 4) -> list[list[str]]:
    """Paragraphs of four sentences each."""
    return [[clause(rng) for _ in range(sentences)] for _ in range(n)]


def typo(text: str, rng: random.Random, n: int) -> str:
    chars = list(text)
    for at in rng.sample([i for i, c in enumerate(chars) if c not in "。\n"], n):
        chars[at] = "了"
    return "".join(chars)


def hard_reprint(paras: list[list[str]], rng: random.Random, own_opening: bool = False) -> str:
    """Cut to three paragraphs, the first sentence rewritten (or, ``own_opening``, the whole first
    paragraph the paper's own), a paragraph of its own added, six typos."""
    first = [clause(rng) for _ in range(4)] if own_opening else [clause(rng), *paras[0][1:]]
    kept = ["".join(first), "".join(paras[2]), clause(rng) + clause(rng), "".join(paras[4])]
    return typo("\n".join(kept), rng, 6)


def test_a_cut_reprint_with_its_first_sentence_rewritten_a_paragraph_added_and_typos_is_found() -> None:
    """Under the containment threshold (typos and the paper's own sentences), but it keeps its opening
    and 60% of it is the story's in runs: a reprint."""
    rng = random.Random(11)
    paras = story(rng)
    original = LEAD + "\n".join("".join(p) for p in paras)
    copy = hard_reprint(paras, rng)
    found = verdict(evidence(copy), evidence(original))
    assert found.containment < REPRINT_CONTAINMENT and found.reprint and found.opening == 0
    result = run([original, copy, *("\n".join(paragraphs(rng)) for _ in range(3))])
    assert result[0].cluster == result[1].cluster == "0000000000000000"
    assert all(r.cluster is None for r in result[2:])


def test_the_same_copy_with_an_opening_paragraph_of_its_own_is_not_linked_by_its_opening() -> None:
    rng = random.Random(11)
    paras = story(rng)
    original = LEAD + "\n".join("".join(p) for p in paras)
    copy = hard_reprint(paras, rng, own_opening=True)
    found = verdict(evidence(copy), evidence(original))
    assert found.containment < REPRINT_CONTAINMENT and not found.reprint
    assert run([original, copy])[1].cluster is None


def test_a_quote_in_paragraphs_of_its_own_after_a_short_opening_is_partial_not_a_reprint() -> None:
    """The report's own text before the quote is one short sentence (under ``EMBEDDED``), so only its
    paragraphs show the quote: its own opening and closing paragraphs around three of the story's.
    The story is reprinted elsewhere (so it may hold a cut copy), and the quote is most of the report."""
    rng = random.Random(12)
    paras = ["".join(p) for p in story(rng)]
    original = LEAD + "\n".join(paras)
    cut = "\n".join(paras[:5])
    report = "本报讯 " + clause(rng) + "\n" + "\n".join(paras[2:5]) + "\n" + clause(rng) + clause(rng)
    found = verdict(evidence(report), evidence(original))
    assert found.containment >= REPRINT_CONTAINMENT and not found.reprint
    result = run([original, cut, report])
    assert result[0].cluster == result[1].cluster == "0000000000000000"
    assert result[2].cluster is None and result[2].kind == "partial" and result[2].passages


def test_meeting_reports_of_one_template_are_not_reprints_by_their_opening() -> None:
    """Forty reports open on the same formulas (会议强调…) with their own sentences after each: a pair keeps
    its opening and is mostly shared, but its own text sits after every formula (and the shared text is
    formulaic, held by every report)."""
    rng = random.Random(13)
    reports = ["\n".join(f + sentence(rng) for f in FORMULA) for _ in range(40)]
    found = verdict(evidence(reports[0]), evidence(reports[1]))
    assert found.containment < REPRINT_CONTAINMENT and found.common >= MIN_COMMON and not found.reprint
    assert all(r.cluster is None and not r.passages for r in run(reports))


def test_paragraph_breaks_are_normalised_positions_of_paragraphs_with_text() -> None:
    norm = normalize("新华社北京3月5日电\n甲乙丙，丁。\n\n  \n戊己\n。\n庚")
    assert "".join(map(chr, norm.codes.tolist())) == "甲乙丙丁戊己庚"
    assert np.array_equal(norm.breaks, [4, 6])


def test_a_hard_edited_reprint_of_a_story_that_prints_a_formula_is_still_linked() -> None:
    """The formula's anchors are formulaic (forty meeting reports print it), but the story's own text is
    most of what the copy (linked by its opening only) shares with it: the link stays."""
    rng = random.Random(14)
    paras = story(rng)
    paras[2][0] = FORMULA[1]
    original = LEAD + "\n".join("".join(p) for p in paras)
    copy = hard_reprint(paras, rng)
    assert verdict(evidence(copy), evidence(original)).opening == 0
    reports = ["\n".join(f + sentence(rng) + sentence(rng) for f in FORMULA) for _ in range(40)]
    result = run([original, copy, *reports])
    assert result[0].cluster == result[1].cluster == "0000000000000000"
    assert all(r.cluster is None for r in result[2:])


def test_a_hard_edited_copy_of_a_story_printed_by_many_papers_is_linked() -> None:
    """Forty papers print the story whole, so its anchors are held by more than 1% of the records ("formulaic");
    the copy keeps its opening and most of it is the story's: it joins the story (through the members
    together, which hold it as one of them does)."""
    rng = random.Random(16)
    paras = story(rng, sentences=7)
    whole = "\n".join("".join(p) for p in paras)
    kept = [clause(rng) + "".join(paras[0][1:]), "".join(paras[2]), "".join(clause(rng) for _ in range(6)),
            "".join(paras[4])]
    copy = typo("\n".join(kept), rng, 10)
    assert verdict(evidence(copy), evidence(whole)).opening == 0
    result = run([*[whole] * 40, copy])
    assert {r.cluster for r in result} == {"0000000000000000"}


@pytest.mark.parametrize("n", [3, 10])
def test_a_few_meeting_reports_of_one_template_are_not_linked_in_a_release_of_fifty(n: int) -> None:
    """Too few reports for their formulas to be held by more than max(32, 1%) records (so no anchor is
    formulaic): their own sentence after each formula still keeps them apart, while a hard-edited reprint
    in the same release (its opening kept, one paragraph added) links."""
    rng = random.Random(13)
    reports = ["\n".join(f + sentence(rng) for f in FORMULA) for _ in range(n)]
    paras = story(rng)
    original = LEAD + "\n".join("".join(p) for p in paras)
    copy = hard_reprint(paras, rng)
    others = ["\n".join(paragraphs(rng, 3)) for _ in range(48 - n)]
    result = run([original, copy, *reports, *others])
    assert len(result) == 50
    assert result[0].cluster == result[1].cluster == "0000000000000000"
    assert all(r.cluster is None and not r.passages and r.kind == "original" for r in result[2:])


def test_a_copy_with_an_intro_and_a_closing_paragraph_of_its_own_is_a_reprint() -> None:
    """The story's first five paragraphs whole, a short intro (近日，我县…) and closing (大家纷纷表示…) of the
    paper's own as paragraphs of their own: mostly the story's and it keeps its opening, a reprint."""
    rng = random.Random(3)
    paras = ["".join(p) for p in story(rng)]
    original = LEAD + "\n".join(paras)
    intro, closing = "近日，我县干部群众认真收看收听相关报道，反响热烈。", "大家纷纷表示，要以实际行动抓好落实。"
    copy = "\n".join([intro, *paras[:5], closing])
    found = verdict(evidence(copy), evidence(original))
    assert found.containment >= REPRINT_CONTAINMENT and found.reprint
    result = run([original, copy, "\n".join(paragraphs(rng, 5))])
    assert result[0].cluster == result[1].cluster == "0000000000000000" and result[1].kind == "reprint"
    assert result[2].cluster is None


def test_two_reports_of_a_two_formula_template_do_not_pass_as_a_copy_that_keeps_its_opening() -> None:
    """Two formulas, an own sentence after each: own text in two places only (like an added paragraph and a
    closing), but what they share is sentence-long, never a paragraph of a story (``LONG_RUN``)."""
    rng = random.Random(5)
    a, b = ("\n".join(f + "".join(rng.choice(CHARS) for _ in range(18)) + "。" for f in FORMULA[:2]) for _ in range(2))
    found = verdict(evidence(a), evidence(b))
    assert found.containment < REPRINT_CONTAINMENT and found.common >= MIN_COMMON and not found.reprint


def test_a_report_quoting_a_story_s_opening_with_a_closing_paragraph_of_its_own_is_not_a_reprint() -> None:
    """A short opening sentence, the story's first four paragraphs, then a paragraph of the report's own
    (more than ``EMBEDDED`` characters): mostly the story's and from its opening, but a quote."""
    rng = random.Random(21)
    paras = ["".join(p) for p in story(rng)]
    original = LEAD + "\n".join(paras)
    report = "本报讯 " + clause(rng) + "\n" + "\n".join(paras[:4]) + "\n" + "".join(clause(rng) for _ in range(5))
    found = verdict(evidence(report), evidence(original))
    assert found.containment >= REPRINT_CONTAINMENT and not found.reprint
    result = run([original, report])
    assert result[1].cluster is None and result[1].kind == "partial" and result[1].passages
