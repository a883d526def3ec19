"""Detect reprints and shared passages over a whole release: signatures -> candidates -> verified links.

:func:`detect` holds, per record, the LSH band keys of its MinHash signature (296 bytes), its
anchors (~1 per 16 characters, 12 bytes each) and its :class:`~builders.reuse.cluster.Meta` as
columns (~26 bytes); the text of a record is asked for
again (``body(i)``) when a candidate pair is verified, through a small cache, so the texts of
the release are never all in memory.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, Executor, Future
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from builders.reuse.candidates import Pairs, anchor_postings, lsh_pairs, unique_pairs
from builders.reuse.cluster import Links, Meta, Metas, UnionFind, assign
from builders.reuse.evidence import EvidenceCache
from builders.reuse.memo import KEY_BYTES, Piece, Verifier, formulaic_piece
from builders.reuse.shingles import Hashes
from builders.reuse.signature import Signed, sign
from builders.reuse.split import BodyFile, Side, SideResult, side_masks
from builders.reuse.verify import MAX_FORMULAIC_SHARE, MIN_COMMON, MIN_PASSAGE
from schema import Reuse

log = logging.getLogger("xianbao")

MAX_DF_SHARE = 0.01
MIN_MAX_DF = 32
"""An anchor held by more than max(MIN_MAX_DF, MAX_DF_SHARE of the records) records is formulaic."""
SIGN_BATCH = 2_000
LOOKAHEAD = 512
"""Candidate pairs whose records' evidence is made together before they are verified (those not yet joined)."""
CACHE = 2_048
"""Records whose verification evidence is kept (~24 bytes a character, ~16 KB a record: ~35 MB,
whatever the number of records)."""


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


def detect(index: Index, body: Callable[[int], str], memo: Memo | None = None,
           workdir: Path | None = None, helpers: Helpers | None = None) -> Callable[[int], Reuse]:
    """The ``Reuse`` object of record ``i`` of ``index``, as a function (``body(i)``: the body of record ``i``;
    ``memo``: the content keys of the records and the file of pairs verified before, see :mod:`memo`;
    ``workdir``: where the temporary files go, a build's staging folder; else ``$TMPDIR``; ``helpers``: a
    pool of processes and their number, which verify components of the candidate graph beside this one
    (:mod:`~builders.reuse.split`; ``body`` must then be a :class:`~builders.reuse.split.BodyFile`).

    The index's signatures are consumed (``index.batches`` is emptied once the candidates are found:
    at 180,000 records they are ~150 MB the verification and the rewrite of the shards do not need)."""
    n = len(index.metas)
    signed = index.signed()
    index.batches = []  # the candidates are all the pass needs of the signatures: free them before verifying
    cap = max_df(n)
    passage_pairs, formulaic = anchor_postings(signed.anchors, signed.owners, n, cap, workdir)
    pairs = unique_pairs(np.concatenate([lsh_pairs(signed.bands, signed.eligible), passage_pairs]))
    del signed, passage_pairs
    check = Verifier(EvidenceCache(body, CACHE), *(memo or (None, None)))
    sides = _sides(pairs, formulaic, n, body, check, helpers)
    if helpers is None or sides is None:
        links, partial = verify_pairs(pairs, check, formulaic, n)
    else:
        del pairs  # each side holds its own
        links, partial = _verify_sides(sides, check, helpers[0])
    check.save()
    return assign(index.metas, links, partial)


Memo = tuple[Sequence[bytes], Path | None]
"""One content key per record (:func:`~builders.reuse.memo.content_key`) and the memo file, if any."""
Helpers = tuple[Executor, int]
"""A pool of helper processes and how many it runs."""


def _sides(pairs: Pairs, formulaic: Hashes, n: int, body: Callable[[int], str], check: Verifier,
           helpers: Helpers | None) -> list[Side] | None:
    """The pairs cut into one side per process (:func:`~builders.reuse.split.side_masks`), or None."""
    if helpers is None or not isinstance(body, BodyFile):
        return None
    masks = side_masks(pairs, n, helpers[1] + 1)
    if masks is None:
        return None
    keys = b"".join(check.keys) if check.keys is not None else None
    return [Side(body, pairs[mask], formulaic, n, keys, check.path) for mask in masks]


