"""Release history: versions on disk, the next version, "Changes since" sections, CHANGELOG.md.

Version rules (semantic versioning of the dataset, see README "Versioning"): a field
removed or retyped is a **major** bump; a new field, or pages added or removed, a
**minor** bump; other record changes (parser or enrichment fixes) a **patch**.
Everything here is computed from release folders only, so it is deterministic.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from builders.errors import InvalidReleaseError
from builders.release.atomic import commit, stage_text
from builders.release.config import VERSION_RE
from builders.release.diff import Bump, ReleaseDiff, diff_releases
from builders.release.markdown import cell, inline

CHANGELOG_FILE = "CHANGELOG.md"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
SHOWN_IDS = 10
"""Article IDs listed per kind of change in markdown (the rest are counted)."""


def version_key(version: str) -> tuple[int, ...]:
    """Sort key of an ``X.Y.Z`` version."""
    return tuple(int(part) for part in version.split("."))


def release_versions(dataset_dir: Path) -> list[str]:
    """Versions released under ``dist/<name>/`` (folders named X.Y.Z with a manifest), oldest first."""
    if not dataset_dir.is_dir():
        return []
    found = [p.name for p in dataset_dir.iterdir() if VERSION_RE.fullmatch(p.name) and (p / MANIFEST).is_file()]
    return sorted(found, key=version_key)


def previous_release(dataset_dir: Path, version: str) -> Path | None:
    """The latest release under ``dataset_dir`` older than ``version``, if any."""
    older = [v for v in release_versions(dataset_dir) if version_key(v) < version_key(version)]
    return dataset_dir / older[-1] if older else None


def bump_version(version: str, bump: Bump) -> str:
    """``version`` bumped by ``bump`` (``none`` keeps it)."""
    major, minor, patch = version_key(version)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}" if bump == "patch" else version


def reasons(diff: ReleaseDiff) -> list[str]:
    """Why :meth:`ReleaseDiff.bump` chose its bump, most important first."""
    why = []
    if diff.fields_removed or diff.fields_retyped:
        why.append(f"major: fields removed {diff.fields_removed} or retyped {diff.fields_retyped}")
    if diff.fields_added:
        why.append(f"minor: new fields {diff.fields_added}")
    if diff.pages_added or diff.pages_removed:
        why.append(f"minor: {len(diff.pages_added)} pages added, {len(diff.pages_removed)} removed")
    if diff.added or diff.removed or diff.changed:
        why.append(f"patch: {len(diff.added)} articles added, {len(diff.removed)} removed, "
                   f"{len(diff.changed)} changed")
    return why or ["none: same records and schema"]


def _ids(label: str, ids: list[str]) -> str:
    shown = ", ".join(f"`{i}`" for i in ids[:SHOWN_IDS])
    more = f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else ""
    return f"- {label}: {len(ids)}" + (f" ({shown}{more})" if ids else "")


def _pages(label: str, names: list[str]) -> list[str]:
    """The list item of the pages added or removed (names are data, escaped); none without pages."""
    return [f"- Pages {label}: {', '.join(map(inline, names))}"] if names else []


def changes_markdown(diff: ReleaseDiff, heading: str = "##") -> str:
    """A markdown "Changes since <old>" section: counts, pages, schema, fields with examples; names and
    values from the releases are data, escaped (:mod:`builders.release.markdown`)."""
    lines = [f"{heading} Changes since {inline(diff.old)}", "",
             f"Version bump by the rules: **{diff.bump()}** ({'; '.join(reasons(diff))}).", "",
             _ids("Articles added", diff.added), _ids("Articles removed", diff.removed),
             _ids("Articles changed", [c.new_id for c in diff.changed]), f"- Articles unchanged: {diff.unchanged}"]
    lines += _pages("added", diff.pages_added) + _pages("removed", diff.pages_removed)
    lines += [line] if (line := diff.clusters.line()) else []
    for label, paths in (("added", diff.fields_added), ("removed", diff.fields_removed),
                         ("retyped", diff.fields_retyped)):
        lines += [f"- Schema fields {label}: {', '.join(f'`{p}`' for p in paths)}"] if paths else []
    counts = diff.field_counts()
    if counts:
        lines += ["", "| field | articles changed | example (id: old → new) |", "|---|---:|---|"]
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            ex = diff.examples[name][0]
            text = f"`{ex['id']}`: {cell(str(ex['old']))} → {cell(str(ex['new']))}"
            lines.append(f"| `{name}` | {n} | {text} |")
    return "\n".join(lines)


def changes_section(dataset_dir: Path, version: str, new_root: Path) -> str:
    """The card's "Changes since" section for ``version`` built at ``new_root``; empty for a first release."""
    previous = previous_release(dataset_dir, version)
    return changes_markdown(diff_releases(previous, new_root)) + "\n" if previous else ""


