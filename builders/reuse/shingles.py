"""Character k-gram hashes of normalised text, vectorised (numpy, 64-bit, the same on every machine).

Chinese has no spaces, so shingles are characters, not words: ``k = 5`` characters is about
two or three words, long enough that unrelated stories rarely share one and short enough
that a typo kills only five. A k-gram hash is a polynomial over its code points, then a
SplitMix64 finaliser; *anchors* are the k-grams whose hash falls in a fixed 1/16 of the
range, the same k-grams in every text (content-defined sampling, as in winnowing): any
passage of 150 characters holds about nine of them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

K = 5
"""Characters per shingle."""
ANCHOR_BITS = 4
"""Anchors are the hashes whose top ``ANCHOR_BITS`` bits are zero: one k-gram in 16."""
_BASE = np.uint64(0x100000001B3)
_BASE3 = np.uint64(0x100000001B3**3 % 2**64)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)

Hashes = npt.NDArray[np.uint64]


def mix(x: Hashes) -> Hashes:
    """SplitMix64 finaliser: every input bit moves every output bit."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def kgram_hashes(codes: npt.NDArray[np.uint32], k: int = K) -> Hashes:
    """Hash of the k-gram starting at each position (``len(codes) - k + 1`` of them; none when shorter).

    The polynomial ``c0 B^(k-1) + ... + c(k-1)`` (mod 2^64), for ``k = 5`` as
    ``(c0 B + c1) B^3 + (c2 B + c3) B + c4``: six array operations instead of ten, the same values."""
    n = len(codes) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    wide = codes.astype(np.uint64)
    with np.errstate(over="ignore"):
        if k == 5:
            pairs = wide[:-1] * _BASE + wide[1:]
            return mix(pairs[:n] * _BASE3 + pairs[2:2 + n] * _BASE + wide[4:4 + n])
        h = np.zeros(n, dtype=np.uint64)
        for j in range(k):
            h = h * _BASE + wide[j:j + n]
        return mix(h)


def anchor_mask(hashes: Hashes) -> npt.NDArray[np.bool_]:
    """Which k-grams are anchors."""
    return np.asarray((hashes >> np.uint64(64 - ANCHOR_BITS)) == 0)


def anchors(hashes: Hashes) -> Hashes:
    """The distinct anchor hashes of a text, sorted."""
    marks = np.sort(hashes[anchor_mask(hashes)])
    return marks[np.concatenate([[True], marks[1:] != marks[:-1]])] if len(marks) else marks
