"""Verified links -> one ``Reuse`` object per record.

Clusters are the connected components of *verified* reprint links only (never of LSH
buckets or of shared passages), so two stories that merely share a formula or a quote
never merge. The cluster id is the smallest member id (stable while that member stays);
the source is the earliest member by ``(date, page, source_file, ordinal)`` when every
member has a date.
"""

from __future__ import annotations

import datetime
from array import array
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

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


class Codes:
    """Distinct strings (pages, source files, outlets) and their codes: a record keeps an int."""

    def __init__(self) -> None:
        self.values: list[str | None] = []
        self._codes: dict[str | None, int] = {}

    def code(self, value: str | None) -> int:
        found = self._codes.get(value)
        if found is None:
            found = self._codes[value] = len(self.values)
            self.values.append(value)
        return found


class Metas:
    """The :class:`Meta` of every record as compact columns (~26 bytes a record, no object per record).

    Ids are 16 hex digits (``schema.article.ID``), kept as integers: their order is the order of the strings."""

    def __init__(self) -> None:
        self.ids = array("Q")
        self.dates = array("i")
        """Proleptic ordinal of the date, 0 when there is none."""
        self.ordinals = array("i")
        self.pages, self.sources, self.credits = array("i"), array("i"), array("i")
        self.codes = {"page": Codes(), "source": Codes(), "credit": Codes()}

    def __len__(self) -> int:
        return len(self.ids)

    def append(self, meta: Meta) -> None:
        self.ids.append(int(meta.id, 16))
        self.dates.append(meta.date.toordinal() if meta.date else 0)
        self.ordinals.append(meta.ordinal)
        self.pages.append(self.codes["page"].code(meta.page))
        self.sources.append(self.codes["source"].code(meta.source_file))
        self.credits.append(self.codes["credit"].code(meta.credited_to))

    def nbytes(self) -> int:
        """Bytes of the columns (the distinct strings not counted: one per page, not per record)."""
        columns = (self.ids, self.dates, self.ordinals, self.pages, self.sources, self.credits)
        return sum(c.itemsize * len(c) for c in columns)

    def set_credits(self, credits: list[str | None]) -> None:
        """Every record's ``credited_to``, in order."""
        if len(credits) != len(self.ids):
            raise ValueError(f"{len(credits)} credits for {len(self.ids)} records")
        self.credits = array("i", (self.codes["credit"].code(c) for c in credits))

    def id(self, i: int) -> str:
        return f"{self.ids[i]:016x}"

    def date(self, i: int) -> int:
        """The date's ordinal, 0 when the record has none."""
        return self.dates[i]

    def credited_to(self, i: int) -> str | None:
        return self.codes["credit"].values[self.credits[i]]

    def order(self, i: int) -> tuple[int, str, str, int, int]:
        """Earliest first: date (none last), page, source file, position, id."""
        page, source = self.codes["page"].values[self.pages[i]], self.codes["source"].values[self.sources[i]]
        return (self.dates[i] or NO_DATE, page or "", source or "", self.ordinals[i], self.ids[i])


NO_DATE = datetime.date.max.toordinal() + 1


class Links:
    """Verified links between record indices, in arrays over the ``n`` records (a few dozen bytes a linked
    record: Python lists and tuples per record were ~700 bytes, 120 MB at 180,000 records).

    For every record: its closest verified reprint partner and that link's containment (the record's
    spans are against it), its highest similarity over its reprint links and shared passages, and its
    reprint spans (kept in one flat array: a closer partner appends its spans and points to them)."""

    def __init__(self, n: int) -> None:
        self.edges = array("q")
        """Both records of each verified reprint link, flat."""
        self.closest = np.full(n, -1, dtype=np.int64)
        self.containment = np.full(n, -np.inf)
        self.similarity = np.full(n, np.nan)
        self.span_at = np.zeros(n, dtype=np.int64)
        self.span_count = np.zeros(n, dtype=np.int64)
        self.spans = array("q")
        """``(start, end, other)`` of reprint spans, flat; a record's are ``span_at``, ``span_count`` of them."""
        self.passages: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        """record -> (body start, body end, other) of passages shared outside its cluster."""

    def reprinted(self) -> npt.NDArray[np.bool_]:
        """Which records have a verified reprint link (a copy)."""
        return self.closest >= 0

    def link(self, a: int, b: int, containment: float, spans: Callable[[], list[tuple[int, int]]]) -> None:
        """Record a verified reprint link of ``a`` to ``b``; ``a``'s spans (``spans()``, asked for only then)
        are against its closest partner so far (the highest containment, then the lower index)."""
        self.edges.extend((a, b))
        self.seen(a, containment)
        best, other = float(self.containment[a]), int(self.closest[a])
        if other < 0 or (containment, -b) > (best, -other):
            self.closest[a], self.containment[a] = b, containment
            found = spans()
            self.span_at[a], self.span_count[a] = len(self.spans) // 3, len(found)
            for start, end in found:
                self.spans.extend((start, end, b))

    def seen(self, a: int, containment: float) -> None:
        """Count a similarity of ``a`` (of a reprint link or a shared passage)."""
        if not containment <= self.similarity[a]:  # NaN (none yet) compares false
            self.similarity[a] = containment

    def merge(self, other: Links) -> None:
        """Take in the links of ``other``, made over the same records for other components of the
        candidate graph (:mod:`~builders.reuse.split`): no record has links in both."""
        linked, seen = other.closest >= 0, ~np.isnan(other.similarity)
        self.edges.extend(other.edges)
        self.closest[linked], self.containment[linked] = other.closest[linked], other.containment[linked]
        self.span_at[linked] = other.span_at[linked] + len(self.spans) // 3
        self.span_count[linked] = other.span_count[linked]
        self.spans.extend(other.spans)
        self.similarity[seen] = other.similarity[seen]
        self.passages.update(other.passages)

    def reprint_spans(self, a: int) -> list[tuple[int, int, int]]:
        at, count = int(self.span_at[a]), int(self.span_count[a])
        flat = self.spans[3 * at:3 * (at + count)].tolist()
        return list(zip(flat[0::3], flat[1::3], flat[2::3], strict=True))


