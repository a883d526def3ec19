"""The memo of verified pairs on invented text: call order of a pair."""

from __future__ import annotations

import random
from pathlib import Path

from builders.reuse.detect import evidence
from builders.reuse.memo import Verifier, content_key
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
