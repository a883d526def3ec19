"""Benchmark of the reuse stage on simulated county papers (:mod:`reuse_corpus`).

    python tests/benchmarks/bench_reuse.py [--config a|b] [--days 20] [--papers 8] [--seed 0] [--text DIR ...]
                                           [--memory]

Prints reprint pair precision/recall/F1 (pairs of records printing the same central story),
cluster ARI (every record a cluster, singletons included), span precision/recall/F1 of
quoted passages (characters of records outside reprint clusters), the share of formulaic
meeting reports linked to anything, short notices clustered, and articles per second of
the stage in one process (signatures + candidates + verification + clustering). ``--config b``
is the second, independent configuration of the generator (:data:`reuse_corpus.CONFIGS`).
``--memory`` also traces the stage's Python and numpy allocations in a first run (tracemalloc;
slower) that makes every reuse object and drops it, as a build does shard by shard: the peak of
the whole stage; the bytes the index keeps per record are printed always.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reuse_corpus import CONFIGS, Item, make_items

from builders.reuse.cluster import Meta
from builders.reuse.detect import Index, detect
from builders.reuse.normalize import credited_to
from schema import Reuse


def run(items: list[Item], keep: bool = True) -> tuple[list[Reuse], float, int]:
    """The reuse objects (none when not ``keep``: a build writes them shard by shard, it does not hold
    them all), CPU seconds, and the bytes the index held per record."""
    started = time.process_time()
    index = Index()
    index.add((Meta(it.id, it.date, it.page, f"{it.newspaper}/{it.date}", it.ordinal, credited_to(it.body)), it.body)
              for it in items)
    held = index.nbytes()
    reuse_of = detect(index, lambda i: items[i].body)
    reuses = [reuse_of(i) for i in range(len(items))] if keep else []
    if not keep:
        for i in range(len(items)):
            reuse_of(i)
    return reuses, time.process_time() - started, held


def pairs(labels: list[str | None]) -> set[tuple[int, int]]:
    groups: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        if label is not None:
            groups.setdefault(label, []).append(i)
    return {(a, b) for g in groups.values() for n, a in enumerate(g) for b in g[n + 1:]}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def ari(truth: list[str], pred: list[str]) -> float:
    """Adjusted Rand index of two labelings."""
    comb = lambda n: n * (n - 1) / 2  # noqa: E731
    pair_counts = sum(comb(c) for c in Counter(zip(truth, pred, strict=True)).values())
    a = sum(comb(c) for c in Counter(truth).values())
    b = sum(comb(c) for c in Counter(pred).values())
    expected = a * b / comb(len(truth))
    top = (a + b) / 2
    return (pair_counts - expected) / (top - expected) if top != expected else 1.0


def span_chars(spans: list[tuple[int, int]]) -> set[int]:
    return {c for s, e in spans for c in range(s, e)}


def score(items: list[Item], reuses: list[Reuse]) -> dict[str, float]:
    truth = [f"s{it.story}" if it.story is not None else None for it in items]
    pred = [r.cluster for r in reuses]
    t, p = pairs(truth), pairs(pred)
    pp, pr, pf = prf(len(t & p), len(p - t), len(t - p))
    cluster_ari = ari([x or f"alone{i}" for i, x in enumerate(truth)], [x or f"alone{i}" for i, x in enumerate(pred)])
    tp = fp = fn = 0
    for it, r in zip(items, reuses, strict=True):
        if it.story is not None:
            continue
        got = span_chars([(s.start, s.end) for s in r.passages])
        want = span_chars(it.quoted)
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    sp, sr, sf = prf(tp, fp, fn)
    formulaic = [r for it, r in zip(items, reuses, strict=True) if it.kind == "formulaic"]
    linked = sum(1 for r in formulaic if r.cluster or r.passages)
    shorts = [r for it, r in zip(items, reuses, strict=True) if it.kind == "short"]
    return {"pair_p": pp, "pair_r": pr, "pair_f1": pf, "ari": cluster_ari, "span_p": sp, "span_r": sr, "span_f1": sf,
            "formulaic_linked": linked / max(1, len(formulaic)), "short_clustered": sum(1 for r in shorts if r.cluster)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--papers", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--text", type=Path, nargs="+", default=None,
                        help="folders of pages to fit the text generator on (pooled)")
    parser.add_argument("--config", choices=sorted(CONFIGS), default="a", help="generator configuration")
    parser.add_argument("--memory", action="store_true", help="trace the stage's allocations (tracemalloc)")
    args = parser.parse_args(argv)
    items = make_items(args.days, args.papers, args.seed, args.text, CONFIGS[args.config])
    run(items[:50])  # warm up: the fold table, rensa
    peak = 0
    if args.memory:
        tracemalloc.start()
        run(items, keep=False)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    reuses, seconds, held = run(items)
    kinds = Counter(it.kind for it in items)
    text = " + ".join(map(str, args.text)) if args.text else "invented"
    print(f"{len(items)} records ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}), "
          f"config {args.config}, text: {text}, seed {args.seed}")
    result = score(items, reuses)
    for key, value in result.items():
        print(f"{key:18s} {value:.4f}" if isinstance(value, float) else f"{key:18s} {value}")
    print(f"{'articles/s':18s} {len(items) / seconds:.0f} (one process, {seconds:.2f} s of CPU)")
    print(f"{'index held':18s} {held / len(items):.0f} bytes a record ({held / 2**20:.1f} MiB)")
    if args.memory:
        print(f"{'stage peak':18s} {peak / 2**20:.1f} MiB traced ({peak / len(items):.0f} bytes a record; "
              "the bodies are the benchmark's, not counted; each reuse object dropped once made)")
    print(f"{'process peak RSS':18s} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB "
          "(the generated corpus included)")
    targets = [("pair F1 >= 0.97", result["pair_f1"] >= 0.97), ("ARI >= 0.95", result["ari"] >= 0.95),
               ("span F1 >= 0.90", result["span_f1"] >= 0.90), ("formulaic <= 1%", result["formulaic_linked"] <= 0.01),
               ("articles/s >= 2000 (issue 20: a core)", len(items) / seconds >= 2000)]
    for name, ok in targets:
        print(f"target {name}: {'yes' if ok else 'NO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
