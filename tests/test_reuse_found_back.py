"""The longer record's found k-grams read back from the shorter's search (verify._found_back) are the
ones a second search finds."""

import numpy as np

from builders.reuse.verify import Evidence, _found_back, contains, distinct_inverse


def _evidence(hashes: np.ndarray) -> Evidence:
    hashes = hashes.astype(np.uint64)
    return Evidence(np.arange(len(hashes), dtype=np.int32), hashes, np.zeros(0, dtype=np.int32),
                    *distinct_inverse(hashes))


def test_found_back_is_the_other_search() -> None:
    rng = np.random.default_rng(3)
    for size_x, size_y, values in [(5, 9, 8), (40, 300, 60), (200, 200, 500), (1, 1, 1)]:
        x = _evidence(rng.integers(0, values, size_x))
        y = _evidence(rng.integers(0, values, size_y))
        place = y.distinct.searchsorted(x.distinct)
        found = contains(y.distinct, x.distinct)
        assert (_found_back(y, place[found]) == contains(x.distinct, y.distinct)[y.inverse]).all()
