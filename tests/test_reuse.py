"""The reuse stage's detection library on invented text: each kind of reprint edit, quotes, guards."""

from __future__ import annotations

import datetime
import random

import numpy as np
import pytest

from builders.reuse import candidates
from builders.reuse.candidates import BANDS, NUM_PERM, ROWS, THRESHOLD, lsh_params
from builders.reuse.cluster import Meta
from builders.reuse.detect import Index, detect
from builders.reuse.normalize import credited_to, normalize
from schema import Reuse

CHARS = "政府经济发展建设工作会议人民群众服务乡村振兴产业项目企业农业生态旅游文化教育医疗交通安全" \
        "改革创新干部党员组织社会治理"


def sentence(rng: random.Random) -> str:
    return "".join(rng.choice(CHARS) for _ in range(rng.randint(12, 30))) + rng.choice("，。")


def paragraphs(rng: random.Random, n: int = 6) -> list[str]:
    return ["".join(sentence(rng) for _ in range(4)) for _ in range(n)]


def run(bodies: list[str], dates: list[datetime.date | None] | None = None) -> list[Reuse]:
    dates = dates or [None] * len(bodies)
    metas = [Meta(f"{i:016x}", d, None, f"p{i}.txt", 0, credited_to(b))
             for i, (b, d) in enumerate(zip(bodies, dates, strict=True))]
    index = Index()
    index.add(zip(metas, bodies, strict=True))
    reuse_of = detect(index, lambda i: bodies[i])
    return [reuse_of(i) for i in range(len(bodies))]


def typos(text: str, rng: random.Random, n: int = 4) -> str:
    chars = list(text)
    for at in rng.sample(range(len(chars)), n):
        chars[at] = "的"
    return "".join(chars)


EDITS = {
    "identical (retitled)": lambda p, rng: "\n".join(p),
    "lead rewritten to 据新华社…电": lambda p, rng: "据新华社北京3月5日电 " + "\n".join(p),
    "lead dropped": lambda p, rng: "\n".join(p),
    "paragraphs cut": lambda p, rng: "\n".join(p[:4]),
    "paragraphs reordered": lambda p, rng: "\n".join([p[3], p[0], p[2], p[1], p[5], p[4]]),
    "paragraph added": lambda p, rng: "\n".join([*p[:2], *paragraphs(rng, 1), *p[2:]]),
    "light typos": lambda p, rng: typos("\n".join(p), rng),
}


@pytest.mark.parametrize("edit", EDITS)
def test_a_reprint_is_found_through_each_edit(edit: str) -> None:
    rng = random.Random(edit)
    story = paragraphs(rng)
    original = "新华社北京3月5日电（记者 王明）" + "\n".join(story)
    bodies = [original, EDITS[edit](story, rng), *("\n".join(paragraphs(rng)) for _ in range(4))]
    result = run(bodies, [datetime.date(2021, 3, 5), datetime.date(2021, 3, 6), *[None] * 4])
    assert result[0].cluster == result[1].cluster == "0000000000000000"
    assert (result[0].kind, result[1].kind) == ("original", "reprint")
    assert result[1].source_id == "0000000000000000" and result[1].similarity is not None
    assert result[0].credited_to == "新华社"
    assert all(r.cluster is None and r.kind == "original" for r in result[2:])


def test_a_quoted_passage_is_a_partial_reuse_with_its_span() -> None:
    rng = random.Random(1)
    story = "新华社北京3月5日电 " + "\n".join(paragraphs(rng))
    passage = story[40:260]
    before = "本报讯 " + "".join(sentence(rng) for _ in range(8))
    local = before + passage + "".join(sentence(rng) for _ in range(8))
    result = run([story, local])
    assert result[0].cluster is None and result[1].cluster is None
    assert (result[0].kind, result[1].kind) == ("original", "partial")
    span = result[1].passages[0]
    assert span.other_id == "0000000000000000"
    assert abs(span.start - len(before)) <= 3 and abs(span.end - len(before) - len(passage)) <= 3


def test_a_local_report_quoting_a_cut_reprint_is_partial_not_a_reprint() -> None:
    """The quote holds most of a short cut reprint (containment >= 0.7), but it sits inside the
    report's own text: the report is partial reuse and the reprint stays in its story's cluster."""
    rng = random.Random(4)
    story = paragraphs(rng, 6)
    original = "新华社北京3月5日电 " + "\n".join(story)
    cut = "\n".join(story[1:4])
    other_cut = "\n".join(story[:5])
    local = "本报讯 " + "".join(sentence(rng) for _ in range(6)) + "\n".join(story[1:4]) + \
        "".join(sentence(rng) for _ in range(6))
    result = run([original, cut, other_cut, local])
    assert result[0].cluster == result[1].cluster == result[2].cluster == "0000000000000000"
    assert result[3].cluster is None and result[3].kind == "partial" and result[3].passages


def test_a_cut_keeping_middle_paragraphs_joins_the_story_through_a_reprint() -> None:
    """A copy that kept only middle paragraphs sits inside the longer copies, which are reprints of
    each other: it is a reprint too, not a quote."""
    rng = random.Random(5)
    story = paragraphs(rng, 7)
    bodies = ["\n".join(story), "\n".join(story[:6]), "\n".join(story[2:5])]
    assert len({r.cluster for r in run(bodies)} - {None}) == 1 and run(bodies)[2].cluster is not None


