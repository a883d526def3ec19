"""Values as data in Markdown: a manifest or page value never breaks a table or injects HTML."""

from __future__ import annotations

import html
import re

BREAKS = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")
SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
"""Markdown punctuation that could start emphasis, code, a link, a heading, a strike or a table cell."""


def cell(value: str) -> str:
    """``value`` as literal text for one Markdown table cell or line: one line, HTML and Markdown escaped."""
    return SPECIAL.sub(r"\\\1", html.escape(BREAKS.sub(" ", value), quote=False))
