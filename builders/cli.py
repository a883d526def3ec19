"""The ``xianbao`` command: a thin layer over the library API.

Each command parses its arguments, calls one library function, and turns a project
error into one clear line on stderr and a non-zero exit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from builders import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xianbao")
def main() -> None:
    """xianbao: Chinese county-newspaper pages -> a validated, versioned dataset of articles."""


@main.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
def parse_cmd(files: tuple[Path, ...]) -> None:
    """Print the articles of page FILES as JSON lines (one Article per line).

    `source_file` is each path as given. A file that cannot be parsed prints its
    reject reason on stderr; the other files are still handled. Exit code 1 when
    any file was rejected.
    """
    from builders.pipeline import process_file

    failed = 0
    for path in files:
        result = process_file(path)
        for problem in result.problems:
            if problem.severity == "reject" or not result.articles:
                where = f"{problem.source_file}:{problem.line}" if problem.line else problem.source_file
                click.echo(f"{where}: {problem.code}: {problem.message}", err=True)
        failed += result.rejected
        for article in result.articles:
            sys.stdout.write(json.dumps(article.model_dump(mode="json"), ensure_ascii=False) + "\n")
    if failed:
        sys.exit(1)


@main.command("schema")
@click.option("--check", is_flag=True, help="Only check that the committed file is up to date.")
def schema_cmd(check: bool) -> None:
    """Regenerate schema/article.schema.json from the pydantic models."""
    from schema.export import main as export_main

    sys.exit(export_main(["--check"] if check else []))
