"""Persons, places and organizations from segmented tokens, and TF-IDF keywords.

Tokens are tagged by dictionary lookup (:func:`builders.segment.tag`); only the
out-of-vocabulary words found by jieba's HMM (new names, mostly) go through the POS
HMM, one short token at a time. Lists are de-duplicated in order of first mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from builders.names import looks_like_name
from builders.region import place_names
from builders.segment import known, pos_tag, tag

DATA = Path(__file__).parent / "data"
TOP_K = 10
ORG_HEADS = (
    "有限公司", "公司", "集团", "银行", "委员会", "人民政府", "政府", "法院", "检察院", "管委会", "党工委", "大学",
    "学院", "医院", "协会", "联盟", "合作社", "研究院", "研究所", "中心", "办事处", "局", "杂志社", "报社",
)  # fmt: skip
"""Last tokens of an organization name; the name runs back over the nouns before them."""
ORG_BODY_TAGS = frozenset(("ns", "nz", "n", "j", "nt", "nr", "nrt", "x", "vn", "b", "l"))
ORG_ENDINGS = (*ORG_HEADS, "党", "委", "会", "办", "部", "院", "联", "行", "团", "所", "站", "中央", "厅", "署")
PLACE_ENDINGS = (*"省市县区旗镇乡村州国江河湖山岛海洋岭溪湾港", "街道")
SPEECH = ("说", "介绍", "表示", "参加", "主持", "强调", "指出", "认为", "告诉", "坦言", "透露", "出席", "讲话", "提出")
"""Words after which an unknown two-character word tagged nr is taken as a name (陈宵说)."""
MIN_ORG_CHARS = 5
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_NUMBER = re.compile(r"^[\d.%０-９零〇一二三四五六七八九十百千万亿两几第]+$")


@dataclass(frozen=True)
class Tagged:
    """A token with its POS tag."""

    word: str
    tag: str


def tag_tokens(tokens: Iterable[str]) -> list[Tagged]:
    """POS tags by dictionary lookup; the POS HMM only for unknown words of Chinese characters."""
    return [Tagged(t, pos_tag(t) if len(t) > 1 and not known(t) and _HAN.match(t) else tag(t)) for t in tokens]


def _dedup(words: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(words))


def _is_person(tagged: Sequence[Tagged], i: int) -> bool:
    word = tagged[i].word
    if not tagged[i].tag.startswith("nr") or not looks_like_name(word) or word.endswith(PLACE_ENDINGS):
        return False
    if known(word):  # the dictionary's nr covers famous people and many common words (文明, 阳光)
        return len(word) >= 3 and tagged[i].tag == "nrfg"
    if len(word) == 2:
        return i + 1 < len(tagged) and tagged[i + 1].word.startswith(SPEECH)
    return not (known(word[:2]) and not tag(word[:2]).startswith("nr"))


def token_persons(tagged: Sequence[Tagged]) -> list[str]:
    """Tokens tagged as names (nr) that look like names, unknown to the dictionary or famous (nrfg)."""
    return [t.word for i, t in enumerate(tagged) if _is_person(tagged, i)]


@cache
def not_places() -> frozenset[str]:
    """Generic words jieba's dictionary tags ns (城市, 社区), from ``data/not_places.txt``."""
    lines = (DATA / "not_places.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _is_place(t: Tagged) -> bool:
    if t.word in not_places():
        return False
    if t.word in place_names():  # short names (庆元, 平安) only where the dictionary says place
        return t.word.endswith(PLACE_ENDINGS) or t.tag == "ns"
    return t.tag == "ns" and len(t.word) >= 2 and t.word.endswith(PLACE_ENDINGS)


_TOWN = re.compile(r"(?<=[县区市])([\u4e00-\u9fff]{2,4}?(?:街道|镇|乡))(?![长党政人])")


def towns(text: str) -> list[str]:
    """Towns and sub-districts named after their county (庆元县百山祖镇 -> 百山祖镇)."""
    return _dedup(
        m.group(1) for m in _TOWN.finditer(text) if m.group(1)[0] not in "委政第各全本我该" and "届" not in m.group(1)
    )


def places(tagged: Sequence[Tagged], text: str = "") -> list[str]:
    """Place names: gazetteer names, named places (ns) and towns, at least two characters."""
    return _dedup([t.word for t in tagged if _is_place(t)] + towns(text))


def _org_at(tagged: Sequence[Tagged], end: int) -> str | None:
    start = end
    while (
        start > 0 and end - start < 3 and tagged[start - 1].tag in ORG_BODY_TAGS and _HAN.match(tagged[start - 1].word)
    ):
        if tagged[start - 1].word.endswith(ORG_HEADS):
            break
        start -= 1
    name = "".join(t.word for t in tagged[start : end + 1])
    return name if start < end and len(name) >= MIN_ORG_CHARS else None


def organizations(tagged: Sequence[Tagged]) -> list[str]:
    """Organizations: dictionary ``nt`` words and noun runs ending in an organ word (开化农商银行)."""
    found = []
    for i, t in enumerate(tagged):
        if t.tag == "nt" and len(t.word) >= 2 and t.word.endswith(ORG_ENDINGS):
            found.append(t.word)
        elif t.word.endswith(ORG_HEADS):
            org = _org_at(tagged, i)
            if org:
                found.append(org)
    return _dedup(found)


@cache
def stop_words() -> frozenset[str]:
    """Stop words of ``data/stopwords.txt``."""
    lines = (DATA / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@cache
def _idf() -> tuple[dict[str, float], float]:
    import jieba.analyse

    extractor = jieba.analyse.default_tfidf
    return extractor.idf_freq, extractor.median_idf


def keywords(tokens: Sequence[str], k: int = TOP_K) -> list[str]:
    """Top ``k`` words by TF-IDF (jieba's IDF table) over the given tokens; ties by first mention."""
    stops = stop_words()
    counts: dict[str, int] = {}
    for w in tokens:
        if len(w) >= 2 and w not in stops and _HAN.match(w) and not _NUMBER.match(w):
            counts[w] = counts.get(w, 0) + 1
    idf, median = _idf()
    order = {w: i for i, w in enumerate(counts)}
    return sorted(counts, key=lambda w: (-counts[w] * idf.get(w, median), order[w]))[:k]
