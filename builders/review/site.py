"""Write the review site: ``index.html``, one HTML file per source page, and ``assets/``.

Static files only (open ``index.html``; no server, no network), the same bytes for the
same input: pages in sorted order, no clock, no absolute paths. Every value reaches the
HTML through Jinja2 with autoescaping on, so a ``<script>`` in page text shows as text.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import multiprocessing
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import jinja2

from builders.errors import ConfigError, OutputError
from builders.review import charts
from builders.review.source import (
    FileSource,
    ReleaseMeta,
    ReleaseSource,
    is_release,
    page_sources,
    release_meta,
    release_sources,
)
from builders.review.views import PageView, code_meaning, page_view
from builders.scale.engines import default_workers
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
        workers: Processes that load and write pages [default: all cores]; the bytes do not depend on it.
    """

    paths: list[Path]
    out: Path
    seeds: Path | None = None
    workers: int | None = None


@dataclass
class ReviewReport:
    """What was written."""

    out: Path
    pages: int = 0
    articles: int = 0
    pages_with_problems: int = 0

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


@functools.cache
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


Source = FileSource | ReleaseSource
CHUNK = 20
"""Pages per task when pages are rendered in worker processes."""


@dataclass(frozen=True)
class PageJob:
    """One page to write: where it comes from and its place among the site's pages."""

    source: Source
    slug: str
    position: int
    total: int
    prev: str | None
    next: str | None


def _sources(config: ReviewConfig) -> tuple[list[Source], ReleaseMeta | None]:
    releases = [p for p in config.paths if p.is_dir() and is_release(p)]
    if releases and len(config.paths) > 1:
        raise ConfigError("review one release folder, or page files and folders, not both")
    if config.seeds is not None and not releases:
        raise ConfigError("--seeds is for a release folder; page files are read as given")
    if releases:
        return list(release_sources(releases[0], config.seeds)), release_meta(releases[0])
    return list(page_sources(config.paths)), None


def _jobs(sources: list[Source]) -> list[PageJob]:
    taken: set[str] = set()
    slugs = [slug_of(source.source_file, taken) for source in sources]
    return [PageJob(source, slug, i + 1, len(slugs), slugs[i - 1] if i else None,
                    slugs[i + 1] if i + 1 < len(slugs) else None) for i, (source, slug) in enumerate(zip(
                        sources, slugs, strict=True))]


def render_pages(jobs: list[PageJob], out: Path, meta: ReleaseMeta | None) -> list[tuple[Row, list[int]]]:
    """Load and write the pages of ``jobs``; their index rows and body lengths, in order (runs in workers too)."""
    template = environment().get_template("page.html.j2")
    done = []
    for job in jobs:
        view = page_view(job.source.load(), job.slug)
        row = _row(view)
        html = template.render(page=view, row=row, meta=meta, meaning=code_meaning, position=job.position,
                               total=job.total, prev=job.prev, next=job.next)
        _write(out / "pages" / f"{job.slug}.html", html)
        done.append((row, [a.body_chars for a in view.articles]))
    return done


def _render_all(jobs: list[PageJob], out: Path, meta: ReleaseMeta | None,
                workers: int) -> Iterator[tuple[Row, list[int]]]:
    """Every page, in order: here, or in ``workers`` spawned processes when there is more than one chunk."""
    chunks = [jobs[i:i + CHUNK] for i in range(0, len(jobs), CHUNK)]
    if workers <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            yield from render_pages(chunk, out, meta)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(workers, len(chunks)), mp_context=context) as pool:
        for done in pool.map(render_pages, chunks, itertools.repeat(out), itertools.repeat(meta)):
            yield from done


def review(config: ReviewConfig) -> ReviewReport:
    """Write the review site of ``config.paths`` into ``config.out``."""
    sources, meta = _sources(config)
    jobs = _jobs(sources)
    prepare_out(config.out)
    report, rows, lengths = ReviewReport(config.out), list[Row](), list[int]()
    for row, bodies in _render_all(jobs, config.out, meta, config.workers or default_workers()):
        rows.append(row)
        lengths.extend(bodies)
        report.articles += row.articles
        report.pages_with_problems += bool(row.problems or row.flagged)
    report.pages = len(rows)
    index = environment().get_template("index.html.j2").render(
        rows=rows, meta=meta, charts=_charts(rows, lengths), totals=_totals(rows), meaning=code_meaning,
        meta_counts=_meta_counts(meta), chart_width=charts.WIDTH, chart_label=charts.LABEL)
    _write(config.out / "index.html", index)
    for name in ASSETS:
        _write(config.out / "assets" / name, files("builders.review").joinpath("assets", name).read_text("utf-8"))
    _write(config.out / MARKER, "A review site written by `xianbao review`; rewritten by it.\n")
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
