"""Sign a batch of bodies at once: one pass of numpy over all their characters, one rensa call.

Per record: a MinHash signature of its distinct 5-grams and its anchors; a record shorter
than ``MIN_CHARS`` normalised characters gets neither (it is never clustered by signature).
Batching matters: a record is ~600 characters, and per-record numpy calls would cost more
than the hashing itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from builders.reuse.candidates import signatures_flat
from builders.reuse.normalize import fold_table, masked_ranges
from builders.reuse.shingles import Hashes, K, anchor_mask, kgram_hashes

MIN_CHARS = 60
"""Normalised characters below which a text is never clustered (captions, briefs, one-line notices)."""


@dataclass(frozen=True)
class Signed:
    """What one batch of records leaves in the index."""

    sigs: npt.NDArray[np.uint32]
    anchors: Hashes
    owners: npt.NDArray[np.int64]
    """Record (index within the batch) of each anchor."""
    eligible: npt.NDArray[np.bool_]


def _codes(bodies: Sequence[str]) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """Folded, masked code points of every body, concatenated, and the record of each."""
    raw = np.frombuffer("".join(bodies).encode("utf-32-le"), dtype=np.uint32)
    lengths = np.array([len(b) for b in bodies], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    bmp = raw < 0x10000
    folded = np.where(bmp, fold_table()[np.where(bmp, raw, 0)], raw)
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
    """Signatures, anchors and eligibility of a batch of bodies."""
    n = len(bodies)
    codes, owner = _codes(bodies)
    eligible = np.bincount(owner, minlength=n) >= MIN_CHARS
    hashes = kgram_hashes(codes)
    valid = owner[: len(hashes)] == owner[K - 1:] if len(hashes) else np.zeros(0, dtype=bool)
    valid &= eligible[owner[: len(hashes)]]
    values, owners = _distinct_rows(hashes[valid], owner[: len(hashes)][valid])
    offsets = np.searchsorted(owners, np.arange(n + 1)).astype(np.uint64)
    marks = anchor_mask(values)
    return Signed(signatures_flat(values, offsets, n), values[marks], owners[marks], eligible)
