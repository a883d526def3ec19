"""Write the review site: ``index.html``, one HTML file per source page, and ``assets/``.

Static files only (open ``index.html``; no server, no network), the same bytes for the
same input: pages in sorted order, no clock, no absolute paths. Every value reaches the
HTML through Jinja2 with autoescaping on, so a ``<script>`` in page text shows as text.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from builders.errors import ConfigError
from builders.review.index import Row, index_context, row_of
from builders.review.output import environment, prepare_out, slug_of, write_assets, write_file
from builders.review.released import ReleaseMeta, ReleaseSource, is_release, release_meta, release_sources
from builders.review.source import FileSource, page_sources
from builders.review.views import code_meaning, page_view


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


Source = FileSource | ReleaseSource
CHUNK = 20
"""Pages per task when pages are rendered in worker processes."""
PAGES_PER_HELPER = 200
"""A helper process costs ~3 s to start (Python, the models, jieba's dictionary): ~250 pages of work."""


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
    if len(releases) > 1:
        raise ConfigError("review one release folder at a time (or page files and folders, without a release)")
    if releases and len(config.paths) > 1:
        raise ConfigError("review one release folder, or page files and folders, not both")
    if config.seeds is not None and not releases:
        raise ConfigError("--seeds is for a release folder; page files are read as given")
    if releases:
        return list(release_sources(releases[0], config.seeds)), release_meta(releases[0])
    return list(page_sources(config.paths)), None


def _refuse_inside(out: Path, roots: set[Path]) -> None:
    """Refuse a site folder inside a folder of the pages it reviews (the seeds): a build would read the
    site's files there as seeds, each a ``skipped-file`` warning (``--strict`` fails on them)."""
    target = out.resolve()
    for root in sorted(roots):
        if target.is_relative_to(root.resolve()):
            raise ConfigError(f"--out {out} lies inside {root}, the folder of the pages it reviews: a build would "
                              "read the site's files as seeds; give a folder outside it")


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
        row = row_of(view)
        html = template.render(page=view, row=row, meta=meta, meaning=code_meaning, position=job.position,
                               total=job.total, prev=job.prev, next=job.next)
        write_file(out / "pages" / f"{job.slug}.html", html)
        done.append((row, [a.body_chars for a in view.articles]))
    return done


Rendered = list[tuple[Row, list[int]]]


def _render_all(jobs: list[PageJob], out: Path, meta: ReleaseMeta | None, workers: int) -> Rendered:
    """Every page's row and body lengths, in page order.

    This process renders chunks too, from the end of the queue, while up to ``workers - 1``
    spawned helpers (one per :data:`PAGES_PER_HELPER` pages) take them from the front (two
    each in flight), so no core waits.
    """
    chunks = [jobs[i:i + CHUNK] for i in range(0, len(jobs), CHUNK)]
    helpers = min(workers - 1, len(chunks) - 1, len(jobs) // PAGES_PER_HELPER)
    if helpers < 1:
        return [done for chunk in chunks for done in render_pages(chunk, out, meta)]
    queue, results = deque(enumerate(chunks)), dict[int, Rendered]()
    with ProcessPoolExecutor(helpers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures: dict[int, Future[Rendered]] = {}
        while queue:
            while queue and sum(not f.done() for f in futures.values()) < 2 * helpers:
                i, chunk = queue.popleft()
                futures[i] = pool.submit(render_pages, chunk, out, meta)
            if queue:
                i, chunk = queue.pop()
                results[i] = render_pages(chunk, out, meta)
        results.update((i, f.result()) for i, f in futures.items())
    return [done for i in sorted(results) for done in results[i]]


def _cores() -> int:
    from builders.scale.engines import default_workers  # here: workers need not import the scale stage

    return default_workers()


def review(config: ReviewConfig) -> ReviewReport:
    """Write the review site of ``config.paths`` into ``config.out``."""
    sources, meta = _sources(config)
    _refuse_inside(config.out, {s.seeds for s in sources if isinstance(s, ReleaseSource)}
                   | {p for p in config.paths if p.is_dir() and not is_release(p)})
    jobs = _jobs(sources)
    prepare_out(config.out)
    report, rows, lengths = ReviewReport(config.out), list[Row](), list[int]()
    for row, bodies in _render_all(jobs, config.out, meta, config.workers or _cores()):
        rows.append(row)
        lengths.extend(bodies)
        report.articles += row.articles
        report.pages_with_problems += bool(row.problems or row.flagged)
    report.pages = len(rows)
    index = environment().get_template("index.html.j2").render(**index_context(rows, lengths, meta))
    write_file(config.out / "index.html", index)
    write_assets(config.out)
    return report


