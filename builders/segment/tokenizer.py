"""Word segmentation: one jieba tokenizer per process, with the shipped user dictionary.

jieba is loaded lazily on first use, under a lock, so that importing the package stays
cheap and threads share one tokenizer. Part-of-speech tags come from a lookup table
(jieba's ``dict.txt`` tags plus the user dictionary's), not from ``jieba.posseg`` over
whole texts (six times slower than segmentation): :func:`pos_tag` runs the POS HMM only
on the short out-of-vocabulary tokens that segmentation discovered.

The words are always jieba's (``Tokenizer.lcut(text, HMM=True)``); where rjieba is
installed they are computed by :mod:`builders.segment.fast`, which runs jieba-rs where it
provably agrees (about four times faster overall). ``XIANBAO_SEGMENTER=jieba`` turns it off.
Another segmenter can be plugged in with :func:`set_segmenter`; it must satisfy
:class:`Segmenter` and agree with jieba (see ``tests/test_segment.py``).
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from builders.memo import temp_memo
from builders.segment.table import Packed, WordTable

if TYPE_CHECKING:
    from builders.segment.fast import FastJieba

DATA = Path(__file__).parent / "data"
USER_DICT = DATA / "userdict.txt"
_LOCK = threading.Lock()


class Segmenter(Protocol):
    """Anything that cuts text into words like jieba's accurate mode with HMM."""

    def cut(self, text: str) -> list[str]:
        """The words of ``text`` in order, whitespace included."""
        ...


@dataclass(frozen=True)
class Jieba:
    """jieba's dictionary with the user dictionary, its POS tags, and the segmenter over them."""

    freq: Mapping[str, int]
    """The dictionary words (frequency > 0): jieba's ``FREQ`` without the prefix entries of frequency 0
    (a :class:`~builders.segment.table.WordTable` when loaded by :func:`jieba_tokenizer`)."""
    total: int
    """jieba's ``total`` (the sum of the frequencies, as jieba counts it)."""
    tags: Mapping[str, str]
    base_freq: dict[str, int]
    """Frequencies in jieba's own dictionary of the entries the user dictionary changed."""
    fast: FastJieba | None = None
    """The same words, computed faster (:mod:`builders.segment.fast`), when available."""

    @cached_property
    def tokenizer(self) -> Any:
        """Python jieba's own ``Tokenizer`` over this dictionary, made on first use (a third of a second):
        a build cutting with :attr:`fast` never needs it."""
        return python_tokenizer(self.freq, self.total)

    def cut(self, text: str) -> list[str]:
        """jieba accurate mode, HMM on."""
        return self.fast.cut(text) if self.fast else self.lcut(text)

    def words(self, text: str) -> list[str]:
        """:meth:`cut` without the whitespace tokens."""
        if self.fast:
            return self.fast.words(text)
        return [w for w in self.lcut(text) if not w.isspace()]

    def lcut(self, text: str) -> list[str]:
        """jieba accurate mode, HMM on, by Python jieba itself."""
        words: list[str] = self.tokenizer.lcut(text, HMM=True)
        return words


def words_tokenizer(freq: Mapping[str, int], total: int) -> Any:
    """A ``jieba.Tokenizer`` holding the dictionary words only: its ``calc`` and ``FREQ`` lookups are
    jieba's, its ``get_DAG`` is not (it needs every prefix of every word), so it is only given to
    :func:`builders.segment.fast.fast_segmenter`, which builds the word graph itself."""
    tokenizer = import_jieba().Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
    return tokenizer


def python_tokenizer(freq: Mapping[str, int], total: int) -> Any:
    """jieba's ``Tokenizer`` with its full ``FREQ``: the dictionary words and, with frequency 0, every
    prefix of a word that is no word itself (what ``gen_pfdict`` and ``add_word`` add; jieba's own
    ``FREQ`` holds exactly these, ``tests/test_segment.py``)."""
    full = freq.as_dict() if isinstance(freq, WordTable) else dict(freq)
    for word in freq:
        for end in range(1, len(word)):
            full.setdefault(word[:end], 0)
    return words_tokenizer(full, total)


def _user_words(line_re: re.Pattern[str]) -> list[str]:
    """The words of the user dictionary, read as ``jieba.Tokenizer.load_userdict`` reads them."""
    lines = (ln.strip().lstrip("\ufeff") for ln in USER_DICT.read_text(encoding="utf-8").splitlines())
    return [m.group(1) for m in map(line_re.match, lines) if m]


