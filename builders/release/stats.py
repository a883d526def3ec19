"""Build statistics, gathered one page and one record at a time (never all pages at once)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from schema import Article

UNKNOWN = "(unknown)"


@dataclass
class SeedEntry:
    """What one seed file contributed."""

    file: str
    sha256: str | None
    bytes: int
    articles: int = 0
    rejects: int = 0

    def as_json(self) -> dict[str, Any]:
        """The seed's row in manifest.json: its fields, in order."""
        return asdict(self)


@dataclass
class BuildStats:
    """Counts for manifest.json and the card."""

    seeds: list[SeedEntry] = field(default_factory=list)
    records: int = 0
    rejects_by_code: Counter[str] = field(default_factory=Counter)
    warnings_by_code: Counter[str] = field(default_factory=Counter)
    by_newspaper: Counter[str] = field(default_factory=Counter)
    by_region: Counter[str] = field(default_factory=Counter)
    by_year: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    pages_cached: int = 0
    """Pages recalled from the build cache (not in manifest.json: bytes do not depend on the cache)."""
    pages_processed: int = 0
    """Pages parsed and enriched by this build."""

    @property
    def pages(self) -> int:
        """Seed pages read."""
        return len(self.seeds)

    @property
    def pages_with_articles(self) -> int:
        """Seed pages that gave at least one released record."""
        return sum(1 for seed in self.seeds if seed.articles)

    @property
    def rejects(self) -> int:
        """Lines of rejects.jsonl."""
        return sum(self.rejects_by_code.values())

    def add_record(self, article: Article) -> None:
        """Count one released record."""
        self.records += 1
        self.seeds[-1].articles += 1
        self.by_newspaper[article.newspaper or UNKNOWN] += 1
        region = article.region
        self.by_region[f"{region.province}{region.prefecture}{region.county}" if region else UNKNOWN] += 1
        self.by_year[str(article.year) if article.year else UNKNOWN] += 1
        self.by_kind[article.kind] += 1

    def counts(self) -> dict[str, Any]:
        """The ``counts`` block of manifest.json (sorted keys, so stable)."""
        return {
            "pages": self.pages,
            "pages_with_articles": self.pages_with_articles,
            "records": self.records,
            "rejects": self.rejects,
            "rejects_by_code": dict(sorted(self.rejects_by_code.items())),
            "warnings_by_code": dict(sorted(self.warnings_by_code.items())),
        }
