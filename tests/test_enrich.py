"""Enrichment on the seed pages: acceptance figures against hand-made answers.

Drafts are built from the gold answer key (``tests/data/gold_seeds.jsonl``, a copy of
shared/gold/seeds.jsonl) so that these tests do not depend on the parser; ``test_real_parse_*`` run the real parser too.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders.enrich.page import enrich_page
from builders.parse.page import parse_page
from builders.read.decode import Page, read_page
from builders.read.manifest import PageMeta
from schema import Article, ArticleDraft, Byline, Dateline
from tests.factories import make_draft

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "gold_seeds.jsonl"  # copy of shared/gold/seeds.jsonl
SEEDS = ROOT / "seeds"
HAND_OFFICIALS = Path(__file__).parent / "enrich_data" / "officials_seeds.tsv"
REGIONS = {"000": "331126", "001": "330824", "002": None, "004": "330803"}


def gold_records() -> list[dict]:
    """The answer key, one dict per article."""
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def draft_from_gold(record: dict) -> ArticleDraft:
    """An ArticleDraft as a perfect parser would give it."""
    dateline = record.get("dateline")
    return make_draft(
        record["source_file"],
        "\n".join(record["paragraphs"]),
        id=f"{record['ordinal']:016x}",
        ordinal=record["ordinal"],
        column=record.get("column"),
        kicker=record.get("kicker"),
        headline=record.get("headline") or record["title_lines"][0],
        subheadline=record.get("subheadline"),
        title_lines=record["title_lines"],
        reading_tip=record.get("reading_tip"),
        bylines=[Byline(**b) for b in record["bylines"]],
        attribution=record.get("attribution"),
        kind=record.get("kind", "news"),
        dateline=Dateline(month=dateline["month"], day=dateline["day"], weekday=None) if dateline else None,
    )


@pytest.fixture(scope="session")
def gold_pages() -> dict[str, tuple[str, list[dict], list[Article]]]:
    """{page prefix: (page text, gold records, enriched articles)} for the four seed pages."""
    by_file: dict[str, list[dict]] = defaultdict(list)
    for record in gold_records():
        by_file[record["source_file"]].append(record)
    pages = {}
    for name, records in sorted(by_file.items()):
        text = (SEEDS / name).read_text(encoding="utf-8")
        pages[name[:3]] = (text, records, enrich_page([draft_from_gold(r) for r in records], text))
    return pages


@pytest.fixture(scope="session")
def parsed_pages() -> dict[str, list[Article]]:
    """The seed pages through the real parser and enrichment."""
    pages = {}
    for path in sorted(SEEDS.glob("*.txt")):
        page = read_page(path, SEEDS)
        assert isinstance(page, Page)
        pages[path.name[:3]] = enrich_page(parse_page(page.text, page.source_file, page.sha256).articles, page.text)
    return pages


def hand_officials() -> set[tuple[str, str, str]]:
    """(page, name, title) from the hand-checked list."""
    rows = [line.split("\t") for line in HAND_OFFICIALS.read_text(encoding="utf-8").splitlines()]
    return {(r[0], r[1], r[2]) for r in rows if r and not r[0].startswith("#")}


def precision_recall(found: set[tuple[str, str, str]], expected: set[tuple[str, str, str]]) -> tuple[float, float]:
    """Precision and recall of ``found`` against ``expected``."""
    hits = len(found & expected)
    return hits / max(len(found), 1), hits / len(expected)


def found_officials(pages: dict[str, list[Article]]) -> set[tuple[str, str, str]]:
    """(page, name, title) of every official found."""
    return {(key, o.name, o.title) for key, arts in pages.items() for a in arts for o in a.officials}


def test_officials_precision_recall_on_gold_bodies(gold_pages: dict) -> None:
    found = found_officials({k: v[2] for k, v in gold_pages.items()})
    precision, recall = precision_recall(found, hand_officials())
    assert precision >= 0.94 and recall >= 0.94, (precision, recall, found ^ hand_officials())


def test_officials_precision_recall_on_real_parse(parsed_pages: dict) -> None:
    precision, recall = precision_recall(found_officials(parsed_pages), hand_officials())
    assert precision >= 0.94 and recall >= 0.94, (precision, recall)


@pytest.mark.parametrize("key", sorted(REGIONS))
def test_region_of_each_seed_page(gold_pages: dict, parsed_pages: dict, key: str) -> None:
    for articles in (gold_pages[key][2], parsed_pages[key]):
        codes = {a.region.code if a.region else None for a in articles}
        assert codes == {REGIONS[key]}


def test_region_names(gold_pages: dict) -> None:
    region = gold_pages["000"][2][0].region
    assert region is not None
    assert (region.province, region.prefecture, region.county) == ("浙江省", "丽水市", "庆元县")


@pytest.mark.parametrize("key", ["000", "001", "002", "004"])
def test_page_year_matches_gold(gold_pages: dict, parsed_pages: dict, key: str) -> None:
    _, records, articles = gold_pages[key]
    assert {a.year for a in articles} == {records[0]["year"]}
    assert {a.year for a in parsed_pages[key]} == {records[0]["year"]}
    assert all(a.year_evidence for a in articles)


def test_date_from_dateline_and_page_year(gold_pages: dict) -> None:
    first = gold_pages["002"][2][0]
    assert first.date == datetime.date(2018, 10, 20)
    assert first.year_evidence == "weekday:10月20日(周六)"


def test_tokens_are_the_body_without_whitespace(gold_pages: dict) -> None:
    for _, _, articles in gold_pages.values():
        for a in articles:
            assert "".join(a.tokens) == re.sub(r"\s", "", a.body)
            assert not any(t.isspace() for t in a.tokens)
            assert a.token_count == len(a.tokens)
            assert a.char_count == len(re.sub(r"\s", "", a.body))


def test_keywords_are_words_not_numbers_or_stop_words(gold_pages: dict) -> None:
    for _, _, articles in gold_pages.values():
        for a in articles:
            assert 0 < len(a.keywords) <= 10
            assert all(len(k) >= 2 and not re.search(r"\d", k) for k in a.keywords)
            assert not {"工作", "进一步", "会议"} & set(a.keywords)


def test_persons_include_bylines_and_skip_mislabels(gold_pages: dict) -> None:
    persons = {p for _, _, arts in gold_pages.values() for a in arts for p in a.persons}
    assert {"胡松", "胡琦琪", "蓝伶俐", "郑婷婷", "陈旭升"} <= persons
    assert not {"荣获", "幸福感", "三连冠", "获得感", "文明", "高水平"} & persons
    assert all(len(p) >= 2 for p in persons)
    first = gold_pages["000"][2][0]
    assert first.persons[:2] == ["胡松", "胡琦琪"]


def test_places_and_organizations(gold_pages: dict) -> None:
    places = [p for _, _, arts in gold_pages.values() for a in arts for p in a.places]
    orgs = [o for _, _, arts in gold_pages.values() for a in arts for o in a.organizations]
    assert {"庆元县", "百山祖镇", "衢州市", "衢江区", "浮石街道"} <= set(places)
    assert not {"城市", "美丽", "深度", "金山"} & set(places)
    assert {"开化农商银行", "鸿儒文化传媒有限公司", "社科联"} <= set(orgs)


def test_manifest_wins(gold_pages: dict) -> None:
    text, records, _ = gold_pages["002"]
    meta = PageMeta(newspaper="丽水日报", date=datetime.date(2018, 10, 21), region="331102", given=("date", "region"))
    articles = enrich_page([draft_from_gold(r) for r in records], text, meta)
    assert {a.year_evidence for a in articles} == {"manifest"}
    assert {a.date for a in articles} == {datetime.date(2018, 10, 21)}
    assert {a.region.county if a.region else None for a in articles} == {"莲都区"}
    assert articles[0].manifest_fields == ["date", "region"]


WORDS = ["县委", "书记", "乡村", "振兴", "的", "了", "2021", "工作", "会议", "庆元", "甲乙丙", "，", "。", "产业"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=60), st.integers(1, 12))
def test_keywords_are_the_top_tf_idf_words_ties_by_first_mention(tokens: list[str], k: int) -> None:
    """The scores sorted in C give what a plain heap over (-count x IDF, first mention) gives."""
    import heapq
    from collections import Counter

    from builders.enrich.entities import _idf, _keyword_word, keywords, stop_words

    idf, median = _idf()
    scored = [(-n * idf.get(w, median), i, w) for i, (w, n) in enumerate(Counter(tokens).items())
              if _keyword_word(w) and w not in stop_words()]
    assert keywords(tokens, k) == [w for _, _, w in heapq.nsmallest(k, scored)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40), st.sets(st.sampled_from(WORDS), max_size=8))
def test_token_positions_by_index_or_by_loop_agree(tokens: list[str], words: set[str]) -> None:
    from builders.enrich.entities import _positions

    assert _positions(tokens, words) == [i for i, w in enumerate(tokens) if w in words]
