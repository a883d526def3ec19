"""Verify a candidate pair exactly: 5-gram overlap of the whole texts, and shared passages.

- *reprint*: the shorter text's 5-grams are mostly (``REPRINT_CONTAINMENT``) in the longer
  one and it is not a small part of it (``MIN_LENGTH_RATIO``): cut, retitled, re-led or
  lightly edited copies of one story;
- *shared passage*: a run of the text covered by 5-grams found in the other, gaps of up
  to ``GAP`` characters (typos, changed words) closed, at least ``MIN_PASSAGE`` normalised
  characters long (~150 characters of printed text), made mostly of non-formulaic anchors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from builders.reuse.normalize import Normalized
from builders.reuse.shingles import Hashes, K, anchor_mask

REPRINT_CONTAINMENT = 0.7
MIN_LENGTH_RATIO = 0.4
MIN_PASSAGE = 120
"""Normalised characters (punctuation and spaces removed) of a reused passage: ~150 printed."""
MIN_PIECE = 40
"""Shortest piece of a shared passage (a quote may join pieces of its source)."""
MIN_REPRINT_SPAN = 20
"""Shortest shared run reported as a span between two reprints."""
GAP = 12
MIN_COVERED = 0.8
"""Share of a passage's characters covered by shared k-grams (the rest: closed gaps)."""
MIN_COMMON = 60
"""Shared distinct k-grams below which no passage of MIN_PASSAGE characters can be covered."""
MAX_FORMULAIC_SHARE = 0.5


@dataclass(frozen=True)
class Evidence:
    """One record's text as the verifier needs it."""

    norm: Normalized
    hashes: Hashes
    """k-gram hash at each normalised position."""
    distinct: Hashes
    """Sorted distinct hashes."""

    @classmethod
    def of(cls, norm: Normalized, hashes: Hashes) -> Evidence:
        return cls(norm, hashes, distinct(hashes))


def distinct(hashes: Hashes) -> Hashes:
    """Sorted distinct values (a sort and a mask: faster than ``np.unique`` on short arrays)."""
    ordered = np.sort(hashes)
    return ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])] if len(ordered) else ordered


def overlap(a: Evidence, b: Evidence) -> tuple[int, float]:
    """``(shared, containment)``: distinct 5-grams the two records share, and their share of the smaller set."""
    if not len(a.distinct) or not len(b.distinct):
        return 0, 0.0
    common = int(contains(b.distinct, a.distinct).sum())
    return common, common / min(len(a.distinct), len(b.distinct))


def contains(sorted_set: Hashes, values: Hashes) -> npt.NDArray[np.bool_]:
    """Which of ``values`` are in ``sorted_set`` (binary search: no sort of either)."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return np.asarray(sorted_set[at] == values)


def is_reprint(a: Evidence, b: Evidence, containment: float) -> bool:
    """The verified reprint link: see the module docstring."""
    short, long = sorted((len(a.distinct), len(b.distinct)))
    return containment >= REPRINT_CONTAINMENT and short >= MIN_LENGTH_RATIO * long


def _runs(covered: npt.NDArray[np.bool_], min_len: int) -> list[tuple[int, int]]:
    """Half-open runs of True, gaps of at most GAP closed, at least ``min_len`` long and
    ``MIN_COVERED`` covered (vectorised: a text has hundreds of short runs, few long ones)."""
    padded = np.zeros(len(covered) + 2, dtype=np.bool_)
    padded[1:-1] = covered
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    starts, ends = edges[0::2], edges[1::2]
    if not len(starts):
        return []
    breaks = np.flatnonzero(starts[1:] - ends[:-1] > GAP)
    first, last = np.zeros(len(breaks) + 1, dtype=np.intp), np.full(len(breaks) + 1, len(ends) - 1, dtype=np.intp)
    first[1:], last[:-1] = breaks + 1, breaks
    run_starts, run_ends = starts[first], ends[last]
    long = np.flatnonzero(run_ends - run_starts >= min_len)
    return [(s, e) for s, e in zip(run_starts[long].tolist(), run_ends[long].tolist(), strict=True)
            if np.count_nonzero(covered[s:e]) / (e - s) >= MIN_COVERED]


def shared_runs(a: Evidence, b: Evidence, min_len: int, formulaic: Hashes | None = None) -> list[tuple[int, int]]:
    """Runs of ``a``'s normalised text covered by k-grams that ``b`` has too."""
    if not len(a.hashes) or not len(b.hashes):
        return []
    found = contains(b.distinct, a.hashes)
    if int(found.sum()) * K < MIN_COVERED * min_len:
        return []
    covered = np.zeros(len(a.norm), dtype=bool)
    for shift in range(K):
        covered[shift:shift + len(found)] |= found
    runs = _runs(covered, min_len)
    if formulaic is not None and len(formulaic):
        runs = [(s, e) for s, e in runs if not _formulaic(a.hashes[s:max(s, e - K + 1)], formulaic)]
    return runs


def _formulaic(hashes: Hashes, formulaic: Hashes) -> bool:
    """True when most anchors of a run are formulaic."""
    marks = hashes[anchor_mask(hashes)]
    return bool(len(marks)) and float(contains(formulaic, marks).mean()) > MAX_FORMULAIC_SHARE


def body_spans(norm: Normalized, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Normalised runs -> half-open character ranges of the body."""
    return [(int(norm.where[s]), int(norm.where[e - 1]) + 1) for s, e in runs]
