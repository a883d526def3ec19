"""What every command prints, and how loudly: ``-q``, ``-v``, ``--no-progress``, ``--json``, ``--version``.

Results go to stdout (one summary line, or one JSON object with ``--json``); problems,
warnings and progress go to stderr, so ``--json`` output can be piped as it is.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from builders import __version__

F = TypeVar("F", bound=Callable[..., Any])
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters a terminal acts on (escape sequences, carriage return, bidi overrides): a page name may hold them."""


def terminal_safe(text: str, one_line: bool = True) -> str:
    """``text`` with the characters a terminal would act on shown as escapes (``\\x1b``); a newline too
    when ``one_line`` (a name holding one must not forge a line of the summary)."""
    text = CONTROLS.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 256 else f"\\u{ord(m[0]):04x}", text)
    return text.replace("\n", "\\n") if one_line else text


class SafeFormatter(logging.Formatter):
    """Log lines through :func:`terminal_safe`: a logged page name must not drive the terminal either."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal_safe(super().format(record))


EXIT_CODES = "Exit codes: 0 done; 1 the work failed or found problems; 2 bad input or usage (nothing was done)."


@dataclass(frozen=True)
class Output:
    """How loudly a command speaks."""

    quiet: bool = False
    verbose: int = 0
    progress: bool | None = None
    as_json: bool = False

    def result(self, summary: str, data: Any) -> None:
        """The command's result: ``data`` as JSON with ``--json``, else the summary line (none with ``-q``)."""
        if self.as_json:
            click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str))
        elif not self.quiet:
            click.echo(terminal_safe(summary, one_line=False))

    def note(self, line: str) -> None:
        """A line for the person at the terminal (stderr), unless ``-q``."""
        if not self.quiet:
            click.echo(terminal_safe(line), err=True)


def version_option() -> Callable[[F], F]:
    """``--version``: xianbao's own version, on every command and group (the README promises it)."""
    return click.version_option(__version__, "--version", prog_name="xianbao", help="Show the version and exit.")


def output_options(json_help: str = "Print the result as one JSON object on stdout.") -> Callable[[F], F]:
    """Add ``--version``, ``-q``, ``-v``, ``--no-progress`` and ``--json`` to a command.

    The command receives ``quiet``, ``verbose``, ``no_progress`` and ``as_json``: pass them to :func:`make_output`.
    """

    def decorate(command: F) -> F:
        options = [
            version_option(),
            click.option("-q", "--quiet", is_flag=True, help="Print only errors (and the --json object)."),
            click.option("-v", "--verbose", count=True, help="Log more: -v every warning, -vv debugging detail."),
            click.option("--no-progress", is_flag=True, help="No progress bar or progress lines."),
            click.option("--json", "as_json", is_flag=True, help=json_help),
        ]
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def make_output(quiet: bool, verbose: int, no_progress: bool, as_json: bool) -> Output:
    """The :class:`Output` of the options; sets up logging on stderr to match."""
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    handler = logging.StreamHandler()
    handler.setFormatter(SafeFormatter("%(levelname)s: %(message)s"))
    logging.basicConfig(handlers=[handler], level=level, force=True)
    return Output(quiet, verbose, False if (no_progress or quiet) else None, as_json)
