"""A learned line labeller: which lines of a page open an article, are title lines, tips or body.

The rules of :mod:`builders.layout` type each line on its own; where a run of short,
unpunctuated lines sits (a new headline, a kicker, or a section subhead inside a feature)
depends on the lines around it. A linear-chain CRF (python-crfsuite) weighs that context:
it labels every line ``title-start``, ``title``, ``tip-label``, ``tip``, ``credit``,
``body``, ``body-continued`` or ``closing-credit`` from structural features only -- the
line's length, closing punctuation, markdown level, indentation, the rules' own kind and
the lead/credit/marker patterns, the same for the lines around it, and how much vocabulary
a line shares with its neighbours. No word of any page is a feature, so the model file
carries no newspaper text. Training: :mod:`builders.parse.train` (python-crfsuite, on the
feature strings of :func:`page_features`); labelling: :mod:`builders.parse.crf`, on the same
features as rows of the model's weights (:func:`page_parts`: each line's own group, scored once, then
the rest), the labels crfsuite gives.
"""

from __future__ import annotations

import bisect
import functools
import operator
from collections.abc import Sequence
from importlib import resources
from typing import NamedTuple

from builders.parse import crf, vocabulary
from builders.parse.encoder import Encoder, Rows
from builders.parse.linefeatures import (
    BLANK,
    END,
    FAR_KEYS,
    IND,
    KEYS,
    KIND,
    LEAD_AT,
    NEIGHBOUR_KEYS,
    NONINIT,
    SHORT,
    SINCE_NAMES,
    SIZE,
    SIZES,
    Values,
    line_values,
    page_style,
)
from builders.parse.lines import Line

LABELS = ("title-start", "title", "tip-label", "tip", "credit", "body", "body-continued", "closing-credit")
MODEL = "lines.crfsuite"
"""The model shipped with the package (``builders/parse/models/``)."""
CONTEXT_STRINGS = {
    (lean, shift): (f"lean={lean}", f"shift={shift}", f"lean+shift={lean}|{shift}")
    for lean in ("after", "before", "even")
    for shift in ("none", "lo", "mid", "hi")
}


LONG_KEYS = ("kind", "size", "end", "closed", "lead", "opener", "ind", "blank", "noninit", "marker", "endcredit")
"""Features of a long body line (it is body or continued body: fewer features decide that)."""


_LONG_OF, _NEIGHBOUR_OF, _FAR_OF = (
    operator.itemgetter(*(KEYS.index(k) for k in keys)) for keys in (LONG_KEYS, NEIGHBOUR_KEYS, FAR_KEYS)
)
"""The values of a line's long-body, neighbour and far-neighbour features, from all its values."""


class _LineRows(NamedTuple):
    """A line's encoded features as a long body line, as a line that may be a title (:func:`_own_rows`),
    and as the neighbour of the lines around it."""

    long: Rows
    before: Rows
    far_before: Rows
    after: Rows
    far_after: Rows
    own: Rows


@functools.lru_cache(maxsize=8192)
def _line_rows(encoder: Encoder, values: Values) -> _LineRows:
    """The encoded strings of one set of feature values (memo: lines share them), each group
    from a memo of the values it names (fewer of those: a new set of values costs little)."""
    before, after = _neighbour_rows(encoder, _NEIGHBOUR_OF(values))
    far_before, far_after = _far_rows(encoder, _FAR_OF(values))
    long = _long_rows(encoder, _LONG_OF(values))
    return _LineRows(long, before, far_before, after, far_after, _own_rows(encoder, values))


def _own_rows(encoder: Encoder, values: Values) -> Rows:
    """A line's own features, then ``kind+size`` and ``end+size`` (made once per set of values, by the memo of
    :func:`_line_rows`)."""
    pairs = (f"kind+size={values[KIND]}|{values[SIZE]}", f"end+size={values[END]}|{values[SIZE]}")
    return encoder.named("", KEYS, values) + encoder.encode(pairs)


@functools.lru_cache(maxsize=4096)
def _long_rows(encoder: Encoder, values: tuple[str, ...]) -> Rows:
    return encoder.named("", LONG_KEYS, values)


@functools.lru_cache(maxsize=4096)
def _neighbour_rows(encoder: Encoder, values: tuple[str, ...]) -> tuple[Rows, Rows]:
    return encoder.named("-1:", NEIGHBOUR_KEYS, values), encoder.named("1:", NEIGHBOUR_KEYS, values)


@functools.lru_cache(maxsize=4096)
def _far_rows(encoder: Encoder, values: tuple[str, ...]) -> tuple[Rows, Rows]:
    return encoder.named("-2:", FAR_KEYS, values), encoder.named("2:", FAR_KEYS, values)


