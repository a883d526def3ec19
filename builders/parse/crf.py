"""The line labeller's linear-chain CRF: the shipped crfsuite model read into arrays, and its
Viterbi decoding, bit for bit the labels ``pycrfsuite.Tagger.tag`` gives.

pycrfsuite takes a page as feature strings: it copies every string into C++ and looks it up
in the model's dictionary, which costs more than the labelling itself. Here the features are
rows of a weight table (:func:`Model.row` maps a string to its row once), and the scores are
summed in crfsuite's own order, so every float is the one crfsuite computes:

* a line's score for a label adds the weights of its features in the order given, from 0
  (``crf1dt_state_score``); a feature the model does not know adds nothing (its row is 0);
* a path's score adds a transition weight and the next line's score at each step, and of
  equal scores the first label wins (``crf1dc_viterbi`` keeps a maximum only when beaten).

The file format (``crf1d_model.c``, little-endian): a header of offsets, the labels and the
attributes in two string tables (CQDB, read through their id -> record arrays), and the
features as (type, source, destination, weight) records: type 0 an attribute's weight for a
label, type 1 the weight of a transition between two labels.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from builders.errors import XianbaoError

Floats = npt.NDArray[np.float64]
HEADER = struct.Struct("<4sI4sIIIIIIIII")
"""magic, size, type, version, features, labels, attributes, then the offsets of the features,
labels, attributes, label references and attribute references."""
CQDB_HEADER = struct.Struct("<4sIIIII")
"""chunk id, size, flags, byte-order check, backward array size, backward array offset."""
FEATURE = struct.Struct("<IIId")
STATE, TRANSITION = 0, 1
HEADS_KEPT = 1 << 14
"""Head scores kept by a model (:meth:`Model.head_score`) before the memo starts over."""


class ModelError(XianbaoError, ValueError):
    """The bytes are not a crfsuite CRF1d model this reader knows (a damaged install: every page
    would need it, so the build stops with the message instead of rejecting each page)."""


@dataclass(frozen=True)
class Model:
    """A CRF read from a crfsuite model file."""

    labels: tuple[str, ...]
    """In the model's order: the order in which ties are broken."""
    rows: dict[str, int]
    """Attribute name -> its row of :attr:`weights`."""
    weights: Floats
    """One row per attribute (a weight per label), then a row of zeros for unknown attributes."""
    transitions: Floats
    """``transitions[i, j]``: the weight of label ``j`` after label ``i``."""
    _heads: dict[tuple[int, ...], Floats] = field(default_factory=dict, compare=False, repr=False)
    """Memo of :meth:`head_score` (lines share their first features: they are buckets and flags)."""

    def row(self, name: str) -> int:
        """The row of a feature string: the zero row when the model does not know it."""
        return self.rows.get(name, len(self.rows))

    def tag(self, lines: Sequence[Sequence[int]]) -> list[str]:
        """The most likely label of every line, each line given as the rows of its features."""
        if not lines:
            return []
        return [self.labels[k] for k in viterbi(self.state_scores(lines), self.transitions)]

    def tag_parts(self, heads: Sequence[tuple[int, ...]], rests: Sequence[Sequence[int]]) -> list[str]:
        """:meth:`tag` of lines given in two parts: each line's first features (``heads[i]``, a
        group many lines share), then the rest of them (``rests[i]``)."""
        if not heads:
            return []
        return [self.labels[k] for k in viterbi(self.part_scores(heads, rests), self.transitions)]

    def head_score(self, head: tuple[int, ...]) -> Floats:
        """A line's score for every label from its first features alone: their weights added one by
        one from 0, as crfsuite starts a line's score (kept: a score is where the rest goes on)."""
        found = self._heads.get(head)
        if found is None:
            if len(self._heads) >= HEADS_KEPT:
                self._heads.clear()
            found = self._heads[head] = np.add.reduce(self.weights.take(head, axis=0), axis=0)
        return found

    def part_scores(self, heads: Sequence[tuple[int, ...]], rests: Sequence[Sequence[int]]) -> Floats:
        """:meth:`state_scores` of lines given as :meth:`tag_parts` takes them, the same doubles:
        the first of the rest's weights gets the head's score added (b + a is the double a + b),
        then the rest is summed in sequence as :meth:`state_scores` sums."""
        taken = self._taken(rests, width_at_least=1)
        taken[0] += np.array([self.head_score(head) for head in heads])
        return np.add.reduce(taken, axis=0)  # type: ignore[no-any-return]

    def _taken(self, lines: Sequence[Sequence[int]], width_at_least: int = 0) -> Floats:
        """The weights of every line's features, padded with the zero row: (feature, line, label)."""
        sizes = np.fromiter(map(len, lines), dtype=np.intp, count=len(lines))
        width = max(width_at_least, int(np.maximum.reduce(sizes)))
        table = np.full((len(lines), width), len(self.rows), dtype=np.intp)
        table[np.arange(width) < sizes[:, None]] = np.fromiter(itertools.chain.from_iterable(lines), dtype=np.intp)
        return self.weights.take(table.T, axis=0)  # (np.take, without its wrapper)

    def state_scores(self, lines: Sequence[Sequence[int]]) -> Floats:
        """Every line's score for every label: its features' weights added one by one, in order.

        The rows are padded to one length with the zero row and summed over the first axis of a
        (feature, line, label) array, which numpy adds in sequence (the order crfsuite adds in).
        """
        return np.add.reduce(self._taken(lines), axis=0)  # type: ignore[no-any-return]


