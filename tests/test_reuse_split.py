"""Verification split along the components of the candidate graph: the same links as one process's pass."""

from __future__ import annotations

import datetime
import json
import multiprocessing
import random
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from builders.reuse import detect as detect_module
from builders.reuse import split
from builders.reuse.cluster import Meta, UnionFind
from builders.reuse.detect import Index, detect
from builders.reuse.memo import Verifier
from builders.reuse.normalize import credited_to
from builders.reuse.split import components, side_masks
from builders.reuse.stage import BodyStore
from schema import Reuse
from tests.test_reuse import paragraphs, sentence, typos


def union_find_roots(pairs: np.ndarray, n: int) -> list[int]:
    found = UnionFind(n)
    for a, b in pairs.tolist():
        found.union(a, b)
    return [found.find(x) for x in range(n)]


@pytest.mark.parametrize("seed", range(6))
def test_components_are_a_union_finds(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 400))
    pairs = rng.integers(0, n, size=(int(rng.integers(1, 2 * n)), 2))
    pairs = np.sort(pairs[pairs[:, 0] != pairs[:, 1]], axis=1)
    if not len(pairs):
        pairs = np.array([[0, 1]])
    labels = components(pairs, n)
    assert labels is not None and labels.tolist() == union_find_roots(pairs, n)


def test_a_long_chain_settles_and_unsettled_components_split_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    order = np.random.default_rng(1).permutation(3_000)
    chain = np.sort(np.stack([order[:-1], order[1:]], axis=1), axis=1)
    labels = components(chain, 3_000)
    assert labels is not None and set(labels.tolist()) == {0}
    two = np.concatenate([chain, chain + 3_000])
    monkeypatch.setattr(split, "MIN_SPLIT_PAIRS", 1)
    masks = side_masks(two, 6_000, 2)
    assert masks is not None and sorted(int(m.sum()) for m in masks) == [2_999, 2_999]
    assert not (masks[0] & masks[1]).any()
    monkeypatch.setattr(split, "MAX_ROUNDS", 1)
    assert components(chain, 3_000) is None and side_masks(two, 6_000, 2) is None


def test_too_few_pairs_or_one_component_split_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    star = np.array([[0, k] for k in range(1, 50)])
    assert side_masks(star, 50, 2) is None  # below MIN_SPLIT_PAIRS
    monkeypatch.setattr(split, "MIN_SPLIT_PAIRS", 1)
    assert side_masks(star, 50, 2) is None  # one component
    assert side_masks(star, 50, 1) is None


def corpus(seed: int = 3) -> list[str]:
    """Eight stories, each with reprints (cut, re-led, typos) and a report quoting it, and unrelated reports."""
    rng = random.Random(seed)
    bodies: list[str] = []
    for _ in range(8):
        story = paragraphs(rng)
        whole = "\n".join(story)
        bodies += ["新华社北京3月5日电（记者 王明）" + whole, "据新华社北京3月5日电 " + "\n".join(story[:4]),
                   typos(whole, rng), "本报讯 " + "".join(sentence(rng) for _ in range(8)) + whole[40:260]
                   + "".join(sentence(rng) for _ in range(8))]
        bodies += ["\n".join(paragraphs(rng, 3)) for _ in range(2)]
    return bodies


def index_of(bodies: list[str]) -> Index:
    day = datetime.date(2021, 3, 5)
    metas = [Meta(f"{i:016x}", day + datetime.timedelta(days=i % 3), None, f"p{i}.txt", 0, credited_to(b))
             for i, b in enumerate(bodies)]
    index = Index()
    index.add(zip(metas, bodies, strict=True))
    return index


@pytest.fixture
def helpers() -> Iterator[tuple[ProcessPoolExecutor, int]]:
    """One spawned helper (a split pass shuts its pool down once every side is in)."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool, 1


def split_run(bodies: list[str], tmp_path: Path, helpers: tuple[ProcessPoolExecutor, int],
              monkeypatch: pytest.MonkeyPatch, memo: Path | None = None) -> tuple[list[Reuse], list[int]]:
    """``detect`` with one helper (every pair count split); the Reuse objects and the sides' pair counts."""
    monkeypatch.setattr(split, "MIN_SPLIT_PAIRS", 1)
    sides: list[int] = []
    real = detect_module._verify_sides

    def spy(parts: list[split.Side], *args: Any) -> Any:
        sides.extend(len(part.pairs) for part in parts)
        return real(parts, *args)

    monkeypatch.setattr(detect_module, "_verify_sides", spy)
    store = BodyStore(tmp_path / "bodies")
    try:
        for body in bodies:
            store.add(body)
        store.seal()
        reuse_of = detect(index_of(bodies), store.reader, (store.keys(), memo), tmp_path, helpers)
    finally:
        store.close()
    return [reuse_of(i) for i in range(len(bodies))], sides


