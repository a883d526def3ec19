"""Compare two releases: articles added, removed and changed, fields changed, schema changes.

Matching, in this order (each record is matched at most once):

1. **Same ID.** IDs are content-derived (SHA-256 over the page's bytes, title lines and
   body), so an article whose page and text did not change keeps its ID. If any other
   field differs (say the enrichment improved), the article is *changed*.
2. **Same page and headline.** Editing one article of a seed page changes the page's
   SHA-256 and so the ID of every article on it; the articles left over are paired by
   ``(source_file, headline)`` when that key is unique on both sides.
3. **Same page and position.** Still unpaired articles with the same
   ``(source_file, ordinal)`` are paired (a headline fixed by the parser).

Paired records that differ are *changed* (``id`` is listed among their changed fields
when it moved); what is left is *removed* (old only) or *added* (new only). A dropped
article and a new one at the same position of the same page count as one change.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from builders.errors import InvalidReleaseError
from builders.release.clusters import ClusterChanges, cluster_changes
from builders.release.write import DATA_DIR, JSONL_DIR

Bump = Literal["major", "minor", "patch", "none"]
Record = dict[str, Any]
EXAMPLES = 3
KEYS: dict[str, type | tuple[type, ...]] = {"id": str, "source_file": str, "headline": str, "ordinal": int}
"""The fields a diff matches records by, with their types: a line without them is a damaged release."""
"""Examples kept per changed field."""
EXAMPLE_CHARS = 80


@dataclass(frozen=True)
class Change:
    """One changed article: its old and new ID and the fields that differ."""

    old_id: str
    new_id: str
    source_file: str
    headline: str
    fields: tuple[str, ...]


@dataclass
class ReleaseDiff:
    """What changed from release ``old`` to release ``new`` (both folder names, e.g. versions)."""

    old: str
    new: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    pages_added: list[str] = field(default_factory=list)
    pages_removed: list[str] = field(default_factory=list)
    fields_added: list[str] = field(default_factory=list)
    fields_removed: list[str] = field(default_factory=list)
    fields_retyped: list[str] = field(default_factory=list)
    examples: dict[str, list[Record]] = field(default_factory=dict)
    clusters: ClusterChanges = field(default_factory=ClusterChanges)

    def field_counts(self) -> Counter[str]:
        """How many changed articles differ in each field."""
        return Counter(name for change in self.changed for name in change.fields)

    def bump(self) -> Bump:
        """The version bump these changes call for (README "Versioning")."""
        if self.fields_removed or self.fields_retyped:
            return "major"
        if self.fields_added or self.pages_added or self.pages_removed:
            return "minor"
        return "patch" if self.added or self.removed or self.changed else "none"

    def to_json(self) -> Record:
        """A JSON-ready dict: counts, IDs, changes and per-field counts, all sorted."""
        return {
            "old": self.old, "new": self.new, "bump": self.bump(),
            "counts": {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed),
                       "unchanged": self.unchanged},
            "pages": {"added": self.pages_added, "removed": self.pages_removed},
            "schema": {"added": self.fields_added, "removed": self.fields_removed, "retyped": self.fields_retyped},
            "fields": dict(sorted(self.field_counts().items())),
            "clusters": self.clusters.to_json(),
            "examples": self.examples,
            "added": self.added, "removed": self.removed,
            "changed": [{"old_id": c.old_id, "new_id": c.new_id, "source_file": c.source_file,
                         "fields": list(c.fields)} for c in self.changed],
        }


def load_records(root: Path) -> dict[str, Record]:
    """The records of a release folder by ID, in release order (from the JSONL shards).

    Raises:
        InvalidReleaseError: a line is not UTF-8 JSON, or not a record with the fields a diff compares by.
    """
    paths = sorted((root / JSONL_DIR).glob("*.jsonl"))
    records: dict[str, Record] = {}
    where = f"{JSONL_DIR}/"
    try:
        for path in paths:
            with path.open("rb") as lines:
                for number, line in enumerate(lines, start=1):
                    where = f"{JSONL_DIR}/{path.name}:{number}"
                    record = json.loads(line)  # bytes: a line that is not UTF-8 fails here, with its number
                    if not isinstance(record, dict) or not all(isinstance(record.get(k), t) for k, t in KEYS.items()):
                        raise ValueError(f"not a record with {', '.join(KEYS)}")
                    records[record["id"]] = record
    except (OSError, ValueError) as err:
        raise InvalidReleaseError(f"{root}: {where}: {err}; {_fix(root)}") from err
    return records


def schema_paths(schema: pa.Schema | pa.StructType) -> dict[str, str]:
    """Every field path of an Arrow schema (``a``, ``a.b``, ``a[]``, ``a[].b``) with its type and nullability."""
    paths: dict[str, str] = {}

    def walk(prefix: str, t: pa.DataType, nullable: bool) -> None:
        kind = "list" if pa.types.is_list(t) else "struct" if pa.types.is_struct(t) else str(t)
        paths[prefix] = f"{kind}{'?' if nullable else ''}"
        if pa.types.is_list(t):
            walk(prefix + "[]", t.value_type, t.value_field.nullable)
        elif pa.types.is_struct(t):
            for child in t:
                walk(f"{prefix}.{child.name}", child.type, child.nullable)

    for top in schema:
        walk(top.name, top.type, top.nullable)
    return paths


def release_schema(root: Path) -> dict[str, str]:
    """Field paths of a release's Parquet schema (the first shard's); empty when there is no shard."""
    shards = sorted((root / DATA_DIR).glob("*.parquet"))
    try:
        return schema_paths(pq.read_schema(shards[0])) if shards else {}
    except (OSError, pa.ArrowException) as err:
        raise InvalidReleaseError(f"{root}: {DATA_DIR}/{shards[0].name} is not a Parquet file ({err}); "
                                  f"{_fix(root)}") from err


def _pair_by(
    key: Callable[[Record], Hashable], old: dict[str, Record], new: dict[str, Record]
) -> Iterator[tuple[str, str]]:
    """``(old id, new id)`` of the records whose ``key`` is unique on both sides and equal."""
    old_keys = Counter(key(r) for r in old.values())
    new_by_key = {key(r): i for i, r in new.items()}
    new_keys = Counter(key(r) for r in new.values())
    for old_id, record in old.items():
        k = key(record)
        if old_keys[k] == 1 and new_keys[k] == 1:
            yield old_id, new_by_key[k]


def match(old: dict[str, Record], new: dict[str, Record]) -> list[tuple[str, str]]:
    """Pairs ``(old id, new id)``: same ID, then same page and headline, then same page and ordinal."""
    pairs = [(i, i) for i in old if i in new]
    left_old = {i: r for i, r in old.items() if i not in new}
    left_new = {i: r for i, r in new.items() if i not in old}
    for key in (lambda r: (r["source_file"], r["headline"]), lambda r: (r["source_file"], r["ordinal"])):
        found = list(_pair_by(key, left_old, left_new))
        pairs.extend(found)
        for old_id, new_id in found:
            del left_old[old_id], left_new[new_id]
    return pairs


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1] + "…"


def _add_change(diff: ReleaseDiff, a: Record, b: Record) -> None:
    names = tuple(k for k in b if a.get(k) != b.get(k)) + tuple(k for k in a if k not in b)
    if not names:
        diff.unchanged += 1
        return
    diff.changed.append(Change(a["id"], b["id"], b["source_file"], b["headline"], names))
    for name in names:
        examples = diff.examples.setdefault(name, [])
        if len(examples) < EXAMPLES:
            examples.append({"id": b["id"], "old": _short(a.get(name)), "new": _short(b.get(name))})


def diff_releases(old_root: Path, new_root: Path) -> ReleaseDiff:
    """Compare the release folders ``old_root`` and ``new_root`` (see the module doc for matching)."""
    old, new = load_records(old_root), load_records(new_root)
    diff = ReleaseDiff(old_root.name, new_root.name)
    pairs = match(old, new)
    for old_id, new_id in sorted(pairs, key=lambda p: p[1]):
        _add_change(diff, old[old_id], new[new_id])
    diff.clusters = cluster_changes(old, new, pairs)
    diff.removed = sorted(set(old) - {a for a, _ in pairs})
    diff.added = sorted(set(new) - {b for _, b in pairs})
    old_pages = {r["source_file"] for r in old.values()}
    new_pages = {r["source_file"] for r in new.values()}
    diff.pages_added, diff.pages_removed = sorted(new_pages - old_pages), sorted(old_pages - new_pages)
    old_schema, new_schema = release_schema(old_root), release_schema(new_root)
    diff.fields_added = sorted(set(new_schema) - set(old_schema))
    diff.fields_removed = sorted(set(old_schema) - set(new_schema))
    diff.fields_retyped = sorted(k for k in set(old_schema) & set(new_schema) if old_schema[k] != new_schema[k])
    return diff


def _fix(root: Path) -> str:
    """What to do about a damaged release folder."""
    return (f"run xianbao validate {root}, then rebuild it (xianbao build --release-version {root.name} --force) "
            "or remove it")
