"""jieba's own segmentation, computed faster: rjieba (jieba-rs) where it provably agrees.

`rjieba <https://pypi.org/project/rjieba/>`_ binds jieba-rs, a Rust port of jieba with the
same dictionary, the same DAG/route and the same HMM, about 18 times faster than Python
jieba. Its output differs from jieba's in two known ways, so it is used only where those
cannot occur:

- jieba-rs runs its HMM over letters and digits too (``3-15`` stays one token; jieba
  splits it ``3 | - | 15``), so it never sees letters or digits;
- the two HMMs break rare ties differently on unknown runs of single characters.

A block of CJK ideographs alone (U+4E00-U+9FD5) is cut by rjieba whole. A block that
mixes them with letters, digits or ``+#&._%-`` (``2021年``, ``GDP增长8.5%``) is cut in
three steps that give jieba's result (:meth:`FastJieba._cut_mixed`):

1. *Route.* jieba's route over a block is the best path through its word graph. Where no
   dictionary word spans the point between an ideograph and another character, every
   path passes through that point, so the route is the routes of the two sides joined
   (the best path's score is a sum; the point adds the same to every path before it).
   The block is cut at every such point; the Chinese pieces get their route from rjieba
   without HMM (its route is jieba's), the others from Python jieba's own ``calc``.
2. *Unknown runs.* Consecutive single-character route words are then handled exactly as
   jieba's ``__cut_DAG`` does over the whole block: a run is kept as one character, split
   into characters when the run is a dictionary word, or else cut by jieba's HMM
   (``finalseg``, Python), so a run across a cut point is treated as one run, as jieba does.

Everything else -- how text is cut into blocks, how non-word characters are emitted --
is jieba's ``Tokenizer.cut`` code path, re-read from jieba's own regexes. The build's words (whitespace
dropped, :meth:`FastJieba.words`) come from ONE rjieba call over the whole text, with every
whitespace run, mixed block and rare character replaced by a placeholder whose words are put
back after: all-ideograph blocks and the characters between blocks are cut alike by both. On the seed
pages, the golden cases and 3,624 generated bodies (1.47 M tokens) the result equals
``jieba.lcut(HMM=True)`` token for token (``tests/test_segment.py``), and at load a canary
text is cut both ways: on any difference, or without rjieba, :func:`fast_segmenter`
returns ``None`` and jieba alone is used. The output never depends on which one ran.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

PURE_HAN = re.compile("[\u4e00-\u9fd5]+")
"""What Python jieba's HMM (``finalseg.re_han``) treats as Chinese."""
RUNS = re.compile("[\u4e00-\u9fd5]+|[^\u4e00-\u9fd5]+")
"""Runs of ideographs and of other characters: where a mixed block may be cut."""

PLACEHOLDER = "\ue000"
"""What stands in rjieba's input for each span :meth:`FastJieba.words` cuts itself: a private-use
character, in no block of jieba's nor of jieba-rs's, so rjieba emits it alone and splits blocks there."""
OWN_CHARS = re.compile("[\ue000\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00010000-\U0010ffff]")
"""Characters jieba emits alone that jieba-rs may put in a block (its ideograph ranges are wider:
U+3400-U+4DBF, U+9FD6-U+9FFF, U+F900-U+FAFF, the other planes), and the placeholder itself."""
SPACES = re.compile(r"\s\s*")
"""Whitespace as jieba's ``re_skip`` sees it (``str.isspace``: jieba-rs's ``\\s`` is a subset). Written
``x x*``, not ``x+``: a pattern opening on a character class scans for it fast (twice as fast here)."""
HAN_RUN = re.compile(f"{PURE_HAN.pattern[:-1]}*")
NO_WORDS: list[str] = []

MAX_REMEMBERED = 1 << 16
"""Mixed blocks whose words are remembered before the memory starts afresh."""

CANARY = (
    "本报讯（记者 张三 通讯员 李四）3月15日上午，庆元县百山祖镇召开2021年乡村振兴工作推进会。"
    "县委常委、副县长王五强调，要坚持“绿水青山就是金山银山”理念，推动A股上市企业落地。"
    "钱江源国家公园体制试点区开化县，GDP增长8.5%。"
)
"""Text cut both ways at load: digits, letters, names, a user-dictionary place, HMM words."""
CANARIES = (CANARY, CANARY[40:], CANARY.replace("，", ""))


