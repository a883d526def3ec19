"""Cost of the reuse pass in a whole build: ``xianbao build`` with and without ``--no-reuse``.

    python tests/benchmarks/bench_reuse_build.py --pages 2000 [--workers 2] [--pages-per-shard 100] [--repeat K]

Generates the pages (tests/benchmarks/corpus.py: 2-5 chunks of the seed pages per page, so
every chunk is reprinted on many pages -- large clusters, a hard case for the pass), builds
them with ``--no-cache`` (each build in its own process: wall time, CPU time of the build and
its workers -- steadier than wall time on a shared machine -- and peak RSS) with and without
the pass (``--validate``: and validates both releases), and prints the ratios (target at 10,000 pages: <= 1.25),
the release's reuse figures (records clustered, clusters) and the pass alone (CPU, articles/s).

    python tests/benchmarks/bench_reuse_build.py --incremental --pages 300

builds N pages in this process with a cold cache, then again with 1% more pages and the warm
cache, and prints for each build the CPU seconds of the build, of the pass in the parent
(``mark_reuse``) and of the records sketched (``sketch_rows``, with how many records), and how
many pair checks the pass made itself of those it used (the rest came from the memo of verified
pairs, :mod:`builders.reuse.memo`).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from tests.benchmarks.bench_build import XIANBAO, measure  # noqa: E402
from tests.benchmarks.corpus import make_corpus  # noqa: E402


def build(seeds: Path, out: Path, workers: int, per_shard: int, reuse: bool, validate: bool = False
          ) -> tuple[float, float, int, Path]:
    """Wall seconds, CPU seconds (the build and its workers), peak RSS, and the release folder."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [*XIANBAO, "build", "--seeds", str(seeds), "--out", str(out), "--no-cache", "--workers", str(workers),
           "--pages-per-shard", str(per_shard), *([] if reuse else ["--no-reuse"])]
    wall, peak, cpu = measure(cmd)
    release = next(p for p in out.glob("*/*") if p.is_dir() and not p.parent.name.startswith("."))
    if validate:
        subprocess.run([*XIANBAO, "validate", str(release)], check=True, capture_output=True)
    return wall, cpu, peak, release


def stage_alone(release: Path, seeds: Path, work: Path) -> float:
    """CPU seconds of :func:`mark_reuse` alone over a copy of a ``--no-reuse`` release."""
    from builders.release.config import BuildConfig
    from builders.release.write import WrittenShards
    from builders.reuse.stage import mark_reuse

    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(release, work)
    parquet = sorted(p.relative_to(work).as_posix() for p in (work / "data").glob("*.parquet"))
    jsonl = sorted(p.relative_to(work).as_posix() for p in (work / "jsonl").glob("*.jsonl"))
    counts = [sum(1 for _ in (work / j).open()) for j in jsonl]
    shards = WrittenShards(parquet, jsonl, counts, sum(counts))
    started = time.process_time()
    mark_reuse(work, shards, BuildConfig(seeds=seeds, cache=False))  # no memo of verified pairs: a clean pass
    return time.process_time() - started


def incremental(pages: int, work: Path) -> None:
    """Cold build of ``pages`` pages, then a warm one with 1% more: CPU of the build, the pass, the sketching."""
    from builders.build import build_release
    from builders.release.config import BuildConfig
    from builders.reuse import sketch, stage
    from builders.reuse.memo import Verifier
    from tests.conftest import META

    shutil.rmtree(work, ignore_errors=True)
    seeds, spent = work / "seeds", {"pass": 0.0, "sketch": 0.0, "sketched": 0, "verified": 0, "remembered": 0}
    save = Verifier.save

    def counted(self: Verifier) -> None:
        spent["verified"], spent["remembered"] = self.verified, len(self.used)
        save(self)

    Verifier.save = counted  # type: ignore[method-assign]

    def timed(name: str, real: Any) -> Any:
        def run(*args: Any) -> Any:
            started = time.process_time()
            try:
                return real(*args)
            finally:
                spent[name] += time.process_time() - started
                if name == "sketch":
                    spent["sketched"] += len(args[0])
        return run

    sketch.sketch_rows = timed("sketch", sketch.sketch_rows)
    build_module = sys.modules["builders.build"]
    build_module.mark_reuse = timed("pass", stage.mark_reuse)  # type: ignore[attr-defined]
    for label, count in (("cold", pages), ("warm, +1% pages", pages + max(1, pages // 100))):
        make_corpus(seeds, count)
        spent.update({"pass": 0.0, "sketch": 0.0, "sketched": 0, "verified": 0, "remembered": 0})
        started = time.process_time()
        report = build_release(BuildConfig(seeds=seeds, out=work / label.split(",")[0], dataset=META, progress=False,
                                           cache=True, cache_dir=work / "cache", workers=1, pages_per_shard=100))
        total = time.process_time() - started
        print(f"{label}: {count} pages, {report.stats.records} records, build {total:.1f} s CPU, the pass "
              f"{spent['pass']:.1f} s, sketching {spent['sketch']:.1f} s ({spent['sketched']} records), checks made "
              f"{spent['verified']} of {spent['remembered']} pairs and stories used", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages-per-shard", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--validate", action="store_true", help="also run xianbao validate on each release")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/xianbao-bench-reuse"))
    parser.add_argument("--incremental", action="store_true", help="cold build, then warm with 1%% more pages")
    args = parser.parse_args(argv)
    if args.incremental:
        incremental(args.pages, args.workdir / "incremental")
        return 0
    seeds = args.workdir / f"seeds-{args.pages}"
    if not seeds.exists():
        make_corpus(seeds, args.pages)
    rows = []
    for _ in range(args.repeat):
        for reuse in (False, True):
            wall, cpu, peak, release = build(seeds, args.workdir / "out", args.workers, args.pages_per_shard, reuse,
                                             args.validate)
            rows.append((reuse, wall, cpu))
            print(f"{'with' if reuse else 'without'} reuse: {wall:.1f} s wall, {cpu:.1f} s CPU, "
                  f"peak RSS {peak / 2**20:.0f} MiB", flush=True)
    best = {flag: min(w for r, w, _ in rows if r == flag) for flag in (False, True)}
    cpu_best = {flag: min(c for r, _, c in rows if r == flag) for flag in (False, True)}
    records = [json.loads(line) for f in sorted((release / "jsonl").glob("*.jsonl")) for line in f.open()]
    clustered = [r for r in records if r["reuse"]["cluster"]]
    print(f"{args.pages} pages, {len(records)} records: {len(clustered)} clustered in "
          f"{len({r['reuse']['cluster'] for r in clustered})} clusters, "
          f"{sum(r['reuse']['kind'] == 'partial' for r in records)} partial")
    print(f"ratio with/without: wall {best[True] / best[False]:.2f}, CPU {cpu_best[True] / cpu_best[False]:.2f} "
          "(target <= 1.25 at 10,000 pages)")
    plain = build(seeds, args.workdir / "out", args.workers, args.pages_per_shard, False)[3]
    seconds = stage_alone(plain, seeds, args.workdir / "stage")
    print(f"the pass alone on that release: {seconds:.1f} s of CPU, {len(records) / seconds:.0f} articles/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
