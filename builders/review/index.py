"""The index: one row per page, totals, the release's own counts, and the charts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from builders.review import charts
from builders.review.released import ReleaseMeta
from builders.review.views import PageView, code_meaning
from schema import CODES

EXPECTED = "page-furniture"
"""The problem code the "with problems" filter sets aside: most pages print a header line."""


@dataclass(frozen=True)
class Row:
    """One page in the index table."""

    slug: str
    source_file: str
    articles: int
    lines: int
    loose: int
    codes: list[tuple[str, int, str]]
    """``(code, count, severity)``, most frequent first."""
    flags: list[tuple[str, int]]
    rejects: int

    @property
    def problems(self) -> int:
        return sum(n for _, n, _ in self.codes)

    @property
    def flagged(self) -> int:
        return sum(n for _, n in self.flags)

    @property
    def serious(self) -> bool:
        """A problem other than page furniture (a header or editor line is expected on most pages)."""
        return any(code != EXPECTED for code, _, _ in self.codes)


def row_of(view: PageView) -> Row:
    """The index row of a page."""
    def ordered(counts: Counter[str]) -> list[tuple[str, int]]:
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    codes = [(code, n, str(CODES.get(code, ("reject", ""))[0])) for code, n in ordered(view.codes)]
    return Row(view.slug, view.source_file, len(view.articles), sum(not line.blank for line in view.lines),
               view.loose_lines, codes, ordered(view.flags), view.rejects)


def _charts(rows: list[Row], lengths: list[int]) -> list[charts.Chart]:
    codes: Counter[str] = Counter()
    flags: Counter[str] = Counter()
    for row in rows:
        codes.update({code: n for code, n, _ in row.codes})
        flags.update(dict(row.flags))
    return [
        charts.per_page_chart("articles per page", [row.articles for row in rows]),
        charts.length_chart("body length (characters)", lengths),
        charts.counts_chart("problem codes", codes, "no problems"),
        charts.counts_chart("flags", flags, "no flags"),
    ]


def _totals(rows: list[Row]) -> dict[str, int]:
    return {
        "pages": len(rows),
        "articles": sum(r.articles for r in rows),
        "with problems": sum(1 for r in rows if r.problems),
        f"with problems but {EXPECTED}": sum(1 for r in rows if r.serious),
        "with flags": sum(1 for r in rows if r.flagged),
        "rejected pages": sum(1 for r in rows if not r.articles),
        "lines outside articles": sum(r.loose for r in rows),
    }


def _meta_counts(meta: ReleaseMeta | None) -> list[tuple[str, object]]:
    """The release's own counts (manifest.json): records, rejects, warnings by code."""
    if meta is None:
        return []
    counts = meta.counts
    rows: list[tuple[str, object]] = [("released records", counts.get("records", "?")),
                                      ("rejects", counts.get("rejects", "?"))]
    warnings = counts.get("warnings_by_code")
    if isinstance(warnings, dict):
        rows.extend((f"warnings: {code}", n) for code, n in sorted(warnings.items()))
    return rows


def _choices(rows: list[Row]) -> list[tuple[str, str]]:
    """The filter's options: ``(value, label)``; one per problem code and per flag, with its number of pages."""
    codes = Counter(code for r in rows for code, _, _ in r.codes)
    flags = Counter(flag for r in rows for flag, _ in r.flags)
    choices = [("all", "all pages"), ("problems", f"with problems but {EXPECTED}"), ("flags", "with flags"),
               ("either", "with problems or flags")]
    choices += [(f"code:{c}", f"problem {c} ({n} pages)") for c, n in sorted(codes.items())]
    choices += [(f"flag:{f}", f"flag {f} ({n} pages)") for f, n in sorted(flags.items())]
    return choices


def index_context(rows: list[Row], lengths: list[int], meta: ReleaseMeta | None) -> dict[str, Any]:
    """What ``index.html.j2`` shows."""
    return {"rows": rows, "meta": meta, "charts": _charts(rows, lengths), "totals": _totals(rows),
            "choices": _choices(rows), "expected": EXPECTED,
            "meaning": code_meaning, "meta_counts": _meta_counts(meta), "chart_width": charts.WIDTH,
            "chart_label": charts.LABEL}