def _verify_sides(sides: list[Side], check: Verifier, pool: Executor) -> tuple[Links, list[tuple[int, int]]]:
    """The first side verified here with ``check``, the others in ``pool`` at the same time; their links,
    shared-passage pairs and memo entries merged into this side's. The pool is shut down once every side
    is in: its helpers' memory (~190 MB at 50,000 pages) is not added to the memo's save and the links'."""
    futures = [(side, _submit(pool, side)) for side in sides[1:] if len(side.pairs)]
    links, partial = verify_pairs(sides[0].pairs, check, sides[0].formulaic, sides[0].n)
    results: list[SideResult] = []
    for side, future in futures:
        try:
            done = future.result()
        except BrokenExecutor:  # a helper died (killed, out of memory): its side is verified here, same links
            log.warning("a reuse helper died; verifying its %d candidate pairs in the build process", len(side.pairs))
            done = verify_side(side)
        results.append(done)
    pool.shutdown(wait=True)
    for done in results:
        links.merge(done.links)
        partial += done.partial
        check.used.facts.update(done.facts)
        check.used.extra.update(done.extra)
        check.verified += done.verified
    return links, partial


def _submit(pool: Executor, side: Side) -> Future[SideResult]:
    """The side's future in ``pool``; when a helper already died (the pool refuses new work), a future
    holding that error, so the side is verified here."""
    try:
        return pool.submit(verify_side, side)
    except BrokenExecutor as err:
        refused: Future[SideResult] = Future()
        refused.set_exception(err)
        return refused


def verify_side(side: Side) -> SideResult:
    """Verify one side's pairs (in a helper process: :func:`_verify_sides`)."""
    keys = None if side.keys is None else [side.keys[k:k + KEY_BYTES] for k in range(0, len(side.keys), KEY_BYTES)]
    check = Verifier(EvidenceCache(side.bodies, CACHE), keys, side.memo)
    try:
        links, partial = verify_pairs(side.pairs, check, side.formulaic, side.n)
    finally:
        side.bodies.close()
    return SideResult(links, partial, check.used.facts, check.used.extra, check.verified)


def verify_pairs(pairs: Pairs, check: Verifier, formulaic: Hashes, n: int) -> tuple[Links, list[tuple[int, int]]]:
    """Verified links of candidate ``pairs`` of ``n`` records: reprints first, then passages between clusters.

    A pair whose records are already joined by verified links is not verified again: a story
    printed by 300 papers costs ~300 verifications, not one per LSH band and member. A pair that is a
    reprint only because the shorter keeps its opening does not link when what it shares is mostly
    formulaic (:func:`_formulaic_copy`). Pairs of which one holds the other inside its own text
    (:attr:`~builders.reuse.verify.Verdict.holder`) link only when that one is a reprint of something
    else; then records left alone may join a story whose members together hold their text
    (:func:`_join_story`)."""
    links = Links(n)
    shared: list[tuple[int, int, float]] = []
    inside: list[tuple[int, int, float, int]] = []
    joined = UnionFind(n)
    find = joined.find
    apart: list[bool] = []
    for k, (a, b) in enumerate(_each(pairs)):
        if k % LOOKAHEAD == 0:
            apart = _prefetch(pairs[k:k + LOOKAHEAD], joined, check)
        if not apart[k % LOOKAHEAD] or find(a) == find(b):  # joined then, joined now
            continue
        facts = check.facts(a, b)
        if facts.reprint and facts.opening is not None and _formulaic_copy(check, (a, b)[facts.opening],
                                                                            (b, a)[facts.opening], formulaic):
            facts = dataclasses.replace(facts, reprint=False, holder=None, opening=None)
        if not facts.reprint:
            if facts.common >= MIN_COMMON:
                shared.append((a, b, facts.containment))
            continue
        if facts.holder is not None:
            inside.append((a, b, facts.containment, (a, b)[facts.holder]))
            continue
        joined.union(a, b)
        _link(links, a, b, facts.containment, check)
        _link(links, b, a, facts.containment, check)
    reprinted = links.reprinted().tolist()
    for a, b, containment, holder in inside:
        if not reprinted[holder]:
            shared.append((a, b, containment))
        elif joined.find(a) != joined.find(b):
            joined.union(a, b)
            _link(links, a, b, containment, check)
            _link(links, b, a, containment, check)
    _join_story(pairs, links, joined, check)
    shared = [(a, b, c) for a, b, c in shared if joined.find(a) != joined.find(b)]
    return links, _passages(links, shared, check, formulaic)


