"""UnionFind.roots (numpy, many at once) gives what find gives one by one."""

import numpy as np

from builders.reuse.cluster import UnionFind


def test_roots_are_the_finds() -> None:
    rng = np.random.default_rng(5)
    joined = UnionFind(300)
    for a, b in rng.integers(0, 300, (250, 2)).tolist():
        joined.union(a, b)
        xs = rng.integers(0, 300, 40)
        assert joined.roots(xs).tolist() == [joined.find(x) for x in xs.tolist()]
    assert joined.roots(np.zeros(0, dtype=np.int64)).tolist() == []
