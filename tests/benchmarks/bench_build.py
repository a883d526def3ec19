"""Benchmark whole builds on generated corpora: engines, workers, cache, against two baselines.

    python tests/benchmarks/bench_build.py --pages 1000 10000 [--no-ray] [--workdir /tmp/xianbao-bench]
        [--runs jieba naive local-1 local-2 ray-2 incr+1% cached-2] [--repeat K] [--pages-per-shard 100]

For each N it generates N pages (tests/benchmarks/corpus.py) and runs, each in its own
process (wall time, peak RSS summed over the process tree, sampled by psutil):

- ``jieba``: Python ``jieba.lcut`` (the shipped user dictionary loaded) over the text the
  build segments -- every article body and each page's title lines -- in one process: the
  floor for one core. Pages are parsed first, untimed; the row's wall time is the lcut
  calls alone (the process's own wall time, with imports and parsing, is printed too).
- ``naive``: read, parse, jieba.lcut each body, one pandas DataFrame, ``to_parquet`` once.
- ``local-1`` / ``local-2``: ``xianbao build --workers 1|2 --no-cache``.
- ``ray-2``: ``xianbao build --engine ray --workers 2 --no-cache`` (output compared byte for byte with local-2).
- ``incr+1%``: rebuild after adding 1% new pages, with the cache of a build of the N pages.
- ``cached-2``: ``xianbao build --workers 2`` filling a fresh cache (the defaults' first build;
  output compared with local-2).

Targets on 2 cores (issue 17): local-1 <= 1.0x jieba and >= 2x faster than naive; local-2 >= 1.8x
faster than local-1; peak RSS at the largest N <= 1.25x at the smallest; incr+1% < 10% of local-1 at
every N; ray-2 == local-2 byte for byte.

``--stages N`` instead profiles a one-worker build of N generated pages (``--no-cache``) in one
process and prints the CPU seconds of each stage, exclusive of the stages it calls (wrappers
around the stage functions, no profiler, so the shares are not distorted by profiling).

Besides wall time each row has its CPU seconds (user + system of the process and every
descendant it waited for; for ``jieba``, of the lcut calls alone): on a shared machine the wall
times stretch with the load, the CPU seconds much less, so the ratios of one-core runs are
printed on both.

Before measuring, our packages (``builders``, ``schema``) are byte-compiled (``python -m compileall``),
as an installed wheel's are: every row times a build from ``.pyc`` files, not one that compiles our
modules from source in each process (which a machine with ``PYTHONDONTWRITEBYTECODE=1`` does: about
0.2 CPU s per process, a tenth of ``incr+1%`` at 1,000 pages). ``--no-precompile`` leaves them alone.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from tests.benchmarks.corpus import make_corpus  # noqa: E402

XIANBAO = [str(Path(sys.executable).with_name("xianbao"))]


Measurement = tuple[float, int, float]
"""Wall seconds, peak RSS (bytes) of the process tree, CPU seconds of the process tree."""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(cmd: list[str]) -> Measurement:
    """Wall seconds, peak RSS (bytes) and CPU seconds of the process tree of ``cmd``.

    A child that prints ``seconds=S cpu=C`` on its last line of output reports its own
    timing, which replaces the wall time and the CPU time.
    """
    started, cpu = time.perf_counter(), _children_cpu()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    root, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.2)
    wall, cpu = time.perf_counter() - started, _children_cpu() - cpu
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read() if proc.stderr else ''}")
    out = (proc.stdout.read() if proc.stdout else "").strip().splitlines()
    if out and out[-1].startswith("seconds="):
        print(f"  ({' '.join(cmd[-3:])}: own {out[-1]}, process wall {wall:.1f} s)", flush=True)
        own = dict(item.split("=") for item in out[-1].split())
        return float(own["seconds"]), peak, float(own["cpu"])
    return wall, peak, cpu


def parsed_pages(seeds: Path) -> Iterator[list[Any]]:
    """The article drafts of each readable page, in path order."""
    from builders.parse.page import parse_page
    from builders.read.decode import Page, read_page

    for path in sorted(seeds.glob("*.txt")):
        page = read_page(path, seeds)
        if isinstance(page, Page):
            yield parse_page(page.text, page.source_file, page.sha256).articles


def jieba_floor(seeds: Path) -> None:
    """Python jieba.lcut over the bodies and title lines of every page (child process entry)."""
    from builders.segment.tokenizer import jieba_tokenizer

    texts = []
    for drafts in parsed_pages(seeds):
        texts += [d.body for d in drafts] + ["\n".join(line for d in drafts for line in d.title_lines)]
    loaded = jieba_tokenizer()
    assert loaded.tokenizer is not None  # Python jieba's own tokenizer, made before the clock starts
    lcut = loaded.lcut  # jieba.Tokenizer.lcut(text, HMM=True), user dictionary loaded
    started, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        lcut(text)
    print(f"seconds={time.perf_counter() - started:.3f} cpu={time.process_time() - cpu:.3f}")


def naive(seeds: Path, out: Path) -> None:
    """Read, parse, jieba.lcut, one DataFrame, one to_parquet (child process entry)."""
    import pandas as pd

    from builders.segment.tokenizer import jieba_tokenizer

    lcut = jieba_tokenizer().lcut
    rows = [{**d.model_dump(mode="json"), "tokens": lcut(d.body)} for drafts in parsed_pages(seeds) for d in drafts]
    pd.DataFrame(rows).to_parquet(out / "naive.parquet")


STAGES = [
    ("builders.pipeline", "read_seed", "read"),
    ("builders.pipeline", "parse_page", "parse"),
    ("builders.pipeline", "enrich_page", "enrich: the rest (page facts, glue)"),
    ("builders.enrich.page", "cut", "enrich: segmentation"),
    ("builders.enrich.officials", "cut", "enrich: segmentation"),
    ("builders.segment.tokenizer", "_load", "start-up: loading jieba"),
    ("builders.enrich.page", "officials_and_listed", "enrich: officials"),
    ("builders.enrich.page", "keywords", "enrich: keywords"),
    ("builders.enrich.page", "token_persons", "enrich: persons, places, organizations"),
    ("builders.enrich.page", "places", "enrich: persons, places, organizations"),
    ("builders.enrich.page", "organizations", "enrich: persons, places, organizations"),
    ("builders.enrich.page", "infer_year", "enrich: dates (year)"),
    ("builders.enrich.page", "infer_region", "enrich: region"),
    ("builders.enrich.page", "build_article", "enrich: Article records"),
    ("builders.release.records", "record_json", "validate: JSONL line"),
    ("builders.release.write.ShardWriter", "write", "write: JSONL, rows"),
    ("builders.release.write.ShardWriter", "_flush_rows", "write: Arrow tables, Parquet"),
    ("builders.release.write.ShardWriter", "close", "write: Arrow tables, Parquet"),
    ("builders.build", "sketch_shard", "reuse: sketching (in the shard tasks)"),
    ("builders.build", "mark_reuse", "reuse: the parent's pass"),
    ("builders.build", "write_records", "shards: the rest (plan, hashes, loop, stats)"),
    ("builders.build", "_build_in", "parent: card, Croissant, manifest, sums, publish"),
]
"""(module or class, function, stage) wrapped by ``--stages``; one stage may name several functions."""


def stage_shares(seeds: Path, out: Path) -> None:
    """A one-worker build of ``seeds`` in this process, CPU seconds per stage (child process entry)."""
    import importlib

    started = time.process_time()
    from builders.cli import main as xianbao
    from schema import Article

    exclusive: dict[str, float] = {"start-up: imports": time.process_time() - started}
    stack: list[float] = []

    def wrap(stage: str, fn: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            begun = time.process_time()
            stack.append(0.0)
            try:
                return fn(*args, **kwargs)
            finally:
                spent, inner = time.process_time() - begun, stack.pop()
                exclusive[stage] = exclusive.get(stage, 0.0) + spent - inner
                if stack:
                    stack[-1] += spent
        return timed

    for where, name, stage in STAGES:
        module, _, last = where.rpartition(".")
        owner = getattr(importlib.import_module(module), last) if last[0].isupper() else importlib.import_module(where)
        setattr(owner, name, wrap(stage, getattr(owner, name)))
    validate = Article.model_validate_json
    Article.model_validate_json = wrap("validate: model_validate_json", validate)  # type: ignore[method-assign]
    try:
        xianbao(["build", *build(seeds, out, "--workers", "1", "--no-cache")[2:], "-q", "--no-progress"],
                standalone_mode=False)
    finally:
        Article.model_validate_json = validate  # type: ignore[method-assign]
    total = time.process_time() - started
    exclusive["the rest (CLI, config, outside the stages)"] = total - sum(exclusive.values())
    print(f"one-worker build of {len(list(seeds.glob('*.txt')))} pages: {total:.2f} CPU s")
    print("| stage | CPU s | share |\n|---|---:|---:|")
    for stage, spent in sorted(exclusive.items(), key=lambda kv: -kv[1]):
        print(f"| {stage} | {spent:.2f} | {spent / total:.1%} |")


PAGES_PER_SHARD = ["--pages-per-shard", "100"]
"""Set by --pages-per-shard: shards must outnumber workers for the pool to help."""


def build(seeds: Path, out: Path, *extra: str) -> list[str]:
    """The command line of one build."""
    args = ["--seeds", str(seeds), "--out", str(out), "--release-version", "0.0.1", "--force", *PAGES_PER_SHARD, *extra]
    return [*XIANBAO, "build", *args]


def same_release(a: Path, b: Path) -> bool:
    """Byte-identical release folders."""
    ra, rb = next(a.glob("*/0.0.1")), next(b.glob("*/0.0.1"))
    files = sorted(p.relative_to(ra) for p in ra.rglob("*") if p.is_file())
    return files == sorted(p.relative_to(rb) for p in rb.rglob("*") if p.is_file()) and all(
        filecmp.cmp(ra / f, rb / f, shallow=False) for f in files
    )


def incremental(work: Path, seeds: Path, n: int) -> Measurement:
    """Warm a fresh cache with N pages, add 1%, time the rebuild (the cache of an earlier run would
    already hold the new pages: the rebuild would process none)."""
    grown = work / "grown"
    shutil.rmtree(grown, ignore_errors=True)
    shutil.rmtree(work / "cache", ignore_errors=True)
    shutil.copytree(seeds, grown, copy_function=os.link)
    cache = ["--cache-dir", str(work / "cache")]
    measure(build(grown, work / "incr", *cache))
    make_corpus(grown, n + max(1, n // 100))
    return measure(build(grown, work / "incr", *cache))


def cached(work: Path, seeds: Path) -> Measurement:
    """A two-worker build that fills a fresh cache, as a first build with the defaults does (the memo of
    verified pairs is kept and saved: its memory is in the peak)."""
    shutil.rmtree(work / "c2-cache", ignore_errors=True)
    return measure(build(seeds, work / OUT["cached-2"], "--workers", "2", "--cache-dir", str(work / "c2-cache")))


RUNS = ("jieba", "naive", "local-1", "local-2", "ray-2", "incr+1%", "cached-2")
OUT = {"local-1": "l1", "local-2": "l2", "ray-2": "r2", "cached-2": "c2"}
"""Release folder of each build run, under the corpus's work folder."""


