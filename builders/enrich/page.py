"""Enrichment: the parsed drafts of one page -> released :class:`~schema.Article` records.

Each body is segmented once (:mod:`builders.segment.tokenizer`); tags, entities, officials and
keywords are read off those tokens. Page-level facts -- the year (:mod:`builders.enrich.dates`)
and the county (:mod:`builders.enrich.region`) -- are computed once per page and shared by its
articles. Values from the manifest (``PageMeta``) win over inferred ones and are listed
in ``manifest_fields``.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from builders.enrich.dates import YearGuess, article_date, infer_year
from builders.enrich.entities import REGION, Roles, keywords, organizations, places, token_persons, word_roles
from builders.enrich.officials import officials_and_listed
from builders.enrich.path_dates import PathDate, path_date
from builders.enrich.region import infer_region, region_of_code
from builders.read.manifest import PageMeta
from builders.segment.tokenizer import cut
from schema import Article, ArticleDraft, Official, Region


@dataclass(frozen=True)
class PageFacts:
    """What every article of a page shares."""

    year: YearGuess
    region: Region | None
    date: datetime.date | None
    """The print date (manifest, else path), which wins over each article's dateline."""
    page: str | None = None
    path_fields: tuple[str, ...] = ()
    """Fields taken from the file path (the manifest did not give them)."""


def _dedup(words: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(words))


def _by_first_mention(words: Iterable[str], text: str) -> list[str]:
    """The distinct ``words`` by where ``text`` first has them (those it lacks last); ties in their order
    (the sort is stable)."""
    unique, missing = _dedup(words), len(text)
    return sorted(unique, key=lambda w: at if (at := text.find(w)) >= 0 else missing)


def _path_facts(meta: PageMeta, found: PathDate | None) -> tuple[datetime.date | None, str | None, tuple[str, ...]]:
    """(date, page, fields taken from the path): the manifest wins field by field."""
    if found is None:
        return meta.date, meta.page, ()
    date = meta.date or found.date
    page = meta.page or found.page
    fields = (("date", "year") if meta.date is None else ()) + (("page",) if meta.page is None and found.page else ())
    return date, page, fields


def page_facts(
    drafts: Sequence[ArticleDraft], text: str, tokens: Iterable[str] | Counter[str], meta: PageMeta,
    source_file: str | None = None,
) -> PageFacts:
    """Year, region, print date and page of a page: the manifest, else the file path, else the text
    (``tokens``: the page's, or their counts)."""
    found = path_date(source_file) if source_file else None
    date, page, fields = _path_facts(meta, found)
    if meta.date:
        year = YearGuess(meta.date.year, "manifest")
    elif date and found:
        year = YearGuess(date.year, f"path:{found.text}")
    else:
        year = infer_year(text, [(d.dateline.month, d.dateline.day) for d in drafts if d.dateline])
    region = region_of_code(meta.region) if meta.region else infer_region(tokens)
    return PageFacts(year, region, date, page, fields)


@dataclass(frozen=True)
class Enrichment:
    """The text-derived fields of one article."""

    tokens: list[str]
    keywords: list[str]
    persons: list[str]
    places: list[str]
    organizations: list[str]
    officials: list[Official]


def enrich_text(draft: ArticleDraft, tokens: list[str], counts: Counter[str] | None = None,
                roles: Roles | None = None) -> Enrichment:
    """Entities, officials and keywords of one article from its body tokens (``counts``: ``Counter(tokens)``,
    when the caller has it: the distinct tokens in order of first mention, shared by the passes below;
    ``roles``: its :func:`~builders.enrich.entities.word_roles`)."""
    body = draft.body
    compact = "".join(tokens)  # the body without whitespace: token offsets index it
    counts = Counter(tokens) if counts is None else counts
    roles = word_roles(counts) if roles is None else roles
    officials, listed = officials_and_listed(compact, tokens, draft.title_lines)
    found = [o.name for o in officials] + listed + token_persons(tokens, counts, roles)
    persons = _dedup([b.name for b in draft.bylines] + _by_first_mention(found, compact))
    return Enrichment(
        tokens=tokens,
        keywords=keywords(counts),
        persons=persons,
        places=_by_first_mention(places(tokens, body, counts, roles), compact),
        organizations=organizations(tokens, counts, roles),
        officials=officials,
    )


