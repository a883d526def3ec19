"""Benchmark ``xianbao review``: a release of N generated pages, and the same N page files.

    python tests/benchmarks/bench_review.py [--pages 1000] [--keep DIR]

Generates N pages (tests/benchmarks/corpus.py), builds their release (not timed), then
times, each as its own ``xianbao review`` process (start-up included):

- ``release``: the release folder (records read from JSONL, pages from the seeds, parsed again);
- ``pages``: the seeds folder (every page parsed and enriched on the fly);

and prints wall and CPU seconds (all processes: the machine may be shared), pages/s and
the site's size, then the targets (< 30 s, < 50 MB at 1,000 pages).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from tests.benchmarks.corpus import make_corpus  # noqa: E402

XIANBAO = str(Path(sys.executable).with_name("xianbao"))
MAX_SECONDS, MAX_MB = 30.0, 50.0


def run(*args: str) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, every process) of one xianbao command."""
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run([XIANBAO, *args], check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - started, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--keep", type=Path, default=None, help="Work and keep files here.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        seeds = work / "seeds"
        seeds.mkdir(parents=True, exist_ok=True)
        make_corpus(seeds, args.pages)
        text_mb = size_mb(seeds)
        print(f"{args.pages} pages, {text_mb:.1f} MB of text; building the release (not timed) ...", flush=True)
        run("build", "--seeds", str(seeds), "--out", str(work / "dist"), "--release-version", "0.0.1", "--force",
            "--pages-per-shard", "250")
        release = next((work / "dist").glob("*/0.0.1"))
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print("| input | pages | wall s | CPU s | pages/s | site MB | files | target |")
        print("|---|---:|---:|---:|---:|---:|---:|---|")
        for name, source in (("release", release), ("pages", seeds)):
            out = work / f"site-{name}"
            seconds, cpu = run("review", str(source), "--out", str(out))
            mb, n_files = size_mb(out), sum(1 for p in out.rglob("*") if p.is_file())
            ok = seconds < MAX_SECONDS and mb < MAX_MB
            print(f"| {name} | {args.pages} | {seconds:.1f} | {cpu:.1f} | {args.pages / seconds:.0f} | {mb:.1f} | "
                  f"{n_files} | {'yes' if ok else 'NO'}: < {MAX_SECONDS:.0f} s, < {MAX_MB:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