def test_a_cut_covered_only_by_several_members_together_joins_their_story() -> None:
    """Two copies kept different paragraphs (they link: 5 of 6 shared); a third kept the paragraph
    only the first has and the one only the second has (half of it in each, all of it in both).
    A local report carrying five paragraphs of the story between its own sentences is a quote."""
    rng = random.Random(6)
    p = paragraphs(rng, 8)
    own = ["".join(rng.choice(CHARS) for _ in range(70)) + "。" for _ in range(2)]
    quote = "本报讯 " + own[0] + "".join(p[2:7]) + own[1]
    bodies = ["\n".join(p[:6]), "\n".join([*p[:5], p[6]]), "\n".join([p[5], p[6]]), quote]
    result = run(bodies)
    assert result[0].cluster == result[1].cluster == result[2].cluster == "0000000000000000"
    assert result[2].kind == "reprint" and result[3].cluster is None and result[3].kind == "partial"


def test_a_short_story_printed_after_a_cut_copy_does_not_join_that_copy_s_story() -> None:
    """B prints four of story X's six paragraphs, then a short story Y of its own; C prints Y alone.
    A (X) and C share nothing: C is a partial reuse of B, not a member of X's cluster."""
    rng = random.Random(7)
    x, y = paragraphs(rng, 6), paragraphs(rng, 2)
    result = run(["\n".join(x), "\n".join([*x[:4], *y]), "\n".join(y)])
    assert result[0].cluster is not None and result[0].cluster == result[1].cluster
    assert result[2].cluster is None and result[2].kind == "partial"
    assert {p.other_id for p in result[2].passages} == {f"{1:016x}"}


def test_anchor_postings_are_the_same_in_one_hash_range_or_many(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pairs sharing 3 anchors spread over several hash ranges are still found (counts summed across
    ranges), and formulaic anchors are the same."""
    rng = np.random.default_rng(0)
    pool = rng.integers(0, 2**60, size=400, dtype=np.uint64)
    held = [np.unique(rng.choice(pool, size=30, replace=False)) for _ in range(120)]
    held[7] = np.unique(np.concatenate([held[7], pool[:3]]))
    held[90] = np.unique(np.concatenate([held[90], pool[:3]]))
    for i in range(60):
        held[i] = np.unique(np.concatenate([held[i], [np.uint64(12345)]]))
    values = np.concatenate(held)
    owners = np.concatenate([np.full(len(h), i, dtype=np.int32) for i, h in enumerate(held)])
    whole = candidates.anchor_postings(values, owners, len(held), max_df=40)
    monkeypatch.setattr(candidates, "ANCHOR_CHUNK", 64)
    assert len(candidates.hash_ranges(len(values))) > 16
    pieces = candidates.anchor_postings(values, owners, len(held), max_df=40)
    assert np.array_equal(whole[0], pieces[0]) and np.array_equal(whole[1], pieces[1])
    assert len(whole[0]) and len(whole[1]) and [7, 90] in whole[0].tolist()


FORMULA = ["会议强调，要深入学习贯彻党的二十大精神，坚持以人民为中心的发展思想，切实把思想和行动统一到决策部署上来。",
           "会议指出，今年以来全县上下凝心聚力、攻坚克难，各项工作取得了明显成效。",
           "会议要求，各级各部门要切实提高政治站位，压紧压实工作责任，确保各项任务落到实处。"]


def test_formulaic_meeting_reports_are_not_linked() -> None:
    rng = random.Random(2)
    reports = ["\n".join(f + sentence(rng) + sentence(rng) for f in FORMULA) for _ in range(2)]
    assert all(r.cluster is None and not r.passages and r.kind == "original" for r in run(reports))


def test_short_texts_are_never_clustered() -> None:
    notice = "本报讯 今天全县天气晴好，县图书馆本周日正常开放。"
    assert [r.cluster for r in run([notice, notice, notice])] == [None, None, None]


def test_a_cluster_has_no_source_when_a_member_has_no_date() -> None:
    rng = random.Random(3)
    body = "\n".join(paragraphs(rng))
    result = run([body, body], [datetime.date(2021, 3, 5), None])
    assert result[0].cluster and result[0].source_id is None and {r.kind for r in result} == {"reprint"}


def test_lsh_bands_are_the_optimum_for_the_threshold() -> None:
    assert lsh_params(THRESHOLD, NUM_PERM) == (BANDS, ROWS) and BANDS * ROWS <= NUM_PERM


def test_normalisation_folds_width_and_drops_punctuation_lead_and_credits() -> None:
    norm = normalize("新华社北京３月５日电（记者 王明）ＡＢＣ，１２３。\n来源：人民日报")
    assert "".join(map(chr, norm.codes.tolist())) == "abc123"
    assert np.array_equal(norm.where[:1], [17])


@pytest.mark.parametrize(("body", "outlet"), [
    ("新华社北京3月5日电（记者 王明）正文", "新华社"),
    ("据人民日报报道 正文", "人民日报"),
    ("正文。\n来源：浙江日报", "浙江日报"),
    ("本报讯 正文", None),
])
def test_credited_to(body: str, outlet: str | None) -> None:
    assert credited_to(body) == outlet
