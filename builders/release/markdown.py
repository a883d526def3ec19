"""Values as data in Markdown: a manifest or page value never breaks a table or injects HTML.

One escaping, two places: :func:`cell` for a table cell, :func:`inline` for the rest of a line
(a list item after its label, a heading after its ``#``). Both put the value on one line and
escape HTML (``<``, ``&``) and the punctuation that starts emphasis, code, a link, a heading, a
strike or a table column (``|``). They differ in one character: :func:`inline` leaves a ``_``
between two letters or digits, which cannot open or close emphasis, so an ordinary page name
(``000_a.txt``) reads as it is in the card, CHANGELOG.md and ``xianbao diff``; :func:`cell`
escapes every ``_``, as the card's tables always have (their bytes stay the same).
"""

from __future__ import annotations

import html
import re

BREAKS = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")
SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
"""Markdown punctuation that could start emphasis, code, a link, a heading, a strike or a table cell."""
INLINE_SPECIAL = re.compile(r"([\\`*\[\]|~#]|(?<![^\W_])_|_(?![^\W_]))")
""":data:`SPECIAL` but for a ``_`` between two letters or digits (it cannot open or close emphasis there)."""


def _literal(value: str, special: re.Pattern[str]) -> str:
    """``value`` on one line, HTML escaped, with a backslash before each ``special`` match."""
    return special.sub(r"\\\1", html.escape(BREAKS.sub(" ", value), quote=False))


def cell(value: str) -> str:
    """``value`` as literal text for one Markdown table cell: one line, HTML and Markdown escaped."""
    return _literal(value, SPECIAL)


def inline(value: str) -> str:
    """``value`` as literal text inside a line that is not a table row (after a list item's label):
    one line, HTML and Markdown escaped; ordinary names (``000_a.txt``, ``庆元报``) are unchanged."""
    return _literal(value, INLINE_SPECIAL)
