"""Problems with single pages or records: data, not exceptions.

A problem carries a stable kebab-case ``code`` from :data:`CODES`, the seed file and
line it is about, and a human message. Problems are collected into the build report
and, for pages or records that do not make it into the release, ``rejects.jsonl``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["reject", "warning"]

CODES: dict[str, tuple[Severity, str]] = {
    "empty-page": ("reject", "The page file has no bytes."),
    "blank-page": ("reject", "The page file holds only whitespace."),
    "binary-file": ("reject", "The page file holds NUL bytes or control characters: not a text dump."),
    "undecodable-bytes": ("reject", "The page file is neither UTF-8, GB18030 nor Big5 text."),
    "unreadable-file": ("reject", "The page file could not be read (permissions, a broken link)."),
    "special-file": ("reject", "A FIFO, device or socket named like a page: rejected without being opened."),
    "link-outside-seeds": ("reject", "A symbolic link to a file outside the seeds folder: rejected, never read."),
    "page-too-large": ("reject", "The page file is over 16 MiB (rejected without being read) or over 20,000 "
                       "lines: split the dump."),
    "skipped-file": ("warning", "A file of the seeds folder that is not a page (*.txt) or manifest.csv: not read."),
    "unreadable-folder": ("warning", "A folder under seeds/ could not be listed: its pages are not in the release."),
    "format-controls-removed": ("warning", "Invisible format characters (bidi controls, zero-width spaces) or a "
                                "few stray control characters (ESC, BEL) were removed from the page text."),
    "no-articles": ("reject", "The page has text but no article could be found in it."),
    "no-headline": ("reject", "A body of text was found with no title line above it."),
    "continued-without-headline": ("reject", "Text continued from another page ((上接第一版)…) with no headline "
                                   "of its own here (at the top of the page, or after an article's text): the rest "
                                   "of that page's article; not made an article."),
    "no-body": ("reject", "Title lines with no text, caption or box after them; not made an article."),
    "page-furniture": ("warning", "A page header or editor line (第1版, 责任编辑：…), not part of any article."),
    "invalid-record": ("reject", "A record failed validation against the Article model."),
    "bad-manifest-row": ("warning", "A row of seeds/manifest.csv could not be read; it was ignored."),
    "unknown-region-code": ("warning", "A region code of seeds/manifest.csv names no division the table knows "
                            "(GB/T 2260): the page's records keep the code, with empty names."),
    "internal-error": ("reject", "xianbao itself failed on this page: a bug; the page is kept as a reject."),
    "unassigned-line": ("warning", "A non-blank line fed no field of any article."),
    "reattached-fragment": ("warning", "A misplaced fragment was moved to the article whose sentence it completes."),
    "duplicate-id": ("warning", "Two articles of one page had the same content; the later one got a suffix."),
}
"""Every problem code with its severity and meaning. Codes never change meaning."""


class Problem(BaseModel):
    """One problem found while reading, parsing, enriching or validating a page."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="Stable kebab-case code from CODES.")
    source_file: str = Field(description="Seed page, POSIX path relative to seeds/.")
    line: int | None = Field(ge=1, description="1-based line in the decoded page text, when known.")
    message: str = Field(description="What is wrong and, where it helps, how to fix it.")
    locations: list[str] = Field(
        default_factory=list, description="Field paths for invalid records, e.g. bylines.0.name."
    )

    @property
    def severity(self) -> Severity:
        """Whether the page or record is rejected or only warned about."""
        return CODES.get(self.code, ("reject", ""))[0]
