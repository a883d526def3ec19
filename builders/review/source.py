"""Pages to review: what each page's view is made from, and page files parsed on the fly.

A page comes from a source (:class:`FileSource` here, :class:`~builders.review.released.ReleaseSource`
for a release): small and picklable, so pages can be loaded in worker processes; its
``load()`` gives a :class:`ReviewInput`: the decoded text, the articles, the problems and
which field every line fed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from builders.enrich.page import enrich_page
from builders.errors import ConfigError
from builders.parse.page import parse_page
from builders.pipeline import process_page
from builders.read.decode import read_page, relative_name
from builders.read.seeds import discover
from schema import Article, Problem


@dataclass
class ReviewInput:
    """One source page with what the pipeline made of it."""

    source_file: str
    text: str | None
    """The decoded page text; None when it could not be read (the problems say why)."""
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    assignments: dict[int, str] = field(default_factory=dict)
    """Line number -> ``"<ordinal>.<field>"``, when known."""
    notes: list[str] = field(default_factory=list)
    """What the reviewer should know about this view of the page (seed changed, roles missing)."""


@dataclass(frozen=True)
class FileSource:
    """A page file, parsed and enriched when loaded."""

    path: Path
    root: Path | None
    """The folder it was found in (``source_file`` is relative to it), or None: the path as given."""
    problem: Problem | None = None
    """Why the page is not read, when its folder says so (a link outside the folder, a special file)."""

    @property
    def source_file(self) -> str:
        return relative_name(self.path, self.root)

    def load(self) -> ReviewInput:
        if self.problem is not None:
            return ReviewInput(self.problem.source_file, None, problems=[self.problem])
        page = read_page(self.path, self.root)
        if isinstance(page, Problem):
            return ReviewInput(page.source_file, None, problems=[page])
        parsed = parse_page(page.text, page.source_file, page.sha256)
        try:
            articles, problems = enrich_page(parsed.articles, page.text, None), parsed.problems
        except Exception:  # the pipeline turns the failure into its problem (invalid-record, internal-error)
            result = process_page(page)
            articles, problems = result.articles, result.problems
        return ReviewInput(page.source_file, page.text, articles, problems, parsed.assignments)


def page_sources(paths: list[Path]) -> Iterator[FileSource]:
    """Page files (``source_file`` as given) and folders of pages (relative to the folder)."""
    for path in paths:
        if path.is_dir():
            yield from (FileSource(p.path, path, p.problem) for p in discover(path).pages)
        elif path.is_file():
            yield FileSource(path, None)
        else:
            raise ConfigError(f"{path}: no such file or folder; pass page files, folders of pages or a release")
