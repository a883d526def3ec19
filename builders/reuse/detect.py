"""Detect reprints and shared passages over a whole release: signatures -> candidates -> verified links.

:func:`detect` holds, per record, the LSH band keys of its MinHash signature (296 bytes), its
anchors (~1 per 16 characters, 12 bytes each) and its :class:`~builders.reuse.cluster.Meta` as
columns (~26 bytes); the text of a record is asked for
again (``body(i)``) when a candidate pair is verified, through a small cache, so the texts of
the release are never all in memory.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from builders.reuse.candidates import Pairs, anchor_postings, lsh_pairs, unique_pairs
from builders.reuse.cluster import Links, Meta, Metas, UnionFind, assign
from builders.reuse.normalize import normalize
from builders.reuse.shingles import Hashes, kgram_hashes
from builders.reuse.signature import Signed, sign
from builders.reuse.verify import (
    MIN_COMMON,
    MIN_PASSAGE,
    MIN_PIECE,
    MIN_REPRINT_SPAN,
    Evidence,
    body_spans,
    covered_by,
    embedded_pair,
    is_reprint,
    overlap,
    shared_runs,
)
from schema import Reuse

MAX_DF_SHARE = 0.01
MIN_MAX_DF = 32
"""An anchor held by more than max(MIN_MAX_DF, MAX_DF_SHARE of the records) records is formulaic."""
SIGN_BATCH = 2_000
CACHE = 2_048
"""Records whose verification evidence is kept (~24 bytes a character, ~16 KB a record: ~35 MB,
whatever the number of records)."""


def evidence(body: str) -> Evidence:
    """Normalised text and k-gram hashes of one body."""
    norm = normalize(body)
    return Evidence.of(norm, kgram_hashes(norm.codes))


@dataclass
class Index:
    """The compact, per-record state of a release: what :func:`detect` keeps for every record
    (37 band keys of 8 bytes, ~1 anchor per 16 characters, the record's :class:`Meta` as columns)."""

    metas: Metas = field(default_factory=Metas)
    batches: list[Signed] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.metas)

    def add(self, items: Iterable[tuple[Meta, str]]) -> None:
        """Sign records, ``SIGN_BATCH`` at a time."""
        it = iter(items)
        while chunk := list(itertools.islice(it, SIGN_BATCH)):
            self.add_signed([meta for meta, _ in chunk], sign([body for _, body in chunk]))

    def add_signed(self, metas: Iterable[Meta], signed: Signed) -> None:
        """Add records signed elsewhere (in a shard worker: :mod:`builders.reuse.sketch`)."""
        before = len(self.metas)
        for meta in metas:
            self.metas.append(meta)
        if len(self.metas) - before != len(signed):
            raise ValueError(f"{len(self.metas) - before} records but {len(signed)} signatures")
        self.batches.append(signed)

    def nbytes(self) -> int:
        """Bytes held for the records: metadata columns, band keys, anchors."""
        arrays = [a for b in self.batches for a in (b.bands, b.anchors, b.owners, b.eligible)]
        return self.metas.nbytes() + sum(int(a.nbytes) for a in arrays)

    def signed(self) -> Signed:
        """Every batch as one."""
        return Signed.concat(self.batches)


def max_df(n: int) -> int:
    return max(MIN_MAX_DF, math.ceil(MAX_DF_SHARE * n))


def detect(index: Index, body: Callable[[int], str]) -> Callable[[int], Reuse]:
    """The ``Reuse`` object of record ``i`` of ``index``, as a function (``body(i)``: the body of record ``i``)."""
    n = len(index.metas)
    signed = index.signed()
    index.batches = [signed]
    cap = max_df(n)
    passage_pairs, formulaic = anchor_postings(signed.anchors, signed.owners, n, cap)
    pairs = unique_pairs(np.concatenate([lsh_pairs(signed.bands, signed.eligible), passage_pairs]))
    links, partial = verify_pairs(pairs, functools.lru_cache(maxsize=CACHE)(lambda i: evidence(body(i))), formulaic)
    return assign(index.metas, links, partial)


