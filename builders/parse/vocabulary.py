"""How much vocabulary a title line shares with the lines around it: the line labeller's context.

A headline shares its words with the article below it, a section subhead with the text above
it too, and the texts on both sides of a new headline share little. A line's vocabulary is the
set of its characters (a sample of both ends of a long line), the common ones left out.

The sets are bit sets here, Python integers with a bit per character of the page: a window's
vocabulary is an OR of six of them, a shared vocabulary an AND, its size ``int.bit_count``.
numpy gives every character of the page an id and sets the bits of all lines at once, so no
line is taken apart into one string per character (what ``set(text)`` does, and most of what
the features cost). The counts are those of the sets, so the features are the same.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from builders.parse.lines import Line

SAMPLE = 60
"""Characters from each end of a long line that stand for its vocabulary."""
COMMON = frozenset("的一是在了和有为这中不人我他大上们来个到说地也就要以时对会于与及等年月日，。、；：？！“”（）《》 ")
"""Characters too common to tell texts apart (particles, punctuation)."""
WINDOW = 6
"""Lines on each side whose vocabulary a line is compared with."""
CODE_POINTS = 0x110000
MAX_CELLS = 1 << 22
"""Line x character cells set at once (bounds the memory of a page of many lines)."""
Ints = npt.NDArray[np.int64]


def sample(text: str) -> str:
    """The text that stands for a line's vocabulary: all of it, or both ends of a long line."""
    return text if len(text) <= 2 * SAMPLE else text[:SAMPLE] + text[-SAMPLE:]


_IS_COMMON = np.zeros(CODE_POINTS, dtype=bool)
_IS_COMMON[[ord(ch) for ch in COMMON]] = True
_LOCAL = threading.local()


def _scratch() -> npt.NDArray[np.int32]:
    """A table over all code points, one per thread (its pages are touched only where used)."""
    table: npt.NDArray[np.int32] | None = getattr(_LOCAL, "table", None)
    if table is None:
        table = _LOCAL.table = np.zeros(CODE_POINTS, dtype=np.int32)
    return table


def _character_ids(codes: npt.NDArray[np.uint32]) -> tuple[Ints, int]:
    """An id ``0 .. count-1`` for every distinct code point, and their count, without sorting:
    each code point's positions all read back the one position written last for it."""
    table = _scratch()
    table[codes] = np.arange(len(codes), dtype=np.int32)
    kept = table[codes].astype(np.int64)
    first = np.zeros(len(codes), dtype=bool)
    first[kept] = True
    ids = np.cumsum(first) - 1
    return ids[kept], int(ids[-1]) + 1 if len(ids) else 0


def bit_sets(lines: Sequence[Line]) -> list[int]:
    """Every line's vocabulary as a bit set of the page's characters."""
    samples = [sample(line.folded) for line in lines]
    codes = np.frombuffer("".join(samples).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    owners = np.repeat(np.arange(len(samples), dtype=np.int64), [len(s) for s in samples])
    keep = ~_IS_COMMON[codes]
    ids, count = _character_ids(codes[keep])
    owners = owners[keep]
    out: list[int] = []
    step = max(1, MAX_CELLS // max(1, count))
    for start in range(0, len(samples), step):
        stop = min(len(samples), start + step)
        lo, hi = np.searchsorted(owners, [start, stop])
        cells = np.zeros((stop - start, count), dtype=bool)
        cells.reshape(-1)[(owners[lo:hi] - start) * count + ids[lo:hi]] = True
        out += [int.from_bytes(row, "little") for row in np.packbits(cells, axis=1, bitorder="little")]
    return out


def near_sets(lines: Sequence[Line], marked: Sequence[bool]) -> list[int]:
    """:func:`bit_sets` of the lines within :data:`WINDOW` of a marked line (all that
    :func:`context` and :func:`overlap` read for the marked lines), 0 for the others: the
    counts are the same, the lines far from every mark are not sampled (on a long page of
    body text, most of them)."""
    n = len(lines)
    near = [False] * n
    for i, flag in enumerate(marked):
        if flag:
            lo, hi = max(0, i - WINDOW), min(n, i + WINDOW + 1)
            near[lo:hi] = [True] * (hi - lo)
    chosen = [i for i, flag in enumerate(near) if flag]
    out = [0] * len(lines)
    for i, bits in zip(chosen, bit_sets([lines[i] for i in chosen]), strict=True):
        out[i] = bits
    return out


def _share(grams: int, pool: int, size: int) -> float:
    return (grams & pool).bit_count() / size if size else 0.0


def _bucket(shift: float) -> str:
    return "none" if shift < 0 else "lo" if shift < 0.15 else "mid" if shift < 0.3 else "hi"


def context(sets: Sequence[int], i: int) -> tuple[str, str]:
    """Does line ``i`` share its words with the text after it (a title) or before it (a subhead),
    and do the texts before and after it share theirs (one article) or not (a new one)?
    (``lean``, ``shift``: after/before/even, none/lo/mid/hi.)"""
    before = after = 0
    for j in range(max(0, i - WINDOW), i):
        before |= sets[j]
    for j in range(i + 1, min(len(sets), i + 1 + WINDOW)):
        after |= sets[j]
    grams = sets[i]
    size = grams.bit_count()
    b, a = _share(grams, before, size), _share(grams, after, size)
    lean = "after" if a - b > 0.15 else "before" if b - a > 0.15 else "even"
    n_after, n_before = after.bit_count(), before.bit_count()
    shift = (after & before).bit_count() / max(1, min(n_after, n_before)) if n_after and n_before else -1.0
    return lean, _bucket(shift)


def overlap(a: int, b: int) -> str:
    """How much of the smaller of two vocabularies the other shares: none (one is empty), 0, lo, mid, hi."""
    size_a, size_b = a.bit_count(), b.bit_count()
    if not size_a or not size_b:
        return "none"
    share = (a & b).bit_count() / min(size_a, size_b)
    return "0" if share == 0 else "lo" if share < 0.1 else "mid" if share < 0.25 else "hi"
