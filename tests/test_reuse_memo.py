"""The memo of verified pairs on invented text: call order of a pair, a failed save."""

from __future__ import annotations

import errno
import logging
import random
from pathlib import Path

import pytest

from builders.reuse.evidence import evidence
from builders.reuse.memo import Verifier, content_key, load
from tests.test_reuse import paragraphs, sentence


def quoted() -> list[str]:
    """A cut of a story, and a local report holding that cut between its own sentences."""
    rng = random.Random(4)
    cut = "\n".join(paragraphs(rng, 6)[1:4])
    local = "本报讯 " + "".join(sentence(rng) for _ in range(6)) + cut + "".join(sentence(rng) for _ in range(6))
    return [cut, local]


def verifier(bodies: list[str], path: Path | None = None) -> Verifier:
    return Verifier(lambda i: evidence(bodies[i]), [content_key(b.encode()) for b in bodies], path)


def test_the_holder_of_a_pair_does_not_depend_on_the_call_order(tmp_path: Path) -> None:
    bodies = quoted()
    fresh = verifier(bodies).facts(0, 1)
    assert fresh.reprint and fresh.holder == 1, "the local report holds the cut"
    shared = verifier(bodies, tmp_path / "pairs.memo")
    backwards = shared.facts(1, 0)
    assert backwards.holder == 0 and backwards.common == fresh.common
    assert shared.facts(0, 1) == fresh and shared.verified == 1


def test_without_a_memo_file_nothing_is_remembered() -> None:
    """A build without a cache keeps no entry per verified pair (it would never be saved)."""
    check = verifier(quoted())
    first = check.facts(0, 1)
    assert check.facts(1, 0).holder == 1 - (first.holder or 0)
    assert not check.used.facts and not check.used.extra and check.verified == 2


def test_a_failed_save_leaves_no_partial_file_and_the_old_memo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    """A full disk mid-write: the half-written file goes, the memo saved before stays readable, a warning says so."""
    bodies = quoted()
    path = tmp_path / "reuse" / "pairs.memo"
    first = verifier(bodies, path)
    first.facts(0, 1)
    first.save()
    before = load(path)
    assert before

    def full_disk(self: Path, data: bytes) -> int:
        with self.open("wb") as fh:
            fh.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    second = verifier([*bodies, "另一篇"], path)
    second.facts(1, 2)
    with caplog.at_level(logging.WARNING, logger="xianbao"):
        second.save()
    assert sorted(p.name for p in path.parent.iterdir()) == ["pairs.memo"]
    assert load(path) == before
    assert any("not saved" in r.getMessage() and "No space left" in r.getMessage() for r in caplog.records)


def test_the_runs_cache_stays_bounded_and_drops_the_oldest_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once full, each new pair evicts the oldest one; a kept pair is served again, an evicted one recomputed."""
    from builders.reuse import memo

    rng = random.Random(6)
    story = paragraphs(rng, 9)
    bodies = ["\n".join(story[i:i + 3]) for i in range(7)]
    monkeypatch.setattr(memo, "RUNS_CACHE", 4)
    check = verifier(bodies)
    order = [(0, 1), (1, 0), (2, 3), (3, 4), (4, 5), (5, 6)]
    fresh = {pair: memo.shared_runs(evidence(bodies[pair[0]]), evidence(bodies[pair[1]]), memo.MIN_REPRINT_SPAN)
             for pair in order}
    assert all(fresh[pair] for pair in order), "neighbouring cuts share a paragraph"
    for pair in order:
        assert check.runs(*pair) == fresh[pair]
        assert len(check.shared) <= 4
    assert list(check.shared) == order[-4:], "the two oldest pairs were dropped, in order"
    assert check.runs(0, 1) == fresh[(0, 1)] and list(check.shared) == [*order[-3:], (0, 1)]
