"""Verified pairs remembered between builds, keyed by the content of their two records.

Everything :func:`~builders.reuse.detect.verify_pairs` learns of a pair (overlap, the reprint
verdict, which side holds the other inside its own text, the shared spans, the pieces of a shared
passage with their anchors) is a function of the two bodies alone, so an incremental build reuses
it for every pair whose two records are unchanged and verifies only the pairs touching new or
changed records. What depends on the whole release (the formulaic anchors, the clusters) is applied
afresh each time, so the output is the bytes of a clean build (tested). The file
``<cache>/<pipeline version[:16]>/reuse/pairs.memo`` (beside the pages' sketches) holds the pairs
the last build used: a header, a SHA-256 of the payload and a :mod:`marshal` dump of plain values
(no code is run to read it); a missing, stale or damaged file is an empty memo.

In memory (and in the file) a pair's facts are 19 packed bytes under its key (~165 bytes a pair with
the key and the dict's slot, ~350 as a list holding a tuple); the few pairs whose spans or pieces are
asked for have a second entry with them.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import os
import struct
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from builders.reuse.verify import (
    MIN_PIECE,
    MIN_REPRINT_SPAN,
    Evidence,
    Runs,
    body_spans,
    contains,
    covered_by,
    overlap,
    run_anchors,
    runs_of,
    shared_runs,
    verdict,
)

log = logging.getLogger("xianbao")

HEADER = b"xianbao reuse pairs 4\n"
RUNS_CACHE = 1 << 16
"""Ordered pairs whose shared runs are kept while the pairs are verified (a few MB)."""
FILE = "pairs.memo"
Piece = tuple[int, int, int, bytes]
"""A piece of a shared passage: body start, body end, normalised length, its anchors (uint64 bytes)."""
Entry = list[Any]
"""``[spans lo->hi, spans hi->lo, pieces lo->hi, pieces hi->lo]``, None where not yet known; of a story
check (key ``b"S"`` + the keys of the record and the members): ``[member, containment]``, -1 for none."""
FACTS = struct.Struct("<qd3b")
"""Packed facts of a pair: common, containment, reprint, holder and opening (-1 for None), lower index first."""


@dataclass
class Remembered:
    """What a memo holds: packed facts by pair key, and the pairs' other entries (and story checks)."""

    facts: dict[bytes, bytes] = field(default_factory=dict)
    extra: dict[bytes, Entry] = field(default_factory=dict)

    def __len__(self) -> int:
        """Pairs and story checks remembered (a pair with spans or pieces has an entry in both dicts)."""
        return len(self.facts.keys() | self.extra.keys())


@dataclass(frozen=True)
class Facts:
    """What the first check of a pair finds."""

    common: int
    containment: float
    reprint: bool
    holder: int | None
    """0 or 1: which of the pair (in index order) holds the other inside its own text."""
    opening: int | None = None
    """0 or 1: which of the pair (in index order) is a reprint of the other only by keeping its opening
    (:attr:`~builders.reuse.verify.Verdict.opening`)."""


KEY_BYTES = 16


def content_key(body: bytes | memoryview) -> bytes:
    """The ``KEY_BYTES``-byte key of a record's body (UTF-8)."""
    return hashlib.blake2b(body, digest_size=KEY_BYTES).digest()


