"""The ``xianbao`` command: a thin layer over the library API.

Each command parses its arguments, calls one library function, and turns a project
error into one clear line on stderr and a non-zero exit.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from builders import __version__
from builders.cli_output import EXIT_CODES, make_output, output_options, terminal_safe, version_option
from builders.cli_scale import scale_options, scale_overrides


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="xianbao")
def main() -> None:
    """xianbao: Chinese county-newspaper pages -> a validated, versioned dataset of articles."""


@main.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@version_option()
def parse_cmd(files: tuple[Path, ...]) -> None:
    """Print the articles of page FILES as JSON lines (one Article per line).

    `source_file` is each path as given. A file that cannot be parsed prints its
    reject reason on stderr; the other files are still handled. Exit code 1 when
    any file was rejected.
    """
    from builders.pipeline import process_file

    failed = 0
    for path in files:
        result = _run(functools.partial(process_file, path))
        for problem in result.problems:
            if problem.severity == "reject" or not result.articles:
                where = f"{problem.source_file}:{problem.line}" if problem.line else problem.source_file
                click.echo(terminal_safe(f"{where}: {problem.code}: {problem.message}"), err=True)
        failed += result.rejected
        for article in result.articles:
            sys.stdout.write(json.dumps(article.model_dump(mode="json"), ensure_ascii=False) + "\n")
    if failed:
        sys.exit(1)


@main.command("schema")
@click.option("--check", is_flag=True, help="Only check that the committed file is up to date.")
@version_option()
def schema_cmd(check: bool) -> None:
    """Regenerate schema/article.schema.json from the pydantic models."""
    from schema.export import main as export_main

    sys.exit(export_main(["--check"] if check else []))


@main.command("build")
@click.option("--seeds", type=click.Path(path_type=Path, file_okay=False), default=Path("seeds"), show_default=True,
              help="Folder of seed pages (*.txt) and optional manifest.csv.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("dist"), show_default=True,
              help="Root of releases: writes OUT/<dataset-name>/<version>/.")
@click.option("--release-version", default=None,
              help="Release version X.Y.Z or vX.Y.Z [default: from pyproject.toml].")
@click.option("--on-invalid", type=click.Choice(["error", "warn", "skip"]), default="warn", show_default=True,
              help="A record failing validation: stop (error), or reject it into rejects.jsonl with (warn) "
              "or without (skip) a warning.")
@click.option("--force", is_flag=True, help="Replace an existing release of this version whose content differs.")
@click.option("--allow-empty", is_flag=True,
              help="Build a release even when SEEDS holds no page, or no page gives an article.")
@click.option("--strict", is_flag=True, help="Exit 1 when any page or record was rejected or a manifest row was bad "
                                              "(unreadable, or a region code the table does not know).")
@click.option("--max-shard-bytes", type=click.IntRange(min=1), default=None,
              help="Largest JSONL shard in bytes; Parquet shards are smaller [default: 256 MiB].")
@click.option("--pyproject", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="pyproject.toml with [tool.xianbao.dataset] [default: nearest one].")
@click.option("--no-reuse", is_flag=True, help="Skip the reuse stage (reprint clusters): every record's reuse is null.")
@scale_options
@output_options("Print the build report (status, counts, files, problems by code) as one JSON object.")
def build_cmd(
    seeds: Path, out: Path, release_version: str | None, on_invalid: str, force: bool, allow_empty: bool, strict: bool,
    max_shard_bytes: int | None, pyproject: Path | None, quiet: bool, verbose: int, no_progress: bool,
    as_json: bool, no_reuse: bool, **scale: Any,
) -> None:
    """Build the release OUT/<dataset-name>/<version>/ from SEEDS.

    Writes Parquet and JSONL shards, the dataset card README.md, article.schema.json,
    manifest.json, rejects.jsonl and SHA256SUMS. The same seeds and code give the same
    bytes. An existing version is never changed unless --force is given. Problems are
    listed on stderr by code, with the first pages of each. A SEEDS folder without pages
    is an error (exit 2), and one whose every page is rejected releases nothing (exit 1),
    unless --allow-empty.
    """
    from dataclasses import replace
    from typing import cast

    from builders.build import BuildReport, build_release
    from builders.release.config import BuildConfig, OnInvalid, load_dataset_meta
    from builders.release.write import arrow_without_pandas
    from builders.scale.runtime import tune_gc

    arrow_without_pandas()  # this process builds, and the build has no use for pandas
    tune_gc()
    output = make_output(quiet, verbose, no_progress, as_json)

    def build() -> BuildReport:
        config = BuildConfig(seeds=seeds, out=out, dataset=load_dataset_meta(pyproject), version=release_version,
                             on_invalid=cast(OnInvalid, on_invalid), force=force, allow_empty=allow_empty,
                             progress=output.progress, reuse=not no_reuse)
        if max_shard_bytes is not None:
            config = replace(config, max_shard_bytes=max_shard_bytes)
        return build_release(replace(config, **scale_overrides(**scale)))

    report: BuildReport = _run(build)
    for group in report.problem_groups():
        more = f" and {group.count - len(group.examples)} more" if group.count > len(group.examples) else ""
        output.note(f"{group.severity} {group.code}: {group.count} ({', '.join(group.examples)}{more})")
    output.result(report.summary(), report.to_json())
    output.note(f"digest {report.digest} (in CHANGELOG.md; check a copy with "
                f"xianbao validate {report.release_dir} --expect-digest {report.digest})")
    if report.proposal is not None and report.proposal[0] != report.release_dir.name:
        output.note(f"next version by the rules: {report.proposal[0]} ({'; '.join(report.proposal[1])}); "
                    f"build it with --release-version {report.proposal[0]}")
    failures = report.strict_failures() if strict else []
    if failures:
        click.echo(f"error: --strict: {', '.join(f'{g.count} {g.code}' for g in failures)}; "
                   f"see {report.release_dir / 'rejects.jsonl'}", err=True)
        sys.exit(1)


@main.command("diff")
@click.argument("old", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("new", type=click.Path(path_type=Path, file_okay=False, exists=True))
@output_options("Print the whole diff as one JSON object.")
def diff_cmd(old: Path, new: Path, quiet: bool, verbose: int, no_progress: bool, as_json: bool) -> None:
    """Compare two releases OLD and NEW (e.g. dist/<name>/0.1.0 dist/<name>/0.2.0).

    Articles are matched by ID, then by page and headline, then by page and position;
    prints articles added, removed and changed, the changed fields with counts and
    examples, schema changes, and the version bump the rules call for.
    """
    from builders.release.changelog import changes_markdown
    from builders.release.diff import diff_releases

    missing = [str(p) for p in (old, new) if not list((p / "jsonl").glob("*.jsonl"))]
    if missing:
        click.echo(f"error: {', '.join(missing)}: not a release folder (no jsonl/*.jsonl); "
                   "pass dist/<name>/<version>", err=True)
        sys.exit(2)
    output = make_output(quiet, verbose, no_progress, as_json)
    diff = _run(lambda: diff_releases(old, new))
    output.result(changes_markdown(diff, heading="#"), diff.to_json())


def _digest_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--expect-digest``: 64 hex digits, with or without ``sha256:`` (a typo is bad input, exit 2, not
    a digest mismatch)."""
    if value is not None and not re.fullmatch(r"(sha256:)?[0-9a-fA-F]{64}", value.strip()):
        raise click.BadParameter(f"{value!r} is not a release digest: sha256: and 64 hex digits, as the build printed")
    return value


