"""Valid :class:`schema.Article` objects for tests: a plain factory and hypothesis strategies."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from hypothesis import strategies as st

from schema import Article, ArticleDraft

FULL_WIDTH = "，。！？：；“”‘’（）《》【】、…—　０１２３ＡＢＣ"
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ASTRAL = st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF)  # CJK extension B: 4-byte UTF-8
TEXT_CHARS = st.one_of(CJK, CJK, st.sampled_from(FULL_WIDTH), ASTRAL, st.characters(codec="utf-8"))
text = st.text(TEXT_CHARS, max_size=40)
nonempty = st.text(TEXT_CHARS, min_size=1, max_size=20)
opt_text = st.none() | text


def make_article(n: int = 0, **overrides: Any) -> Article:
    """A small valid article; ``n`` varies the id and ordinal, ``overrides`` replace fields."""
    digest = hashlib.sha256(f"article-{n}".encode()).hexdigest()
    values: dict[str, Any] = dict(
        id=digest[:16],
        source_file=f"{n // 10:03d}_page.txt",
        source_sha256=hashlib.sha256(f"page-{n // 10}".encode()).hexdigest(),
        spans=[{"start": 0, "end": 10 + n}],
        ordinal=n % 10,
        column=None,
        kicker=None,
        headline=f"庆元县召开全县领导干部会议（{n}）",
        subheadline=None,
        title_lines=[f"庆元县召开全县领导干部会议（{n}）"],
        reading_tip=None,
        bylines=[{"name": "胡松", "role": "correspondent"}],
        body="本报讯 5月29日19时，庆元召开全县领导干部会议。\n会议强调……",
        captions=[],
        sidebars=[],
        attribution=None,
        continued_on=None,
        continued_from=None,
        kind="news",
        dateline={"month": 5, "day": 29, "weekday": None},
        flags=[],
        year=2020,
        year_evidence="manifest",
        date=datetime.date(2020, 5, 29),
        newspaper="庆元报",
        page="01",
        url=None,
        license=None,
        manifest_fields=["newspaper", "date", "page"],
        path_fields=[],
        tokens=["本报讯", "庆元"],
        token_count=2,
        char_count=30,
        keywords=["庆元"],
        persons=["胡松"],
        places=["庆元"],
        organizations=[],
        officials=[],
        region={"code": "331126", "province": "浙江省", "prefecture": "丽水市", "county": "庆元县"},
    )
    values.update(overrides)
    return Article.model_validate(values)


def make_draft(source_file: str = "x.txt", body: str = "2018年,全县增长8%。", **overrides: Any) -> ArticleDraft:
    """A parser's draft of one article of ``source_file`` (what enrichment receives); ``overrides`` replace fields."""
    values: dict[str, Any] = dict(
        id="0" * 16, source_file=source_file, source_sha256="0" * 64, spans=[{"start": 0, "end": 1}], ordinal=0,
        column=None, kicker=None, headline="全县经济稳中有进", subheadline=None, title_lines=["全县经济稳中有进"],
        reading_tip=None, bylines=[], body=body, captions=[], sidebars=[], attribution=None, continued_on=None,
        continued_from=None, kind="news", dateline=None, flags=[],
    )
    values.update(overrides)
    return ArticleDraft.model_validate(values)


def empty_article(n: int = 0) -> Article:
    """An article whose optional columns are all None and whose lists are all empty."""
    return make_article(
        n,
        bylines=[],
        title_lines=[],
        dateline=None,
        year=None,
        year_evidence=None,
        date=None,
        newspaper=None,
        page=None,
        manifest_fields=[],
        tokens=[],
        keywords=[],
        persons=[],
        places=[],
        region=None,
    )


hex16 = st.text("0123456789abcdef", min_size=16, max_size=16)
bylines = st.lists(st.builds(dict, name=nonempty, role=st.sampled_from(["reporter", "editor", "unknown"])), max_size=3)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    """Articles with CJK text, full-width punctuation, astral characters, empty lists and None."""
    base = make_article(draw(st.integers(0, 10_000)))
    overrides = dict(
        id=draw(hex16),
        kicker=draw(opt_text),
        headline=draw(nonempty),
        subheadline=draw(opt_text),
        title_lines=draw(st.lists(text, max_size=3)),
        bylines=draw(bylines),
        body=draw(text),
        captions=draw(st.lists(st.builds(dict, text=nonempty, credits=bylines), max_size=2)),
        sidebars=draw(st.lists(st.builds(dict, title=nonempty, text=text), max_size=2)),
        dateline=draw(st.none() | st.builds(dict, month=st.integers(1, 12), day=st.integers(1, 31),
                                            weekday=st.none() | st.integers(1, 7))),
        date=draw(st.none() | st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))),
        year=draw(st.none() | st.integers(1900, 2100)),
        tokens=draw(st.lists(nonempty, max_size=5)),
        officials=draw(st.lists(st.builds(dict, name=nonempty, title=nonempty), max_size=2)),
        region=draw(st.none() | st.just(base.region)),
        spans=draw(st.lists(st.builds(dict, start=st.integers(0, 2**40), end=st.integers(0, 2**40)),
                            min_size=1, max_size=3)),
    )
    return Article.model_validate({**base.model_dump(), **overrides})