def viterbi(scores: Floats, transitions: Floats) -> list[int]:
    """The best path through the lines' label scores, as ``crf1dc_viterbi`` finds it."""
    into = np.ascontiguousarray(transitions.T)  # into[j, i]: label j after label i
    # ahead[t]: the best score of a path to each label of line t, in place over a copy of the
    # scores (row + best step, the same double as best step + row); one scratch array.
    ahead = np.array(scores, dtype=np.float64)
    step = np.empty_like(into)
    for before, row in itertools.pairwise(ahead):
        np.add(into, before, out=step)
        row += np.maximum.reduce(step, axis=1)
    # Back pointers afterwards, all at once: the first label reaching a line's best score.
    back = (ahead[:-1, :, None] + transitions).argmax(axis=1).tolist()
    path = [int(ahead[-1].argmax())]
    for pointers in reversed(back):
        path.append(pointers[path[-1]])
    return path[::-1]


def _strings(data: bytes, offset: int, count: int) -> list[str]:
    """The ``count`` keys of the CQDB string table at ``offset``, by id."""
    chunk, _, _, _, _, backward = CQDB_HEADER.unpack_from(data, offset)
    if chunk != b"CQDB":
        raise ModelError("no string table where the header points")
    keys = []
    for record in struct.unpack_from(f"<{count}I", data, offset + backward):
        _, size = struct.unpack_from("<iI", data, offset + record)
        start = offset + record + 8
        keys.append(data[start : start + size - 1].decode("utf-8"))  # the key ends in a NUL
    return keys


def read_model(data: bytes) -> Model:
    """The CRF of a crfsuite model file's bytes; :class:`ModelError` for anything else (a truncated
    or damaged file, an index out of range)."""
    try:
        return _read_model(data)
    except (struct.error, UnicodeDecodeError, IndexError) as err:
        raise ModelError(f"damaged crfsuite model ({type(err).__name__}: {err})") from err


def _read_model(data: bytes) -> Model:
    if len(data) < HEADER.size:
        raise ModelError("too short for a crfsuite model")
    magic, _, kind, _, _, n_labels, n_attrs, at_features, at_labels, at_attrs, _, _ = HEADER.unpack_from(data)
    if magic != b"lCRF" or kind != b"FOMC":
        raise ModelError("not a crfsuite CRF1d model")
    labels = tuple(_strings(data, at_labels, n_labels))
    attrs = _strings(data, at_attrs, n_attrs)
    chunk, _, n_features = struct.unpack_from("<4sII", data, at_features)
    if chunk != b"FEAT":
        raise ModelError("no feature table where the header points")
    weights = np.zeros((n_attrs + 1, n_labels))
    transitions = np.zeros((n_labels, n_labels))
    for kind_of, source, target, weight in FEATURE.iter_unpack(
        data[at_features + 12 : at_features + 12 + FEATURE.size * n_features]
    ):
        if target >= n_labels or source >= (n_attrs if kind_of == STATE else n_labels):
            raise ModelError(f"a feature points outside the model ({source} -> {target})")
        if kind_of == STATE:
            weights[source, target] = weight
        elif kind_of == TRANSITION:
            transitions[source, target] = weight
        else:
            raise ModelError(f"unknown feature type {kind_of}")
    return Model(labels, {name: row for row, name in enumerate(attrs)}, weights, transitions)