PACKAGES = ("builders", "schema")


def precompile() -> None:
    """Byte-compile our packages into their ``__pycache__`` folders (a no-op for those up to date)."""
    root = HERE.parents[1]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *(str(root / p) for p in PACKAGES)], check=True,
                   stdout=subprocess.DEVNULL)


def best(measurements: list[Measurement]) -> Measurement:
    """The shortest wall time, the largest peak RSS and the least CPU time of repeated runs (the VM's timings vary)."""
    return min(m[0] for m in measurements), max(m[1] for m in measurements), min(m[2] for m in measurements)


def run(n: int, workdir: Path, runs: tuple[str, ...], repeat: int = 1) -> dict[str, Measurement]:
    """The measurements ``runs`` (names of :data:`RUNS`) for N pages, each ``repeat`` times."""
    work = workdir / f"n{n}"
    seeds = work / "seeds"
    make_corpus(seeds, n)
    me = [sys.executable, __file__]
    commands = {
        "jieba": lambda: measure([*me, "--child", "jieba", str(seeds)]),
        "naive": lambda: measure([*me, "--child", "naive", str(seeds), str(work)]),
        "local-1": lambda: measure(build(seeds, work / OUT["local-1"], "--workers", "1", "--no-cache")),
        "local-2": lambda: measure(build(seeds, work / OUT["local-2"], "--workers", "2", "--no-cache")),
        "ray-2": lambda: measure(build(seeds, work / OUT["ray-2"], "--engine", "ray", "--workers", "2", "--no-cache")),
        "incr+1%": lambda: incremental(work, seeds, n),
        "cached-2": lambda: cached(work, seeds),
    }
    results = {name: best([commands[name]() for _ in range(repeat)]) for name in RUNS if name in runs}
    for a, b in (("ray-2", "local-2"), ("local-1", "local-2"), ("cached-2", "local-2")):
        if a in results and b in results:
            same = same_release(work / OUT[a], work / OUT[b])
            print(f"N={n}: {a} output == {b} output: {same}", flush=True)
    return results


