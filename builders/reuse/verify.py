"""Verify a candidate pair exactly: 5-gram overlap of the whole texts, and shared passages.

- *reprint*: the shorter text's 5-grams are mostly (``REPRINT_CONTAINMENT``) in the longer
  one and it is not a small part of it (``MIN_LENGTH_RATIO``): cut, retitled, re-led or
  lightly edited copies of one story; or, for a copy edited harder (cut, its first sentence
  rewritten, a paragraph of its own added, typos), it *keeps its opening*: the text it shares
  with the other starts in its first paragraph, within its first sentence or two (``EMBEDDED``),
  and covers ``REPRINT_COVERAGE`` of it in runs whose typos are closed (a typo changes a
  character, not a passage);
- *quote*: a shorter record whose shared text starts after its first paragraph and ends before its
  last (a report's own opening and closing paragraphs around the quoted ones) is no reprint;
- *embedded*: a pair that passes as a reprint but whose shared text sits inside the longer
  record's own text (``EMBEDDED`` characters of it before and after, or its first and last
  paragraphs its own) is a local report quoting a passage, unless the longer record is itself a
  reprint of something else (a cut copy that kept middle paragraphs of a story printed whole
  elsewhere): editors cut a reprint from the bottom, so a reprint keeps the story's opening, and
  a quote carries it in the middle, in paragraphs of its own;
- *story*: a record left alone whose text is mostly found in several members of one cluster
  taken together (cut copies that kept different paragraphs) reprints that story;
- *shared passage*: a run of the text covered by 5-grams found in the other, gaps of up
  to ``GAP`` characters (typos, changed words) closed, at least ``MIN_PASSAGE`` normalised
  characters long (~150 characters of printed text), made mostly of non-formulaic anchors.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from builders.reuse.normalize import Normalized
from builders.reuse.shingles import Hashes, K, anchor_mask

REPRINT_CONTAINMENT = 0.7
REPRINT_COVERAGE = 0.6
"""Share of a copy that keeps its opening covered by runs shared with the other (typos closed)."""
MAX_OWN_PLACES = 2
"""Places (an added paragraph, an own closing) where a copy that keeps its opening may print its own text
between or after the runs it shares: an edited reprint keeps the story in long runs broken in one or two
places, a template report puts its own sentence after every formula."""
TYPO = 6
"""Characters a typo or a changed word leaves unmatched in a run (two typos close together included); more
is text of the record's own (a short sentence)."""
MIN_LENGTH_RATIO = 0.4
MIN_PASSAGE = 120
"""Normalised characters (punctuation and spaces removed) of a reused passage: ~150 printed."""
MIN_PIECE = 40
"""Shortest piece of a shared passage (a quote may join pieces of its source)."""
LONG_RUN = 2 * MIN_PIECE
"""Normalised characters (~100 printed: a paragraph) of the longest stretch, typos aside, that a copy that keeps
its opening shares: an edited reprint keeps paragraphs of the story whole, a template report shares formulas a
sentence long."""
MIN_REPRINT_SPAN = 20
"""Shortest shared run reported as a span between two reprints."""
GAP = 12
MIN_COVERED = 0.8
"""Share of a passage's characters covered by shared k-grams (the rest: closed gaps)."""
MIN_COMMON = 60
"""Shared distinct k-grams below which no passage of MIN_PASSAGE characters can be covered."""
MAX_FORMULAIC_SHARE = 0.5
"""A shared passage most (more than this share) of whose anchors are formulaic shingles
(会议强调, page furniture) is no evidence of reuse."""
EMBEDDED = 60
"""Normalised characters (~75 printed: a sentence or two) of its own text that the longer record of a
pair prints both before and after the text it shares with the shorter one, for the pair to be a quote
rather than a reprint (best of 20-120 on configuration ``a``, seeds 1, 2 and the development pages)."""

OWN_PARAGRAPH = 40
"""Normalised characters (~50 printed) of its own text before or after what it shares that make a shorter
record's own first or last paragraph a paragraph of a report quoting the story, not an editor's intro or
closing sentence around a reprint (30 and 40 equal on configuration ``a``: seeds 1, 2, 7, the dev pages
seed 7, dev2020 seed 3; ``EMBEDDED``, 60, lets a quote of a story's opening through on dev2020 seed 3;
40 taken, so longer intro sentences stay reprint edits)."""


