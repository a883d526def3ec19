"""How much vocabulary a title line shares with the lines around it: the line labeller's context.

A headline shares its words with the article below it, a section subhead with the text above
it too, and the texts on both sides of a new headline share little. A line's vocabulary is the
set of its characters (a sample of both ends of a long line), the common ones left out.

The sets are bit sets here, Python integers with a bit per character: a window's vocabulary is
an OR of six of them, a shared vocabulary an AND, its size ``int.bit_count``. numpy looks every
character of the page up in a table of ids kept from page to page and sets the bits of all lines
at once, so no line is taken apart into one string per character (what ``set(text)`` does, and
most of what the features cost). The counts are those of the sets, so the features are the same.
"""

from __future__ import annotations

import functools
import operator
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


MAX_IDS = 1 << 15
"""Characters a thread's id table numbers (:class:`_Ids`) before it starts over."""


class _Ids:
    """Code point -> the bit of its character, numbered in order of first sight: common characters
    are bit 0 (cleared in every set), so a bit set's count is that of its set whatever the
    numbering (the table is kept from page to page, so a page's characters are mostly known)."""

    def __init__(self) -> None:
        self.table = np.zeros(CODE_POINTS, dtype=np.int32)
        self.count = 1
        self.reset()

    def reset(self) -> None:
        self.table.fill(-1)
        self.table[[ord(ch) for ch in COMMON]] = 0
        self.count = 1

    def of(self, codes: npt.NDArray[np.uint32]) -> Ints:
        """The bit of every code point (new ones numbered now; the table starts over when full)."""
        ids = self.table[codes]
        if np.minimum.reduce(ids, initial=0) < 0:  # (ids.min, without its wrapper)
            new = np.unique(codes[ids < 0])
            if self.count + len(new) > MAX_IDS:
                self.reset()
                new = np.unique(codes[self.table[codes] < 0])
            self.table[new] = np.arange(self.count, self.count + len(new), dtype=np.int32)
            self.count += len(new)
            ids = self.table[codes]
        return ids.astype(np.int64)


_LOCAL = threading.local()


def _ids() -> _Ids:
    """The id table of this thread (threads number their characters apart)."""
    found: _Ids | None = getattr(_LOCAL, "ids", None)
    if found is None:
        found = _LOCAL.ids = _Ids()
    return found


def bit_sets(lines: Sequence[Line]) -> list[int]:
    """Every line's vocabulary as a bit set of the characters (bit 0, the common ones, cleared)."""
    samples = [sample(line.folded) for line in lines]
    codes = np.frombuffer("".join(samples).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    ids = _ids().of(codes)
    width = int(np.maximum.reduce(ids, initial=0)) + 1
    sizes = np.fromiter(map(len, samples), dtype=np.int64, count=len(samples))
    ends = np.add.accumulate(sizes)  # (np.cumsum, without its wrapper)
    out: list[int] = []
    step = max(1, MAX_CELLS // width)
    for start in range(0, len(samples), step):
        stop = min(len(samples), start + step)
        lo, hi = int(ends[start - 1]) if start else 0, int(ends[stop - 1])
        offsets = (np.arange(stop - start, dtype=np.int64) * width).repeat(sizes[start:stop])
        cells = np.zeros((stop - start, width), dtype=bool)
        cells.reshape(-1)[offsets + ids[lo:hi]] = True
        cells[:, 0] = False
        packed = np.packbits(cells, axis=1, bitorder="little")
        data, size = packed.tobytes(), packed.shape[1]  # (bytes sliced: no array view per row)
        out += [int.from_bytes(data[at : at + size], "little") for at in range(0, len(data), size)]
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
    before = functools.reduce(operator.or_, sets[max(0, i - WINDOW) : i], 0)
    after = functools.reduce(operator.or_, sets[i + 1 : i + 1 + WINDOW], 0)
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
