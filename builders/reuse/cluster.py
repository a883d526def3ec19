"""Verified links -> one ``Reuse`` object per record.

Clusters are the connected components of *verified* reprint links only (never of LSH
buckets or of shared passages), so two stories that merely share a formula or a quote
never merge. The cluster id is the smallest member id (stable while that member stays);
the source is the earliest member by ``(date, page, source_file, ordinal)`` when every
member has a date.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from schema import Reuse, ReusedSpan
from schema.article import ReuseKind


@dataclass(frozen=True)
class Meta:
    """What clustering needs of a record."""

    id: str
    date: datetime.date | None
    page: str | None
    source_file: str
    ordinal: int
    credited_to: str | None

    def order(self) -> tuple[datetime.date, str, str, int, str]:
        return (self.date or datetime.date.max, self.page or "", self.source_file, self.ordinal, self.id)


@dataclass
class Links:
    """Verified links between record indices."""

    reprint: dict[int, list[tuple[float, int]]] = field(default_factory=lambda: defaultdict(list))
    """record -> (containment, other) of its verified reprint links."""
    passages: dict[int, list[tuple[int, int, int]]] = field(default_factory=lambda: defaultdict(list))
    """record -> (body start, body end, other) of passages shared outside its cluster."""
    partial_sim: dict[int, list[tuple[float, int]]] = field(default_factory=lambda: defaultdict(list))
    reprint_spans: dict[int, list[tuple[int, int, int]]] = field(default_factory=lambda: defaultdict(list))
    closest: dict[int, tuple[float, int]] = field(default_factory=dict)
    """record -> (containment, other) of its closest verified reprint partner."""


class UnionFind:
    """Components of records; a root is the smallest index of its component."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def components(n: int, links: Links) -> list[int]:
    """Union-find root of every record (the smallest index of its component)."""
    found = UnionFind(n)
    for a, partners in links.reprint.items():
        for _, b in partners:
            found.union(a, b)
    return [found.find(x) for x in range(n)]


def borrower(a: int, b: int, metas: list[Meta]) -> set[int]:
    """Which side of a shared passage is the one quoting: the uncredited side of a credited
    pair, else the later date; both when nothing tells."""
    ma, mb = metas[a], metas[b]
    if bool(ma.credited_to) != bool(mb.credited_to):
        return {b} if ma.credited_to else {a}
    if ma.date and mb.date and ma.date != mb.date:
        return {b} if ma.date < mb.date else {a}
    return {a, b}


def assign(metas: list[Meta], links: Links, partial_pairs: list[tuple[int, int]]) -> Callable[[int], Reuse]:
    """The ``Reuse`` object of record ``i``, made when asked for (not all held at once)."""
    roots = components(len(metas), links)
    members: dict[int, list[int]] = defaultdict(list)
    for index, root in enumerate(roots):
        members[root].append(index)
    borrowers = {x for a, b in partial_pairs for x in borrower(a, b, metas)}
    heads = {root: _head(group, metas) for root, group in members.items() if len(group) > 1}
    return lambda i: _reuse(i, metas, links, heads.get(roots[i]), borrowers)


def _head(group: list[int], metas: list[Meta]) -> tuple[str, int | None]:
    """A cluster's id and its source (None when a member has no date)."""
    dated = all(metas[m].date for m in group)
    return min(metas[m].id for m in group), min(group, key=lambda m: metas[m].order()) if dated else None


def _reuse(i: int, metas: list[Meta], links: Links, head: tuple[str, int | None] | None, borrowers: set[int]) -> Reuse:
    meta = metas[i]
    source = head[1] if head else None
    if head:
        kind: ReuseKind = "original" if source == i else "reprint"
    else:
        kind = "partial" if i in borrowers else "original"
    best = max((c for c, _ in [*links.reprint.get(i, []), *links.partial_sim.get(i, [])]), default=None)
    spans = sorted({(s, e, metas[o].id) for s, e, o in [*links.reprint_spans.get(i, []), *links.passages.get(i, [])]})
    return Reuse(
        cluster=head[0] if head else None,
        kind=kind,
        source_id=metas[source].id if source is not None else None,
        similarity=round(best, 4) if best is not None else None,
        passages=[ReusedSpan(start=s, end=e, other_id=o) for s, e, o in spans],
        credited_to=meta.credited_to,
    )
