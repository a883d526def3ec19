"""Width folding: every character to its one-character NFKC form, so offsets stay valid.

Patterns match folded text (``Line.folded``): １９９８ -> 1998, （ -> (, ＷＴＯ -> WTO. A character
whose NFKC form is longer than one character (…) is kept. Folding goes character by character,
so a line's fold is a slice of its page's (:func:`fold_page`, one numpy lookup for a page of new
lines); texts met before come from a memo (:func:`known`, :func:`remember`: the assembler folds
a paragraph in several of its steps).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np
import numpy.typing as npt


def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on demand: code point -> its one-character NFKC form."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD = _FoldTable()


def ends_folding_to(text: str, ends: tuple[str, ...]) -> bool:
    """Does ``fold(text)``, trailing spaces aside, end in one of the characters ``ends``? Only the
    last character is folded (folding keeps spaces spaces, and the others not: tested), so a
    paragraph that ends otherwise is not folded for the question."""
    last = text.rstrip()[-1:]
    return bool(last) and _FOLD[ord(last)] in ends

FOLD_FIXED = (
    "\x00-\x7f\u00b7\u2014\u2018\u2019\u201c\u201d\u2026\u25a0-\u25ff\u2605\u2606"
    "\u3001\u3002\u3008-\u3011\u3014\u3015\u3400-\u4dbf\u4e00-\u9fff"
)
"""Characters that fold to themselves: ASCII, ideographs, the common Chinese punctuation (tests check every one)."""
UNFIXED = re.compile(f"([^{FOLD_FIXED}]+)")
"""A run of characters that may fold to another one (a group: ``split`` keeps the runs)."""


def fold(text: str) -> str:
    """NFKC per character, keeping the length (so offsets stay valid): ＷＴＯ１９ -> WTO19."""
    if text.isascii():
        return text
    if len(text) > MAX_FOLD_MEMO:
        return _fold_runs(text)
    return _MEMO[text]


MAX_FOLD_MEMO = 20_000
"""Longer texts are folded each time, not kept in the memo."""
MAX_RUNS = 65_536
"""Distinct runs kept in :data:`_RUNS` (the same few punctuation marks make up most of them)."""
MAX_RUN_KEPT = 8
"""Longest run kept in :data:`_RUNS`: the table's memory stays bounded whatever the pages hold."""


class _RunTable(dict[str, str]):
    """Run of characters -> its folded form, filled on demand (a page repeats ，：（） over and over)."""

    def __missing__(self, run: str) -> str:
        folded = run.translate(_FOLD)
        if len(run) <= MAX_RUN_KEPT:  # long runs (kana, Hangul, Cyrillic text) are folded each time
            if len(self) >= MAX_RUNS:
                self.clear()
            self[run] = folded
        return folded


_RUNS = _RunTable()


def _fold_runs(text: str) -> str:
    """``text.translate(_FOLD)``, with only the runs of characters outside :data:`FOLD_FIXED` looked up."""
    pieces = UNFIXED.split(text)  # fixed text, a run, fixed text, a run, …, fixed text
    if len(pieces) == 1:
        return text
    pieces[1::2] = map(_RUNS.__getitem__, pieces[1::2])
    return "".join(pieces)


class _Memo(dict[str, str]):
    """:func:`fold` of a text met before (a paragraph is folded by several of the assembler's steps);
    filled on demand and by :func:`split_lines` (its lines' folded texts), emptied when full."""

    def __missing__(self, text: str) -> str:
        return self.keep(text, _fold_runs(text))

    def keep(self, text: str, folded: str) -> str:
        if len(self) >= MAX_MEMO:
            self.clear()
        self[text] = folded
        return folded


MAX_MEMO = 1024
_MEMO = _Memo()


def known(text: str) -> str | None:
    """The fold of a text in the memo, else None."""
    return _MEMO.get(text)


def remember(text: str, folded: str) -> str:
    """Keep ``folded`` as the fold of ``text`` (computed elsewhere: a slice of its page's)."""
    return _MEMO.keep(text, folded) if len(text) <= MAX_FOLD_MEMO else folded


class _CodeTable:
    """Code point -> its folded code point, as numpy arrays filled on demand (made on first use)."""

    def __init__(self) -> None:
        self.folded = np.arange(0x110000, dtype=np.uint32)
        self.known = np.zeros(0x110000, dtype=bool)

    def fold(self, text: str) -> str:
        """:func:`fold` of a whole page at once: every character looked up in one array."""
        codes: npt.NDArray[np.uint32] = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        new = codes[~self.known[codes]]
        if new.size:
            for code in set(new.tolist()):
                self.folded[code] = ord(_FOLD[code])  # the table str.translate folds by
            self.known[new] = True
        return str(self.folded[codes].tobytes().decode("utf-32-le", "surrogatepass"))


@functools.cache
def _code_table() -> _CodeTable:
    return _CodeTable()


PAGE_CHUNK = 1 << 16
"""Characters folded at once by :func:`fold_page` (bounds the arrays of a huge page)."""


def fold_page(text: str) -> str:
    """:func:`fold` of a page's text, so a line's fold is a slice of it (folding goes character by
    character), in chunks of :data:`PAGE_CHUNK`."""
    if text.isascii():
        return text
    table = _code_table()
    return "".join(table.fold(text[at : at + PAGE_CHUNK]) for at in range(0, len(text), PAGE_CHUNK))