@dataclass(frozen=True)
class Evidence:
    """One record's text as the verifier needs it."""

    where: npt.NDArray[np.int32]
    """Body offset of each normalised character (the code points themselves are not kept)."""
    hashes: Hashes
    """k-gram hash at each normalised position."""
    breaks: npt.NDArray[np.int32]
    """Normalised position where each paragraph after the first begins."""
    distinct: Hashes
    """Sorted distinct hashes."""
    inverse: npt.NDArray[np.int32]
    """Position of each k-gram's hash in ``distinct``: what is known of the distinct hashes is known
    of every position by one gather (binary searches of sorted values are the fast ones)."""

    @classmethod
    def of(cls, norm: Normalized, hashes: Hashes) -> Evidence:
        return cls(norm.where, hashes, norm.breaks, *distinct_inverse(hashes))

    def __len__(self) -> int:
        """Normalised characters."""
        return len(self.hashes) + K - 1 if len(self.hashes) else 0


def distinct_inverse(hashes: Hashes) -> tuple[Hashes, npt.NDArray[np.int32]]:
    """Sorted distinct values and the index of each value among them (faster than ``np.unique``)."""
    if not len(hashes):
        return hashes, np.zeros(0, dtype=np.int32)
    order = hashes.argsort()  # the methods, not numpy's module functions: no wrapper call on each of ~11,000 records
    ordered = hashes[order]
    new = np.empty(len(ordered), dtype=bool)
    new[0], new[1:] = True, ordered[1:] != ordered[:-1]
    inverse = np.empty(len(hashes), dtype=np.int32)
    inverse[order] = new.cumsum() - 1
    return ordered[new], inverse


def overlap(a: Evidence, b: Evidence) -> tuple[int, float]:
    """``(shared, containment)``: distinct 5-grams the two records share, and their share of the smaller set."""
    if not len(a.distinct) or not len(b.distinct):
        return 0, 0.0
    common = int(contains(b.distinct, a.distinct).sum())
    return common, common / min(len(a.distinct), len(b.distinct))


def contains(sorted_set: Hashes, values: Hashes) -> npt.NDArray[np.bool_]:
    """Which of ``values`` are in ``sorted_set`` (binary search: no sort of either)."""
    return found_at(sorted_set, values)[0]


def found_at(sorted_set: Hashes, values: Hashes) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
    """:func:`contains`, and the index in ``sorted_set`` of each value found there (where it would go, for
    the others): what is known of the set's values is then known of the found ones by one gather."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool), np.zeros(len(values), dtype=np.intp)
    place = sorted_set.searchsorted(values)
    return np.asarray(sorted_set.take(place, mode="clip") == values), place


@dataclass(frozen=True)
class Verdict:
    """The reprint check of a pair."""

    common: int
    containment: float
    reprint: bool
    holder: int | None
    """0 or 1: which of the pair holds the other inside its own text (when ``reprint``)."""
    opening: int | None = None
    """0 or 1: the shorter of the pair when it is a reprint only by keeping its opening (not by
    containment): its shared text must not be formulaic (:func:`~builders.reuse.detect.verify_pairs`)."""


Runs = list[tuple[int, int]]
RunsOf = Callable[[int, "npt.NDArray[np.bool_] | None"], Runs]
"""``runs(i, found)``: the runs of record ``i`` of a pair (0 or 1) shared with the other; ``found``, when given,
says which of its k-grams the other has, by position (the caller computes the runs from it, or takes them
from its cache)."""


def verdict(a: Evidence, b: Evidence, runs: RunsOf | None = None) -> Verdict:
    """Overlap, reprint verdict and holder of a pair: see the module docstring. ``runs(0, found)``: the runs of
    ``a``'s text shared with ``b`` (:func:`shared_runs`, ``MIN_REPRINT_SPAN``), ``runs(1, found)`` the other way
    (a caller that needs them again passes them from its cache; ``found``: see :data:`RunsOf`)."""
    if runs is None:
        runs = lambda i, found: _pair_runs((a, b)[i], (b, a)[i], found)  # noqa: E731
    if not len(a.distinct) or not len(b.distinct):
        return Verdict(0, 0.0, False, None)
    shorter, longer = (0, 1) if len(a.distinct) < len(b.distinct) else (1, 0)
    x, y = (a, b)[shorter], (a, b)[longer]
    found, place = found_at(y.distinct, x.distinct)  # place: which of y's k-grams x has (_found_back)
    common = int(np.count_nonzero(found))
    containment = common / len(x.distinct)
    no = Verdict(common, containment, False, None)
    if len(x.distinct) < MIN_LENGTH_RATIO * len(y.distinct):
        return no
    opening = containment < REPRINT_CONTAINMENT
    if opening and common < MIN_COMMON:
        return no
    at = found[x.inverse]
    own = runs(shorter, at)

    @functools.cache  # asked for by quotes and by _inside: made once
    def y_runs() -> Runs:
        return runs(longer, _found_back(y, place[found]))

    if (opening and not keeps_opening(x, own, at)) or quotes(x, own, y, y_runs):
        return no
    return Verdict(common, containment, True, longer if _inside(y, y_runs()) else None,
                   shorter if opening else None)


def _found_back(y: Evidence, hits: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
    """Which of ``y``'s k-grams the other of a pair has, by position, from ``hits``: the indices in
    ``y.distinct`` of the other's distinct hashes found there (the other way round needs no second search)."""
    held = np.zeros(len(y.distinct), dtype=bool)
    held[hits] = True
    return held[y.inverse]