def test_a_split_pass_gives_one_process_links(tmp_path: Path, helpers: tuple[ProcessPoolExecutor, int],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    bodies = corpus()
    whole = detect(index_of(bodies), lambda i: bodies[i])
    want = [whole(i) for i in range(len(bodies))]
    got, sides = split_run(bodies, tmp_path, helpers, monkeypatch)
    assert len(sides) == 2 and min(sides) > 0
    assert got == want
    assert len({r.cluster for r in want if r.cluster}) == 8 and any(r.kind == "partial" for r in want)
    assert any(r.passages for r in want if r.kind == "reprint")


def test_a_split_pass_remembers_the_helpers_pairs(tmp_path: Path, helpers: tuple[ProcessPoolExecutor, int],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    counts: list[int] = []
    real = Verifier.save

    def counting(self: Verifier) -> None:
        counts.append(self.verified)
        real(self)

    monkeypatch.setattr(Verifier, "save", counting)
    bodies, memo = corpus(4), tmp_path / "pairs.memo"
    whole = detect(index_of(bodies), lambda i: bodies[i])
    first, _ = split_run(bodies, tmp_path, helpers, monkeypatch, memo)
    with pytest.raises(RuntimeError, match="shutdown"):  # the pass shut its pool down
        helpers[0].submit(int)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as other:
        again, _ = split_run(bodies, tmp_path, (other, 1), monkeypatch, memo)
    assert first == again == [whole(i) for i in range(len(bodies))]
    assert counts[0] > 0 and counts[1] == counts[0] and counts[2] == 0  # the one-process pass, then the split ones


def test_a_two_worker_build_splits_verification_and_gives_the_one_worker_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from builders.reuse import stage
    from tests.test_reuse_build import build

    rng = random.Random(9)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for k in range(2):  # two stories, each printed whole and cut on two pages: two components
        story = paragraphs(rng)
        for name, text in ((f"{k}a.txt", "\n".join(story)), (f"{k}b.txt", "\n".join(story[:4]))):
            (seeds / name).write_text(f"第{k}个标题\n新华社北京3月5日电 {text}\n", encoding="utf-8")
    one = build(seeds, tmp_path / "one")
    monkeypatch.setattr(split, "MIN_SPLIT_PAIRS", 1)
    monkeypatch.setattr(stage, "HELPED_SHARDS", 1)
    calls: list[int] = []
    real = detect_module._verify_sides

    def spy(sides: list[split.Side], *args: Any) -> Any:
        calls.append(len(sides))
        return real(sides, *args)

    monkeypatch.setattr(detect_module, "_verify_sides", spy)
    two = build(seeds, tmp_path / "two", workers=2)
    assert calls == [2]
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)
    clusters = {json.loads(line)["reuse"]["cluster"] for f in (one / "jsonl").glob("*.jsonl") for line in f.open()}
    assert len(clusters - {None}) == 2


def test_a_helper_that_dies_has_its_side_verified_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    class DeadPool(ProcessPoolExecutor):
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
            broken: Future[Any] = Future()
            broken.set_exception(BrokenProcessPool("a helper was killed"))
            return broken

    bodies = corpus(5)
    whole = detect(index_of(bodies), lambda i: bodies[i])
    with DeadPool(1) as dead:
        got, sides = split_run(bodies, tmp_path, (dead, 1), monkeypatch)
    assert len(sides) == 2 and got == [whole(i) for i in range(len(bodies))]


def test_a_pool_that_refuses_a_side_has_it_verified_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A helper that died before the sides were handed out: ``submit`` itself raises; no traceback."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    class RefusingPool(ProcessPoolExecutor):
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
            raise BrokenProcessPool("a child process terminated abruptly")

    bodies = corpus(5)
    whole = detect(index_of(bodies), lambda i: bodies[i])
    with RefusingPool(1) as refusing:
        got, sides = split_run(bodies, tmp_path, (refusing, 1), monkeypatch)
    assert len(sides) == 2 and got == [whole(i) for i in range(len(bodies))]
