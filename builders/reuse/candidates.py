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
import math
import tempfile
from pathlib import Path

import numpy as np
import numpy.typing as npt
from rensa import RMinHash

from builders.reuse.shingles import ANCHOR_BITS, Hashes, mix

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
    """Pairs of eligible records that share at least one LSH band key (made distinct every few bands,
    so the pairs of all bands are never held at once; held as one ``a * n + b`` code each, 8 bytes
    a pair, not 16, and so are the temporaries of making them distinct)."""
    index, width = np.flatnonzero(eligible), len(eligible)
    found, pending = np.zeros(0, dtype=np.int64), []
    for band in range(bands.shape[1]):
        pending.append(pair_codes(index[group_pairs(bands[index, band])], width))
        if sum(len(p) for p in pending) > max(PENDING_PAIRS, len(found)):
            found, pending = distinct(np.concatenate([found, *pending])), []
    return decode_pairs(distinct(np.concatenate([found, *pending])), width)


PENDING_PAIRS = 1 << 20
"""Pairs of several bands held before they are made distinct (8 MB)."""


def pair_codes(pairs: Pairs, width: int) -> npt.NDArray[np.int64]:
    """``a * width + b`` of each pair as ``a < b`` (``width`` above every index), pairs of a record with
    itself left out: sorting the codes sorts the pairs."""
    lo, hi = pairs.min(axis=1), pairs.max(axis=1)
    keep = lo != hi
    return np.asarray(lo[keep] * width + hi[keep], dtype=np.int64)


