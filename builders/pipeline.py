"""One page through every stage: read -> parse -> enrich -> validate.

``process_file`` is the unit of work the build shards over; it never raises for bad
input: every page ends up as articles, as a reject problem, or both (warnings).
"""

from __future__ import annotations

import hashlib
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from builders.enrich.page import enrich_page
from builders.errors import XianbaoError
from builders.parse.page import parse_page
from builders.read.decode import Page, read_seed
from builders.read.manifest import PageMeta
from schema import Article, Problem


@dataclass
class PageResult:
    """What one seed page became."""

    source_file: str
    sha256: str | None
    n_bytes: int = 0
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        """True when the page produced no article at all."""
        return not self.articles


def invalid_record_problems(err: ValidationError, source_file: str, line: int | None) -> list[Problem]:
    """Map pydantic's ``errors()`` (type, loc, msg) to ``invalid-record`` problems."""
    return [
        Problem(
            code="invalid-record",
            source_file=source_file,
            line=line,
            message=f"{e['type']}: {e['msg']}",
            locations=[".".join(str(p) for p in e["loc"])],
        )
        for e in err.errors()
    ]


FORMAT_CONTROLS = "format-controls-removed"


def _format_controls(page: Page) -> Problem:
    return Problem(code=FORMAT_CONTROLS, source_file=page.source_file, line=None,
                   message=f"{page.format_controls} invisible format characters (bidi controls, zero-width "
                   "spaces) or stray control characters (ESC, BEL) removed from the text")


def _flagged(article: Article, flag: str) -> Article:
    return article.model_copy(update={"flags": sorted({*article.flags, flag})})


def process_page(page: Page, meta: PageMeta | None = None, validate: bool = True) -> PageResult:
    """Parse and enrich one decoded page; ``validate=False``: the records are built without
    validation (:func:`~builders.enrich.page.build_article`), the caller validates them."""
    result = PageResult(page.source_file, page.sha256, page.n_bytes)
    try:
        parsed = parse_page(page.text, page.source_file, page.sha256)
        result.problems.extend(parsed.problems)
        result.articles = enrich_page(parsed.articles, page.text, meta, validate)
        if page.format_controls:
            result.problems.append(_format_controls(page))
            result.articles = [_flagged(a, FORMAT_CONTROLS) for a in result.articles]
    except ValidationError as err:
        result.problems.extend(invalid_record_problems(err, page.source_file, None))
    except XianbaoError:  # not this page's fault (a damaged install): stop with its message
        raise
    except Exception as err:  # a bug must not lose the page: record it as a reject
        where = traceback.extract_tb(err.__traceback__)[-1]
        result.problems.append(
            Problem(
                code="internal-error",
                source_file=page.source_file,
                line=None,
                message=f"{type(err).__name__}: {err} (at {where.filename}:{where.lineno}); please report it",
            )
        )
    return result


def process_file(path: Path, root: Path | None = None, meta: PageMeta | None = None,
                 validate: bool = True) -> PageResult:
    """Read, parse and enrich one seed file (``validate``: see :func:`process_page`)."""
    page, raw = read_seed(path, root)
    if isinstance(page, Problem):  # rejected: its bytes (when read) still identify it in the manifest
        sha256 = None if raw is None else hashlib.sha256(raw).hexdigest()
        return PageResult(page.source_file, sha256, len(raw or b""), problems=[page])
    return process_page(page, meta, validate)


def release_file(path: Path, root: Path | None = None, meta: PageMeta | None = None) -> PageResult:
    """:func:`process_file` for a release build, which validates every record once, from the
    JSONL line it writes (:func:`builders.release.records.checked_records`, an invalid record is
    rejected alone): the records are not validated a first time while they are built."""
    return process_file(path, root, meta, validate=False)
