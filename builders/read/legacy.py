"""Which legacy Chinese encoding a page that is not UTF-8 is in: GB18030 (GBK, GB2312) or Big5.

Nearly any Big5 file is also valid GB18030 (their two-byte ranges overlap), so it decodes
without an error into nonsense (臺灣報紙 -> 喘芖厨成). What tells them apart is which characters
come out. A simplified-Chinese page decoded as GB18030 is almost all GB2312 characters (the
6,763 of everyday use; under 1% of its non-ASCII bytes on the development pages are outside it),
while Big5 read as GB18030 is about half rare GBK extension characters. A traditional page
decoded as Big5 (Microsoft's code page 950, the Big5 of Windows and most archives) is mostly
Big5 level-1 characters (the 5,401 common ones). Each test looks at the decoded text only, so
the choice is deterministic and explainable.
"""

from __future__ import annotations

import functools
import re

GB, BIG5 = "gb18030", "cp950"
MAX_RARE_GB = 0.2
"""Largest share of a page's non-ASCII GB18030 bytes outside GB2312 for it to be read as GB18030
without trying Big5 (simplified pages: < 0.01; Big5 read as GB18030: ~0.6)."""
MIN_COMMON_BIG5 = 0.8
"""Least share of a page's ideographs among Big5's level-1 characters for it to be read as Big5."""
IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")


def rare_gb_share(text: str) -> float:
    """The share of ``text``'s non-ASCII GB18030 bytes that encode characters outside GB2312."""
    encoded, common = len(text.encode(GB)), len(text.encode("gb2312", "ignore"))
    wide = encoded - len(text.encode("ascii", "ignore"))
    return (encoded - common) / wide if wide else 0.0


@functools.cache
def _big5_level1() -> frozenset[str]:
    """Big5's level-1 characters (lead bytes A4-C6: the common ones, in stroke order)."""
    trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    pairs = (bytes([lead, trail]) for lead in range(0xA4, 0xC7) for trail in trails)
    return frozenset(pair.decode(BIG5, "ignore") for pair in pairs) - {""}


def common_big5_share(text: str) -> float:
    """The share of ``text``'s ideographs that are Big5 level-1 characters (0 without ideographs)."""
    ideographs = IDEOGRAPH.findall(text)
    level1 = _big5_level1()
    return sum(ch in level1 for ch in ideographs) / len(ideographs) if ideographs else 0.0


def decode_legacy(raw: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` of bytes that are not UTF-8: GB18030, unless its text looks like Big5 read
    as GB18030 and the bytes are plausible Big5; None when they are neither."""
    try:
        text = raw.decode(GB)
    except UnicodeDecodeError:
        return _big5(raw)
    if rare_gb_share(text) <= MAX_RARE_GB:
        return text, GB
    return _big5(raw) or (text, GB)


def _big5(raw: bytes) -> tuple[str, str] | None:
    try:
        text = raw.decode(BIG5)
    except UnicodeDecodeError:
        return None
    return (text, BIG5) if common_big5_share(text) >= MIN_COMMON_BIG5 else None
