"""Optional per-page metadata from ``seeds/manifest.csv``.

Columns (all optional but ``file``): ``file`` (path relative to seeds/), ``newspaper``,
``date`` (ISO ``YYYY-MM-DD``), ``page``, ``region`` (6-digit GB/T 2260 code), ``url``,
``license``. Values from the manifest win over values inferred from the text; the
record lists them in ``manifest_fields``. Values are data: they are escaped wherever
they are shown (the card's tables).
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from builders.read.decode import decode, normalise, read_regular
from builders.read.seeds import inside_seeds, is_link_loop
from schema import Problem

MANIFEST_NAME = "manifest.csv"
COLUMNS = ("file", "newspaper", "date", "page", "region", "url", "license")
YEARS = range(1900, 2101)
"""Years of print a record may hold (``Article.year``)."""
REGION_RE = re.compile(r"[0-9]{6}")


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
    """The row's values; a ``ValueError`` saying what to fix for a value no record could hold."""
    values = {k: (row.get(k) or "").strip() or None for k in COLUMNS[1:]}
    date = datetime.date.fromisoformat(values["date"]) if values["date"] else None
    if date is not None and date.year not in YEARS:
        raise ValueError(f"date {values['date']}: the year of print must lie in {YEARS.start}-{YEARS.stop - 1}")
    if values["region"] is not None and not REGION_RE.fullmatch(values["region"]):
        raise ValueError(f"region {values['region']!r} is not a 6-digit division code (GB/T 2260, e.g. 331126)")
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


def header_problems(names: Sequence[str], line: int = 1) -> list[Problem]:
    """A ``bad-manifest-row`` on the header's line for unknown columns (their values would be lost) and for
    a header without the ``file`` column (no row can name its page: none is used)."""
    problems = []
    unknown = [n for n in names if n.strip() not in COLUMNS]
    if unknown:
        problems.append(_bad(line, f"unknown column(s) {', '.join(map(repr, unknown))}: their values are ignored; "
                                   f"the columns are {', '.join(COLUMNS)}"))
    if "file" not in (n.strip() for n in names):
        problems.append(_bad(line, "the header has no `file` column, so no row names its page and none is used; "
                                   f"the first line must name the columns, e.g. {','.join(COLUMNS)}"))
    return problems


def load_manifest(seeds: Path, pages: Collection[str], known_region: Callable[[str], bool] = lambda _: True,
                  ) -> tuple[dict[str, PageMeta], list[Problem]]:
    """Read ``seeds/manifest.csv`` if present: ``{source_file: PageMeta}`` and row problems (``pages``: the
    ``source_file`` names of the folder's pages, :func:`~builders.read.seeds.discover`'s: a row naming
    another file is a problem; ``known_region``: whether the division table knows a code, else the row
    is used with an ``unknown-region-code`` warning).

    The file is decoded like a page (UTF-8 with or without a BOM, GB18030, UTF-16/32 with
    a BOM). Each row is one line: a line that is not a CSV row (an unclosed quote, a
    field over the csv module's limit) or has another number of fields than the header is a
    ``bad-manifest-row`` with its line number, and the next rows are read as usual.
    """
    path = seeds / MANIFEST_NAME
    if not path.exists() and not path.is_symlink():
        return {}, []
    if not inside_seeds(path, seeds):
        where = "that leads back to itself (a loop)" if is_link_loop(path) else "to a file outside the seeds folder"
        return {}, [_bad(None, f"{MANIFEST_NAME} is a link {where}: not read, no row was used (copy the file in)")]
    try:
        decoded = decode(read_regular(path), MANIFEST_NAME)
    except OSError as err:
        return {}, [_bad(None, f"{MANIFEST_NAME} could not be read: {err.strerror or err}; no row was used")]
    if isinstance(decoded, Problem):
        empty = decoded.code in ("empty-page", "blank-page")
        return {}, [] if empty else [_bad(None, f"{decoded.message}; no row was used")]
    metas, problems = _rows(normalise(decoded[0]).split("\n"))
    missing = [(line, name) for name, (_, line) in metas.items() if name not in pages]
    problems += [_bad(line, f"file {name!r} is no page of the seeds folder: the row is not used "
                            "(names are paths relative to the seeds folder, e.g. 2020/p01.txt)")
                 for line, name in missing]
    for _, name in missing:
        del metas[name]
    problems += [_unknown_region(line, meta.region) for meta, line in metas.values()
                 if meta.region is not None and not known_region(meta.region)]
    return {name: meta for name, (meta, _) in metas.items()}, sorted(problems, key=lambda p: p.line or 0)


def _rows(lines: list[str]) -> tuple[dict[str, tuple[PageMeta, int]], list[Problem]]:
    """The manifest's rows by file, with their line numbers, and the problems of the rest."""
    metas: dict[str, tuple[PageMeta, int]] = {}
    problems: list[Problem] = []
    header: list[str] | None = None
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            fields = _fields(text)
            if header is None:
                header = [name.strip() for name in fields]
                problems.extend(header_problems(header, number))
                if "file" not in header:
                    return metas, problems  # no row can name its page: one problem, not one per row
                continue
            row = _row(header, fields)
            name = (row.get("file") or "").strip()
            if not name:
                raise ValueError("the `file` column is empty")
            if name in metas:
                raise ValueError(f"a second row for {name!r} (the first, line {metas[name][1]}, is used)")
            metas[name] = _row_meta(row), number
        except ValueError as err:
            problems.append(_bad(number, str(err)))
    return metas, problems


def _unknown_region(line: int, code: str) -> Problem:
    message = (f"region {code} is no division code the table knows (GB/T 2260): the row is used, its records "
               "keep the code with empty names; check the code (a county's, e.g. 331126)")
    return Problem(code="unknown-region-code", source_file=MANIFEST_NAME, line=line, message=message)


def _bad(line: int | None, message: str) -> Problem:
    return Problem(code="bad-manifest-row", source_file=MANIFEST_NAME, line=line, message=message)


def _fields(text: str) -> list[str]:
    """One line as CSV fields (strict: a stray or unclosed quote is an error, not a swallowed row)."""
    try:
        return next(csv.reader([text], strict=True))
    except csv.Error as err:
        raise ValueError(f"not a CSV row ({err}); check its quotes") from err


def _row(header: list[str], fields: list[str]) -> dict[str, str]:
    if len(fields) != len(header):
        raise ValueError(f"{len(fields)} fields but the header has {len(header)}; give every column "
                         "(empty ones too) and quote values holding commas")
    return dict(zip(header, fields, strict=False))