@dataclass
class Verifier:
    """The exact checks on record indices; with ``keys`` (one per record) and ``path`` each is remembered
    under the content of the records it reads, and loaded from / saved to ``path`` (keys without a path
    are dropped: a build without a cache would hold ~350 bytes a verified pair for nothing)."""

    ev: Callable[[int], Evidence]
    keys: Sequence[bytes] | None = None
    path: Path | None = None
    old: Remembered = field(default_factory=Remembered)
    used: Remembered = field(default_factory=Remembered)
    verified: int = 0
    """Checks made here (not found in the memo)."""
    shared: OrderedDict[tuple[int, int], Runs] = field(default_factory=OrderedDict)
    """Runs of one record's text shared with another's, by ordered pair: the reprint check, the spans and
    the pieces of a passage are all cut from them (the last ``RUNS_CACHE`` computed kept, oldest dropped
    first in O(1), not in the memo file)."""

    def __post_init__(self) -> None:
        if self.path is None:
            self.keys = None
        elif self.keys is not None:
            self.old = load(self.path)

    def _key(self, a: int, b: int) -> bytes | None:
        """The key of the pair (either order), None when nothing is remembered."""
        if self.keys is None:
            return None
        return self.keys[min(a, b)] + self.keys[max(a, b)]

    def _entry(self, a: int, b: int) -> tuple[Entry, bool]:
        """The other entry of the pair (spans, pieces) and whether ``a`` is its second record."""
        key = self._key(a, b)
        if key is None:
            return [None] * 4, a > b
        entry = self.used.extra.get(key)
        if entry is None:
            entry = self.used.extra[key] = self.old.extra.get(key) or [None] * 4
        return entry, a > b

    def prefetch(self, pairs: npt.NDArray[np.int64]) -> None:
        """Make at once the evidence of the records of ``pairs`` (the caller's pairs not yet joined) whose facts
        are not known (neither used nor in the old memo), when ``ev`` can
        (:class:`~builders.reuse.evidence.EvidenceCache`)."""
        prefetch = getattr(self.ev, "prefetch", None)
        if prefetch is None:
            return
        if self.keys is None:  # nothing is known: every record of the pairs, in order
            prefetch(pairs.ravel().tolist())
            return
        wanted: list[int] = []
        for a, b in zip(pairs[:, 0].tolist(), pairs[:, 1].tolist(), strict=True):
            if not self._known(a, b):
                wanted += (a, b)
        prefetch(wanted)

    def _known(self, a: int, b: int) -> bool:
        """True when the facts of the pair are in the old memo (read only: nothing is marked used; a candidate
        pair comes once, so the pairs ahead are not among those verified here)."""
        key = self._key(a, b)
        return key is not None and key in self.old.facts

    def facts(self, a: int, b: int) -> Facts:
        """Overlap, reprint verdict, holder and opening copy of the pair (0 for ``a``, 1 for ``b``, in
        either call order: the entry keeps them for the lower index first)."""
        key = self._key(a, b)
        packed = None if key is None else self.used.facts.get(key) or self.old.facts.get(key)
        if packed is None:
            self.verified += 1
            lo, hi = min(a, b), max(a, b)
            found = verdict(self.ev(lo), self.ev(hi),
                            lambda i, at: self.runs(*((lo, hi) if i == 0 else (hi, lo)), at))
            packed = FACTS.pack(found.common, found.containment, found.reprint,
                                *(-1 if x is None else x for x in (found.holder, found.opening)))
        if key is not None:
            self.used.facts[key] = packed
        common, containment, reprint, *sides = FACTS.unpack(packed)
        holder, opening = (None if x < 0 else 1 - x if a > b else x for x in sides)
        return Facts(common, containment, bool(reprint), holder, opening)

    def reprint_spans(self, a: int, b: int) -> list[tuple[int, int]]:
        """Body ranges of ``a`` it shares with ``b`` (runs of at least ``MIN_REPRINT_SPAN``)."""
        entry, flipped = self._entry(a, b)
        slot = 1 if flipped else 0
        if entry[slot] is None:
            entry[slot] = body_spans(self.ev(a).where, self.runs(a, b))
        return list(entry[slot])

    def runs(self, a: int, b: int, at: npt.NDArray[np.bool_] | None = None) -> Runs:
        """Runs (normalised, at least ``MIN_REPRINT_SPAN``) of ``a``'s text shared with ``b``'s (``at``, when
        given: which of ``a``'s k-grams ``b`` has, by position; the runs are cut from it)."""
        found = self.shared.get((a, b))
        if found is None:
            found = runs_of(at) if at is not None else shared_runs(self.ev(a), self.ev(b), MIN_REPRINT_SPAN)
            if len(self.shared) >= RUNS_CACHE:
                self.shared.popitem(last=False)
            self.shared[(a, b)] = found
        return found

    def pieces(self, a: int, b: int) -> list[Piece]:
        """Runs of ``a``'s text covered by ``b``'s (at least ``MIN_PIECE``), before the formulaic check."""
        entry, flipped = self._entry(a, b)
        slot = 3 if flipped else 2
        if entry[slot] is None:
            ea = self.ev(a)
            runs = [(s, e) for s, e in self.runs(a, b) if e - s >= MIN_PIECE]
            spans = body_spans(ea.where, runs)
            entry[slot] = [(s, e, n_e - n_s, run_anchors(ea, n_s, n_e).tobytes())
                           for (s, e), (n_s, n_e) in zip(spans, runs, strict=True)]
        return list(entry[slot])

    def story(self, x: int, group: list[int]) -> tuple[int, float] | None:
        """The closest member of ``group`` and its containment when the members together cover ``x``
        (:func:`~builders.reuse.verify.covered_by`), else None."""
        key = None
        if self.keys is not None:
            key = b"S" + self.keys[x] + b"".join(self.keys[m] for m in group)
            found = self.used.extra.get(key) or self.old.extra.get(key)
            if found is not None:
                self.used.extra[key] = found
                return None if found[0] < 0 else (group[found[0]], found[1])
        self.verified += 1
        ex = self.ev(x)
        result = None
        if covered_by(ex, [self.ev(m) for m in group]):
            result = max(((m, overlap(ex, self.ev(m))[1]) for m in group), key=lambda mc: (mc[1], -mc[0]))
        if key is not None:
            self.used.extra[key] = [group.index(result[0]), result[1]] if result else [-1, 0.0]
        return result

    def save(self) -> None:
        """Write the entries this build used. It is a cache: a failed write (full disk, no permission)
        is logged as a warning, removes its partial file and leaves the old memo or none; the build
        goes on (its output does not depend on the memo)."""
        if self.keys is None or self.path is None:
            return
        payload = marshal.dumps((self.used.facts, self.used.extra))
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.partial")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(HEADER + hashlib.sha256(payload).digest() + payload)
            partial.replace(self.path)
        except OSError as error:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            log.warning("reuse memo %s not saved (%s): these pairs will be verified again", self.path, error)


def load(path: Path) -> Remembered:
    """The entries saved at ``path``; empty when missing or damaged."""
    try:
        data = path.read_bytes()
    except OSError:
        return Remembered()
    digest, payload = data[len(HEADER):len(HEADER) + 32], data[len(HEADER) + 32:]
    if not data.startswith(HEADER) or hashlib.sha256(payload).digest() != digest:
        return Remembered()
    try:
        facts, extra = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return Remembered()
    return Remembered(facts, extra) if isinstance(facts, dict) and isinstance(extra, dict) else Remembered()


def formulaic_piece(piece: Piece, formulaic: np.ndarray, share: float) -> bool:
    """True when more than ``share`` of a piece's anchors are formulaic."""
    marks = np.frombuffer(piece[3], dtype=np.uint64)
    return bool(len(marks)) and float(contains(formulaic, marks).mean()) > share
