"""The ``build`` command's scaling options (shards, workers, engine, cache), kept in one place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from builders.release.config import DEFAULT_PAGES_PER_SHARD

F = TypeVar("F", bound=Callable[..., Any])

OPTIONS = [
    click.option(
        "--pages-per-shard",
        type=click.IntRange(min=1),
        default=DEFAULT_PAGES_PER_SHARD,
        show_default=True,
        help="Seed pages per shard task; each task writes its own train-XXXXX-of-YYYYY files.",
    ),
    click.option(
        "--workers",
        type=click.IntRange(min=1),
        default=None,
        help="Worker processes (or local Ray CPUs) [default: all cores]. The output does not depend on it.",
    ),
    click.option(
        "--engine",
        type=click.Choice(["local", "ray"]),
        default="local",
        show_default=True,
        help='Run shard tasks in local processes, or with Ray (pip install "xianbao[ray]").',
    ),
    click.option("--ray-address", default=None, help="Ray cluster address [default: start a local Ray instance]."),
    click.option("--no-cache", is_flag=True, help="Process every page again (ignore and do not fill the cache)."),
    click.option(
        "--cache-dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Per-page cache of processed pages [default: OUT/.cache].",
    ),
]


def scale_options(command: F) -> F:
    """Add the scaling options to a click command."""
    for option in reversed(OPTIONS):
        command = option(command)
    return command


def scale_overrides(
    pages_per_shard: int,
    workers: int | None,
    engine: str,
    ray_address: str | None,
    no_cache: bool,
    cache_dir: Path | None,
) -> dict[str, Any]:
    """:class:`BuildConfig` fields from the option values."""
    return {
        "pages_per_shard": pages_per_shard,
        "workers": workers,
        "engine": engine,
        "ray_address": ray_address,
        "cache": not no_cache,
        "cache_dir": cache_dir,
    }
