"""A learned line labeller: which lines of a page open an article, are title lines, tips or body.

The rules of :mod:`builders.layout` type each line on its own; where a run of short,
unpunctuated lines sits (a new headline, a kicker, or a section subhead inside a feature)
depends on the lines around it. A linear-chain CRF (python-crfsuite) weighs that context:
it labels every line ``title-start``, ``title``, ``tip-label``, ``tip``, ``credit``,
``body``, ``body-continued`` or ``closing-credit`` from structural features only -- the
line's length, closing punctuation, markdown level, indentation, the rules' own kind and
the lead/credit/marker patterns, the same for the lines around it, and how much vocabulary
a line shares with its neighbours. No word of any page is a feature, so the model file
carries no newspaper text. Training: :mod:`builders.parse.train`.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from importlib import resources
from typing import NamedTuple, Protocol

from builders.parse import credits
from builders.parse.lines import Line, is_closed
from builders.parse.patterns import (
    BRACKET_ENDS,
    ENUMERATOR,
    LEAD,
    LEAD_OPENER,
    MARKER,
    NON_INITIAL,
    TITLE_NOTE,
    ends_with,
)

LABELS = ("title-start", "title", "tip-label", "tip", "credit", "body", "body-continued", "closing-credit")
MODEL = "lines.crfsuite"
"""The model shipped with the package (``builders/parse/models/``)."""
SHORT = 60
"""Longer lines are never title lines: the title-only patterns are not tried on them."""
SIZES = (2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 30, 40, 60, 100)
TAIL_BRACKET = re.compile(r"[(（][^()（）]{1,24}[)）]$")
COLON_END = re.compile(r"[:：]$")
DASH_START = re.compile(r"^[—–－-]{1,3}")
DASH_END = re.compile(r"[—–－-]{1,3}$")
BOX_START = re.compile(r"^[□■◇◆○●△▲☆★◎]")
NEIGHBOUR_KEYS = ("kind", "size", "end", "lead", "opener", "lv", "ind", "dash0", "dash1", "colon", "closed", "noninit")
FAR_KEYS = ("kind", "size", "end", "lead", "lv")
"""Features of the lines two before and two after (fewer: they matter less)."""


SIZE_NAMES = (*map(str, SIZES), "big")


def _size(n: int) -> str:
    """The first of :data:`SIZES` that ``n`` does not exceed, else ``big``."""
    return SIZE_NAMES[bisect.bisect_left(SIZES, n)]


END_CLASSES = {
    ch: name
    for name, chars in (
        ("stop", "。"),
        ("excl", "！？!?"),
        ("semi", "；;"),
        ("colon", "：:"),
        ("comma", "，,、"),
        ("quote", "”’」』\"'"),
        ("bracket", ")）】》"),
        ("dash", "—–－-"),
    )
    for ch in chars
}
"""The class of a line's last character, for the punctuation that has one."""
DASHES = ("—", "–", "－", "-")


def _end_class(text: str) -> str:
    if not text:
        return "none"
    ch = text[-1]
    name = END_CLASSES.get(ch)
    if name is not None:
        return name
    if "\u4e00" <= ch <= "\u9fff":
        return "han"
    return "digit" if ch.isdigit() else "other"


SAMPLE = 60
"""Characters from each end of a long line that stand for its vocabulary."""
COMMON = frozenset("的一是在了和有为这中不人我他大上们来个到说地也就要以时对会于与及等年月日，。、；：？！“”（）《》 ")
"""Characters too common to tell texts apart (particles, punctuation)."""


def _vocabulary(text: str) -> set[str]:
    """The characters of a line (a sample of both ends of a long one), common ones left out."""
    if len(text) > 2 * SAMPLE:
        text = text[:SAMPLE] + text[-SAMPLE:]
    found = set(text)
    found -= COMMON  # in place: no second set
    return found


def _overlap(a: set[str], b: set[str]) -> str:
    if not a or not b:
        return "none"
    share = len(a & b) / min(len(a), len(b))
    return "0" if share == 0 else "lo" if share < 0.1 else "mid" if share < 0.25 else "hi"


