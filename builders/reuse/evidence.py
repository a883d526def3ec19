"""The verifier's evidence of a record (:class:`~builders.reuse.verify.Evidence`), made for many records at once.

A candidate pair is verified on the normalised text of its two records and its k-gram hashes
(:func:`evidence`). Made one body at a time, that costs some twenty numpy calls on arrays of a
few hundred values, whose fixed cost is most of it; :func:`evidence_batch` makes the evidence of
a batch of bodies with one pass of each over all their characters, as the shard workers sign them
(:mod:`builders.reuse.signature`), the same arrays as :func:`evidence` gives each (tested).
:class:`EvidenceCache` keeps the evidence of the last records asked for and makes it a batch at a
time: on a miss, the record asked for and the next records that candidate pairs name.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import numpy.typing as npt

from builders.reuse.normalize import fold, masked_ranges, normalize
from builders.reuse.shingles import K, kgram_hashes
from builders.reuse.verify import Evidence, distinct_inverse

BATCH = 64
"""Records whose evidence is made together on a miss (the one asked for and the next ones needed)."""


def evidence(body: str) -> Evidence:
    """Normalised text and k-gram hashes of one body."""
    norm = normalize(body)
    return Evidence.of(norm, kgram_hashes(norm.codes))


def evidence_batch(bodies: Sequence[str]) -> list[Evidence]:
    """``[evidence(b) for b in bodies]``, made with one pass of numpy over all the bodies' characters."""
    if not bodies:
        return []
    raw = np.frombuffer("".join(bodies).encode("utf-32-le"), dtype=np.uint32)
    starts = np.zeros(len(bodies) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in bodies], out=starts[1:])
    folded = fold(raw)
    for start, body in zip(starts[:-1].tolist(), bodies, strict=True):
        for a, b in masked_ranges(body):
            folded[start + a:start + b] = 0
    kept = np.flatnonzero(folded)
    bounds = kept.searchsorted(starts).tolist()
    hashes = kgram_hashes(folded[kept])
    breaks = _breaks(raw, starts, kept, np.asarray(bounds))
    found = []
    for i, start in enumerate(starts[:-1].tolist()):
        lo, hi = bounds[i], bounds[i + 1]
        where = (kept[lo:hi] - start).astype(np.int32)
        own = hashes[lo:hi - K + 1].copy() if hi - lo >= K else np.zeros(0, dtype=np.uint64)
        found.append(Evidence(where, own, breaks[i], *distinct_inverse(own)))
    return found


def _breaks(raw: npt.NDArray[np.uint32], starts: npt.NDArray[np.int64], kept: npt.NDArray[np.intp],
            bounds: npt.NDArray[np.intp]) -> list[npt.NDArray[np.int32]]:
    """Each body's :func:`~builders.reuse.normalize.paragraph_breaks`: the normalised position of the kept
    character after each line break, not the first nor past the end, repeats (lines with nothing kept) once."""
    after = np.flatnonzero(raw == ord("\n")) + 1
    owner = starts.searchsorted(after - 1, side="right") - 1
    at = kept.searchsorted(after) - bounds[owner]
    keep = (at > 0) & (at < bounds[owner + 1] - bounds[owner])
    keep[1:] &= (at[1:] != at[:-1]) | (owner[1:] != owner[:-1])
    at, owner = at[keep].astype(np.int32), owner[keep]
    cuts = owner.searchsorted(np.arange(len(starts))).tolist()
    return [at[cuts[i]:cuts[i + 1]] for i in range(len(starts) - 1)]


class EvidenceCache:
    """The evidence of record ``i`` (``ev(i)``), the last ``size`` made kept; :meth:`prefetch` makes the
    evidence of records about to be asked for in one batch."""

    def __init__(self, body: Callable[[int], str], size: int) -> None:
        self.body, self.size = body, size
        self.kept: OrderedDict[int, Evidence] = OrderedDict()

    def __call__(self, i: int) -> Evidence:
        found = self.kept.get(i)
        if found is None:
            found = self._keep(i, evidence(self.body(i)))
        else:
            self.kept.move_to_end(i)
        return found

    def prefetch(self, records: Iterable[int]) -> None:
        """Make the evidence of those of ``records`` not kept, ``BATCH`` at a time (at most ``size`` of them)."""
        missing = list(dict.fromkeys(i for i in records if i not in self.kept))[:self.size]
        for k in range(0, len(missing), BATCH):
            batch = missing[k:k + BATCH]
            for i, made in zip(batch, evidence_batch([self.body(i) for i in batch]), strict=True):
                self._keep(i, made)

    def _keep(self, i: int, made: Evidence) -> Evidence:
        self.kept[i] = made
        if len(self.kept) > self.size:
            self.kept.popitem(last=False)
        return made