SNAPSHOT_FORMAT = b"5"
Tables = tuple[WordTable[int], int, WordTable[str], dict[str, int], list[str], list[list[str]]]
"""jieba's dictionary words (``FREQ`` without the 0-frequency prefixes: two fifths smaller, loaded in half
the time) and total after the user dictionary, POS tags by word, :attr:`Jieba.base_freq`, the
dictionary words mixing ideographs with other characters (:func:`builders.segment.fast.mixed_words`),
and Python jieba's words of each :data:`builders.segment.fast.CANARIES` text. The word tables are
:class:`~builders.segment.table.WordTable` s: the memo loads in a tenth of the time of two dicts."""
PackedTables = tuple[Packed, int, Packed, dict[str, int], list[str], list[list[str]]]
""":data:`Tables` as the memo stores them (:meth:`WordTable.pack`; the tags without their words when
they are the dictionary's)."""


def snapshot_key(jieba_version: str) -> bytes:
    """What the tables derive from: jieba's version (its dictionary), the user dictionary and the
    canary texts (their Python jieba cuts are kept with the tables)."""
    from builders.segment.fast import CANARIES

    canaries = "\n".join(CANARIES).encode()
    return b"|".join([SNAPSHOT_FORMAT, jieba_version.encode(), USER_DICT.read_bytes(), canaries])


def _build_tables(jieba: Any, user_words: list[str]) -> Tables:
    from jieba.posseg import POSTokenizer

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    base = {word: tokenizer.FREQ.get(word, 0) for word in user_words}
    tokenizer.load_userdict(str(USER_DICT))
    pos = POSTokenizer(tokenizer)
    pos.makesure_userdict_loaded()
    from builders.segment.fast import CANARIES, mixed_words

    freq = {word: n for word, n in tokenizer.FREQ.items() if n}
    canaries = [tokenizer.lcut(text, HMM=True) for text in CANARIES]
    tables = WordTable.from_dict(freq), WordTable.from_dict(pos.word_tag_tab)
    return tables[0], tokenizer.total, tables[1], base, mixed_words(freq), canaries


def _pack(tables: Tables) -> PackedTables:
    freq, total, tags, base, mixed, canaries = tables
    return freq.pack(), total, tags.pack(words_elsewhere=tags.same_words(freq)), base, mixed, canaries


def _unpack(packed: PackedTables) -> Tables:
    """The tables of a memo (ValueError, TypeError or IndexError when it is damaged)."""
    if not isinstance(packed, tuple) or [type(x) for x in packed] != [tuple, int, tuple, dict, list, list]:
        raise TypeError("not the jieba tables")
    freq = WordTable.unpack(packed[0])
    return freq, packed[1], WordTable.unpack(packed[2], freq), packed[3], packed[4], packed[5]


def load_tables(jieba: Any, user_words: list[str]) -> Tables:
    """The tables from the temp-folder memo (0.06 s), or built from jieba's dictionaries (1.5 s)."""
    unpacked: list[Tables] = []

    def valid(value: Any) -> bool:  # a loaded memo is unpacked once, here
        try:
            unpacked.append(_unpack(value))
        except (ValueError, TypeError, IndexError, AttributeError):
            return False
        return True

    packed = temp_memo("jieba", snapshot_key(jieba.__version__), lambda: _pack(_build_tables(jieba, user_words)), valid)
    return unpacked[-1] if unpacked else _unpack(packed)


class _Without:
    """An import finder that fails the import of one top-level package."""

    def __init__(self, name: str) -> None:
        self.name = name

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.partition(".")[0] == self.name:
            raise ModuleNotFoundError(f"{name} is kept out of jieba's import", name=name)


def import_jieba() -> Any:
    """``import jieba``, without the ``pkg_resources`` it tries first (0.3-0.9 s of scanning every
    installed distribution, a third of loading jieba).

    jieba only uses it to open its own data files, and falls back to opening them by path
    (``jieba._compat.get_module_res``): the same files, the same bytes. Nothing happens when
    jieba or ``pkg_resources`` is already imported.
    """
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    finder = _Without("pkg_resources")
    sys.meta_path.insert(0, finder)
    try:
        import jieba
    finally:
        sys.meta_path.remove(finder)
    return jieba


