"""A release to review: its records and rejects, with the page text read from the seeds.

A release ships no page text, so its pages are read again from the seeds folder and
checked against the released SHA-256; the page is parsed again (cheap, no enrichment)
to recover the warnings and line roles a release does not keep, which are used only
when the parse gives the released IDs. The release modules (and pyarrow) are imported
only where a release is read, in the parent process: workers load pages without them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from builders.errors import ConfigError
from builders.parse.page import parse_page
from builders.pipeline import invalid_record_problems
from builders.read.decode import read_page
from builders.read.seeds import inside_seeds
from builders.review.source import ReviewInput
from schema import Article, Problem


@dataclass(frozen=True)
class ReleaseMeta:
    """Identity and counts of a release, for the index."""

    name: str
    version: str
    counts: dict[str, object]


def is_release(path: Path) -> bool:
    """True for a release folder (``manifest.json`` and ``jsonl/``)."""
    from builders.release.files import MANIFEST_FILE
    from builders.release.write import JSONL_DIR

    return (path / MANIFEST_FILE).is_file() and (path / JSONL_DIR).is_dir()


def release_meta(release: Path) -> ReleaseMeta:
    """Name, version and counts from the release's manifest.json."""
    manifest = _manifest(release)
    dataset = manifest.get("dataset", {})
    return ReleaseMeta(str(dataset.get("name", release.parent.name)), str(dataset.get("version", release.name)),
                       dict(manifest.get("counts", {})))


def find_seeds(release: Path, names: list[str]) -> Path:
    """The seeds folder of a release: the nearest ``seeds/`` above it that holds its first page."""
    for parent in release.resolve().parents:
        candidate = parent / "seeds"
        if candidate.is_dir() and (not names or (candidate / names[0]).is_file()):
            return candidate
    raise ConfigError(f"{release}: no seeds/ folder above the release holds {names[0] if names else 'its pages'}; "
                      "pass the folder the release was built from with --seeds")


@dataclass(frozen=True)
class ReleaseSource:
    """A page of a release: its released records and rejects; its text is read from the seeds when loaded."""

    seeds: Path
    name: str
    sha256: str | None
    records: list[str]
    """The page's JSONL lines, validated as Articles when loaded (in a worker)."""
    rejects: list[Problem]

    @property
    def source_file(self) -> str:
        return self.name

    def articles(self) -> tuple[list[Article], list[Problem]]:
        """The records as Articles; one that is not becomes ``invalid-record`` problems of the page."""
        articles, problems = [], []
        for line in self.records:
            try:
                articles.append(Article.model_validate_json(line))
            except ValidationError as err:
                problems += invalid_record_problems(err, self.name, None)
        return articles, problems

    def load(self) -> ReviewInput:
        articles, invalid = self.articles()
        view = ReviewInput(self.name, None, articles, [*self.rejects, *invalid])
        if not inside_seeds(self.seeds / self.name, self.seeds):
            view.notes.append(f"the source page {self.name} lies outside the seeds folder {self.seeds} "
                              "(a link or a path out of it): not read")
            return view
        page = read_page(self.seeds / self.name, self.seeds)
        if isinstance(page, Problem):
            view.notes.append(f"the source page {self.seeds / self.name} cannot be read ({page.code}): pass the "
                              "seeds folder the release was built from with --seeds")
            return view
        view.text = page.text
        if self.sha256 is not None and page.sha256 != self.sha256:
            view.notes.append(f"{self.seeds / self.name} changed since the release (SHA-256 differs): "
                              "the shading may be off")
        parsed = parse_page(page.text, self.name, page.sha256)
        if sorted(a.id for a in parsed.articles) == sorted(a.id for a in articles):
            seen = {(p.code, p.line, p.message) for p in view.problems}
            view.problems.extend(p for p in parsed.problems if (p.code, p.line, p.message) not in seen)
            view.assignments = parsed.assignments
        else:
            view.notes.append("this parser makes other articles of the page than the release holds: "
                              "line roles and warnings are not shown, lines outside every article are")
        view.problems.sort(key=lambda p: (p.line or 0, p.code))
        return view


def release_sources(release: Path, seeds: Path | None) -> Iterator[ReleaseSource]:
    """The pages of a release (every seed of its manifest), with their records and rejects."""
    manifest = _manifest(release)
    pages: dict[str, str | None] = {str(s["file"]): s.get("sha256") for s in manifest.get("seeds", [])}
    records, problems = _records(release), _rejects(release)
    for name in sorted({*records, *problems} - set(pages)):
        pages[name] = None
    if seeds is None:
        seeds = find_seeds(release, sorted(pages))
    elif pages and not any((seeds / name).is_file() for name in pages):
        raise ConfigError(f"--seeds {seeds} holds none of the release's {len(pages)} pages (e.g. {min(pages)}); "
                          "pass the folder the release was built from")
    for name in sorted(pages):
        yield ReleaseSource(seeds, name, pages[name], records.get(name, []), problems.get(name, []))


def _manifest(release: Path) -> dict[str, Any]:
    from builders.release.files import MANIFEST_FILE

    try:
        manifest = json.loads((release / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ConfigError(f"{release}/{MANIFEST_FILE} is unreadable ({err}); rebuild the release") from err
    if not isinstance(manifest, dict):
        raise ConfigError(f"{release}/{MANIFEST_FILE} is not a JSON object; rebuild the release")
    return manifest


def _records(release: Path) -> dict[str, list[str]]:
    """Released JSONL lines by source file, in release order."""
    from builders.release.write import JSONL_DIR

    found: dict[str, list[str]] = {}
    for path in sorted((release / JSONL_DIR).glob("*.jsonl")):
        for number, line in enumerate(_lines(release, path), start=1):
            try:
                source_file = str(json.loads(line)["source_file"])
            except (ValueError, KeyError, TypeError) as err:
                where = f"{path.relative_to(release).as_posix()}:{number}"
                raise ConfigError(f"{release}: {where} is not a record with a source_file ({err!r}); "
                                  "run xianbao validate") from err
            found.setdefault(source_file, []).append(line)
    return found


def _rejects(release: Path) -> dict[str, list[Problem]]:
    """The release's rejects by source file."""
    from builders.release.files import REJECTS_FILE

    path = release / REJECTS_FILE
    found: dict[str, list[Problem]] = {}
    if path.is_file():
        for number, line in enumerate(_lines(release, path), start=1):
            try:
                problem = Problem.model_validate_json(line)
            except ValidationError as err:
                raise ConfigError(f"{release}: {REJECTS_FILE}:{number} is not a reject record "
                                  f"({err.errors()[0]['msg']}); run xianbao validate") from err
            found.setdefault(problem.source_file, []).append(problem)
    return found


def _lines(release: Path, path: Path) -> list[str]:
    """The lines of a release file, or a :class:`ConfigError` naming it."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{release}: {path.relative_to(release).as_posix()} cannot be read as UTF-8 text "
                          f"({err}); run xianbao validate") from err