class UnionFind:
    """Components of records; a root is the smallest index of its component."""

    def __init__(self, n: int) -> None:
        self.parent = array("q", range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def roots(self, xs: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """:meth:`find` of each of ``xs`` at once (the parents followed in numpy; no path is shortened)."""
        parent = np.frombuffer(self.parent, dtype=np.int64)
        found = parent[xs]
        while True:
            up = parent[found]
            if (up == found).all():
                return found
            found = up

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def components(n: int, links: Links) -> npt.NDArray[np.int64]:
    """Union-find root of every record (the smallest index of its component)."""
    found = UnionFind(n)
    edges = links.edges.tolist()
    for a, b in zip(edges[0::2], edges[1::2], strict=True):
        found.union(a, b)
    roots = np.arange(n, dtype=np.int64)
    for x in np.flatnonzero(links.reprinted()).tolist():
        roots[x] = found.find(x)
    return roots


def borrower(a: int, b: int, metas: Metas) -> set[int]:
    """Which side of a shared passage is the one quoting: the uncredited side of a credited
    pair, else the later date; both when nothing tells."""
    credit_a, credit_b = metas.credited_to(a), metas.credited_to(b)
    if bool(credit_a) != bool(credit_b):
        return {b} if credit_a else {a}
    date_a, date_b = metas.date(a), metas.date(b)
    if date_a and date_b and date_a != date_b:
        return {b} if date_a < date_b else {a}
    return {a, b}


def assign(metas: Metas, links: Links, partial_pairs: list[tuple[int, int]]) -> Callable[[int], Reuse]:
    """The ``Reuse`` object of record ``i``, made when asked for (not all held at once)."""
    roots = components(len(metas), links)
    members: dict[int, list[int]] = defaultdict(list)
    for index in np.flatnonzero(links.reprinted()).tolist():
        members[int(roots[index])].append(index)
    borrowers = {x for a, b in partial_pairs for x in borrower(a, b, metas)}
    heads = {root: _head(group, metas) for root, group in members.items() if len(group) > 1}
    return lambda i: _reuse(i, metas, links, heads.get(int(roots[i])), borrowers)


def _head(group: list[int], metas: Metas) -> tuple[str, int | None]:
    """A cluster's id and its source (None when a member has no date)."""
    dated = all(metas.date(m) for m in group)
    return metas.id(min(group, key=lambda m: metas.ids[m])), min(group, key=metas.order) if dated else None


def _reuse(i: int, metas: Metas, links: Links, head: tuple[str, int | None] | None, borrowers: set[int]) -> Reuse:
    source = head[1] if head else None
    if head:
        kind: ReuseKind = "original" if source == i else "reprint"
    else:
        kind = "partial" if i in borrowers else "original"
    similarity = float(links.similarity[i])
    best = None if np.isnan(similarity) else similarity
    spans = sorted({(s, e, metas.id(o)) for s, e, o in [*links.reprint_spans(i), *links.passages.get(i, [])]})
    return Reuse(
        cluster=head[0] if head else None,
        kind=kind,
        source_id=metas.id(source) if source is not None else None,
        similarity=round(best, 4) if best is not None else None,
        passages=[ReusedSpan(start=s, end=e, other_id=o) for s, e, o in spans],
        credited_to=metas.credited_to(i),
    )
