"""Every parser step is linear in the page size: ratios of times over growing inputs, not times."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from builders.parse.lines import split_lines
from builders.parse.page import parse_page

SENTENCE = "本报讯 今天…工作。"


def _best_of(runs: int, call: Callable[[], object]) -> float:
    """The shortest of ``runs`` timings in CPU seconds of this process (another process's load stretches
    wall time, not these), without the garbage collector (its passes grow with the heap)."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            started = time.process_time()
            call()
            best = min(best, time.process_time() - started)
    finally:
        gc.enable()
    return best


def _ratio(step: Callable[[str], object], small: int, factor: int = 10) -> float:
    """Time of ``step`` on a one-line page ``factor`` times bigger over the small one."""
    line_small, line_big = SENTENCE * small, SENTENCE * small * factor
    step(line_small)  # warm-up: compiled patterns, caches
    return _best_of(5, lambda: step(line_big)) / max(_best_of(5, lambda: step(line_small)), 1e-4)


def test_splitting_one_long_line_is_linear() -> None:
    # 0.2 MB vs 2 MB of UTF-8: the cut of glued titles was quadratic (a 5 MB line took 638 s);
    # linear is ~10, quadratic ~100: the margin is for a busy machine
    assert _ratio(split_lines, 6_000) < 30


def test_parsing_one_long_line_page_is_linear() -> None:
    assert _ratio(lambda line: parse_page("标题一行\n" + line, "x.txt", "0" * 64), 600) < 30