@main.command("validate")
@click.argument("release", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--expect-digest", default=None, metavar="sha256:HEX", callback=_digest_option,
              help="The digest `xianbao build` printed (and CHANGELOG.md records): fail unless the release has it.")
@output_options("Print {release, valid, problems: [{code, path, line, message}]} as one JSON object.")
def validate_cmd(release: Path, expect_digest: str | None, quiet: bool, verbose: int, no_progress: bool,
                 as_json: bool) -> None:
    """Check the release folder RELEASE (e.g. dist/<name>/<version>).

    Checks every JSONL line against article.schema.json (Draft 2020-12, formats on),
    the Parquet schema against the model, that Parquet and JSONL hold the same
    records, the card's and manifest's counts, SHA256SUMS, manifest.json's per-file
    sizes and SHA-256 and per-page record counts, the card's licence against the
    manifest, and with --expect-digest the release digest. Prints each problem and
    exits 1 when there is any.
    """
    from builders.release.validate import validate_release

    output = make_output(quiet, verbose, no_progress, as_json)
    problems = validate_release(release, expect_digest)
    if not as_json:
        for problem in problems:
            click.echo(terminal_safe(str(problem)), err=True)
    summary = f"{release}: {len(problems)} problems" if problems else f"{release}: valid"
    output.result(summary, {"release": release.as_posix(), "valid": not problems,
                            "problems": [dataclasses.asdict(p) for p in problems]})
    if problems:
        sys.exit(1)