def decode_pairs(codes: npt.NDArray[np.int64], width: int) -> Pairs:
    """The pairs of :func:`pair_codes`."""
    return np.stack([codes // width, codes % width], axis=1).astype(np.int64)


ANCHOR_CHUNK = 1 << 16
"""Anchors per hash range (about): the posting lists are built range by range, so the arrays of one
range (~5 MB) are bounded whatever the number of records (the order of all anchors is not: 8 bytes each)."""
_ANCHOR_SPAN = 64 - ANCHOR_BITS
"""Anchors are below 2^(64 - ANCHOR_BITS)."""
SPILL = ".reuse-anchors-"
"""Prefix of the folder of the temporary files under the build's staging folder (removed after the step)."""


def hash_ranges(count: int) -> list[tuple[int, int]]:
    """Half-open ranges of anchor values, a power of two of them, ~``ANCHOR_CHUNK`` anchors each
    (the hashes are uniform)."""
    step = 1 << _range_shift(count)
    return [(lo, lo + step) for lo in range(0, 1 << _ANCHOR_SPAN, step)]


def _range_shift(count: int) -> int:
    """log2 of the width of each of :func:`hash_ranges`: an anchor's range is ``value >> shift``."""
    bits = max(0, math.ceil(math.log2(max(1, count) / ANCHOR_CHUNK)))
    return _ANCHOR_SPAN - min(bits, _ANCHOR_SPAN)


def anchor_postings(values: Hashes, owners: npt.NDArray[np.int32], n: int, max_df: int,
                    workdir: Path | None = None) -> tuple[Pairs, Hashes]:
    """Pairs of records sharing at least ``MIN_SHARED_ANCHORS`` anchors, each held by at most
    ``max_df`` records (an anchor in more is formulaic: 会议强调, page furniture), and the formulaic
    anchors, sorted; ``owners``: the record of each anchor (sorted by record, no record holding an
    anchor twice); ``workdir``: where the temporary files go (a build's staging folder; else ``$TMPDIR``).

    One hash range at a time (:func:`hash_ranges`; the anchors are put in range order once, by a stable
    sort of ``value >> shift``); the pairs a range finds, with how many of its anchors each shares, go to
    a temporary file per block of records (by the pair's first record), and each block's counts are
    summed over the ranges at the end. Memory: the order of the anchors (8 bytes an anchor, beside the
    caller's 12 of values and owners; 2-4 bytes more while it is sorted) and one range's posting lists;
    no array over all pairs is made (a pair sharing one anchor by chance is far more common than a
    candidate)."""
    ranges = hash_ranges(len(values)) if len(values) else []
    blocks = max(1, len(ranges))
    formulaic = [np.zeros(0, dtype=np.uint64)]
    found = [np.zeros(0, dtype=np.int64)]
    order, bounds = _range_order(values, len(ranges))
    with tempfile.TemporaryDirectory(prefix=SPILL if workdir else "xianbao-reuse-", dir=workdir) as tmp:
        spill = [Path(tmp) / f"{j}.pairs" for j in range(blocks)]
        for j in range(len(ranges)):
            inside = order[bounds[j]:bounds[j + 1]]
            codes, seen, part_formulaic = _range_postings(values[inside], owners[inside], n, max_df)
            formulaic.append(part_formulaic)
            _spill(spill, (codes // n) * blocks // n, np.stack([codes, seen], axis=1))
        for path in spill:
            found.append(_shared_enough(path))
    codes = np.concatenate(found)
    return np.stack([codes // n, codes % n], axis=1).astype(np.int64), np.concatenate(formulaic)


def _range_order(values: Hashes, count: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The anchors' positions ordered by hash range (in position order within one) and the ``count + 1``
    bounds of each range in it (values beyond the last range fall outside every one)."""
    bucket = np.minimum(values >> np.uint64(_range_shift(len(values))), np.uint64(count))
    bucket = bucket.astype(np.min_scalar_type(count))  # 16 bits below 2^31 anchors: a radix sort
    order = np.argsort(bucket, kind="stable")
    bounds = np.searchsorted(bucket[order], np.arange(count + 1))
    return order, bounds


def _spill(paths: list[Path], block: npt.NDArray[np.int64], rows: npt.NDArray[np.int64]) -> None:
    """Append each row to its block's file."""
    if not len(block):
        return
    order = np.argsort(block, kind="stable")
    block, rows = block[order], rows[order]
    cuts = np.flatnonzero(np.diff(block)) + 1
    for part, j in zip(np.split(rows, cuts), block[np.concatenate([[0], cuts])].tolist(), strict=True):
        with paths[j].open("ab") as fh:
            part.tofile(fh)


def _shared_enough(path: Path) -> npt.NDArray[np.int64]:
    """Sorted pair codes of one block sharing at least ``MIN_SHARED_ANCHORS`` anchors over all ranges."""
    if not path.exists():
        return np.zeros(0, dtype=np.int64)
    rows = np.fromfile(path, dtype=np.int64).reshape(-1, 2)
    codes, inverse = np.unique(rows[:, 0], return_inverse=True)
    seen = np.bincount(inverse.ravel(), weights=rows[:, 1], minlength=len(codes))
    return np.asarray(codes[seen >= MIN_SHARED_ANCHORS], dtype=np.int64)


def _range_postings(values: Hashes, owners: npt.NDArray[np.int32], n: int,
                    max_df: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], Hashes]:
    """Of one hash range: the distinct pair codes (``a * n + b``) paired in its posting lists, how many of
    its anchors each pair shares, and its formulaic anchors."""
    uniq, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    formulaic = uniq[counts > max_df]
    keep = (counts[inverse] >= 2) & (counts[inverse] <= max_df)
    pairs = group_pairs(values[keep])
    if not len(pairs):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), formulaic
    pairs = np.sort(owners[keep].astype(np.int64)[pairs], axis=1)
    codes, seen = np.unique(pairs[:, 0] * n + pairs[:, 1], return_counts=True)
    return codes, seen.astype(np.int64), formulaic


def unique_pairs(pairs: Pairs) -> Pairs:
    """Distinct pairs with ``a < b``, sorted."""
    if not len(pairs):
        return np.zeros((0, 2), dtype=np.int64)
    width = int(pairs.max()) + 1
    return decode_pairs(distinct(pair_codes(pairs, width)), width)


def distinct(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``np.unique(values)`` by a sort (numpy's hash-based unique of a million codes is several times slower)."""
    ordered = np.sort(values)
    keep = np.empty(len(ordered), dtype=bool)
    keep[:1], keep[1:] = True, ordered[1:] != ordered[:-1]
    return ordered[keep]
