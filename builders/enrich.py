"""Enrichment: a parsed draft -> a released :class:`~schema.Article`.

PLACEHOLDER until the jieba enrichment lands (issue 4): copies the draft, applies the
manifest, and leaves every enrichment field empty.
"""

from __future__ import annotations

from collections.abc import Sequence

from builders.manifest import PageMeta
from schema import Article, ArticleDraft


def enrich_page(drafts: Sequence[ArticleDraft], text: str, meta: PageMeta | None = None) -> list[Article]:
    """Enrich the drafts of one page (page-level facts such as the year are shared)."""
    meta = meta or PageMeta()
    return [
        Article(
            **draft.model_dump(),
            year=meta.date.year if meta.date else None,
            year_evidence="manifest" if meta.date else None,
            date=meta.date,
            newspaper=meta.newspaper,
            page=meta.page,
            url=meta.url,
            license=meta.license,
            manifest_fields=[f for f in meta.given if f != "region"],
            tokens=[],
            token_count=0,
            char_count=sum(1 for ch in draft.body if not ch.isspace()),
            keywords=[],
            persons=[],
            places=[],
            organizations=[],
            officials=[],
            region=None,
        )
        for draft in drafts
    ]
