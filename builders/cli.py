"""The ``xianbao`` command: a thin layer over the library API.

Each command parses its arguments, calls one library function, and turns a project
error into one clear line on stderr and a non-zero exit.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from builders import __version__
from builders.cli_scale import scale_options, scale_overrides


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


@main.command("build")
@click.option("--seeds", type=click.Path(path_type=Path, file_okay=False), default=Path("seeds"), show_default=True,
              help="Folder of seed pages (*.txt) and optional manifest.csv.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("dist"), show_default=True,
              help="Root of releases: writes OUT/<dataset-name>/<version>/.")
@click.option("--version", "version", default=None, help="Release version X.Y.Z [default: from pyproject.toml].")
@click.option("--on-invalid", type=click.Choice(["error", "warn", "skip"]), default="warn", show_default=True,
              help="A record failing validation: stop (error), or reject it into rejects.jsonl with (warn) "
              "or without (skip) a warning.")
@click.option("--force", is_flag=True, help="Replace an existing release of this version whose content differs.")
@click.option("--max-shard-bytes", type=click.IntRange(min=1), default=None,
              help="Largest JSONL shard in bytes; Parquet shards are smaller [default: 256 MiB].")
@click.option("--pyproject", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="pyproject.toml with [tool.xianbao.dataset] [default: nearest one].")
@scale_options
def build_cmd(
    seeds: Path, out: Path, version: str | None, on_invalid: str, force: bool, max_shard_bytes: int | None,
    pyproject: Path | None,
    **scale: Any,
) -> None:
    """Build the release OUT/<dataset-name>/<version>/ from SEEDS.

    Writes Parquet and JSONL shards, the dataset card README.md, article.schema.json,
    manifest.json, rejects.jsonl and SHA256SUMS. The same seeds and code give the same
    bytes. An existing version is never changed unless --force is given.
    """
    import logging
    from dataclasses import replace
    from typing import cast

    from builders.build import BuildReport, build_release
    from builders.release.config import BuildConfig, OnInvalid, load_dataset_meta

    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.WARNING)

    def build() -> BuildReport:
        config = BuildConfig(seeds=seeds, out=out, dataset=load_dataset_meta(pyproject), version=version,
                             on_invalid=cast(OnInvalid, on_invalid), force=force)
        if max_shard_bytes is not None:
            config = replace(config, max_shard_bytes=max_shard_bytes)
        return build_release(replace(config, **scale_overrides(**scale)))

    report: BuildReport = _run(build)
    click.echo(report.summary())
    click.echo(f"digest {report.digest} (in CHANGELOG.md; check a copy with "
               f"xianbao validate {report.release_dir} --expect-digest {report.digest})")
    if report.proposal is not None and report.proposal[0] != report.release_dir.name:
        click.echo(f"next version by the rules: {report.proposal[0]} ({'; '.join(report.proposal[1])}); "
                   f"build it with --version {report.proposal[0]}")


@main.command("diff")
@click.argument("old", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("new", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print the whole diff as one JSON object.")
def diff_cmd(old: Path, new: Path, as_json: bool) -> None:
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
    diff = diff_releases(old, new)
    if as_json:
        click.echo(json.dumps(diff.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(changes_markdown(diff, heading="#"))


@main.command("validate")
@click.argument("release", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--expect-digest", default=None, metavar="sha256:HEX",
              help="The digest `xianbao build` printed (and CHANGELOG.md records): fail unless the release has it.")
def validate_cmd(release: Path, expect_digest: str | None) -> None:
    """Check the release folder RELEASE (e.g. dist/<name>/<version>).

    Checks every JSONL line against article.schema.json (Draft 2020-12, formats on),
    the Parquet schema against the model, that Parquet and JSONL hold the same
    records, the card's and manifest's counts, SHA256SUMS, manifest.json's per-file
    sizes and SHA-256 and per-page record counts, the card's licence against the
    manifest, and with --expect-digest the release digest. Prints each problem and
    exits 1 when there is any.
    """
    from builders.release.validate import validate_release

    problems = validate_release(release, expect_digest)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{release}: valid")


@main.command("export")
@click.argument("release", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--to", "out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Target folder (new or empty).")
@click.option("--partition-by", default="region,year", show_default=True,
              help="Comma-separated record fields, outermost first; a struct such as region is "
              "partitioned by its code, as region_code.")
def export_cmd(release: Path, out: Path, partition_by: str) -> None:
    """Export RELEASE as hive-partitioned Parquet (key=value folders) for Spark, Trino and DuckDB.

    Files keep every column plus the partition keys, so readers that ignore the
    folder names still see them. The same release gives the same files.
    """
    from builders.publish.export import export_release

    keys = [f.strip() for f in partition_by.split(",") if f.strip()]
    click.echo(_run(lambda: export_release(release, out, keys)).summary())


def _run(call: Callable[[], Any]) -> Any:
    """Call a library function; a project error becomes one line on stderr and exit 2 (config) or 1."""
    from builders.errors import ConfigError, XianbaoError

    try:
        return call()
    except ConfigError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(2)
    except XianbaoError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)


@main.group("publish")
def publish_group() -> None:
    """Publish a release to the Hugging Face Hub (hub) or an Apache Iceberg table (iceberg)."""


@publish_group.command("iceberg")
@click.argument("release", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--catalog", "catalog_uri", default="sqlite:///lake/catalog.db", show_default=True,
              help="Catalog URI: sqlite:/// or postgresql:// (SQL catalog), http(s):// (REST), thrift:// (Hive).")
@click.option("--warehouse", default="lake/", show_default=True,
              help="Folder or URI (s3://…) for the table's data and metadata files.")
@click.option("--table", "table_name", default="xianbao.articles", show_default=True, help="namespace.table")
def publish_iceberg_cmd(release: Path, catalog_uri: str, warehouse: str, table_name: str) -> None:
    """Write RELEASE as one snapshot of an Apache Iceberg table, tagged v<version>.

    Creates the namespace and table when needed. The same version again changes
    nothing; a newer version replaces the rows in a new snapshot and older versions
    stay readable by tag. New optional fields evolve the table; other schema
    changes are refused.
    """
    from builders.publish.iceberg import publish_iceberg

    click.echo(_run(lambda: publish_iceberg(release, catalog_uri, warehouse, table_name)).summary())


@publish_group.command("hub")
@click.argument("release", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--repo-id", required=True, help="Dataset repo ORG/NAME (created when missing).")
@click.option("--private", is_flag=True, help="Create the repo private (an existing repo keeps its visibility).")
@click.option("--dry-run", is_flag=True, help="Only print the plan (files, sizes, SHA-256, commit, tag): no network.")
def publish_hub_cmd(release: Path, repo_id: str, private: bool, dry_run: bool) -> None:
    """Upload RELEASE to a Hugging Face dataset repo in one commit and tag it v<version>.

    The token comes from HF_TOKEN or `hf auth login`. The release is validated
    first. A version whose tag already exists is a no-op when the tag holds the
    same SHA256SUMS and refused otherwise.
    """
    from builders.publish.hub import publish_hub

    click.echo(_run(lambda: publish_hub(release, repo_id, private=private, dry_run=dry_run)).summary())
