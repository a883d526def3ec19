"""The print date an archive's path names: ``20200103-11.txt``, ``2020-01-03/04.txt``, ``…/2020/01/03/…``.

Archives name files and folders by date and page; where a path carries a full date,
that is the print date of every article on the page (the manifest still wins).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from builders.enrich.dates import EARLIEST_YEAR, LATEST_YEAR, normalize


@dataclass(frozen=True)
class PathDate:
    """The print date (and page) an archive's file or folder names carry."""

    date: datetime.date
    page: str | None
    text: str
    """The part of the path that shows the date, e.g. 20200103-11 or 2020/01/03."""


_SEP = r"[-_./]"
_PATH_DATES = (
    re.compile(rf"(?<!\d)((?:19|20)\d\d)({_SEP})(\d\d)\2(\d\d)(?!\d)"),  # 2020-01-03, 2020/01/03, 2020_01_03
    re.compile(r"(?<!\d)((?:19|20)\d\d)()(\d\d)(\d\d)(?![0-9A-Za-z])"),  # 20200103, pd20200103 (not in a hash)
    re.compile(r"((?:19|20)\d\d)(年)(\d{1,2})月(\d{1,2})日"),  # 2020年1月3日
)
_PAGE_AFTER = re.compile(r"^(?:[-_ ]?(?:第)?)(\d{1,3})(?:版)?(?:\.\w+)?$")
_PAGE_FILE = re.compile(r"^(?:第)?(\d{1,3})(?:版)?(?:\.\w+)?$")


def _real_date(year: str, month: str, day: str) -> datetime.date | None:
    try:
        found = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return found if EARLIEST_YEAR <= found.year <= LATEST_YEAR else None


def path_date(path: str) -> PathDate | None:
    """The date an archive path names: ``20200103-11.txt``, ``2020-01-03/04.txt``, ``…/2020/01/03/…``.

    The last date in the path wins (the file's own name before its folders); the page is
    the number right after the date in the same name (``-11``) or a file named by a
    number alone (``04.txt``) under a dated folder. None when no real date is written.
    """
    normalized = normalize(path).replace("\\", "/")
    for pattern in _PATH_DATES:
        for match in reversed(list(pattern.finditer(normalized))):
            found = _real_date(match.group(1), match.group(3), match.group(4))
            if found:
                return PathDate(found, _page_after(normalized, match.end()), match.group(0))
    return None


def _page_after(path: str, end: int) -> str | None:
    rest = path[end:]
    if "/" not in rest:
        same = _PAGE_AFTER.match(rest)
        return same.group(1) if same else None
    file_page = _PAGE_FILE.match(rest.rsplit("/", 1)[1])
    return file_page.group(1) if file_page else None
