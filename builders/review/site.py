"""Write the review site: ``index.html``, one HTML file per source page, and ``assets/``.

Static files only (open ``index.html``; no server, no network), the same bytes for the
same input: pages in sorted order, no clock, no absolute paths. Every value reaches the
HTML through Jinja2 with autoescaping on, so a ``<script>`` in page text shows as text.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import jinja2

from builders.errors import ConfigError, OutputError
from builders.review import charts
from builders.review.source import ReleaseMeta, ReviewInput, is_release, page_inputs, release_inputs, release_meta
from builders.review.views import PageView, code_meaning, page_view
from schema import CODES

MARKER = ".xianbao-review"
"""A file in every review site, so a later run may replace the folder and no other."""
ASSETS = ("review.css", "review.js")
UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class ReviewConfig:
    """What to review and where to write it.

    Attributes:
        paths: One release folder, or page files and folders of pages.
        out: The site's folder: new, empty, or an earlier review site (replaced).
        seeds: The seeds folder of a release [default: the nearest ``seeds/`` above it].
    """

    paths: list[Path]
    out: Path
    seeds: Path | None = None


@dataclass
class ReviewReport:
    """What was written."""

    out: Path
    pages: int = 0
    articles: int = 0
    pages_with_problems: int = 0
    files: list[Path] = field(default_factory=list)

    @property
    def index(self) -> Path:
        return self.out / "index.html"

    def summary(self) -> str:
        return (f"review: {self.pages} pages, {self.articles} articles, {self.pages_with_problems} with problems "
                f"or flags -> {self.index}")


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


def slug_of(source_file: str, taken: set[str]) -> str:
    """A safe, unique file name for a page: its path with ``/`` as ``__``; a hash where that is not enough."""
    plain = source_file.strip("/").replace("/", "__")
    slug = UNSAFE.sub("_", plain)
    if slug != plain or slug.lower() in taken:
        slug = f"{slug}-{hashlib.sha256(source_file.encode()).hexdigest()[:8]}"
    taken.add(slug.lower())
    return slug


def environment() -> jinja2.Environment:
    """Templates from the package; autoescape everything; no stray whitespace."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("builders.review", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def prepare_out(out: Path) -> None:
    """Make ``out`` an empty folder: refuse one that holds anything but an earlier review site."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out} is a file; pass a folder (new, empty, or an earlier review site)")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise ConfigError(f"--out {out} is not empty and not a review site; pass a new or empty folder")
        shutil.rmtree(out)
    try:
        (out / "pages").mkdir(parents=True, exist_ok=True)
        (out / "assets").mkdir(exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create {out}: {err}") from err


def _inputs(config: ReviewConfig) -> tuple[list[ReviewInput], ReleaseMeta | None]:
    releases = [p for p in config.paths if p.is_dir() and is_release(p)]
    if releases and len(config.paths) > 1:
        raise ConfigError("review one release folder, or page files and folders, not both")
    if config.seeds is not None and not releases:
        raise ConfigError("--seeds is for a release folder; page files are read as given")
    if releases:
        return list(release_inputs(releases[0], config.seeds)), release_meta(releases[0])
    return list(page_inputs(config.paths)), None


def review(config: ReviewConfig) -> ReviewReport:
    """Write the review site of ``config.paths`` into ``config.out``."""
    inputs, meta = _inputs(config)
    taken: set[str] = set()
    slugs = [slug_of(page.source_file, taken) for page in inputs]
    prepare_out(config.out)
    env, report, rows, lengths = environment(), ReviewReport(config.out), list[Row](), list[int]()
    template = env.get_template("page.html.j2")
    for i, (page, slug) in enumerate(zip(inputs, slugs, strict=True)):
        view = page_view(page, slug)
        row = _row(view)
        html = template.render(page=view, row=row, meta=meta, meaning=code_meaning, position=i + 1,
                               total=len(inputs), prev=slugs[i - 1] if i else None,
                               next=slugs[i + 1] if i + 1 < len(slugs) else None)
        report.files.append(_write(config.out / "pages" / f"{slug}.html", html))
        rows.append(row)
        lengths.extend(len(a.body) for a in page.articles)
        report.articles += row.articles
        report.pages_with_problems += bool(row.problems or row.flagged)
        inputs[i] = ReviewInput(page.source_file, None)  # the page is written: free its text and records
    report.pages = len(rows)
    index = env.get_template("index.html.j2").render(rows=rows, meta=meta, charts=_charts(rows, lengths),
                                                     totals=_totals(rows), meaning=code_meaning,
                                                     meta_counts=_meta_counts(meta), chart_width=charts.WIDTH,
                                                     chart_label=charts.LABEL)
    report.files.append(_write(config.out / "index.html", index))
    for name in ASSETS:
        report.files.append(_write(config.out / "assets" / name, files("builders.review").joinpath(
            "assets", name).read_text(encoding="utf-8")))
    report.files.append(_write(config.out / MARKER, "A review site written by `xianbao review`; rewritten by it.\n"))
    return report


def _row(view: PageView) -> Row:
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


def _write(path: Path, text: str) -> Path:
    try:
        path.write_bytes(text.encode("utf-8"))
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err}") from err
    return path
