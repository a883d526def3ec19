"""The few exceptions of xianbao, grouped by what happens next.

Bad input pages are not exceptions: they become problems in ``rejects.jsonl`` and the
build goes on. Each message says what broke, where, and how to fix it; the CLI prints
it as one line and exits non-zero.
"""

from __future__ import annotations


class XianbaoError(Exception):
    """Base of every error the CLI turns into one line and a non-zero exit."""


class ConfigError(XianbaoError):
    """Arguments, pyproject.toml or the seeds folder are wrong: stopped before any work."""


class InvalidRecordError(XianbaoError):
    """A record failed validation and ``on_invalid="error"`` was asked: nothing released."""


class ReleaseExistsError(XianbaoError):
    """The version already exists with different content: bump the version or use --force."""


class OutputError(XianbaoError):
    """Writing the release failed (disk, permissions, a broken file): nothing released."""


class BuildLockedError(OutputError):
    """Another build holds the lock of the output dataset folder: nothing was written."""


class InvalidReleaseError(XianbaoError):
    """A release folder is missing or fails validation: nothing is published or exported."""


class PublishError(XianbaoError):
    """A publish target refuses the release (no token, tag taken by other content, incompatible schema)."""