def table(n: int, seeds: Path, results: dict[str, Measurement]) -> str:
    """Rows of the report for N pages."""
    mb = sum(p.stat().st_size for p in seeds.glob("*.txt")) / 2**20
    rows = []
    for name, (seconds, rss, cpu) in results.items():
        pages = n + max(1, n // 100) if name == "incr+1%" else n
        rate = f"{pages / seconds:.1f} | {mb / seconds:.2f}"
        rows.append(f"| {n} | {name} | {seconds:.1f} | {cpu:.1f} | {rate} | {rss / 2**20:.0f} |")
    return "\n".join(rows)


def _ratio(name: str, value: float, target: float, at_most: bool) -> str:
    met = value <= target if at_most else value >= target
    return f"{name} = {value:.2f}x (target {'<=' if at_most else '>='} {target}x: {met})"


def targets(results: dict[int, dict[str, Measurement]]) -> list[str]:
    """The issue's targets that the runs made allow, each with its figure and whether it is met."""
    lines = []
    for n, r in results.items():
        wall = {name: m[0] for name, m in r.items()}
        cpu = {name: m[2] for name, m in r.items()}
        one, two, floor, naive, incr = (wall.get(k) for k in ("local-1", "local-2", "jieba", "naive", "incr+1%"))
        if one and two:
            lines.append(f"N={n}: " + _ratio("local-2 speed / local-1 (wall)", one / two, 1.8, False))
        for kind, times in (("wall", wall), ("CPU", cpu)):
            if times.get("local-1") and times.get("jieba"):
                lines.append(f"N={n}: " + _ratio(f"local-1 / jieba.lcut ({kind})", times["local-1"] / times["jieba"],
                                                 1.0, True))
            if times.get("local-1") and times.get("naive"):
                lines.append(f"N={n}: " + _ratio(f"local-1 speed / naive ({kind})", times["naive"] / times["local-1"],
                                                 2.0, False))
        if two and floor:
            lines.append(f"N={n}: 2 x local-2 / jieba.lcut = {2 * two / floor:.2f}x (both cores' time)")
        if one and incr:
            lines.append(f"N={n}: incr+1% / local-1 = {incr / one:.1%} (target < 10%: {incr / one < 0.1})")
        if naive and floor:
            naive_cpu = cpu["naive"] / cpu["jieba"]
            lines.append(f"N={n}: naive / jieba.lcut = {naive / floor:.2f}x (wall), {naive_cpu:.2f}x (CPU)")
    for name in ("local-2", "cached-2"):
        with_rss = [n for n in results if name in results[n]]
        if len(with_rss) > 1:
            small, large = min(with_rss), max(with_rss)
            ratio = results[large][name][1] / results[small][name][1]
            lines.append(f"peak RSS {name}, N={large} / N={small} = {ratio:.2f}x (target <= 1.25x: {ratio <= 1.25})")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, nargs="+", default=[1_000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/xianbao-bench"))
    parser.add_argument("--no-ray", action="store_true", help="leave out ray-2")
    parser.add_argument("--runs", nargs="+", choices=RUNS, default=list(RUNS), help="measurements [default: all]")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the shortest wall time is kept")
    parser.add_argument("--pages-per-shard", default="100", help="passed to xianbao build [default: 100]")
    parser.add_argument("--stages", type=int, metavar="N", help="CPU seconds by stage of a one-worker build of N pages")
    parser.add_argument("--no-precompile", action="store_true", help="do not byte-compile builders/ and schema/ first")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    PAGES_PER_SHARD[1] = args.pages_per_shard
    if args.child:
        kind, *paths = args.child
        children = {"jieba": jieba_floor, "naive": naive, "stages": stage_shares}
        children[kind](*map(Path, paths))
        return
    if not args.no_precompile:
        precompile()
    if args.stages:  # in a fresh process: making the corpus loads the parser and jieba
        work = args.workdir / f"stages{args.stages}"
        make_corpus(work / "seeds", args.stages)
        child = [sys.executable, __file__, "--child", "stages", str(work / "seeds"), str(work / "out")]
        subprocess.run(child, check=True)
        return
    lines = ["| pages | run | wall s | CPU s | pages/s | MB/s | peak RSS MiB |", "|---:|---|---:|---:|---:|---:|---:|"]
    every: dict[int, dict[str, Measurement]] = {}
    for n in args.pages:
        runs = tuple(r for r in args.runs if r != "ray-2" or not args.no_ray)
        every[n] = run(n, args.workdir, runs, args.repeat)
        lines.append(table(n, args.workdir / f"n{n}" / "seeds", every[n]))
        print("\n".join(lines), flush=True)
    print("\n".join(targets(every)), flush=True)


if __name__ == "__main__":
    main()
