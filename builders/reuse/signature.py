"""Sign a batch of bodies at once: one pass of numpy over all their characters, one rensa call.

Per record: the LSH band keys of a MinHash signature of its 5-grams (37 x 8 bytes: the
signature itself is not kept) and its distinct anchors; a record shorter than ``MIN_CHARS``
normalised characters gets neither (it is never clustered by signature).
Batching matters: a record is ~600 characters, and per-record numpy calls would cost more
than the hashing itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from builders.reuse.candidates import BANDS, band_keys, signatures_flat
from builders.reuse.normalize import fold, masked_ranges
from builders.reuse.shingles import Hashes, K, anchor_mask, kgram_hashes

MIN_CHARS = 60
"""Normalised characters below which a text is never clustered (captions, briefs, one-line notices)."""


@dataclass(frozen=True)
class Signed:
    """What one batch of records leaves in the index: compact arrays, no per-record object."""

    bands: npt.NDArray[np.uint64]
    """``(n, BANDS)`` LSH band keys (:func:`~builders.reuse.candidates.band_keys`)."""
    anchors: Hashes
    owners: npt.NDArray[np.int32]
    """Record (index within the batch) of each anchor: sorted by record, each anchor once per record."""
    eligible: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.eligible)

    @classmethod
    def concat(cls, parts: Sequence[Signed]) -> Signed:
        """One batch of several, in order (owners shifted); one batch is itself (not copied)."""
        if len(parts) == 1:
            return parts[0]
        starts = np.cumsum([0, *(len(p) for p in parts)])[:-1]
        return cls(np.concatenate([p.bands for p in parts]) if parts else np.zeros((0, BANDS), np.uint64),
                   np.concatenate([p.anchors for p in parts]) if parts else np.zeros(0, np.uint64),
                   np.concatenate([p.owners + np.int32(s) for p, s in zip(parts, starts, strict=True)]).astype(np.int32)
                   if parts else np.zeros(0, np.int32),
                   np.concatenate([p.eligible for p in parts]) if parts else np.zeros(0, bool))


def _codes(bodies: Sequence[str]) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """Folded, masked code points of every body, concatenated, and the record of each."""
    raw = np.frombuffer("".join(bodies).encode("utf-32-le"), dtype=np.uint32)
    lengths = np.array([len(b) for b in bodies], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    folded = fold(raw)
    for start, body in zip(starts.tolist(), bodies, strict=True):
        for a, b in masked_ranges(body):
            folded[start + a:start + b] = 0
    owner = np.repeat(np.arange(len(bodies)), lengths)
    keep = folded != 0
    return folded[keep], owner[keep]


def _distinct_rows(values: Hashes, owners: npt.NDArray[np.int64]) -> tuple[Hashes, npt.NDArray[np.int64]]:
    """Distinct values per owner, sorted by (owner, value); ``owners`` is non-decreasing.

    One sort per record: ``np.lexsort`` over the whole batch is ten times slower."""
    bounds = np.flatnonzero(np.diff(owners)) + 1
    rows = [np.sort(row) for row in np.split(values, bounds)] if len(values) else []
    ordered = np.concatenate(rows) if rows else values
    new = np.ones(len(ordered), dtype=bool)
    new[1:] = (ordered[1:] != ordered[:-1]) | (owners[1:] != owners[:-1])
    return ordered[new], owners[new]


def sign(bodies: Sequence[str]) -> Signed:
    """Band keys, anchors and eligibility of a batch of bodies.

    MinHash is a minimum, so repeated 5-grams need not be removed before signing; only the
    anchors (one k-gram in 16) are made distinct per record."""
    n = len(bodies)
    codes, owner = _codes(bodies)
    eligible = np.bincount(owner, minlength=n) >= MIN_CHARS
    hashes = kgram_hashes(codes)
    valid = owner[: len(hashes)] == owner[K - 1:] if len(hashes) else np.zeros(0, dtype=bool)
    valid &= eligible[owner[: len(hashes)]]
    values, owners = hashes[valid], owner[: len(hashes)][valid]
    offsets = np.searchsorted(owners, np.arange(n + 1)).astype(np.uint64)
    marks = anchor_mask(values)
    anchors, anchor_owners = _distinct_rows(values[marks], owners[marks])
    return Signed(band_keys(signatures_flat(values, offsets, n)), anchors, anchor_owners.astype(np.int32), eligible)
