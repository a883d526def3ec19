"""Process-wide settings of a building process: set once by the CLI and by each pool helper.

CPython's cyclic garbage collector runs its youngest generation every 700 new container
objects and a full collection every 100 of those. A build makes millions of short-lived
containers (token lists, parser tuples, row dicts) and keeps a few large, long-lived ones
(the reuse index, the memo, the pydantic schemas), so the default thresholds spend about 5%
of a one-worker build's CPU in collections that find almost nothing (0.9 of 18.7 CPU s at
3,000 generated pages; 2.1 of 59 at 10,000). Reference counting frees nearly everything a
build makes; cycles are rare. :func:`tune_gc` sets the thresholds mypy sets for the same
reason (``mypy.build``: 200,000 allocations, then 30 and 30), which leaves 0.02 CPU s of
collections at 3,000 pages with the same peak memory. It changes when memory is reclaimed,
never what is built: the output bytes are the same.
"""

from __future__ import annotations

import gc
import platform

GC_THRESHOLDS = (200_000, 30, 30)
"""New container objects before a young collection, then young collections per middle one and
middle ones per full one (CPython's defaults: 700, 10, 10)."""


def tune_gc() -> None:
    """Run the cyclic garbage collector less often in this process (CPython only; see the module)."""
    if platform.python_implementation() == "CPython":
        gc.set_threshold(*GC_THRESHOLDS)
