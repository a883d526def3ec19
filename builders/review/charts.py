"""Small horizontal bar charts for the index, as geometry the template draws as inline SVG."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

WIDTH, LABEL, BAR_AREA, ROW = 320, 124, 150, 18
LENGTH_BINS = [(0, 1), (1, 200), (200, 500), (500, 1000), (1000, 2000), (2000, 5000), (5000, None)]
"""Body length bins in characters: ``[low, high)``; ``None`` is open."""


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    """A titled list of bars; ``height`` is the SVG's."""

    title: str
    bars: list[Bar]
    empty: str = "none"

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW + 4


def bar_chart(title: str, rows: Iterable[tuple[str, int]], empty: str = "none") -> Chart:
    """Bars scaled to the largest value (the row order is kept)."""
    rows = list(rows)
    top = max((v for _, v in rows), default=0) or 1
    bars = [Bar(label, value, i * ROW + 2, max(1, round(BAR_AREA * value / top)) if value else 0)
            for i, (label, value) in enumerate(rows)]
    return Chart(title, bars, empty)


def counts_chart(title: str, counts: Counter[str], empty: str = "none") -> Chart:
    """One bar per key, most frequent first, ties by name (a deterministic order)."""
    return bar_chart(title, sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])), empty)


def per_page_chart(title: str, values: list[int], cap: int = 10) -> Chart:
    """How many pages have 0, 1, … ``cap``+ articles."""
    counts = Counter(min(v, cap) for v in values)
    low, top = min(counts, default=0), max(counts, default=0)
    return bar_chart(title, [(f"{n}+" if n == cap else str(n), counts.get(n, 0)) for n in range(low, top + 1)])


def length_chart(title: str, lengths: list[int]) -> Chart:
    """How many bodies fall in each :data:`LENGTH_BINS` bin (characters)."""
    rows = []
    for low, high in LENGTH_BINS:
        label = "empty" if high == 1 else f"{low}–{high - 1}" if high else f"{low}+"
        rows.append((label, sum(1 for n in lengths if n >= low and (high is None or n < high))))
    return bar_chart(title, rows)