@dataclass
class FastJieba:
    """A :class:`~builders.segment.tokenizer.Segmenter` equal to ``tokenizer.lcut(text, HMM=True)``."""

    tokenizer: Any
    """A loaded ``jieba.Tokenizer`` (user dictionary included); its ``FREQ`` may hold the dictionary
    words alone, without jieba's 0-frequency prefix entries: only ``FREQ`` and ``calc`` are used."""
    rust: Any
    """An ``rjieba.Jieba`` holding the same words and frequencies."""
    han: re.Pattern[str]
    skip: re.Pattern[str]
    blocks: re.Pattern[str]
    """:func:`block_pattern` of ``han``."""
    hmm_cut: Any
    """jieba's HMM over an unknown run (``jieba.finalseg.cut``)."""
    mixed_words: frozenset[str] = field(default_factory=frozenset)
    """Dictionary words (frequency > 0) with an ideograph and another character (``A股``, ``4S店``)."""
    mixed_pairs: frozenset[str] = field(default_factory=frozenset)
    """Each two adjacent characters of a mixed word that are one ideograph and one other."""
    longest_mixed: int = 0
    longest_word: int = 0
    """Characters of the longest dictionary word (how far :meth:`_dag` looks)."""
    others: re.Pattern[str] = re.compile("(?!)")
    """A mixed block from its first block character that is no ideograph to its end
    (``[a-zA-Z0-9+#&._%-][\u4e00-\u9fd5a-zA-Z0-9+#&._%-]*``): where mixed blocks are."""
    _mixed_seen: dict[str, list[str]] = field(default_factory=dict, repr=False)
    """Words of the mixed blocks cut so far (:meth:`_mixed_words`)."""
    _pieces_seen: dict[str, list[str]] = field(default_factory=dict, repr=False)
    """Route words of the pieces of mixed blocks seen so far (numbers, years, letters recur far more
    often than whole blocks: 2021 in 2021年 and 2021年底)."""
    _runs_seen: dict[str, list[str]] = field(default_factory=dict, repr=False)
    """Words of the unknown runs seen so far (:meth:`_unknown_run`)."""

    def cut(self, text: str) -> list[str]:
        """The words of ``text`` in order, whitespace included, as jieba cuts them.

        One scan (:attr:`blocks`) finds jieba's blocks and tells the all-ideograph ones
        apart; those go to rjieba in one call, joined by newlines (a newline is a block of
        its own there too, and cut blocks never hold one): one call per text instead of one
        per block. Between blocks jieba emits every character alone, and ``\\r\\n`` whole.
        """
        return self._cut(text, keep_space=True)

    def words(self, text: str) -> list[str]:
        """:meth:`cut` without its whitespace tokens (only the text between blocks holds any).

        rjieba cuts the whole text in one call, every span it could cut otherwise than jieba
        replaced by :data:`PLACEHOLDER` (:meth:`_spans`): whitespace, mixed blocks, the characters
        of :data:`OWN_CHARS`. What is left is all-ideograph blocks, which rjieba cuts as jieba does,
        and characters outside every block, which both emit one by one. Each placeholder it emits
        is then replaced by its span's words: a Python step per span, not per block.
        """
        spans = self._spans(text)
        if not spans:
            words: list[str] = self.rust.cut(text, True)
            return words
        pieces, last = [], 0
        for start, end, _ in spans:
            pieces.append(text[last:start])
            last = end
        pieces.append(text[last:])
        cut = self.rust.cut(PLACEHOLDER.join(pieces), True)
        out: list[str] = []
        at = 0
        for _, _, span_words in spans:
            found = cut.index(PLACEHOLDER, at)
            out += cut[at:found]
            out += span_words
            at = found + 1
        out += cut[at:]
        return out

    def _spans(self, text: str) -> list[tuple[int, int, list[str]]]:
        """(start, end, words) of the whitespace runs (no words), the mixed blocks (:meth:`_mixed_words`)
        and the :data:`OWN_CHARS` (each alone) of ``text``, in order; they never overlap.

        A mixed block is a match of :attr:`others` (from the block's first character that is no
        ideograph to the block's end) and the ideographs before it."""
        spans = [(*m.span(), NO_WORDS) for m in SPACES.finditer(text)]
        spans += [(*m.span(), [m.group()]) for m in OWN_CHARS.finditer(text)]
        reverse, length = "", len(text)
        for m in self.others.finditer(text):
            reverse = reverse or text[::-1]
            start, end = length - _end(HAN_RUN.match(reverse, length - m.start())), m.end()
            spans.append((start, end, self._mixed_words(text[start:end])))  # (remembered per block)
        spans.sort()  # by start: spans never share one, so the word lists are never compared
        return spans

    def _cut(self, text: str, keep_space: bool) -> list[str]:
        parts: list[list[str] | None] = []  # None: the next all-ideograph block's words
        pure: list[str] = []
        for han, mixed, other in self.blocks.findall(text):
            if han:
                pure.append(han)
                parts.append(None)
            elif mixed:
                parts.append(self._mixed_words(mixed))
            elif not keep_space:
                parts.append(list("".join(other.split())))
            else:
                parts.append(list(other) if "\r\n" not in other else _between_blocks(other, self.skip))
        return _stitch(parts, self.rust.cut("\n".join(pure), True) if pure else [])

    def _mixed_words(self, block: str) -> list[str]:
        """:meth:`_cut_mixed`, remembered: mixed blocks repeat (``3月15日``, ``2021年``); the
        returned list is shared, never to be changed."""
        return _remembered(self._mixed_seen, block, self._cut_mixed)

    def _cut_mixed(self, block: str) -> list[str]:
        """jieba's words of a block mixing ideographs and other characters (see the module's docstring)."""
        words: list[str] = []
        run = ""
        for word in self._route(block):
            if len(word) == 1:
                run += word
                continue
            if run:
                words.extend(self._unknown_run(run))
                run = ""
            words.append(word)
        if run:
            words.extend(self._unknown_run(run))
        return words

    def _unknown_run(self, run: str) -> list[str]:
        """``__cut_DAG`` on a run of single-character route words (remembered: a shared list)."""
        if len(run) == 1:
            return [run]
        return _remembered(self._runs_seen, run, self._cut_unknown_run)

    def _cut_unknown_run(self, run: str) -> list[str]:
        if self.tokenizer.FREQ.get(run):
            return list(run)
        return list(self.hmm_cut(run))

    def _route(self, block: str) -> Iterator[str]:
        """jieba's route words over ``block``, piece by piece between the points no word spans."""
        start = 0
        for match in RUNS.finditer(block):
            cut = match.start()
            if cut and not self._spanned(block, cut):
                yield from self._piece_route(block[start:cut])
                start = cut
        yield from self._piece_route(block[start:])

    def _spanned(self, block: str, cut: int) -> bool:
        """True when a mixed dictionary word spans the point ``cut`` of ``block``."""
        if block[cut - 1 : cut + 1] not in self.mixed_pairs:
            return False
        longest = self.longest_mixed
        return any(block[s:e] in self.mixed_words for s in range(max(0, cut - longest + 1), cut)
                   for e in range(cut + 1, min(len(block), s + longest) + 1))

    def _piece_route(self, piece: str) -> list[str]:
        """jieba's route over one piece of a mixed block (remembered: a shared list)."""
        return _remembered(self._pieces_seen, piece, self._route_piece)

    def _route_piece(self, piece: str) -> list[str]:
        if PURE_HAN.fullmatch(piece):
            words: list[str] = self.rust.cut(piece, False)
            return words
        dag = self._dag(piece)
        route: dict[int, tuple[float, int]] = {}
        self.tokenizer.calc(piece, dag, route)
        out, x = [], 0
        while x < len(piece):
            y = route[x][1] + 1
            out.append(piece[x:y])
            x = y
        return out


    def _dag(self, piece: str) -> dict[int, list[int]]:
        """jieba's ``get_DAG`` (the ends of the dictionary words starting at each point, or the point
        itself) from the words alone: jieba walks each point's prefixes until one is in no word, which
        finds the same words, since every prefix of a word is a prefix entry of its ``FREQ``."""
        freq, n = self.tokenizer.FREQ, len(piece)
        return {k: [i for i in range(k, min(n, k + self.longest_word)) if freq.get(piece[k : i + 1])] or [k]
                for k in range(n)}


