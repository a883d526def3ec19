"""Optional per-page metadata from ``seeds/manifest.csv``.

Columns (all optional but ``file``): ``file`` (path relative to seeds/), ``newspaper``,
``date`` (ISO ``YYYY-MM-DD``), ``page``, ``region`` (6-digit GB/T 2260 code), ``url``,
``license``. Values from the manifest win over values inferred from the text; the
record lists them in ``manifest_fields``.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schema import Problem

MANIFEST_NAME = "manifest.csv"
COLUMNS = ("file", "newspaper", "date", "page", "region", "url", "license")


@dataclass(frozen=True)
class PageMeta:
    """Metadata of one page, as the manifest gives it (None where not given)."""

    newspaper: str | None = None
    date: datetime.date | None = None
    page: str | None = None
    region: str | None = None
    url: str | None = None
    license: str | None = None
    given: tuple[str, ...] = field(default=())
    """Names of the columns that had a value."""


def _row_meta(row: dict[str, str]) -> PageMeta:
    values = {k: (row.get(k) or "").strip() or None for k in COLUMNS[1:]}
    date = datetime.date.fromisoformat(values["date"]) if values["date"] else None
    given = tuple(k for k in COLUMNS[1:] if values[k] is not None)
    return PageMeta(
        newspaper=values["newspaper"],
        date=date,
        page=values["page"],
        region=values["region"],
        url=values["url"],
        license=values["license"],
        given=given,
    )


def header_problems(names: Sequence[str]) -> list[Problem]:
    """A ``bad-manifest-row`` at line 1 for columns the manifest does not know (their values would be lost)."""
    unknown = [n for n in names if n.strip() not in COLUMNS]
    if not unknown:
        return []
    message = (f"unknown column(s) {', '.join(map(repr, unknown))}: their values are ignored; "
               f"the columns are {', '.join(COLUMNS)}")
    return [Problem(code="bad-manifest-row", source_file=MANIFEST_NAME, line=1, message=message)]


def load_manifest(seeds: Path) -> tuple[dict[str, PageMeta], list[Problem]]:
    """Read ``seeds/manifest.csv`` if present: ``{source_file: PageMeta}`` and row problems."""
    path = seeds / MANIFEST_NAME
    if not path.exists():
        return {}, []
    metas: dict[str, PageMeta] = {}
    problems: list[Problem] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        problems.extend(header_problems(reader.fieldnames or []))
        for line, row in enumerate(reader, start=2):
            name = (row.get("file") or "").strip()
            try:
                if not name:
                    raise ValueError("the `file` column is empty")
                metas[name] = _row_meta(row)
            except ValueError as err:
                problems.append(
                    Problem(code="bad-manifest-row", source_file=MANIFEST_NAME, line=line, message=str(err))
                )
    return metas, problems
