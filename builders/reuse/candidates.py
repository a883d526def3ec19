"""Candidate pairs: MinHash LSH over whole texts, and shared anchors for passages.

Candidates are cheap and may be wrong; every one is verified (:mod:`verify`) before it
links two records. Within an LSH bucket or an anchor's posting list, members (sorted by
record index) are paired with the first member and with their predecessor, not with
every other member: linear in the bucket's size, and enough to connect a cluster whose
members all resemble each other (a story printed by 300 papers gives 600 pairs, not 45,000).
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import numpy.typing as npt
from rensa import RMinHash

from builders.reuse.shingles import Hashes, mix

NUM_PERM = 128
SEED = 20
THRESHOLD = 0.3
"""Target Jaccard of 5-gram sets: edited reprints often share only 0.3-0.5 (cut, retitled, lead rewritten)."""
BANDS, ROWS = 37, 3
"""``lsh_params(THRESHOLD, NUM_PERM)`` (a test checks it): 111 of the 128 permutations in 37 bands
of 3 rows; a pair of Jaccard s becomes a candidate with probability 1 - (1 - s^3)^37:
0.10 -> 0.04, 0.20 -> 0.26, 0.30 -> 0.63, 0.40 -> 0.91, 0.50 -> 0.99, 0.70 -> 1.00."""
MIN_SHARED_ANCHORS = 3
"""Anchors two records must share to be a passage candidate (a 150-character passage holds ~9)."""

Pairs = npt.NDArray[np.int64]
"""``(n, 2)`` record indices, ``a < b``."""


def signatures_flat(flat: Hashes, offsets: npt.NDArray[np.uint64], n: int) -> npt.NDArray[np.uint32]:
    """MinHash signatures (rensa, ``NUM_PERM`` permutations, seeded) of ``n`` sets of shingle hashes
    given as one flat array and ``n + 1`` row offsets: ``(n, NUM_PERM)``; an empty set gives all 2^32-1."""
    if n == 0:
        return np.zeros((0, NUM_PERM), dtype=np.uint32)
    rows = RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, NUM_PERM, SEED).to_rows()
    values = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.uint32, count=n * NUM_PERM)
    return values.reshape(n, NUM_PERM)


def candidate_probability(s: npt.NDArray[np.float64], bands: int, rows: int) -> npt.NDArray[np.float64]:
    """P(two texts of Jaccard ``s`` share a bucket) = 1 - (1 - s^rows)^bands: the LSH S-curve."""
    return np.asarray(1 - (1 - s**rows) ** bands, dtype=np.float64)


@functools.cache
def lsh_params(threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """``(bands, rows)`` with ``bands * rows <= num_perm`` that minimise the area of false
    positives below ``threshold`` plus that of false negatives above it (weights equal,
    as datasketch's ``MinHashLSH``)."""
    below, above = np.linspace(0.0, threshold, 200), np.linspace(threshold, 1.0, 200)
    best: tuple[float, int, int] = (float("inf"), 0, 0)
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            fp = np.trapezoid(candidate_probability(below, bands, rows), below)
            fn = np.trapezoid(1 - candidate_probability(above, bands, rows), above)
            best = min(best, (float(fp + fn), bands, rows))
    return best[1], best[2]


def group_pairs(keys: npt.NDArray[np.generic]) -> Pairs:
    """Pairs of records with equal keys: each with its group's first member and its predecessor."""
    n = len(keys)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    order = np.lexsort((np.arange(n), keys)) if keys.dtype != np.void else _void_order(keys)
    sorted_keys = keys[order]
    starts = np.concatenate([[True], sorted_keys[1:] != sorted_keys[:-1]])
    group_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    member = ~starts
    first = np.stack([order[group_start[member]], order[member]], axis=1)
    chain_ok = member & (group_start != np.arange(n) - 1)
    chain_ok[0] = False
    prev = np.stack([order[np.flatnonzero(chain_ok) - 1], order[chain_ok]], axis=1)
    return np.concatenate([first, prev]).astype(np.int64)


def _void_order(keys: npt.NDArray[np.generic]) -> npt.NDArray[np.intp]:
    _, inverse = np.unique(keys, return_inverse=True)
    return np.lexsort((np.arange(len(keys)), inverse.ravel()))


def band_keys(sigs: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint64]:
    """``(n, BANDS)`` keys: the ``ROWS`` values of each band hashed into 64 bits (a record keeps
    296 bytes instead of its 512-byte signature; two keys are equal, but for a chance of 2^-64,
    exactly when the bands are)."""
    wide = sigs[:, : BANDS * ROWS].astype(np.uint64).reshape(len(sigs), BANDS, ROWS)
    key = np.zeros((len(sigs), BANDS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for row in range(ROWS):
            key = mix(key ^ wide[:, :, row])
    return key


def lsh_pairs(bands: npt.NDArray[np.uint64], eligible: npt.NDArray[np.bool_]) -> Pairs:
    """Pairs of eligible records that share at least one LSH band key."""
    index = np.flatnonzero(eligible)
    found = [np.zeros((0, 2), dtype=np.int64)]
    for band in range(bands.shape[1]):
        found.append(index[group_pairs(bands[index, band])])
    return unique_pairs(np.concatenate(found))


def anchor_pairs(values: Hashes, owners: npt.NDArray[np.int32], n: int, max_df: int) -> Pairs:
    """Pairs of records sharing at least ``MIN_SHARED_ANCHORS`` anchors, each held by at most
    ``max_df`` records (an anchor in more is formulaic: 会议强调, page furniture); ``owners``:
    the record of each anchor (sorted by record, no record holding an anchor twice)."""
    if not len(values):
        return np.zeros((0, 2), dtype=np.int64)
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    keep = (counts[inverse] >= 2) & (counts[inverse] <= max_df)
    pairs = group_pairs(values[keep])
    if not len(pairs):
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.sort(owners[keep].astype(np.int64)[pairs], axis=1)
    codes, seen = np.unique(pairs[:, 0] * n + pairs[:, 1], return_counts=True)
    codes = codes[seen >= MIN_SHARED_ANCHORS]
    return np.stack([codes // n, codes % n], axis=1).astype(np.int64)


def formulaic_anchors(values: Hashes, max_df: int) -> Hashes:
    """Anchors held by more than ``max_df`` records, sorted."""
    uniq, counts = np.unique(values, return_counts=True)
    return uniq[counts > max_df]


def unique_pairs(pairs: Pairs) -> Pairs:
    """Distinct pairs with ``a < b``, sorted."""
    if not len(pairs):
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.sort(pairs, axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return np.unique(pairs, axis=0)
