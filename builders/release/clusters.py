"""Reprint clusters compared between two releases, for ``xianbao diff``.

A cluster is its set of members, with old records named by the new ID they were matched
to (:func:`builders.release.diff.match`). A member set found in both releases is *kept*
(even when its cluster id moved); a new cluster that holds a member of an old one, with
other members, *changed* (it grew, shrank, merged or split); a new cluster none of whose
members was clustered before was *formed*; an old cluster none of whose members is clustered
now was *dissolved*; a record whose cluster-mates differ *moved*.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]


@dataclass
class ClusterChanges:
    """How the reprint clusters changed from one release to the next."""

    kept: int = 0
    changed: list[str] = field(default_factory=list)
    """Cluster ids (new release) whose member set differs from that of an old cluster they share members with."""
    formed: list[str] = field(default_factory=list)
    """Cluster ids (new release) whose member set is new."""
    dissolved: list[str] = field(default_factory=list)
    """Cluster ids (old release) whose member set is gone."""
    moved: list[str] = field(default_factory=list)
    """Record ids (new release) whose cluster-mates changed."""

    def to_json(self) -> Record:
        return {"kept": self.kept, "changed": self.changed, "formed": self.formed, "dissolved": self.dissolved,
                "moved": self.moved}

    def line(self) -> str | None:
        """One markdown list item; None when neither release has clusters."""
        if not (self.kept or self.changed or self.formed or self.dissolved):
            return None
        return (f"- Reprint clusters: {self.kept} kept, {len(self.changed)} changed, {len(self.formed)} formed, "
                f"{len(self.dissolved)} dissolved; {len(self.moved)} articles changed cluster")


def _members(records: dict[str, Record], name: dict[str, str]) -> dict[str, frozenset[str]]:
    """Cluster id -> its members' names."""
    groups: dict[str, set[str]] = {}
    for record in records.values():
        reuse = record.get("reuse")
        cluster = reuse.get("cluster") if isinstance(reuse, dict) else None
        if isinstance(cluster, str) and cluster:
            groups.setdefault(cluster, set()).add(name.get(record["id"], "old:" + record["id"]))
    return {c: frozenset(m) for c, m in groups.items()}


def cluster_changes(old: dict[str, Record], new: dict[str, Record], pairs: list[tuple[str, str]]) -> ClusterChanges:
    """Compare the clusters of two releases whose records were matched as ``pairs`` (old id, new id)."""
    before, after = _members(old, dict(pairs)), _members(new, {i: i for i in new})
    old_sets, new_sets = set(before.values()), set(after.values())
    mates_before = {m: s for s in old_sets for m in s}
    mates_after = {m: s for s in new_sets for m in s}
    grown = {c: s for c, s in after.items() if s not in old_sets}
    return ClusterChanges(
        kept=len(old_sets & new_sets),
        changed=sorted(c for c, s in grown.items() if not s.isdisjoint(mates_before)),
        formed=sorted(c for c, s in grown.items() if s.isdisjoint(mates_before)),
        dissolved=sorted(c for c, s in before.items() if s not in new_sets and s.isdisjoint(mates_after)),
        moved=sorted(i for i in new if mates_before.get(i) != mates_after.get(i) and not i.startswith("old:")),
    )