def _pair_runs(x: Evidence, y: Evidence, found: npt.NDArray[np.bool_] | None) -> Runs:
    """:func:`shared_runs` of ``x`` with ``y`` (``MIN_REPRINT_SPAN``), from ``found`` when it is given."""
    return runs_of(found) if found is not None else shared_runs(x, y, MIN_REPRINT_SPAN)


def keeps_opening(x: Evidence, runs: Runs, found: npt.NDArray[np.bool_]) -> bool:
    """True when the runs of ``x`` found elsewhere start in its first paragraph, within ``EMBEDDED``
    characters (a rewritten first sentence), leave its own text in at most ``MAX_OWN_PLACES`` places after
    that and share one stretch of ``LONG_RUN`` characters at least (:func:`own_places`; ``found``: which of
    its k-grams the other has) and cover
    ``REPRINT_COVERAGE`` of it: a copy edited harder than containment allows, not a quote, nor a report
    written to a template (its own sentences after each formula)."""
    if not runs or runs[0][0] >= _opening(x):
        return False
    places, longest = own_places(x, runs, found)
    if longest < LONG_RUN or places > MAX_OWN_PLACES:
        return False
    return sum(e - s for s, e in runs) >= REPRINT_COVERAGE * len(x)


def own_places(x: Evidence, runs: Runs, found: npt.NDArray[np.bool_]) -> tuple[int, int]:
    """``(places, longest)``: places after its opening where ``x`` prints more than ``TYPO`` characters of its
    own between the k-grams of the ``runs`` it shares (``found``: which of its k-grams the other has; a
    short sentence of its own inside a run whose gaps were closed counts) or more than ``K`` after them (a
    typo in the last characters leaves at most ``K`` of them out of the last run), and the longest stretch
    of the runs with no such place in it (typos only)."""
    at = found.nonzero()[0]
    starts = np.array([s for s, _ in runs])
    ends = np.array([e for _, e in runs])
    run = starts.searchsorted(at, side="right") - 1
    at = at[(run >= 0) & (at <= ends[run.clip(0)] - K)]
    cut = (np.diff(at) > K + TYPO).nonzero()[0]
    first, last = np.concatenate([[0], cut + 1]), np.concatenate([cut, [len(at) - 1]])
    return len(cut) + (len(x) - runs[-1][1] > K), int((at[last] - at[first]).max()) + K


def quotes(x: Evidence, runs: Runs, y: Evidence, y_runs: Callable[[], Runs]) -> bool:
    """True when the ``runs`` of ``x`` (shared with ``y``) sit between its own first and last paragraphs
    (:func:`between_own_paragraphs`) and either leave ``OWN_PARAGRAPH`` characters of its own before or
    after them (a paragraph of its own) or carry ``y``'s text from after its opening (``y_runs()``: the runs of
    ``y`` shared with ``x``): a report quoting a passage; a copy of the story's opening with an intro
    (近日，我县…) and a closing (大家纷纷表示…) of the paper's own, a sentence each, is a reprint."""
    if not between_own_paragraphs(x, runs):
        return False
    if runs[0][0] >= OWN_PARAGRAPH or len(x) - runs[-1][1] >= OWN_PARAGRAPH:
        return True
    shared = y_runs()
    return not shared or shared[0][0] >= _opening(y)


def _opening(x: Evidence) -> int:
    """Where a text that keeps its opening must start sharing by: within its first paragraph and its
    first ``EMBEDDED`` characters (a rewritten first sentence)."""
    return min(EMBEDDED, int(x.breaks[0]) if len(x.breaks) else len(x))


def between_own_paragraphs(x: Evidence, runs: Runs) -> bool:
    """True when the runs of ``x`` start after its first paragraph and end before its last: the
    paragraphs of a quote between a report's own opening and closing ones, not a reprint (which keeps
    its opening, an editor's first sentence at most)."""
    return bool(runs) and bool(len(x.breaks)) and runs[0][0] >= x.breaks[0] and runs[-1][1] <= x.breaks[-1]


