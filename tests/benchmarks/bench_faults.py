"""Fault injection for ``xianbao build``: kills, a full disk, two builds at once (run on demand).

    python tests/benchmarks/bench_faults.py [--pages 2000] [--kills 20] [--fills 20] [--races 20] [--workdir DIR]

1. **Kills**: a build of ``--pages`` generated pages is killed (``kill -9`` of the build
   process only: its pool workers must die by themselves) at ``--kills`` moments spread
   over a build (half of them clean builds, half over the cache; half creating the
   release, half replacing another one with ``--force``), and the same build is started
   again at once. After the kill the release folder must hold the old release or the new
   one, each valid; the next build must succeed with the reference bytes.
2. **Full disk**: a build of 100 pages into a tmpfs of ``--fills`` sizes, from far too small
   to large enough (skipped where mounting is not allowed): it either succeeds with the
   reference bytes, or fails with exit 1 having published nothing.
3. **Races**: two builds into one ``--out`` (the second 0.05-1 s after the first),
   ``--races`` times: every build that exits 0 left a valid release with the reference
   bytes; the other one waited for nothing and said another build holds the lock.

Each scenario prints: releases that validate wrongly (must be 0), rebuilds that are
byte-identical (must be all), runs that left stray folders (must be 0) and, for kills,
workers that outlived their build (must be 0).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from builders.release.changelog import release_versions  # noqa: E402
from builders.release.config import load_dataset_meta  # noqa: E402
from builders.release.validate import validate_release  # noqa: E402
from tests.benchmarks.corpus import make_corpus  # noqa: E402

XIANBAO = str(Path(sys.executable).parent / "xianbao")
META = load_dataset_meta(ROOT / "pyproject.toml")
VERSION = "0.0.1"
KNOWN = {"CHANGELOG.md"}


@dataclass
class Tally:
    """Outcomes of one scenario."""

    name: str
    runs: int = 0
    wrong: int = 0
    identical: int = 0
    rebuilds: int = 0
    stray: int = 0
    orphans: int = 0
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.name}: {self.runs} runs; releases that validate wrongly: {self.wrong}; "
                f"byte-identical rebuilds: {self.identical}/{self.rebuilds}; runs leaving stray folders: "
                f"{self.stray}" + (f"; workers outliving their build: {self.orphans}" if self.name == "kills" else ""))


def command(seeds: Path, out: Path, *extra: str) -> list[str]:
    return [XIANBAO, "build", "--seeds", str(seeds), "--out", str(out), "--release-version", VERSION,
            "--pyproject", str(ROOT / "pyproject.toml"), "--pages-per-shard", "100", *extra]


def run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)


def release_dir(out: Path) -> Path:
    return out / META.name / VERSION


def tree_digest(folder: Path) -> str | None:
    """SHA-256 over the relative paths and bytes of every file; None when the folder is missing."""
    if not folder.is_dir():
        return None
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def stray(out: Path) -> list[str]:
    """Entries that no finished build should leave: staging folders, backups, temporary files."""
    dataset = out / META.name
    if not dataset.is_dir():
        return []
    versions = set(release_versions(dataset))
    return sorted(p.name for p in dataset.iterdir() if p.name not in versions | KNOWN)


def valid(folder: Path) -> bool:
    return validate_release(folder) == []


def check_release(tally: Tally, out: Path, allowed: set[str | None], label: str) -> None:
    """The release folder is absent or valid with one of the ``allowed`` tree digests."""
    folder = release_dir(out)
    digest = tree_digest(folder)
    if digest not in allowed or (digest is not None and not valid(folder)):
        tally.wrong += 1
        tally.notes.append(f"{label}: release {'invalid' if digest in allowed else 'neither old nor new'}")


def rebuild(tally: Tally, cmd: list[str], out: Path, reference: str, label: str) -> None:
    """The next build, at once: it must succeed with the reference bytes and leave nothing behind."""
    done = run(cmd)
    tally.rebuilds += 1
    folder = release_dir(out)
    if done.returncode == 0 and tree_digest(folder) == reference:
        tally.identical += 1
    else:
        tally.notes.append(f"{label}: rebuild exit {done.returncode}: {done.stderr.strip()[-300:]}")
    if done.returncode == 0 and not valid(folder):
        tally.wrong += 1
    if stray(out):
        tally.stray += 1
        tally.notes.append(f"{label}: stray {stray(out)}")


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    done = run(cmd)
    if done.returncode != 0:
        raise SystemExit(f"reference build failed: {done.stderr}")
    return time.perf_counter() - started


def kill_at(cmd: list[str], delay: float) -> int:
    """Start ``cmd``, kill -9 the build process after ``delay`` s; return how many of its workers outlive it."""
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(proc.pid)
    children: list[psutil.Process] = []
    deadline = time.perf_counter() + delay
    while time.perf_counter() < deadline and proc.poll() is None:
        try:
            children = parent.children(recursive=True) or children
        except psutil.NoSuchProcess:
            break
        time.sleep(0.02)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(0.5)
    return sum(1 for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE)


def kills(work: Path, seeds: Path, variant: Path, count: int) -> Tally:
    tally = Tally("kills")
    cache = ["--cache-dir", str(work / "cache")]
    ref_out = work / "ref"
    clean_seconds = timed(command(seeds, ref_out, *cache))  # an empty cache: a clean build that fills it
    cached_seconds = timed(command(seeds, ref_out, *cache))
    reference = tree_digest(release_dir(ref_out))
    out = work / "kill"
    run(command(variant, out, "--force", *cache))
    old = tree_digest(release_dir(out))
    print(f"  reference build {clean_seconds:.1f} s clean, {cached_seconds:.1f} s over the cache", flush=True)
    for i in range(count):
        clean, replace = i % 4 < 2, i % 2 == 1
        span = clean_seconds if clean else cached_seconds
        delay = 0.3 + (i // 4 + (i % 4) / 4 + 0.5) / max(1, (count + 3) // 4) * span
        label = f"kill {i} at {delay:.1f}s ({'clean' if clean else 'cached'}, {'--force' if replace else 'create'})"
        if replace:
            if tree_digest(release_dir(out)) != old:
                run(command(variant, out, "--force", *cache))
        else:
            shutil.rmtree(release_dir(out), ignore_errors=True)
        cmd = command(seeds, out, "--force", *(["--no-cache"] if clean else cache))
        before = (tally.wrong, tally.identical, tally.stray, tally.orphans)
        tally.runs += 1
        tally.orphans += kill_at(cmd, delay)
        check_release(tally, out, {reference, old if replace else None}, label)
        rebuild(tally, command(seeds, out, "--force", *cache), out, reference or "", label)
        after = (tally.wrong, tally.identical, tally.stray, tally.orphans)
        wrong, identical, strays, orphans = (b - a for a, b in zip(before, after, strict=True))
        print(f"  {label}: wrong {wrong}, identical rebuild {identical}, stray {strays}, orphans {orphans}",
              flush=True)
    return tally


def mount_tmpfs(folder: Path, kib: int) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs", str(folder)],
                          capture_output=True, check=False)
    return done.returncode == 0


def full_disk(work: Path, count: int) -> Tally:
    tally = Tally("full disk")
    seeds = work / "seeds-100"
    make_corpus(seeds, 100)
    ref_out = work / "ref-100"
    timed(command(seeds, ref_out))
    reference = tree_digest(release_dir(ref_out))
    need = sum(p.stat().st_size for p in ref_out.rglob("*") if p.is_file()) // 1024 + 64
    mnt = work / "mnt"
    for i in range(count):
        kib = max(16, need * (i + 1) * 6 // (5 * count))  # 6% .. 120% of what a build with its cache needs
        if not mount_tmpfs(mnt, kib):
            tally.notes.append("cannot mount a tmpfs here (needs root): full-disk runs skipped")
            break
        try:
            out = mnt / "out"
            done = run(command(seeds, out))
            tally.runs += 1
            digest = tree_digest(release_dir(out))
            if done.returncode == 0:
                tally.rebuilds += 1
                tally.identical += digest == reference
                tally.wrong += not valid(release_dir(out))
            elif digest is not None or "free space" not in done.stderr:
                tally.wrong += 1
                tally.notes.append(f"{kib} KiB: exit {done.returncode}, release left: {digest is not None}, "
                                   f"{done.stderr.strip()[-200:]}")
            changelog = out / META.name / "CHANGELOG.md"
            if changelog.exists() and (digest is None or not changelog.stat().st_size):
                tally.wrong += 1
                tally.notes.append(f"{kib} KiB: CHANGELOG.md without its release")
            if stray(out):
                tally.stray += 1
                tally.notes.append(f"{kib} KiB: stray {stray(out)}")
        finally:
            subprocess.run(["umount", str(mnt)], check=False)
    return tally


def races(work: Path, seeds: Path, count: int) -> Tally:
    tally = Tally("races")
    cache = ["--cache-dir", str(work / "cache")]
    reference = tree_digest(release_dir(work / "ref"))
    out = work / "race"
    for i in range(count):
        if i % 2 == 0:
            shutil.rmtree(release_dir(out), ignore_errors=True)
        gap = 0.05 + 0.95 * i / max(1, count - 1)
        first = subprocess.Popen(command(seeds, out, *cache), cwd=ROOT, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        time.sleep(gap)
        second = subprocess.Popen(command(seeds, out, *cache), cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        outcomes = [(p.wait(), *p.communicate()) for p in (first, second)]
        tally.runs += 1
        for code, _, err in outcomes:
            if code == 0:
                tally.rebuilds += 1
                tally.identical += tree_digest(release_dir(out)) == reference
            elif "another xianbao build" not in err:
                tally.notes.append(f"race {i}: exit {code}: {err.strip()[-200:]}")
        if not valid(release_dir(out)):
            tally.wrong += 1
        if stray(out):
            tally.stray += 1
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--fills", type=int, default=20)
    parser.add_argument("--races", type=int, default=20)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="xianbao-faults-"))
    seeds, variant = work / "seeds", work / "seeds-variant"
    make_corpus(seeds, args.pages)
    make_corpus(variant, args.pages - 1)
    tallies = []
    if args.kills:
        tallies.append(kills(work, seeds, variant, args.kills))
        print(tallies[-1].line(), flush=True)
    if args.races:
        if not (work / "ref").is_dir():
            timed(command(seeds, work / "ref", "--cache-dir", str(work / "cache")))
        tallies.append(races(work, seeds, args.races))
        print(tallies[-1].line(), flush=True)
    if args.fills:
        tallies.append(full_disk(work, args.fills))
        print(tallies[-1].line(), flush=True)
    print("\n== summary")
    for tally in tallies:
        print(tally.line())
        for note in tally.notes[:10]:
            print(f"  note: {note}")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
