"""The verifier's evidence made a batch at a time is the evidence made one body at a time."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from builders.reuse.candidates import unique_pairs
from builders.reuse.cluster import UnionFind
from builders.reuse.detect import _prefetch
from builders.reuse.evidence import BATCH, EvidenceCache, evidence, evidence_batch
from builders.reuse.memo import Verifier, content_key

BODIES = [
    "",
    "，。！",
    "短",
    "新华社北京3月5日电（记者 王小明）今天县里召开了春耕生产动员大会。\n会议强调，要抓好粮食生产。\n",
    "本报讯（通讯员 李华）近日，我县开展了植树活动。\n\n\n志愿者们种下了五百棵树苗。\n来源：县融媒体中心",
    "\n\n第一段没有字以前有空行\n第二段\n",
    "扩展区的字𠀀𠀁也算字，ＡＢＣ１２３全角也折叠。\n最后一行没有换行",
    "四个字\n",
    "一行\n\n\n\n",
    "（来源：人民日报）",
    "文章正文第一段，说的是乡村振兴。\n第二段讲的是产业发展（来源：新华社）",
]


def _same(a: object, b: object) -> None:
    for name in ("where", "hashes", "breaks", "distinct", "inverse"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name


def test_a_batch_is_each_body_alone() -> None:
    made = evidence_batch(BODIES)
    assert len(made) == len(BODIES)
    for body, found in zip(BODIES, made, strict=True):
        _same(found, evidence(body))


@pytest.mark.parametrize("cut", [1, 2, 5])
def test_a_body_does_not_depend_on_its_neighbours(cut: int) -> None:
    for k in range(0, len(BODIES), cut):
        for body, found in zip(BODIES[k:k + cut], evidence_batch(BODIES[k:k + cut]), strict=True):
            _same(found, evidence(body))


def test_the_cache_prefetches_in_batches_and_keeps_the_last() -> None:
    asked: list[int] = []
    bodies = [f"第{i}篇文章的正文，内容各不相同，编号{i * 7}。\n第二段{i}" for i in range(3 * BATCH)]
    cache = EvidenceCache(lambda i: asked.append(i) or bodies[i], size=BATCH)
    cache.prefetch([5, 3, 5, 9])
    assert asked == [5, 3, 9]
    _same(cache(3), evidence(bodies[3]))
    assert asked == [5, 3, 9]  # kept: not made again
    cache.prefetch(range(2 * BATCH))  # more than it keeps: the first `size` missing are made
    assert len(cache.kept) == BATCH
    _same(cache(0), evidence(bodies[0]))


def test_pairs_known_to_the_memo_are_not_prefetched(tmp_path: Path) -> None:
    bodies = [f"正文{i}，说的是一件事情，足够长的一句话。" for i in range(4)]
    keys = [content_key(b.encode()) for b in bodies]
    asked: list[int] = []
    first = Verifier(EvidenceCache(lambda i: bodies[i], size=16), keys, tmp_path / "pairs.memo")
    first.facts(0, 1)
    first.save()
    check = Verifier(EvidenceCache(lambda i: asked.append(i) or bodies[i], size=16), keys, tmp_path / "pairs.memo")
    check.prefetch(unique_pairs(np.array([[0, 1], [2, 3]])))
    assert asked == [2, 3]
    asked.clear()
    joined = UnionFind(4)
    joined.union(0, 2)
    assert _prefetch(unique_pairs(np.array([[0, 2]])), joined, check) == [False]  # joined: nothing to verify
    assert asked == []


def test_unique_pairs_are_distinct_ordered_and_sorted() -> None:
    rng = np.random.default_rng(3)
    pairs = rng.integers(0, 50, (2_000, 2))
    lo, hi = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    expected = sorted({(a, b) for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if a != b})
    found = unique_pairs(pairs)
    assert found.dtype == np.int64 and [tuple(p) for p in found.tolist()] == expected
    assert unique_pairs(np.array([[4, 4]])).shape == (0, 2)
