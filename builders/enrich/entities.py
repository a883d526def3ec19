"""Persons, places and organizations from segmented tokens, and TF-IDF keywords.

Tokens are tagged by dictionary lookup (:func:`builders.segment.tokenizer.tag`); only the
out-of-vocabulary words found by jieba's HMM (new names, mostly) go through the POS
HMM, one short token at a time. Lists are de-duplicated in order of first mention.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import cache, lru_cache
from itertools import compress
from operator import mul
from pathlib import Path
from typing import Any

from builders.enrich.names import NOT_PERSON_LAST, common_word, looks_like_name
from builders.enrich.region import place_names, region_words
from builders.memo import temp_memo
from builders.parse.surnames import has_surname
from builders.segment.table import Packed, WordTable
from builders.segment.tokenizer import import_jieba, jieba_tokenizer, known, pos_tag, tag

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
_ORG_LAST = frozenset(e[-1] for e in ORG_ENDINGS)
"""Last characters of :data:`ORG_ENDINGS` (:data:`ORG_HEADS` among them): a quick test before ``endswith``."""
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_NUMBER = re.compile(r"^[\d.%０-９零〇一二三四五六七八九十百千万亿两几第]+$")


@lru_cache(maxsize=1 << 18)
def word_tag(word: str) -> str:
    """POS tag by dictionary lookup; the (small) POS HMM only for unknown words that could be names."""
    if len(word) < 2 or known(word) or not _HAN.match(word):
        return tag(word)
    return pos_tag(word) if len(word) <= 3 and looks_like_name(word) else "x"


def _dedup(words: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(words))


FEW_WORDS = 5
"""Up to this many words, :func:`_positions` finds each by ``index`` as many times as it is counted
(a scan in C per occurrence, some five times cheaper than a step of a Python loop over the tokens);
past them, or without the counts, one walk of the tokens."""


def _positions(tokens: Sequence[str], words: set[str], counts: Mapping[str, int] | None = None) -> list[int]:
    """Where the tokens are any of ``words``, in order (``counts``: ``Counter(tokens)``, when the caller
    has it)."""
    if counts is None or len(words) > FEW_WORDS:
        return [i for i, w in enumerate(tokens) if w in words]
    found = []
    for word in words:
        at = -1
        for _ in range(counts[word]):
            at = tokens.index(word, at + 1)
            found.append(at)
    return sorted(found)


Unique = Mapping[str, int]
"""An article's distinct tokens in order of first mention, with their counts: ``Counter(tokens)``, which
the article's passes share (:func:`builders.enrich.page.enrich_text`) instead of each making its own."""


def _unique(tokens: Sequence[str], unique: Unique | None) -> Unique:
    return Counter(tokens) if unique is None else unique


@lru_cache(maxsize=1 << 16)
def _person_word(word: str) -> bool:
    wtag = word_tag(word)
    if not wtag.startswith("nr") or not looks_like_name(word) or word.endswith(PLACE_ENDINGS):
        return False
    if word[-1] in NOT_PERSON_LAST or common_word(word):  # 桑特向, 刘宇摄, 文明
        return False
    if known(word):  # the dictionary's nr covers famous people and many common words (文明, 阳光)
        return len(word) >= 3 and wtag == "nrfg"
    return len(word) == 2 or not (known(word[:2]) and not tag(word[:2]).startswith("nr"))


PERSON, PLACE, ORG_NAMED, ORG_HEAD, REGION = 1, 2, 4, 8, 16
"""What a word may be in an article (:func:`_word_roles`), as bits."""
_ROLES: dict[str, int] = {}
"""The roles of every word seen, memoised: most words of any article are common words seen before."""
MAX_ROLE_WORDS = 1 << 17
"""Words remembered in :data:`_ROLES` before it starts afresh."""


def _word_roles(word: str) -> int:
    """:data:`PERSON`: a name (a famous person in the dictionary: tagged nrfg, 3+ characters; or an
    unknown word of 2-3 characters with a surname) that :func:`_person_word` takes; :data:`PLACE`: a
    gazetteer name or dictionary ns word that is a place (:func:`_is_place`); it ends like an
    organization (:data:`ORG_ENDINGS`) and is a dictionary ``nt`` word (:data:`ORG_NAMED`) or else ends
    in an organ word (:data:`ORG_HEAD`); :data:`REGION`: a county, prefecture or province name, what the
    region inference counts (:func:`builders.enrich.region.region_words`). Read off the tag table per
    word: no set of all the dictionary's famous people or places is made."""
    dictionary_tag = jieba_tokenizer().tags.get(word)  # None: no dictionary word
    famous = dictionary_tag == "nrfg" and len(word) >= 3
    candidate = famous or (dictionary_tag is None and 2 <= len(word) <= 3 and has_surname(word))
    roles = PERSON if candidate and _person_word(word) else 0
    if (dictionary_tag == "ns" or word in place_names()) and _is_place(word):
        roles |= PLACE
    if word[-1:] in _ORG_LAST and word.endswith(ORG_ENDINGS):  # it ends like an organization
        if len(word) >= 2 and tag(word) == "nt":
            roles |= ORG_NAMED
        elif word.endswith(ORG_HEADS):
            roles |= ORG_HEAD
    return roles | REGION if word in region_words() else roles