def _prefetch(block: Pairs, joined: UnionFind, check: Verifier) -> list[bool]:
    """Which pairs of ``block`` are not yet joined (their roots found at once: :meth:`UnionFind.roots`); the
    evidence of those made ahead (:meth:`~builders.reuse.memo.Verifier.prefetch`)."""
    apart = np.asarray(joined.roots(block[:, 0]) != joined.roots(block[:, 1]))
    check.prefetch(block[apart])
    found: list[bool] = apart.tolist()
    return found


def _each(pairs: Pairs) -> Iterator[tuple[int, int]]:
    """The pairs as Python ints, ``EACH_BLOCK`` at a time (two flat lists zipped: no list per pair; the
    ints of all pairs at once would be 72 bytes a pair, 140 MB for the 2 million pairs of 180,000 records)."""
    for lo in range(0, len(pairs), EACH_BLOCK):
        block = pairs[lo:lo + EACH_BLOCK]
        yield from zip(block[:, 0].tolist(), block[:, 1].tolist(), strict=True)


EACH_BLOCK = 1 << 16


def _formulaic_copy(check: Verifier, x: int, y: int, formulaic: Hashes) -> bool:
    """True when most (more than ``MAX_FORMULAIC_SHARE``) of the text ``x`` shares with ``y``, in pieces of at
    least ``MIN_PIECE``, is formulaic (会议强调…): two meeting reports of one template are not one story."""
    pieces = check.pieces(x, y)
    total = sum(p[2] for p in pieces)
    return total > 0 and sum(p[2] for p in pieces if formulaic_piece(p, formulaic, MAX_FORMULAIC_SHARE)) \
        > MAX_FORMULAIC_SHARE * total


STORY_MEMBERS = 8
"""Members of a cluster (the lowest indices) whose text, taken together, a record left alone is compared with."""


def _join_story(pairs: Pairs, links: Links, joined: UnionFind, check: Verifier) -> None:
    """A record left alone whose text is mostly (``REPRINT_CONTAINMENT``) found in the members of a
    cluster it is a candidate of, taken together, and not inside its own text, reprints that story:
    two cut copies that kept different paragraphs each cover only part of it. It links to its closest
    member; the clusters as they were before this step decide (the order of records does not matter)."""
    members: dict[int, list[int]] = defaultdict(list)
    for x in np.flatnonzero(links.reprinted()).tolist():
        members[joined.find(x)].append(x)
    partners: dict[int, set[int]] = defaultdict(set)
    reprinted = links.reprinted().tolist()  # Python bools: indexed once or twice for each of millions of pairs
    for a, b in _each(pairs):
        for x, y in ((a, b), (b, a)):
            if not reprinted[x] and reprinted[y]:
                partners[x].add(joined.find(y))
    for x in sorted(partners):
        for root in sorted(partners[x]):
            found = check.story(x, members[root][:STORY_MEMBERS])
            if found is None:
                continue
            best, containment = found
            joined.union(x, best)
            _link(links, x, best, containment, check)
            _link(links, best, x, containment, check)
            break


def _link(links: Links, a: int, b: int, containment: float, check: Verifier) -> None:
    """Record a verified reprint link of ``a`` to ``b``; ``a``'s spans are against its closest
    partner so far (the highest containment, then the lower index)."""
    links.link(a, b, containment, lambda: check.reprint_spans(a, b))


def _passages(links: Links, shared: list[tuple[int, int, float]], check: Verifier,
              formulaic: Hashes) -> list[tuple[int, int]]:
    """Passages of >= MIN_PASSAGE characters shared by two records that are not reprints of each other
    (on either side, in pieces of at least MIN_PIECE: a quote may join two cut passages; pieces made
    mostly of formulaic anchors do not count)."""
    found: list[tuple[int, int]] = []
    for a, b, containment in shared:
        runs_a = _plain(check.pieces(a, b), formulaic)
        runs_b = _plain(check.pieces(b, a), formulaic) if sum(p[2] for p in runs_a) >= MIN_PASSAGE else []
        if min(sum(p[2] for p in runs_a), sum(p[2] for p in runs_b)) < MIN_PASSAGE:
            continue
        found.append((a, b))
        links.passages[a].extend((p[0], p[1], b) for p in runs_a)
        links.passages[b].extend((p[0], p[1], a) for p in runs_b)
        links.seen(a, containment)
        links.seen(b, containment)
    return found


def _plain(pieces: list[Piece], formulaic: Hashes) -> list[Piece]:
    return [p for p in pieces if not formulaic_piece(p, formulaic, MAX_FORMULAIC_SHARE)]