def _load() -> Jieba:
    jieba = import_jieba()
    jieba.setLogLevel(60)
    user_words = _user_words(jieba.re_userdict)
    freq, total, tags, base, mixed, canaries = load_tables(jieba, user_words)
    fast = None
    if os.environ.get("XIANBAO_SEGMENTER", "fast") != "jieba":
        from builders.segment.fast import fast_segmenter

        fast = fast_segmenter(words_tokenizer(freq, total), user_words, tags, base, mixed, canaries)
    return Jieba(freq, total, tags, base, fast)


_jieba: Jieba | None = None
_segmenter: Segmenter | None = None


def jieba_tokenizer() -> Jieba:
    """The process's jieba, loaded on first call (about 1 s; 2 s the first time on a machine)."""
    global _jieba
    if _jieba is None:
        with _LOCK:
            if _jieba is None:
                _jieba = _load()
    return _jieba


def set_segmenter(segmenter: Segmenter | None) -> None:
    """Use another segmenter for :func:`cut` (``None``: back to jieba, the default)."""
    global _segmenter
    _segmenter = segmenter


def cut(text: str) -> list[str]:
    """Words of ``text`` (whitespace tokens dropped; punctuation kept)."""
    if _segmenter is None:
        return jieba_tokenizer().words(text)
    return [w for w in _segmenter.cut(text) if not w.isspace()]


def tag(word: str) -> str:
    """The dictionary POS tag of ``word``, or ``x`` when it is not in the dictionary."""
    return (_jieba or jieba_tokenizer()).tags.get(word, "x")


def known(word: str) -> bool:
    """True when ``word`` is a dictionary word (not found by the HMM)."""
    return (_jieba or jieba_tokenizer()).freq.get(word, 0) > 0


def in_jieba_dictionary(word: str) -> bool:
    """True when ``word`` is a word of jieba's own dictionary (the user dictionary ignored).

    The same answer as ``jieba.dt.FREQ.get(word, 0) > 0``, without loading a second dictionary.
    """
    loaded = jieba_tokenizer()
    freq = loaded.base_freq[word] if word in loaded.base_freq else loaded.freq.get(word, 0)
    return freq > 0


NAME_MODEL_TAGS = tuple(["nr", "ns", "nz", "n", "v", "vn", "a", "ad", "an", "d", "i", "j", "l", "m", "t"])
"""POS tags the whole-word HMM chooses among: names, places and the open classes."""
_MIN = -3.14e100


@cache
def _pos_model() -> tuple[Any, Any, Any]:
    """jieba's POS HMM tables (start, transition, emission), memoised: importing
    ``jieba.posseg`` also re-reads the whole dictionary (0.7 s)."""
    jieba = import_jieba()

    def derive() -> tuple[Any, Any, Any]:
        from jieba.posseg import emit_P, start_P, trans_P

        return start_P, trans_P, emit_P

    model: tuple[Any, Any, Any] = temp_memo(
        "jieba-pos", jieba.__version__.encode(), derive, lambda v: isinstance(v, tuple) and len(v) == 3
    )
    return model


def _word_score(word: str, pos: str) -> float:
    start_p, trans_p, emit_p = _pos_model()
    shape = "S" if len(word) == 1 else "B" + "M" * (len(word) - 2) + "E"
    states = [(s, pos) for s in shape]
    score = start_p.get(states[0], _MIN)
    for i, (state, ch) in enumerate(zip(states, word, strict=True)):
        score += emit_p.get(state, {}).get(ch, _MIN)
        if i:
            score += trans_p.get(states[i - 1], {}).get(state, _MIN)
    return float(score)


@lru_cache(maxsize=1 << 16)
def pos_tag(word: str) -> str:
    """POS of a single token: the dictionary's, or for an unknown word jieba's POS HMM's.

    The HMM scores the token as ONE word of each tag of :data:`NAME_MODEL_TAGS` (jieba's
    transition and emission tables, B-M-E path of one tag) and keeps the best: a few dozen
    look-ups instead of a Viterbi pass over jieba's whole state space.
    """
    found = jieba_tokenizer().tags.get(word)
    if found is not None:
        return found
    scores = {pos: _word_score(word, pos) for pos in NAME_MODEL_TAGS}
    best = max(NAME_MODEL_TAGS, key=lambda pos: scores[pos])
    return best if scores[best] > _MIN else "x"