def _summary(root: Path) -> str:
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        counts = manifest.get("counts", {})
    except (OSError, ValueError, AttributeError) as err:
        raise InvalidReleaseError(f"{root}/{MANIFEST} is not a release manifest ({err}); run xianbao validate "
                                  f"{root}, then rebuild or remove that release") from err
    return inline(f"{counts.get('records')} records from {counts.get('pages')} pages, "
                  f"record schema {manifest.get('schema_version')}.")  # values read from a file: data


def _digest(root: Path) -> str:
    try:
        digest = hashlib.sha256((root / SUMS).read_bytes()).hexdigest()
    except OSError as err:
        raise InvalidReleaseError(f"{root}/{SUMS} cannot be read ({err.strerror or err}); run xianbao validate "
                                  f"{root}, then rebuild or remove that release") from err
    return f"Digest: `sha256:{digest}` (check a copy with `xianbao validate FOLDER --expect-digest sha256:{digest}`)."


def render_changelog(dataset_dir: Path, pending: tuple[str, Path] | None = None) -> str:
    """CHANGELOG.md of every release under ``dataset_dir``, newest first.

    ``pending``: ``(version, folder)`` of a release about to be published (its staging
    folder), listed as if it were in place, so the changelog is ready before the release is.
    """
    roots = {v: dataset_dir / v for v in release_versions(dataset_dir)}
    if pending is not None:
        roots[pending[0]] = pending[1]
    versions = sorted(roots, key=version_key)
    parts = [f"# Changelog of {dataset_dir.name}", "",
             "Generated by `xianbao build` from the release folders; do not edit."]
    for index in range(len(versions) - 1, -1, -1):
        root = roots[versions[index]]
        parts += ["", f"## {versions[index]}", "", _summary(root), "", _digest(root)]
        if index == 0:
            parts += ["", "First release."]
            continue
        diff = diff_releases(roots[versions[index - 1]], root)
        parts += ["", changes_markdown(diff, heading="###")]
    return "\n".join(parts) + "\n"


def write_changelog(dataset_dir: Path, text: str | None = None) -> Path:
    """Write ``dataset_dir/CHANGELOG.md`` (``text``, else regenerated) in one atomic rename; left untouched
    when already up to date. Return its path."""
    path = dataset_dir / CHANGELOG_FILE
    staged = stage_changelog(dataset_dir, render_changelog(dataset_dir) if text is None else text)
    if staged is not None:
        try:
            commit(staged, path)
        finally:
            staged.unlink(missing_ok=True)
    return path


def stage_changelog(dataset_dir: Path, text: str) -> Path | None:
    """A flushed temporary file holding the new ``CHANGELOG.md`` (to :func:`commit` once the release is
    in place); None when the file is already up to date."""
    path = dataset_dir / CHANGELOG_FILE
    if path.is_file() and path.read_bytes() == text.encode("utf-8"):
        return None
    return stage_text(path, text)


FIRST_RELEASE = "first release"
"""The reason :func:`propose_version` gives when no earlier release is listed."""


def propose_version(dataset_dir: Path, new_root: Path, version: str) -> tuple[str, list[str]]:
    """The next version for the release built at ``new_root`` against the latest one under ``dataset_dir``, and why.

    A first release keeps ``version``, the version it was built with.
    """
    versions = release_versions(dataset_dir)
    if not versions:
        return version, [FIRST_RELEASE]
    diff = diff_releases(dataset_dir / versions[-1], new_root)
    return bump_version(versions[-1], diff.bump()), reasons(diff)
