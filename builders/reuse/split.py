"""Verification split between processes: the candidate pairs cut along the components of their graph.

Everything :func:`~builders.reuse.detect.verify_pairs` decides of a pair depends only on pairs of
the same connected component of the candidate graph (a union of two records joins records of one
component; a story's members, a record's closest partner and its passages are all in its
component). So the components can be verified apart, each side's pairs kept in their order, and
the links put together give the bytes of one process's pass (tested). The sides are balanced by
their number of candidate pairs; a helper process reads the bodies from the pass's body file
(:class:`BodyFile`) and sends back its links and what it verified, for the memo.
"""

from __future__ import annotations

import os
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from builders.reuse.candidates import Pairs
from builders.reuse.cluster import Links
from builders.reuse.memo import Entry
from builders.reuse.shingles import Hashes

MIN_SPLIT_PAIRS = 20_000
"""Candidate pairs below which the pass verifies them all in its own process (a helper's share would
take less time than sending it)."""
MAX_ROUNDS = 200
"""Rounds of label propagation after which the components are left unfound (then nothing is split)."""


@dataclass
class BodyFile:
    """Read access to the pass's body file (UTF-8 bodies back to back and ``n + 1`` offsets): ``body(i)``
    with one ``pread``, in whichever process holds it (the descriptor is opened on first use, never
    pickled)."""

    path: Path
    offsets: array[int]
    _fd: int | None = field(default=None, repr=False, compare=False)

    def __call__(self, i: int) -> str:
        start = self.offsets[i]
        size = self.offsets[i + 1] - start
        if not size:
            return ""
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDONLY)
        return os.pread(self._fd, size, start).decode("utf-8")

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "offsets": self.offsets, "_fd": None}


@dataclass(frozen=True)
class Side:
    """What a helper needs to verify one side's pairs (:func:`~builders.reuse.detect.verify_side`)."""

    bodies: BodyFile
    pairs: Pairs
    formulaic: Hashes
    n: int
    keys: bytes | None = None
    """The content keys of all records, joined (16 bytes each), when the memo is used."""
    memo: Path | None = None


@dataclass
class SideResult:
    """A side's links, shared-passage pairs and memo entries, and how many checks it made."""

    links: Links
    partial: list[tuple[int, int]]
    facts: dict[bytes, bytes]
    extra: dict[bytes, Entry]
    verified: int


def components(pairs: Pairs, n: int) -> npt.NDArray[np.int64] | None:
    """The smallest record index of each record's component in the graph of ``pairs``; None when it has
    not settled in ``MAX_ROUNDS`` rounds. Each round hooks the root of the higher label of every pair
    under the lower (a root's label is its own; labels only fall, so the labels form a forest), then
    jumps every label to its root; the labels are the components when both records of every pair agree."""
    labels = np.arange(n, dtype=np.int64)
    a, b = pairs[:, 0], pairs[:, 1]
    for _ in range(MAX_ROUNDS):
        la, lb = labels[a], labels[b]
        if np.array_equal(la, lb):
            return labels
        np.minimum.at(labels, np.maximum(la, lb), np.minimum(la, lb))
        while not np.array_equal(jumped := labels[labels], labels):
            labels = jumped
    return None


def side_masks(pairs: Pairs, n: int, sides: int) -> list[npt.NDArray[np.bool_]] | None:
    """For each of ``sides`` sides, which of ``pairs`` it verifies: whole components, the largest first
    to the side with the fewest pairs so far; None when there is nothing worth splitting (few pairs,
    one component, or components not found)."""
    if sides < 2 or len(pairs) < MIN_SPLIT_PAIRS:
        return None
    labels = components(pairs, n)
    if labels is None:
        return None
    roots, inverse, counts = np.unique(labels[pairs[:, 0]], return_inverse=True, return_counts=True)
    if len(roots) < 2:
        return None
    side_of = np.empty(len(roots), dtype=np.int64)
    load = [0] * sides
    for k in np.argsort(-counts, kind="stable").tolist():
        lightest = load.index(min(load))
        side_of[k] = lightest
        load[lightest] += int(counts[k])
    of_pair = side_of[inverse.reshape(-1)]
    return [of_pair == s for s in range(sides)]