Roles = Mapping[str, int]
"""The words of an article that may play a role (:func:`word_roles`), in order of first mention, with
their role bits: a handful of an article's words (most words play none)."""


def _roles_of(unique: Unique) -> list[int]:
    """The roles (:func:`_word_roles`) of the words of ``unique``, in order: a look-up per word in C,
    the roles of words not seen before worked out once."""
    try:
        return list(map(_ROLES.__getitem__, unique))
    except KeyError:
        missing = set(unique).difference(_ROLES)
        if len(_ROLES) + len(missing) > MAX_ROLE_WORDS:
            _ROLES.clear()
            missing = set(unique)
        _ROLES.update((word, _word_roles(word)) for word in missing)
        return list(map(_ROLES.__getitem__, unique))


def word_roles(unique: Unique) -> dict[str, int]:
    """The words of ``unique`` that may play a role (:func:`_word_roles`), in order, with their roles
    (selected in C: the passes below then walk these few words, not all of them). An article's passes
    may share them."""
    roles = _roles_of(unique)
    return dict(zip(compress(unique, roles), filter(None, roles), strict=True))


def _with_role(unique: Unique, role: int, roles: Roles | None) -> list[str]:
    """The words of ``unique`` that may play ``role``, in order; ``roles``: its :func:`word_roles`,
    when the caller has them."""
    return [word for word, its in (word_roles(unique) if roles is None else roles).items() if its & role]


def token_persons(tokens: Sequence[str], unique: Unique | None = None, roles: Roles | None = None
                  ) -> list[str]:
    """Tokens that are names: unknown words the HMM tags nr (two-character ones only before 说,
    介绍…), or famous people in the dictionary (nrfg); in order of first mention (``unique``:
    see :data:`Unique`; ``roles``: its :func:`word_roles`)."""
    unique = _unique(tokens, unique)
    names = _with_role(unique, PERSON, roles)
    if not names:
        return []
    short = {w for w in names if len(w) == 2}
    after = _positions(tokens, short, unique)
    spoken = {tokens[i] for i in after if i + 1 < len(tokens) and tokens[i + 1].startswith(SPEECH)}
    return [w for w in names if w not in short or w in spoken]