def verify_pairs(
    pairs: Pairs, ev: Callable[[int], Evidence], formulaic: Hashes
) -> tuple[Links, list[tuple[int, int]]]:
    """Verified links of candidate ``pairs``: reprints first, then passages between clusters.

    A pair whose records are already joined by verified links is not verified again: a story
    printed by 300 papers costs ~300 verifications, not one per LSH band and member. Pairs of which
    one holds the other inside its own text (:func:`~builders.reuse.verify.embedded_pair`) link only
    when that one is a reprint of something else; then records left alone may join a story whose
    members together hold their text (:func:`_join_story`)."""
    links = Links()
    shared: list[tuple[int, int, float]] = []
    inside: list[tuple[int, int, float, int]] = []
    joined = UnionFind(int(pairs.max()) + 1 if len(pairs) else 0)
    for a, b in pairs.tolist():
        if joined.find(a) == joined.find(b):
            continue
        ea, eb = ev(a), ev(b)
        common, containment = overlap(ea, eb)
        if not is_reprint(ea, eb, containment):
            if common >= MIN_COMMON:
                shared.append((a, b, containment))
            continue
        holder = embedded_pair(ea, eb)
        if holder is not None:
            inside.append((a, b, containment, (a, b)[holder]))
            continue
        joined.union(a, b)
        _link(links, a, b, containment, ea, eb)
        _link(links, b, a, containment, eb, ea)
    reprinted = set(links.reprint)
    for a, b, containment, holder in inside:
        if holder not in reprinted:
            shared.append((a, b, containment))
        elif joined.find(a) != joined.find(b):
            joined.union(a, b)
            _link(links, a, b, containment, ev(a), ev(b))
            _link(links, b, a, containment, ev(b), ev(a))
    _join_story(pairs, links, joined, ev)
    shared = [(a, b, c) for a, b, c in shared if joined.find(a) != joined.find(b)]
    return links, _passages(links, shared, ev, formulaic)


STORY_MEMBERS = 8
"""Members of a cluster (the lowest indices) whose text, taken together, a record left alone is compared with."""


def _join_story(pairs: Pairs, links: Links, joined: UnionFind, ev: Callable[[int], Evidence]) -> None:
    """A record left alone whose text is mostly (``REPRINT_CONTAINMENT``) found in the members of a
    cluster it is a candidate of, taken together, and not inside its own text, reprints that story:
    two cut copies that kept different paragraphs each cover only part of it. It links to its closest
    member; the clusters as they were before this step decide (the order of records does not matter)."""
    members: dict[int, list[int]] = defaultdict(list)
    for x in sorted(links.reprint):
        members[joined.find(x)].append(x)
    partners: dict[int, set[int]] = defaultdict(set)
    for a, b in pairs.tolist():
        for x, y in ((a, b), (b, a)):
            if x not in links.reprint and y in links.reprint:
                partners[x].add(joined.find(y))
    for x in sorted(partners):
        ex = ev(x)
        for root in sorted(partners[x]):
            group = members[root][:STORY_MEMBERS]
            if not covered_by(ex, [ev(m) for m in group]):
                continue
            best, containment = max(((m, overlap(ex, ev(m))[1]) for m in group), key=lambda mc: (mc[1], -mc[0]))
            joined.union(x, best)
            _link(links, x, best, containment, ex, ev(best))
            _link(links, best, x, containment, ev(best), ex)
            break


def _link(links: Links, a: int, b: int, containment: float, ea: Evidence, eb: Evidence) -> None:
    """Record a verified reprint link of ``a`` to ``b``; ``a``'s spans are against its closest
    partner so far (the highest containment, then the lower index)."""
    links.reprint[a].append((containment, b))
    best = links.closest.get(a)
    if best is None or (containment, -b) > (best[0], -best[1]):
        links.closest[a] = (containment, b)
        runs = shared_runs(ea, eb, MIN_REPRINT_SPAN)
        links.reprint_spans[a] = [(s, e, b) for s, e in body_spans(ea.where, runs)]


def _passages(links: Links, shared: list[tuple[int, int, float]], ev: Callable[[int], Evidence],
              formulaic: Hashes) -> list[tuple[int, int]]:
    """Passages of >= MIN_PASSAGE characters shared by two records that are not reprints of each other
    (on either side, in pieces of at least MIN_PIECE: a quote may join two cut passages)."""
    found: list[tuple[int, int]] = []
    for a, b, containment in shared:
        runs_a = shared_runs(ev(a), ev(b), MIN_PIECE, formulaic)
        runs_b = shared_runs(ev(b), ev(a), MIN_PIECE, formulaic) if runs_a else []
        if min(sum(e - s for s, e in runs_a), sum(e - s for s, e in runs_b)) < MIN_PASSAGE:
            continue
        found.append((a, b))
        links.passages[a].extend((s, e, b) for s, e in body_spans(ev(a).where, runs_a))
        links.passages[b].extend((s, e, a) for s, e in body_spans(ev(b).where, runs_b))
        links.partial_sim[a].append((containment, b))
        links.partial_sim[b].append((containment, a))
    return found
