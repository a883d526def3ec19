"""The few exceptions of xianbao, grouped by what happens next.

Bad input pages are not exceptions: they become problems in ``rejects.jsonl`` and the
build goes on. Each message says what broke, where, and how to fix it; the CLI prints
it as one line and exits non-zero.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class XianbaoError(Exception):
    """Base of every error the CLI turns into one line and a non-zero exit."""


class ConfigError(XianbaoError):
    """Arguments, pyproject.toml or the seeds folder are wrong: stopped before any work."""


class MissingExtraError(ConfigError):
    """A command needs an optional extra that is not installed: the message says which to install."""


def need_extra(module: str, extra: str, what: str) -> ModuleType:
    """Import ``module`` of the optional extra ``extra``, or raise :class:`MissingExtraError` saying how to
    install it (the CLI exits 2 with that one line)."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise MissingExtraError(f'{what} needs {module}, which is not installed: pip install "xianbao[{extra}]"'
                                ) from err


def one_line(err: BaseException) -> str:
    """The first line of ``err``'s message (no final full stop), or its class name when it has none: the cause
    quoted in an error line."""
    lines = str(err).strip().splitlines()
    return lines[0].rstrip(".") if lines else type(err).__name__


class InvalidRecordError(XianbaoError):
    """A record failed validation and ``on_invalid="error"`` was asked: nothing released."""


class NoRecordsError(XianbaoError):
    """Seeds were read but no page gave a record (every one a reject): nothing released."""


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