def line_features(line: Line, kind: str, indented: bool, blank_before: bool) -> dict[str, str]:
    """Structural features of one line (no words)."""
    folded = line.folded
    short = line.size <= SHORT
    return {
        "kind": kind,
        "size": _size(line.size),
        "end": _end_class(folded.rstrip()),
        "closed": str(is_closed(folded)),
        "stops": str(min(folded.count("。"), 3)),
        "commas": str(min(folded.count("，") + folded.count(","), 4)),
        "lead": str(bool(LEAD.match(folded))),
        "opener": str(bool(LEAD_OPENER.match(folded))),
        "lv": str(min(line.level, 3)),
        "ind": str(indented),
        "blank": str(blank_before),
        "space": str(" " in line.text),
        "enum": str(short and bool(ENUMERATOR.match(folded))),
        "dash0": str(short and bool(DASH_START.match(folded))),
        "dash1": str(folded.endswith(DASHES)),  # DASH_END: a line holds no newline for $ to stop before
        "colon": str(short and folded.endswith((":", "："))),  # COLON_END
        "bracket": str(short and folded.endswith(BRACKET_ENDS) and bool(TAIL_BRACKET.search(folded))),
        "note": str(short and ends_with(folded, BRACKET_ENDS) and bool(TITLE_NOTE.search(folded))),
        "box": str(short and bool(BOX_START.match(folded))),
        "marker": str("版" in folded and bool(MARKER.search(folded))),  # every marker names a page
        "noninit": str(bool(folded) and folded[0] in NON_INITIAL),
        "endcredit": str(folded.endswith((")", "）")) and credits.end_credit(folded) is not None),
    }


def _since(flags: list[bool]) -> list[str]:
    """For every line, how many lines back the last flagged line was (bucketed)."""
    out, last = [], None
    for i, flag in enumerate(flags):
        out.append("none" if last is None else _size(i - last))
        if flag:
            last = i
    return out


def _page_style(own: list[dict[str, str]]) -> str:
    """How the dump marks paragraphs: markdown headings, first-line indents, blank lines, nothing."""
    if any(f["lv"] != "0" for f in own):
        return "md"
    if sum(f["ind"] == "True" for f in own) * 4 >= len(own):
        return "indent"
    return "blank" if sum(f["blank"] == "True" for f in own) * 2 >= len(own) else "tight"


WINDOW = 6
"""Lines on each side whose vocabulary a line is compared with."""


class _LazyVocabulary:
    """Line vocabularies, computed for the lines near a title line only."""

    def __init__(self, lines: Sequence[Line]) -> None:
        self.lines = lines
        self.cache: dict[int, set[str]] = {}

    def __getitem__(self, i: int) -> set[str]:
        found = self.cache.get(i)
        if found is None:
            found = self.cache[i] = _vocabulary(self.lines[i].folded)
        return found

    def pool(self, start: int, stop: int) -> set[str]:
        """The union of the vocabularies of lines ``start .. stop-1`` (clipped to the page)."""
        return set().union(*(self[j] for j in range(max(0, start), min(stop, len(self.lines)))))


def _share(grams: set[str], pool: set[str]) -> float:
    return len(grams & pool) / len(grams) if grams else 0.0


def _context(grams: _LazyVocabulary, i: int) -> list[str]:
    """Does line ``i`` share its words with the text after it (a title) or before it (a subhead),
    and do the texts before and after it share theirs (one article) or not (a new one)?"""
    pool_b, pool_a = grams.pool(i - WINDOW, i), grams.pool(i + 1, i + 1 + WINDOW)
    b, a = _share(grams[i], pool_b), _share(grams[i], pool_a)
    lean = "after" if a - b > 0.15 else "before" if b - a > 0.15 else "even"
    shift = len(pool_a & pool_b) / max(1, min(len(pool_a), len(pool_b))) if pool_a and pool_b else -1.0
    shift_bucket = "none" if shift < 0 else "lo" if shift < 0.15 else "mid" if shift < 0.3 else "hi"
    return [f"lean={lean}", f"shift={shift_bucket}", f"lean+shift={lean}|{shift_bucket}"]


LONG_KEYS = ("kind", "size", "end", "closed", "lead", "opener", "ind", "blank", "noninit", "marker", "endcredit")
"""Features of a long body line (it is body or continued body: fewer features decide that)."""


def _long_body(
    feats: dict[str, str],
    i: int,
    n: int,
    before: list[list[str]],
    after: list[list[str]],
    own: list[dict[str, str]],
    strings: _Strings,
) -> list[str]:
    """The features of a line too long to be a title: itself, and the lines on each side."""
    items = list(strings.long)  # [f"{k}={feats[k]}" for k in LONG_KEYS]
    items += before[i - 1] if i > 0 else ["-1:none"]
    items += after[i + 1] if i + 1 < n else ["1:none"]
    if i > 0:
        end = own[i - 1]["end"]
        items += [f"-1:end+noninit={end}|{feats['noninit']}", f"-1:end+ind={end}|{feats['ind']}"]
    return items


def _prefixed(prefix: str, feats: dict[str, str], keys: tuple[str, ...]) -> list[str]:
    return [f"{prefix}{k}={feats[k]}" for k in keys]


class _Strings(NamedTuple):
    """The feature strings of a line's own features, as itself and as a neighbour; never mutated."""

    own: list[str]
    long: list[str]
    before: list[str]
    far_before: list[str]
    after: list[str]
    far_after: list[str]


