"""xianbao's record models: the single source of truth for every derived schema.

This package is a leaf: it imports only pydantic and the standard library.
"""

from schema.article import (
    SCHEMA_VERSION,
    Article,
    ArticleDraft,
    Byline,
    Caption,
    Dateline,
    Official,
    Region,
    Reuse,
    ReusedSpan,
    Sidebar,
    Span,
)
from schema.export import JSON_SCHEMA_PATH, json_schema
from schema.problems import CODES, Problem

__all__ = [
    "CODES",
    "JSON_SCHEMA_PATH",
    "SCHEMA_VERSION",
    "Article",
    "ArticleDraft",
    "Byline",
    "Caption",
    "Dateline",
    "Official",
    "Problem",
    "Region",
    "Reuse",
    "ReusedSpan",
    "Sidebar",
    "Span",
    "json_schema",
]