def _remembered(seen: dict[str, list[str]], key: str, compute: Callable[[str], list[str]]) -> list[str]:
    """``compute(key)``, remembered in ``seen`` (which starts afresh at :data:`MAX_REMEMBERED` entries)."""
    words = seen.get(key)
    if words is None:
        if len(seen) >= MAX_REMEMBERED:
            seen.clear()
        words = seen[key] = compute(key)
    return words


def _end(match: re.Match[str] | None) -> int:
    if match is None:  # never: the pattern matches the empty string
        raise ValueError("no match")
    return match.end()


def _stitch(parts: list[list[str] | None], pure: list[str]) -> list[str]:
    """The words of ``parts`` in order, each None replaced by the next newline-separated run of ``pure``."""
    words: list[str] = []
    start = 0
    for part in parts:
        if part is None:
            try:
                end = pure.index("\n", start)
            except ValueError:
                end = len(pure)
            words += pure[start:end]
            start = end + 1
        else:
            words += part
    return words


def _between_blocks(run: str, skip: re.Pattern[str]) -> list[str]:
    """jieba's tokens of the text between two blocks: whitespace (``\\r\\n`` whole) and every other character alone."""
    return [p for part in skip.split(run) if part for p in ((part,) if skip.match(part) else part)]


def block_pattern(han: re.Pattern[str]) -> re.Pattern[str]:
    """jieba's blocks (``re_han_default``, e.g. ``([\\u4e00-\\u9fd5a-zA-Z0-9+#&._%-]+)``) in three groups: a
    block of ideographs alone (:data:`PURE_HAN`), any other block, the text between blocks."""
    chars = re.fullmatch(r"\((\[.+\])\+\)", han.pattern)
    if chars is None:
        raise ValueError(f"unexpected jieba block pattern {han.pattern!r}")
    inside = chars.group(1)[1:-1]
    return re.compile(rf"({PURE_HAN.pattern[:-1]}++(?!{chars.group(1)}))|({chars.group(1)}+)|([^{inside}]+)")