def _inside(x: Evidence, runs: Runs) -> bool:
    """True when the runs of ``x`` leave ``EMBEDDED`` characters of it before and after, or sit between
    its own first and last paragraphs."""
    if not runs:
        return False
    return (runs[0][0] >= EMBEDDED and len(x) - runs[-1][1] >= EMBEDDED) or between_own_paragraphs(x, runs)


def covered_by(a: Evidence, others: list[Evidence]) -> bool:
    """True when the ``others`` taken together hold ``a`` as one of them would hold a reprint
    (``REPRINT_CONTAINMENT`` of its distinct k-grams, or its opening kept: :func:`keeps_opening`)
    and the text they cover does not sit inside ``a``'s own (a quote of their story)."""
    if not len(a.distinct) or not others:
        return False
    union = np.unique(np.concatenate([o.distinct for o in others]))
    found = contains(union, a.distinct)
    runs = _runs(found[a.inverse], MIN_REPRINT_SPAN)
    if float(found.mean()) < REPRINT_CONTAINMENT and not keeps_opening(a, runs, found[a.inverse]):
        return False
    return not _inside(a, runs) and not _one_member_holds(a, others)


def _one_member_holds(a: Evidence, others: list[Evidence]) -> bool:
    """True when one of ``others`` alone holds ``a`` (``REPRINT_CONTAINMENT``) and the rest hold little
    of it (under half that): the pair's own verdict stands, the story adds nothing (a short story
    printed after a cut copy of another is not that other story)."""
    for i, other in enumerate(others):
        if float(contains(other.distinct, a.distinct).mean()) < REPRINT_CONTAINMENT:
            continue
        rest = [o.distinct for j, o in enumerate(others) if j != i]
        held = float(contains(np.unique(np.concatenate(rest)), a.distinct).mean()) if rest else 0.0
        if held < REPRINT_CONTAINMENT / 2:
            return True
    return False


def _runs(found: npt.NDArray[np.bool_], min_len: int) -> list[tuple[int, int]]:
    """Half-open runs of the text covered by the found k-grams (a k-gram at ``p`` covers ``p`` to
    ``p + K``), gaps of at most GAP closed, at least ``min_len`` long and ``MIN_COVERED`` covered.

    Computed on the found positions, not character by character: a text has hundreds of short
    runs and few long ones."""
    at = found.nonzero()[0]
    if not len(at):
        return []
    step = at[1:] - at[:-1]
    breaks = (step > K + GAP).nonzero()[0]
    first, last = np.empty(len(breaks) + 1, dtype=np.intp), np.empty(len(breaks) + 1, dtype=np.intp)
    first[0], first[1:], last[:-1], last[-1] = 0, breaks + 1, breaks, len(at) - 1
    starts, ends = at[first], at[last] + K
    long = (ends - starts >= min_len).nonzero()[0]
    if not len(long):
        return []
    covered = np.empty(len(at), dtype=np.int64)
    covered[0] = 0
    np.minimum(step, K).cumsum(out=covered[1:])
    first, last = first[long], last[long]
    return [(s, e) for s, e, c in zip(at[first].tolist(), (at[last] + K).tolist(),
                                      (covered[last] - covered[first] + K).tolist(), strict=True)
            if c / (e - s) >= MIN_COVERED]


def runs_of(found: npt.NDArray[np.bool_]) -> Runs:
    """Runs of at least ``MIN_REPRINT_SPAN`` of a text of which ``found`` says which k-grams the other has."""
    return _runs(found, MIN_REPRINT_SPAN)


def shared_runs(a: Evidence, b: Evidence, min_len: int) -> list[tuple[int, int]]:
    """Runs of ``a``'s normalised text covered by k-grams that ``b`` has too."""
    if not len(a.hashes) or not len(b.hashes):
        return []
    return _runs(contains(b.distinct, a.distinct)[a.inverse], min_len)


def run_anchors(a: Evidence, start: int, end: int) -> Hashes:
    """The anchors (with repeats) of the k-grams of the normalised run ``start:end`` of ``a``."""
    hashes = a.hashes[start:max(start, end - K + 1)]
    return hashes[anchor_mask(hashes)]


def body_spans(where: npt.NDArray[np.int32], runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Normalised runs -> half-open character ranges of the body."""
    return [(int(where[s]), int(where[e - 1]) + 1) for s, e in runs]
