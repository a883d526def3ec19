"""The memo of verified pairs on invented text: call order of a pair, a failed save."""

from __future__ import annotations

import errno
import logging
import random
from pathlib import Path

import pytest

from builders.reuse.detect import evidence
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


def test_the_holder_of_a_pair_does_not_depend_on_the_call_order() -> None:
    bodies = quoted()
    fresh = verifier(bodies).facts(0, 1)
    assert fresh.reprint and fresh.holder == 1, "the local report holds the cut"
    shared = verifier(bodies)
    backwards = shared.facts(1, 0)
    assert backwards.holder == 0 and backwards.common == fresh.common
    assert shared.facts(0, 1) == fresh and shared.verified == 1


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
