"""Build progress: a tqdm bar on a terminal, plain periodic lines elsewhere (CI, cluster logs).

Progress moves when a shard task finishes (pages, articles, rejects of that shard);
the rate and ETA are over pages.
"""

from __future__ import annotations

import sys
import time
from typing import IO

from tqdm import tqdm  # type: ignore[import-untyped]

LOG_EVERY_SECONDS = 30.0


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class Progress:
    """Reports pages, articles and rejects done out of ``total`` pages.

    Args:
        total: Seed pages of the build.
        show: True for a tqdm bar, False for nothing, None for a bar on a terminal
            and plain lines (every ``every`` seconds) otherwise.
        stream: Where to write (stderr).
        every: Seconds between plain lines.
    """

    def __init__(self, total: int, show: bool | None, stream: IO[str] | None = None, every: float = LOG_EVERY_SECONDS):
        self.stream = stream or sys.stderr
        self.total, self.every = total, every
        self.pages = self.articles = self.rejects = 0
        self.started = self.last_line = time.monotonic()
        tty = self.stream.isatty()
        self.lines = show is None and not tty
        bar = show or (show is None and tty)
        self.bar = tqdm(total=total, desc="build", unit="page", file=self.stream) if bar else None

    def update(self, pages: int, articles: int, rejects: int) -> None:
        """Count one finished shard."""
        self.pages += pages
        self.articles += articles
        self.rejects += rejects
        if self.bar is not None:
            self.bar.set_postfix(articles=self.articles, rejects=self.rejects, refresh=False)
            self.bar.update(pages)
        elif self.lines and time.monotonic() - self.last_line >= self.every:
            self.stream.write(self.line() + "\n")
            self.stream.flush()
            self.last_line = time.monotonic()

    def line(self) -> str:
        """``build: 1200/5000 pages (24%), 6100 articles, 3 rejects, 41.2 pages/s, ETA 1m32s``."""
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.pages / elapsed
        eta = _duration((self.total - self.pages) / rate) if rate else "?"
        share = 100 * self.pages // max(self.total, 1)
        return (
            f"build: {self.pages}/{self.total} pages ({share}%), {self.articles} articles, "
            f"{self.rejects} rejects, {rate:.1f} pages/s, ETA {eta}"
        )

    def close(self) -> None:
        """Close the bar."""
        if self.bar is not None:
            self.bar.close()