@functools.lru_cache(maxsize=4096)
def _style_rows(encoder: Encoder, style: str, ind: str, kind: str, blank: str) -> Rows:
    return encoder.encode((f"style={style}", f"style+ind+kind={style}|{ind}|{kind}", f"style+blank={style}|{blank}"))


def _pair_rows(encoder: Encoder, before: Values, values: Values) -> tuple[Rows, Rows]:
    """The features joining a line to the line before it: ``kind+kind``, then ``end+noninit`` and
    ``end+ind`` (a long body line has the last two only); memoised by the values they name."""
    kinds = _kind_pair(encoder, before[KIND], values[KIND])
    return kinds, _end_pair(encoder, before[END], values[NONINIT], values[IND])


@functools.lru_cache(maxsize=1024)
def _kind_pair(encoder: Encoder, before: str, kind: str) -> Rows:
    return encoder.encode((f"-1:kind+kind={before}|{kind}",))


@functools.lru_cache(maxsize=1024)
def _end_pair(encoder: Encoder, end: str, noninit: str, ind: str) -> Rows:
    return encoder.encode((f"-1:end+noninit={end}|{noninit}", f"-1:end+ind={end}|{ind}"))


@functools.lru_cache(maxsize=1024)
def _next_rows(encoder: Encoder, after: str, kind: str) -> Rows:
    return encoder.encode((f"1:kind+kind={after}|{kind}",))


class _Tables(NamedTuple):
    """The encoded strings that come from small tables."""

    since: dict[str, Rows]
    ahead: dict[str, Rows]
    none: dict[int, Rows]
    context: dict[tuple[str, str], Rows]
    overlap: dict[tuple[int, str], Rows]


OVERLAPS = ("none", "0", "lo", "mid", "hi")


@functools.lru_cache(maxsize=16)
def _tables(encoder: Encoder) -> _Tables:
    return _Tables(
        {name: encoder.encode(strings) for name, strings in SINCE_STRINGS.items()},
        {name: encoder.encode(strings) for name, strings in AHEAD_STRINGS.items()},
        {offset: encoder.encode(strings) for offset, strings in NONE_STRINGS.items()},
        {key: encoder.encode(strings) for key, strings in CONTEXT_STRINGS.items()},
        {(k, v): encoder.encode((f"{k}:overlap={v}",)) for k in (-1, 1) for v in OVERLAPS},
    )


SINCE_STRINGS = {
    name: tuple(f"{prefix}={value}" for value in SINCE_NAMES)
    for name, prefix in (("lead", "since_lead"), ("title", "since_title"), ("credit", "since_credit"))
}
AHEAD_STRINGS = {name: (f"{name}_ahead=False", f"{name}_ahead=True") for name in ("lead", "credit")}
NONE_STRINGS = {offset: (f"{offset}:none",) for offset in (-2, -1, 1, 2)}


def _since_index(flags: list[bool]) -> list[int]:
    """For every line, the index in :data:`SINCE_NAMES` of how many lines back the last flagged
    line was: 0 for none, else 1 + its bucket of :data:`SIZES`."""
    out, last = [], None
    for i, flag in enumerate(flags):
        out.append(0 if last is None else 1 + bisect.bisect_left(SIZES, i - last))
        if flag:
            last = i
    return out


def _own_values(lines: Sequence[Line], kinds: Sequence[str], text: str) -> list[Values]:
    own = []
    previous_end = 0
    for line, kind in zip(lines, kinds, strict=True):
        indented = line.start > 0 and text[line.start - 1] in " \t\u3000\u00a0"
        blank_before = text.count("\n", previous_end, line.start) >= 2
        own.append(line_values(line, kind, indented, blank_before))
        previous_end = line.end
    return own


class _Page(NamedTuple):
    """What a page's lines are told about the page around them."""

    own: list[Values]
    rows: list[_LineRows]
    style: str
    since: tuple[list[int], list[int], list[int]]
    """Lines since the last lead, title and credit line (:func:`_since_index`)."""
    leads: list[bool]
    credits: list[bool]
    """Lines that open on a 电头, credit lines: is one among the next three lines?"""
    titles: list[bool]
    vocabularies: list[int]
    """The vocabulary of every line near a titled line (:func:`builders.parse.vocabulary.near_sets`)."""


def _page(lines: Sequence[Line], kinds: Sequence[str], text: str, encoder: Encoder) -> _Page:
    own = _own_values(lines, kinds, text)
    leads = [f[LEAD_AT] == "True" for f in own]
    titles = [kind in ("title", "heading") for kind in kinds]
    return _Page(
        own,
        [_line_rows(encoder, f) for f in own],
        page_style(own),
        (_since_index(leads), _since_index(titles), _since_index([k in ("credit", "end-credit") for k in kinds])),
        leads,
        [kind == "credit" for kind in kinds],
        titles,
        vocabulary.near_sets(lines, titles) if any(titles) else [],
    )