def build_article(draft: ArticleDraft, found: Enrichment, facts: PageFacts, meta: PageMeta,
                  validate: bool = True) -> Article:
    """The released record: draft + enrichment + page facts + manifest fields.

    ``validate=False`` builds it from the already typed values without validating them
    (``model_construct``), for callers that validate every record themselves: the release build
    validates each record once, from its JSONL line (:func:`builders.release.records.checked_records`).
    """
    dateline = draft.dateline
    date = facts.date or article_date(
        facts.year.year, dateline.month if dateline else None, dateline.day if dateline else None
    )
    values: dict[str, Any] = dict(
        year=facts.year.year,
        year_evidence=facts.year.evidence,
        date=date,
        newspaper=meta.newspaper,
        page=facts.page,
        url=meta.url,
        license=meta.license,
        manifest_fields=list(meta.given),
        path_fields=list(facts.path_fields),
        tokens=found.tokens,
        token_count=len(found.tokens),
        char_count=len("".join(draft.body.split())),
        keywords=found.keywords,
        persons=found.persons,
        places=found.places,
        organizations=found.organizations,
        officials=found.officials,
        region=facts.region,
    )
    if validate:
        return Article(**draft.model_dump(), **values)
    return constructed({**draft.__dict__, **values})


_UNSET = object()
_DEFAULTS = {name: _UNSET if info.is_required() or info.default_factory else info.default
             for name, info in Article.model_fields.items()}
"""Each field of :class:`~schema.Article` in order, with its default (or none: required, or made by a factory)."""
_FIELD_NAMES = frozenset(Article.model_fields)
_NO_PLAIN_DEFAULT = frozenset(name for name, default in _DEFAULTS.items() if default is _UNSET)


def constructed(values: dict[str, Any]) -> Article:
    """``Article.model_construct(**values)``, made without its loop over aliases (a third of the cost of
    an article record): the same ``__dict__`` (fields in model order, the default of each one not
    given: one merge of dicts in C), the same fields set. Only for Article's own fields (no alias, no
    extra); a field without a plain default must be given."""
    if not values.keys() <= _FIELD_NAMES:
        return Article.model_construct(**values)  # pydantic drops what is no field
    if not values.keys() >= _NO_PLAIN_DEFAULT:
        return Article.model_construct(**values)  # a factory default: pydantic's own way
    fields = {**_DEFAULTS, **values}  # the keys in model order, as every one of them is a field
    article = Article.__new__(Article)
    object.__setattr__(article, "__dict__", fields)
    object.__setattr__(article, "__pydantic_fields_set__", set(values))
    object.__setattr__(article, "__pydantic_extra__", None)
    object.__setattr__(article, "__pydantic_private__", None)
    return article


def region_counts(counted: Iterable[tuple[Counter[str], Roles]]) -> Counter[str]:
    """The summed counts of the region names (:data:`~builders.enrich.entities.REGION`) of counted token
    lists, read off their word roles: what :func:`~builders.enrich.region.infer_region` of all their tokens
    together reads (its scores add up exactly in any order)."""
    merged: Counter[str] = Counter()
    for counts, roles in counted:
        for word, bits in roles.items():
            if bits & REGION:
                merged[word] += counts[word]
    return merged


def enrich_page(drafts: Sequence[ArticleDraft], text: str, meta: PageMeta | None = None,
                validate: bool = True) -> list[Article]:
    """Enrich the drafts of one page (page-level facts such as the year are shared); ``validate``: see
    :func:`build_article`."""
    meta = meta or PageMeta()
    token_lists = [cut(d.body) for d in drafts]
    counters = [Counter(tokens) for tokens in token_lists]
    roles = [word_roles(counts) for counts in counters]
    title_counts = Counter(cut("\n".join(line for d in drafts for line in d.title_lines)))
    source_file = drafts[0].source_file if drafts else None
    counted = [*zip(counters, roles, strict=True), (title_counts, word_roles(title_counts))]
    facts = page_facts(drafts, text, region_counts(counted), meta, source_file)  # all the region inference reads
    return [
        build_article(draft, enrich_text(draft, tokens, counts, its_roles), facts, meta, validate)
        for draft, tokens, counts, its_roles in zip(drafts, token_lists, counters, roles, strict=True)
    ]