@cache
def not_places() -> frozenset[str]:
    """Generic words jieba's dictionary tags ns (城市, 社区), from ``data/not_places.txt``."""
    lines = (DATA / "not_places.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=1 << 16)
def _is_place(word: str) -> bool:
    if word in not_places():
        return False
    if word in place_names():  # short names (庆元, 平安) only where the dictionary says place
        return word.endswith(PLACE_ENDINGS) or tag(word) == "ns"
    return tag(word) == "ns" and len(word) >= 2 and word.endswith(PLACE_ENDINGS)


_TOWN = re.compile(r"[县区市]([\u4e00-\u9fff]{2,4}?(?:街道|镇|乡))(?![长党政人])")
"""The county character is matched, not looked behind for: a pattern opening on a character class is
scanned for it fast (twice as fast here). The same towns: a town ends in 道, 镇 or 乡, so the next one's
county character is never the last character of the one before."""


def towns(text: str) -> list[str]:
    """Towns and sub-districts named after their county (庆元县百山祖镇 -> 百山祖镇)."""
    return _dedup(
        m.group(1) for m in _TOWN.finditer(text) if m.group(1)[0] not in "委政第各全本我该" and "届" not in m.group(1)
    )


def places(tokens: Sequence[str], text: str = "", unique: Unique | None = None, roles: Roles | None = None
           ) -> list[str]:
    """Place names: gazetteer names, named places (ns) and towns, at least two characters."""
    return _dedup(_with_role(_unique(tokens, unique), PLACE, roles) + towns(text))


def _org_at(tokens: Sequence[str], end: int) -> str | None:
    start = end
    while start > 0 and end - start < 3 and word_tag(tokens[start - 1]) in ORG_BODY_TAGS:
        if tokens[start - 1].endswith(ORG_HEADS) or not _HAN.match(tokens[start - 1]):
            break
        start -= 1
    name = "".join(tokens[start : end + 1])
    return name if start < end and len(name) >= MIN_ORG_CHARS else None


def organizations(tokens: Sequence[str], unique: Unique | None = None, roles: Roles | None = None
                  ) -> list[str]:
    """Organizations: dictionary ``nt`` words and noun runs ending in an organ word (开化农商银行)."""
    unique = _unique(tokens, unique)
    roles = word_roles(unique) if roles is None else roles
    named = set(_with_role(unique, ORG_NAMED, roles))
    heads = set(_with_role(unique, ORG_HEAD, roles))
    found = []
    for i in _positions(tokens, named | heads, unique):
        org = tokens[i] if tokens[i] in named else _org_at(tokens, i)
        if org:
            found.append(org)
    return _dedup(found)


@cache
def stop_words() -> frozenset[str]:
    """Stop words of ``data/stopwords.txt``."""
    lines = (DATA / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@cache
def _idf() -> tuple[Mapping[str, float], float]:
    """jieba's IDF table and its median, memoised (reading ``idf.txt`` takes 0.5 s) as a
    :class:`~builders.segment.table.WordTable` (loaded in 0.03 s, not the 0.2 s of a dict)."""
    jieba = import_jieba()
    unpacked: list[WordTable[float]] = []

    def derive() -> tuple[Packed, float]:
        import jieba.analyse

        tfidf = jieba.analyse.default_tfidf
        return WordTable.from_dict(tfidf.idf_freq).pack(), tfidf.median_idf

    def valid(value: Any) -> bool:  # a loaded memo is unpacked once, here
        try:
            table = WordTable.unpack(value[0])
        except (ValueError, TypeError, IndexError, KeyError, AttributeError):
            return False
        if not isinstance(value[1], float):
            return False
        unpacked.append(table)
        return True

    packed, median = temp_memo("jieba-idf", jieba.__version__.encode() + b"|word-table", derive, valid)
    return (unpacked[-1] if unpacked else WordTable.unpack(packed)), median


@lru_cache(maxsize=1 << 18)
def _keyword_word(word: str) -> bool:
    return len(word) >= 2 and bool(_HAN.match(word)) and not _NUMBER.match(word)


_KEYWORD_WEIGHT: dict[str, float] = {}
"""Per word: minus its IDF (the median for an unknown word) when it may be a keyword, else +inf
(a count times it is then the word's score, and +inf sorts after every keyword)."""
MAX_KEYWORD_WORDS = 1 << 17
"""Words remembered in :data:`_KEYWORD_WEIGHT` before it starts afresh (bounded: ~15 MB a worker)."""
_NO_KEYWORD = float("inf")


def _remember_weights(counts: Mapping[str, int]) -> None:
    """Put the entries of the counted words in :data:`_KEYWORD_WEIGHT` (all of them: it starts afresh
    first when they would overflow it)."""
    missing = set(counts).difference(_KEYWORD_WEIGHT)  # walks the counted words (``keys() - keys()`` walks both)
    if len(_KEYWORD_WEIGHT) + len(missing) > MAX_KEYWORD_WORDS:
        _KEYWORD_WEIGHT.clear()
        missing = set(counts)
    idf, median = _idf()
    stop = stop_words()
    for word in missing:
        keyword = _keyword_word(word) and word not in stop
        _KEYWORD_WEIGHT[word] = -idf.get(word, median) if keyword else _NO_KEYWORD


def keywords(tokens: Sequence[str] | Counter[str], k: int = TOP_K) -> list[str]:
    """Top ``k`` words by TF-IDF (jieba's IDF table) over the given tokens (or their ``Counter``,
    when the caller has it already); ties by first mention.

    The scores (count x minus IDF) are made and sorted in C: a stable sort of the word indexes by
    score keeps ties in order of first mention (the counts' insertion order)."""
    counts = tokens if isinstance(tokens, Counter) else Counter(tokens)
    try:
        weights = list(map(_KEYWORD_WEIGHT.__getitem__, counts))
    except KeyError:
        _remember_weights(counts)
        weights = list(map(_KEYWORD_WEIGHT.__getitem__, counts))
    scores = list(map(mul, counts.values(), weights))
    best = sorted(range(len(scores)), key=scores.__getitem__)[:k]
    words = list(counts)
    return [words[i] for i in best if scores[i] != _NO_KEYWORD]