def _long_body(i: int, page: _Page, encoder: Encoder, tables: _Tables) -> list[int]:
    """The features of a line too long to be a title after its own (``rows[i].long``): the
    lines on each side."""
    rows, n = page.rows, len(page.rows)
    items = list(rows[i - 1].before if i > 0 else tables.none[-1])
    items += rows[i + 1].after if i + 1 < n else tables.none[1]
    if i > 0:
        own = page.own
        items += _end_pair(encoder, own[i - 1][END], own[i][NONINIT], own[i][IND])
    return items


def _short_line(i: int, page: _Page, encoder: Encoder, tables: _Tables) -> list[int]:
    """The features of a line that may be a title line after its own (:func:`_own_rows`): the page,
    and two lines on each side."""
    rows, own, n = page.rows, page.own, len(page.rows)
    feats = own[i]
    kind = feats[KIND]
    items = list(_style_rows(encoder, page.style, feats[IND], kind, feats[BLANK]))
    lead, title, credit = page.since
    items += (
        tables.since["lead"][lead[i]],
        tables.since["title"][title[i]],
        tables.since["credit"][credit[i]],
        tables.ahead["lead"][any(page.leads[i + 1 : i + 4])],
        tables.ahead["credit"][any(page.credits[i + 1 : i + 4])],
    )
    titled = page.titles[i]
    if titled:
        items += tables.context[vocabulary.context(page.vocabularies, i)]
    items += rows[i - 1].before if i >= 1 else tables.none[-1]
    items += rows[i - 2].far_before if i >= 2 else tables.none[-2]
    items += rows[i + 1].after if i + 1 < n else tables.none[1]
    items += rows[i + 2].far_after if i + 2 < n else tables.none[2]
    if i > 0:
        kinds, ends = _pair_rows(encoder, own[i - 1], feats)
        items += kinds
        items += ends
        if titled:
            items += tables.overlap[-1, vocabulary.overlap(page.vocabularies[i], page.vocabularies[i - 1])]
    if i + 1 < n:
        items += _next_rows(encoder, own[i + 1][KIND], kind)
        if titled:
            items += tables.overlap[1, vocabulary.overlap(page.vocabularies[i], page.vocabularies[i + 1])]
    return items


def page_parts(
    lines: Sequence[Line], kinds: Sequence[str], text: str, encoder: Encoder
) -> tuple[list[Rows], list[list[int]]]:
    """The features of every line of a page in two parts: its own (a group that lines with the
    same values share), then the rest, with the two lines before and after, encoded."""
    page = _page(lines, kinds, text, encoder)
    tables = _tables(encoder)
    heads, rests = [], []
    for i, (feats, rows) in enumerate(zip(page.own, page.rows, strict=True)):
        if feats[KIND] == "body" and lines[i].size > SHORT:
            heads.append(rows.long)
            rests.append(_long_body(i, page, encoder, tables))
        else:
            heads.append(rows.own)
            rests.append(_short_line(i, page, encoder, tables))
    return heads, rests


def page_rows(lines: Sequence[Line], kinds: Sequence[str], text: str, encoder: Encoder) -> list[list[int]]:
    """The features of every line of a page, with the two lines before and after, encoded."""
    heads, rests = page_parts(lines, kinds, text, encoder)
    return [[*head, *rest] for head, rest in zip(heads, rests, strict=True)]


def page_features(lines: Sequence[Line], kinds: Sequence[str], text: str) -> list[list[str]]:
    """CRF feature strings for every line of a page, with the two lines before and after (training)."""
    encoder = Encoder()
    rows = page_rows(lines, kinds, text, encoder)
    return [[encoder.names[k] for k in line] for line in rows]


@functools.cache
def _model() -> crf.Model | None:
    """The shipped model, read once; None when the package lacks it."""
    path = resources.files("builders.parse").joinpath("models", MODEL)
    if not path.is_file():
        return None
    try:
        return crf.read_model(path.read_bytes())
    except crf.ModelError as err:
        raise crf.ModelError(
            f"{path}: {err}; reinstall xianbao, or retrain the model (python -m "
            "builders.parse.train, see its docstring)"
        ) from err


@functools.cache
def _encoder() -> Encoder | None:
    model = _model()
    return None if model is None else Encoder(model.row)


def label_lines(lines: Sequence[Line], kinds: Sequence[str], text: str) -> list[str] | None:
    """The most likely label of every line (deterministic Viterbi), or None without a model."""
    model, encoder = _model(), _encoder()
    if model is None or encoder is None or not lines:
        return None
    return model.tag_parts(*page_parts(lines, kinds, text, encoder))