@functools.lru_cache(maxsize=4096)
def _strings(keys: tuple[str, ...], values: tuple[str, ...]) -> _Strings:
    """The strings of one set of feature values (lines share them: values are buckets and flags)."""
    feats = dict(zip(keys, values, strict=True))
    return _Strings(
        [f"{k}={v}" for k, v in feats.items()],
        [f"{k}={feats[k]}" for k in LONG_KEYS],
        _prefixed("-1:", feats, NEIGHBOUR_KEYS),
        _prefixed("-2:", feats, FAR_KEYS),
        _prefixed("1:", feats, NEIGHBOUR_KEYS),
        _prefixed("2:", feats, FAR_KEYS),
    )


def page_features(lines: Sequence[Line], kinds: Sequence[str], text: str) -> list[list[str]]:
    """CRF feature strings for every line of a page, with the two lines before and after."""
    own = []
    previous_end = 0
    for line, kind in zip(lines, kinds, strict=True):
        indented = line.start > 0 and text[line.start - 1] in " \t\u3000\u00a0"
        blank_before = text.count("\n", previous_end, line.start) >= 2
        own.append(line_features(line, kind, indented, blank_before))
        previous_end = line.end
    n = len(own)
    grams = _LazyVocabulary(lines)
    style = _page_style(own)
    since_lead = _since([f["lead"] == "True" for f in own])
    since_title = _since([f["kind"] in ("title", "heading") for f in own])
    since_credit = _since([f["kind"] in ("credit", "end-credit") for f in own])
    leads = [f["lead"] == "True" for f in own]
    credit_lines = [f["kind"] == "credit" for f in own]
    strings = [_strings(tuple(f), tuple(f.values())) for f in own]
    before = {-1: [s.before for s in strings], -2: [s.far_before for s in strings]}
    after = {1: [s.after for s in strings], 2: [s.far_after for s in strings]}
    out: list[list[str]] = []
    for i, feats in enumerate(own):
        kind, ind = feats["kind"], feats["ind"]
        if kind == "body" and lines[i].size > SHORT:
            out.append(_long_body(feats, i, n, before[-1], after[1], own, strings[i]))
            continue
        items = list(strings[i].own)  # [f"{k}={v}" for k, v in feats.items()]
        items += [
            f"kind+size={kind}|{feats['size']}",
            f"end+size={feats['end']}|{feats['size']}",
            f"style={style}",
            f"style+ind+kind={style}|{ind}|{kind}",
            f"style+blank={style}|{feats['blank']}",
            f"since_lead={since_lead[i]}",
            f"since_title={since_title[i]}",
            f"since_credit={since_credit[i]}",
            f"lead_ahead={any(leads[i + 1 : i + 4])}",
            f"credit_ahead={any(credit_lines[i + 1 : i + 4])}",
        ]
        titled = kind in ("title", "heading")
        if titled:
            items += _context(grams, i)
        for offset, table in (*before.items(), *after.items()):
            j = i + offset
            items += table[j] if 0 <= j < n else [f"{offset}:none"]
        if i > 0:
            previous = own[i - 1]
            items += [
                f"-1:kind+kind={previous['kind']}|{kind}",
                f"-1:end+noninit={previous['end']}|{feats['noninit']}",
                f"-1:end+ind={previous['end']}|{ind}",
            ]
            if titled:
                items.append(f"-1:overlap={_overlap(grams[i], grams[i - 1])}")
        if i + 1 < n:
            items.append(f"1:kind+kind={own[i + 1]['kind']}|{kind}")
            if titled:
                items.append(f"1:overlap={_overlap(grams[i], grams[i + 1])}")
        out.append(items)
    return out


_KEEP: list[bytes] = []


class Tagger(Protocol):
    """What the parser uses of ``pycrfsuite.Tagger``."""

    def tag(self, xseq: list[list[str]]) -> list[str]: ...


@functools.cache
def _tagger() -> Tagger | None:
    """The shipped model, loaded once; None when python-crfsuite or the model is missing."""
    try:
        import pycrfsuite
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    path = resources.files("builders.parse").joinpath("models", MODEL)
    if not path.is_file():
        return None
    raw = pycrfsuite.Tagger()
    model = path.read_bytes()
    raw.open_inmemory(model)
    _KEEP.append(model)  # crfsuite reads the buffer in place: it must outlive the tagger
    tagger: Tagger = raw
    return tagger


def label_lines(lines: Sequence[Line], kinds: Sequence[str], text: str) -> list[str] | None:
    """The most likely label of every line (deterministic Viterbi), or None without a model."""
    tagger = _tagger()
    if tagger is None or not lines:
        return None
    return tagger.tag(page_features(lines, kinds, text))
