"""Validation and problem routing: every record checked against the model, every problem counted.

:func:`checked_records` validates each record of each :class:`~builders.pipeline.PageResult`
and yields the good ones with their JSONL line; :class:`ProblemSink` writes rejects to
``rejects.jsonl`` and counts warnings, per ``--on-invalid``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import IO

from pydantic import ValidationError

from builders.errors import InvalidRecordError
from builders.pipeline import PageResult, invalid_record_problems
from builders.release.files import REJECTS_FILE
from builders.release.stats import BuildStats, SeedEntry
from builders.release.write import record_json
from schema import Article, Problem

log = logging.getLogger("xianbao")


class ProblemSink:
    """Routes problems: rejects to rejects.jsonl, warnings to counts, per ``on_invalid``."""

    def __init__(self, stream: IO[str], stats: BuildStats, on_invalid: str) -> None:
        self.stream, self.stats, self.on_invalid = stream, stats, on_invalid

    def add_all(self, problems: list[Problem]) -> None:
        """Record the problems of one page or record.

        Raises:
            InvalidRecordError: under ``on_invalid="error"``, naming every invalid location.
        """
        invalid = [p for p in problems if p.code == "invalid-record"]
        if invalid and self.on_invalid == "error":
            at = ", ".join(loc for p in invalid for loc in p.locations) or "record"
            raise InvalidRecordError(
                f"{_where(invalid[0])}: invalid record at {at}: {invalid[0].message}; "
                "fix the parser/enricher, or rerun with --on-invalid warn"
            )
        for problem in problems:
            self.add(problem)

    def add(self, problem: Problem) -> None:
        """Count a warning, or write a reject to rejects.jsonl (logged under ``on_invalid="warn"``)."""
        self.stats.add_problem_page(problem.code, _where(problem))
        if problem.severity == "warning":
            self.stats.warnings_by_code[problem.code] += 1
            log.info("%s: %s: %s", _where(problem), problem.code, problem.message)
            return
        if problem.code == "invalid-record" and self.on_invalid == "warn":
            at = ", ".join(problem.locations) or "record"
            log.warning("%s: invalid record at %s: %s (rejected into %s)", _where(problem), at, problem.message,
                        REJECTS_FILE)
        self.stats.rejects_by_code[problem.code] += 1
        if self.stats.seeds and self.stats.seeds[-1].file == problem.source_file:
            self.stats.seeds[-1].rejects += 1
        self.stream.write(problem.model_dump_json() + "\n")


def _where(problem: Problem) -> str:
    return f"{problem.source_file}:{problem.line}" if problem.line else problem.source_file


def checked_records(results: Iterable[PageResult], sink: ProblemSink) -> Iterator[tuple[Article, str]]:
    """Validate every record of every page against the model; yield ``(article, jsonl line)``."""
    seen: dict[str, str] = {}
    stats = sink.stats
    for result in results:
        stats.seeds.append(SeedEntry(result.source_file, result.sha256, result.n_bytes))
        sink.add_all(result.problems)
        for article in result.articles:
            line = record_json(article)
            try:
                Article.model_validate_json(line)
            except ValidationError as err:
                sink.add_all(invalid_record_problems(err, result.source_file, None))
                continue
            if article.id in seen:
                sink.add_all([_duplicate(article, seen[article.id])])
                continue
            seen[article.id] = article.source_file
            stats.add_record(article)
            yield article, line


def _duplicate(article: Article, first: str) -> Problem:
    return Problem(
        code="invalid-record",
        source_file=article.source_file,
        line=None,
        message=f"id {article.id} was already released from {first}; the same page is in seeds twice?",
        locations=["id"],
    )
