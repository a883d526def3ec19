"""Read-only word tables that load in a tenth of the time of a dict: sorted words, looked up by bisection.

jieba's dictionary (349,000 words with their frequencies and POS tags) and its IDF table (270,000
words) are memoised between processes (:mod:`builders.memo`). Unmarshalled as dicts they cost 0.4 s
and 0.2 s per process, most of it making and hashing a dict entry per word, while a build of 1,000
pages asks for some 30,000 of them. A :class:`WordTable` is stored as one newline-joined string of
the sorted words and one packed array of values: loading is a split and a copy; the first look-up of
a word is a binary search (3-6 microseconds: the words are far apart in memory), its answer
remembered in a dict, so a word asked again costs a dict look-up. A process that searches more than
:data:`MAX_SEARCHES` words (a long build) makes the whole dict once and searches no more: it never
pays much more than loading the dict would have cost. The answers are those of the dict the table
was made from.
"""

from __future__ import annotations

import operator
from array import array
from bisect import bisect_left
from collections.abc import ItemsView, Iterator, Mapping, ValuesView
from itertools import islice
from typing import Any, Generic, TypeVar, overload

V = TypeVar("V", int, float, str)
D = TypeVar("D")

MAX_SEARCHES = 1 << 16
"""Binary searches (about 0.3 s of them) after which the table makes its whole dict (0.2 s) and
answers from it alone."""
_UNSEEN: Any = object()
_TYPECODES = {int: "q", float: "d"}
Packed = tuple[str | None, str, bytes, list[str]]
"""What :meth:`WordTable.pack` gives and :meth:`WordTable.unpack` takes (all :mod:`marshal` stores):
the words joined by newlines (None: the words of another table, given to ``unpack``), the values'
array type code (``"s"``: strings), the packed values (for strings: one byte per word, an index
into the list), the distinct strings."""


class WordTable(Mapping[str, V], Generic[V]):
    """A read-only mapping of words (no newline in any) to ints, floats or strings."""

    __slots__ = ("_names", "_seen", "_values", "_whole", "_words")

    def __init__(self, words: list[str], values: array[Any] | bytes, names: list[str] | None = None) -> None:
        """``words`` sorted; ``values[i]`` (or ``names[values[i]]``) is the value of ``words[i]``."""
        self._words, self._values, self._names = words, values, names
        self._seen: dict[str, V | None] = {}
        """The answers found so far (None: no word), or every word's once :attr:`_whole`."""
        self._whole = False

    @classmethod
    def from_dict(cls, table: Mapping[str, V]) -> WordTable[V]:
        """The table of a dict (its words must not hold a newline)."""
        words = sorted(table)
        values = [table[w] for w in words]
        if values and isinstance(values[0], str):
            names = sorted(set(map(str, values)))
            if len(names) > 256:
                raise ValueError("more than 256 distinct string values")
            code = {name: i for i, name in enumerate(names)}
            return cls(words, bytes(code[str(v)] for v in values), names)
        return cls(words, array(_TYPECODES[type(values[0]) if values else int], values))

    def same_words(self, other: WordTable[Any]) -> bool:
        """True when both tables hold the same words."""
        return self._words == other._words

    def pack(self, words_elsewhere: bool = False) -> Packed:
        """The table as :mod:`marshal`-able values, for :meth:`unpack` (``words_elsewhere``: without
        its words, which another table with the same words stores)."""
        if any("\n" in w for w in self._words):
            raise ValueError("a word holds a newline")
        joined = None if words_elsewhere else "\n".join(self._words)
        if self._names is not None:
            return joined, "s", bytes(self._values), list(self._names)
        assert isinstance(self._values, array)
        return joined, self._values.typecode, self._values.tobytes(), []

    @classmethod
    def unpack(cls, packed: Packed, words_of: WordTable[Any] | None = None) -> WordTable[Any]:
        """The table :meth:`pack` gave (``words_of``: the table holding its words, when it was packed
        without them); ValueError or TypeError when damaged."""
        joined, typecode, data, names = packed
        if not (isinstance(joined, str | None) and isinstance(typecode, str) and isinstance(data, bytes)
                and isinstance(names, list) and all(isinstance(n, str) for n in names)):
            raise TypeError("not a packed word table")
        values: array[Any] | bytes = data if typecode == "s" else array(typecode, data)
        if joined is not None:
            words = joined.split("\n") if len(values) else []  # no word, or one empty word
            if not all(map(operator.lt, words, islice(words, 1, None))):  # 12 ms for jieba's dictionary
                raise ValueError("the table's words are not sorted and distinct")
        elif words_of is not None:
            words = words_of._words
        else:
            raise ValueError("the table's words are missing")
        if len(values) != len(words) or (typecode == "s" and max(data, default=-1) >= len(names)):
            raise ValueError("damaged word table")
        return cls(words, values, names if typecode == "s" else None)

    def _find(self, word: str) -> V | None:
        if self._whole:  # another thread may have made the whole dict after this one looked
            return self._seen.get(word)
        if len(self._seen) >= MAX_SEARCHES:
            self._seen, self._whole = {**self.as_dict()}, True
            return self._seen.get(word)
        words = self._words
        at = bisect_left(words, word)
        found: V | None = None
        if at < len(words) and words[at] == word:
            value = self._values[at]
            found = self._names[value] if self._names is not None else value  # type: ignore[assignment]
        self._seen[word] = found
        return found

    @overload
    def get(self, word: str, /) -> V | None: ...
    @overload
    def get(self, word: str, /, default: V | D) -> V | D: ...

    def get(self, word: str, default: Any = None) -> Any:
        """The value of ``word``, or ``default`` (also for a key that is no string, as a dict of words)."""
        if not isinstance(word, str):
            return default
        found = self._seen.get(word, _UNSEEN)
        if found is _UNSEEN:
            found = self._find(word)
        return default if found is None else found

    def __getitem__(self, word: str) -> V:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)

    def as_dict(self) -> dict[str, V]:
        """The whole table as a dict (in the words' sorted order)."""
        values = list(self._values)
        if self._names is not None:
            values = [self._names[v] for v in values]
        return dict(zip(self._words, values, strict=True))

    def items(self) -> ItemsView[str, V]:
        """Every (word, value), in the words' sorted order (made at once, not by a look-up per word)."""
        return self.as_dict().items()

    def values(self) -> ValuesView[V]:
        """Every value, in the words' sorted order."""
        return self.as_dict().values()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, WordTable):
            return self._words == other._words and self.as_dict() == other.as_dict()
        return isinstance(other, Mapping) and self.as_dict() == dict(other.items())

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"WordTable({len(self._words)} words)"