def other_runs(han: re.Pattern[str]) -> re.Pattern[str]:
    """The rest of a block of jieba's block pattern ``han`` (:func:`block_pattern`) from its first
    character that is no ideograph (:attr:`FastJieba.others`)."""
    chars = re.fullmatch(r"\((\[.+\])\+\)", han.pattern)
    inside = chars.group(1)[1:-1] if chars else ""
    ideographs = PURE_HAN.pattern[1:-2]
    if ideographs not in inside:
        raise ValueError(f"unexpected jieba block pattern {han.pattern!r}")
    others = f"[{inside.replace(ideographs, '')}]"
    return re.compile(f"{others}[{inside}]*")  # a class first: see SPACES


def mixed_words(freq: Mapping[str, int]) -> list[str]:
    """Dictionary words (frequency > 0) mixing ideographs with other characters, sorted."""
    return sorted(w for w, n in freq.items() if n and not PURE_HAN.fullmatch(w) and PURE_HAN.search(w))


_DEFAULT_TAKEN = False


def _new_rjieba() -> Any:
    """A fresh ``rjieba.Jieba`` (its default dictionary), or None without rjieba. The first one of a
    process is the one the package builds at import (``rjieba._DEFAULT_JIEBA``, which nothing else
    uses here): building a second costs as much again (0.2 s)."""
    global _DEFAULT_TAKEN
    try:
        import rjieba
    except ImportError:
        return None
    if _DEFAULT_TAKEN or not isinstance(getattr(rjieba, "_DEFAULT_JIEBA", None), rjieba.Jieba):
        return rjieba.Jieba()
    _DEFAULT_TAKEN = True
    return rjieba._DEFAULT_JIEBA


def fast_segmenter(
    tokenizer: Any, user_words: list[str], tags: Mapping[str, str], base_freq: dict[str, int], mixed: list[str],
    canaries: list[list[str]] | None = None,
) -> FastJieba | None:
    """rjieba loaded with the user dictionary as jieba loaded it, or None when rjieba is
    missing or disagrees with jieba on :data:`CANARY`.

    Args:
        tokenizer: the initialised ``jieba.Tokenizer`` with the user dictionary loaded.
        user_words: the user dictionary's words, in file order.
        tags: POS tags by word (for rjieba's own ``tag``; they do not change cutting).
        base_freq: jieba's own frequency of the user words it already knew: jieba adds
            a re-added word's new frequency to its total without taking the old one off,
            jieba-rs swaps them; a placeholder entry makes both totals equal.
        mixed: :func:`mixed_words` of the tokenizer's dictionary.
        canaries: Python jieba's words of each :data:`CANARIES` text, when known (memoised with
            the dictionary); else ``tokenizer.lcut`` cuts them (it must then hold jieba's full ``FREQ``).
    """
    rust = _new_rjieba()
    if rust is None:
        return None
    for word in user_words:
        rust.add_word(word, tokenizer.FREQ.get(word, 0), tags.get(word))
    # Private-use characters: never in a block rjieba is given (PURE_HAN), only the total counts.
    rust.add_word("\ue000\ue000", sum(base_freq.values()) or 1, None)
    import jieba
    import jieba.finalseg

    pairs = frozenset(w[i : i + 2] for w in mixed for i in range(len(w) - 1)
                      if bool(PURE_HAN.match(w[i])) != bool(PURE_HAN.match(w[i + 1])))
    fast = FastJieba(tokenizer, rust, jieba.re_han_default, jieba.re_skip_default,
                     block_pattern(jieba.re_han_default), jieba.finalseg.cut,
                     frozenset(mixed), pairs, max(map(len, mixed), default=0), max(map(len, tokenizer.FREQ), default=1),
                     other_runs(jieba.re_han_default))
    expected = canaries if canaries is not None else [tokenizer.lcut(text, HMM=True) for text in CANARIES]
    words = [[w for w in cut if not w.isspace()] for cut in expected]
    agrees = [fast.cut(text) for text in CANARIES] == expected and [fast.words(t) for t in CANARIES] == words
    return fast if agrees else None
