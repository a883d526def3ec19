"""Build statistics, gathered one page and one record at a time (never all pages at once)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, get_args

from schema import Article

UNKNOWN = "(unknown)"
EXAMPLES = 3
"""Example pages kept per problem code and shard."""
NULLABLE = tuple(name for name, info in Article.model_fields.items() if type(None) in get_args(info.annotation))
"""Top-level fields that may be null (counted for the card's null rates)."""


PERCENTILES = (0, 25, 50, 75, 95, 100)


def quantiles(counts: Counter[str], percents: tuple[int, ...] = PERCENTILES) -> list[int]:
    """Nearest-rank percentiles of integer values held as ``str(value) -> count``; [] when empty."""
    values = sorted((int(v), n) for v, n in counts.items())
    total = sum(n for _, n in values)
    out: list[int] = []
    for percent in percents if total else ():
        rank, seen = max(1, -(-percent * total // 100)), 0
        for value, n in values:
            seen += n
            if seen >= rank:
                out.append(value)
                break
    return out


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
    pages_by_code: Counter[str] = field(default_factory=Counter)
    """``code<TAB>source_file`` -> problems: the first few pages of each code per shard, for the report."""
    nulls_by_field: Counter[str] = field(default_factory=Counter)
    """Released records whose top-level field is null, by field."""
    char_counts: Counter[str] = field(default_factory=Counter)
    """``char_count`` of released records (the value as a string -> records), for quantiles."""
    token_counts: Counter[str] = field(default_factory=Counter)
    """``token_count`` of released records, likewise."""
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
    def years(self) -> list[int]:
        """The years of print of released records, where known."""
        return sorted(int(year) for year in self.by_year if year != UNKNOWN)

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
        self.nulls_by_field.update(name for name in NULLABLE if getattr(article, name) is None)
        self.char_counts[str(article.char_count)] += 1
        self.token_counts[str(article.token_count)] += 1

    def add_problem_page(self, code: str, source_file: str) -> None:
        """Remember ``source_file`` as an example page of ``code`` (the first few per shard)."""
        key = f"{code}\t{source_file}"
        if key in self.pages_by_code or sum(k.startswith(f"{code}\t") for k in self.pages_by_code) < EXAMPLES:
            self.pages_by_code[key] += 1

    def example_pages(self, code: str) -> list[str]:
        """The example pages of ``code``, in build order."""
        return [k.split("\t", 1)[1] for k in self.pages_by_code if k.startswith(f"{code}\t")]

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
