"""Cost of the reuse pass in a whole build: ``xianbao build`` with and without ``--no-reuse``.

    python tests/benchmarks/bench_reuse_build.py --pages 2000 [--workers 2] [--pages-per-shard 100] [--repeat K]

Generates the pages (tests/benchmarks/corpus.py: 2-5 chunks of the seed pages per page, so
every chunk is reprinted on many pages -- large clusters, a hard case for the pass), builds
them with ``--no-cache`` (each build in its own process: wall time and peak RSS of the process
tree) with and without the pass, checks both releases validate, and prints the ratio (target at
10,000 pages: <= 1.25) and the release's reuse figures (records clustered, clusters).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from tests.benchmarks.bench_build import XIANBAO, measure  # noqa: E402
from tests.benchmarks.corpus import make_corpus  # noqa: E402


def build(seeds: Path, out: Path, workers: int, per_shard: int, reuse: bool) -> tuple[float, int, Path]:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [*XIANBAO, "build", "--seeds", str(seeds), "--out", str(out), "--no-cache", "--workers", str(workers),
           "--pages-per-shard", str(per_shard), *([] if reuse else ["--no-reuse"])]
    wall, peak = measure(cmd)
    release = next(out.glob("*/*"))
    subprocess.run([*XIANBAO, "validate", str(release)], check=True, capture_output=True)
    return wall, peak, release


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages-per-shard", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/xianbao-bench-reuse"))
    args = parser.parse_args(argv)
    seeds = args.workdir / f"seeds-{args.pages}"
    if not seeds.exists():
        make_corpus(seeds, args.pages)
    rows = []
    for _ in range(args.repeat):
        for reuse in (False, True):
            wall, peak, release = build(seeds, args.workdir / "out", args.workers, args.pages_per_shard, reuse)
            rows.append((reuse, wall, peak))
            print(f"{'with' if reuse else 'without'} reuse: {wall:.1f} s, peak RSS {peak / 2**20:.0f} MiB", flush=True)
    best = {flag: min(w for r, w, _ in rows if r == flag) for flag in (False, True)}
    records = [json.loads(line) for f in sorted((release / "jsonl").glob("*.jsonl")) for line in f.open()]
    clustered = [r for r in records if r["reuse"]["cluster"]]
    print(f"{args.pages} pages, {len(records)} records: {len(clustered)} clustered in "
          f"{len({r['reuse']['cluster'] for r in clustered})} clusters, "
          f"{sum(r['reuse']['kind'] == 'partial' for r in records)} partial")
    print(f"ratio with/without: {best[True] / best[False]:.2f} (target <= 1.25 at 10,000 pages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