@main.command("export")
@click.argument("release", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--to", "out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Target folder (new or empty).")
@click.option("--partition-by", default="region,year", show_default=True,
              help="Comma-separated record fields, outermost first; a struct such as region is "
              "partitioned by its code, as region_code.")
@output_options()
def export_cmd(release: Path, out: Path, partition_by: str, quiet: bool, verbose: int, no_progress: bool,
               as_json: bool) -> None:
    """Export RELEASE as hive-partitioned Parquet (key=value folders) for Spark, Trino and DuckDB.

    Files keep every column plus the partition keys, so readers that ignore the
    folder names still see them. The same release gives the same files.
    """
    from builders.publish.export import export_release

    output = make_output(quiet, verbose, no_progress, as_json)
    keys = [f.strip() for f in partition_by.split(",") if f.strip()]
    report = _run(lambda: export_release(release, out, keys))
    output.result(report.summary(), _as_json(report))


def _as_json(report: Any) -> Any:
    """A report dataclass as JSON-ready data (paths as strings)."""
    return json.loads(json.dumps(dataclasses.asdict(report), default=str))


def _run(call: Callable[[], Any]) -> Any:
    """Call a library function; a project error becomes one line on stderr and exit 2 (config) or 1."""
    from builders.errors import ConfigError, XianbaoError

    try:
        return call()
    except ConfigError as err:
        click.echo(terminal_safe(f"error: {err}"), err=True)
        sys.exit(2)
    except XianbaoError as err:
        click.echo(terminal_safe(f"error: {err}"), err=True)
        sys.exit(1)


@main.group("publish")
@version_option()
def publish_group() -> None:
    """Publish a release to the Hugging Face Hub (hub) or an Apache Iceberg table (iceberg)."""


@publish_group.command("iceberg")
@click.argument("release", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--catalog", "catalog_uri", default="sqlite:///lake/catalog.db", show_default=True,
              help="Catalog URI: sqlite:/// or postgresql:// (SQL catalog), http(s):// (REST), thrift:// (Hive).")
@click.option("--warehouse", default="lake/", show_default=True,
              help="Folder or URI (s3://…) for the table's data and metadata files.")
@click.option("--table", "table_name", default="xianbao.articles", show_default=True, help="namespace.table")
@click.option("--catalog-name", default="xianbao", show_default=True,
              help="The catalog's name, as readers will open it (SqlCatalog(NAME, uri=...)).")
@output_options()
def publish_iceberg_cmd(release: Path, catalog_uri: str, warehouse: str, table_name: str, catalog_name: str,
                        quiet: bool, verbose: int, no_progress: bool, as_json: bool) -> None:
    """Write RELEASE as one snapshot of an Apache Iceberg table, tagged v<version>.

    Creates the namespace and table when needed. The same version again changes
    nothing; a newer version replaces the rows in a new snapshot and older versions
    stay readable by tag. New optional fields evolve the table; other schema
    changes are refused.
    """
    from builders.publish.iceberg import publish_iceberg

    output = make_output(quiet, verbose, no_progress, as_json)
    report = _run(lambda: publish_iceberg(release, catalog_uri, warehouse, table_name, catalog_name))
    output.result(report.summary(), _as_json(report))


@publish_group.command("hub")
@click.argument("release", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--repo-id", required=True, help="Dataset repo ORG/NAME (created when missing).")
@click.option("--private", is_flag=True, help="Create the repo private (an existing repo keeps its visibility).")
@click.option("--dry-run", is_flag=True, help="Only print the plan (files, sizes, SHA-256, commit, tag): no network.")
@output_options()
def publish_hub_cmd(release: Path, repo_id: str, private: bool, dry_run: bool, quiet: bool, verbose: int,
                    no_progress: bool, as_json: bool) -> None:
    """Upload RELEASE to a Hugging Face dataset repo in one commit and tag it v<version>.

    The token comes from HF_TOKEN or `hf auth login`. The release is validated
    first. A version whose tag already exists is a no-op when the tag holds the
    same SHA256SUMS and refused otherwise.
    """
    from builders.publish.hub import publish_hub

    output = make_output(quiet, verbose, no_progress, as_json)
    report = _run(lambda: publish_hub(release, repo_id, private=private, dry_run=dry_run))
    output.result(report.summary(), _as_json(report))


@main.command("review")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder of the site (new, empty, or an earlier review site, which is replaced).")
@click.option("--seeds", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None,
              help="Seeds folder of a release [default: the nearest seeds/ above the release holding its pages].")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes loading and writing pages [default: all cores]; the site's bytes do not depend on it.")
@output_options("Print {out, pages, articles, pages_with_problems} as one JSON object.")
def review_cmd(paths: tuple[Path, ...], out: Path, seeds: Path | None, workers: int | None, quiet: bool,
               verbose: int, no_progress: bool, as_json: bool) -> None:
    """Write a static review site of PATHS to OUT: every article beside its source page.

    PATHS is one release folder (dist/<name>/<version>: its pages are read from the
    seeds folder) or page files and folders of pages (parsed on the fly). Open
    OUT/index.html in a browser: no server, no network. The same input gives the same bytes.
    """
    from builders.review.site import ReviewConfig, review

    output = make_output(quiet, verbose, no_progress, as_json)
    report = _run(lambda: review(ReviewConfig(list(paths), out, seeds, workers)))
    output.result(report.summary(), _as_json(report))
