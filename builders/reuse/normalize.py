"""Body text -> the code points that count as evidence of reuse, with their body offsets.

NFKC and width folding (``１２３`` = ``123``, ``Ａ`` = ``a``), lower case; punctuation, symbols
and spaces dropped; the lead (电头 ``新华社北京3月5日电（记者 …）``, ``据新华社电``, ``本报讯``)
and credit lines (``来源：…``, ``编辑：…``) left out, since reprints rewrite or drop them.
Folding keeps one character per character, so every kept code point maps back to its
offset in the body.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

OUTLETS = (
    "新华社|人民日报|中新社|中国新闻社|新华网|人民网|央视网|央视新闻|中央电视台|光明日报|经济日报|求是|"
    "浙江日报|浙江在线|潮新闻|浙江新闻|[\u4e00-\u9fff]{2,6}(?:日报|晚报|新闻网|融媒体中心)"
)
LEAD = re.compile(
    rf"\A\s*[（(]?(?:据|转自)?(?P<outlet>{OUTLETS})[^，。,\n]{{0,24}}?(?:电|讯|消息|报道)"
    r"(?:\s*[（(][^）)\n]{0,40}[）)])?[\s：:，,]*"
)
LOCAL_LEAD = re.compile(r"\A\s*本报讯(?:\s*[（(][^）)\n]{0,40}[）)])?[\s：:，,]*")
CREDIT_LINE = re.compile(
    rf"^[ \t（(]*(?:来源|稿源|转自|编辑|责任编辑|审核|校对|作者)\s*[：:]\s*(?P<outlet>{OUTLETS})?[^\n]{{0,40}}$",
    re.MULTILINE,
)
INLINE_SOURCE = re.compile(rf"[（(]\s*(?:来源|稿源)\s*[：:]\s*(?P<outlet>{OUTLETS}|[^）)\n]{{1,20}})\s*[）)]\s*\Z")


@functools.cache
def fold_table() -> npt.NDArray[np.uint32]:
    """Code point of the BMP -> folded code point (NFKC when it is one character, lower case), or 0 (dropped).

    Characters beyond the BMP (rare CJK extensions) are kept as they are."""
    table = np.zeros(0x10000, dtype=np.uint32)
    for cp in range(0x10000):
        folded = unicodedata.normalize("NFKC", chr(cp)).lower()
        if len(folded) != 1:
            folded = chr(cp)
        if folded.isalnum() or unicodedata.category(folded) == "Lo":
            table[cp] = ord(folded)
    return table


@dataclass(frozen=True)
class Normalized:
    """The evidence of one body: folded code points and the body offset of each."""

    codes: npt.NDArray[np.uint32]
    where: npt.NDArray[np.int32]
    breaks: npt.NDArray[np.int32]
    """Normalised position where each paragraph after the first begins (sorted, distinct; a line of the
    body with no kept character is no paragraph)."""

    def __len__(self) -> int:
        return len(self.codes)


def masked_ranges(body: str) -> list[tuple[int, int]]:
    """Character ranges of the body's lead and credit lines.

    The leads match only at the start (``match``, not a scan), an inline source only when the
    body ends with a closing bracket, credit lines only when one of their words (来源, 稿源, 转自,
    编辑, 审核, 校对, 作者) is printed."""
    found = [m.span() for p in (LEAD, LOCAL_LEAD) if (m := p.match(body))]
    if _may_have_credit_line(body):
        found += [m.span() for m in CREDIT_LINE.finditer(body)]
    if _may_end_with_source(body):
        found += [m.span() for m in INLINE_SOURCE.finditer(body)]
    return found


CREDIT_WORD = re.compile("来源|稿源|转自|编辑|审核|校对|作者")


def _may_have_credit_line(body: str) -> bool:
    return CREDIT_WORD.search(body) is not None


def _may_end_with_source(body: str) -> bool:
    return body.rstrip()[-1:] in ("）", ")")


def fold(codes: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """Folded code points (a new array): :func:`fold_table` in the BMP, others kept."""
    if not len(codes) or int(codes.max()) < 0x10000:
        return fold_table().take(codes)
    bmp = codes < 0x10000
    return np.where(bmp, fold_table()[np.where(bmp, codes, 0)], codes)


def normalize(body: str) -> Normalized:
    """The evidence of ``body``: see the module docstring."""
    raw = np.frombuffer(body.encode("utf-32-le"), dtype=np.uint32)
    folded = fold(raw)
    for start, end in masked_ranges(body):
        folded[start:end] = 0
    where = np.flatnonzero(folded).astype(np.int32)
    return Normalized(folded[where], where, paragraph_breaks(body, where))


def paragraph_breaks(body: str, where: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    """Normalised positions of the paragraphs after the first: the kept character after each line break."""
    lines, at = [], body.find("\n")
    while at >= 0:
        lines.append(at + 1)
        at = body.find("\n", at + 1)
    starts = np.searchsorted(where, lines).astype(np.int32)
    keep = (starts > 0) & (starts < len(where))
    keep[1:] &= starts[1:] != starts[:-1]  # non-decreasing: a repeat is a line with no kept character
    return starts[keep]


def credited_to(body: str, attribution: str | None = None) -> str | None:
    """The outlet a record credits as its source, when printed: a 新华社/人民日报 lead,
    ``据…电``, a ``来源：…`` line, or an attribution naming an outlet."""
    for pattern, may in ((LEAD, None), (CREDIT_LINE, _may_have_credit_line), (INLINE_SOURCE, _may_end_with_source)):
        match = pattern.match(body) if may is None else pattern.search(body) if may(body) else None
        if match and match.group("outlet"):
            return match.group("outlet")
    if attribution:
        match = re.search(OUTLETS, attribution)
        if match:
            return match.group(0)
    return None


WIRE = re.compile(rf"(?:据|转自)?(?P<outlet>{OUTLETS})[^，。,\n]{{0,24}}?(?:电|讯)")
LEAD_WINDOW = 200
"""Characters of an article's page text searched for its 电头 (the titles come first)."""


def lead_credit(article_text: str) -> str | None:
    """The outlet of a 电头 near the start of an article's page text (the parser takes it out of the body)."""
    match = WIRE.search(article_text[:LEAD_WINDOW])
    return match.group("outlet") if match else None
