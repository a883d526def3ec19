"""The dataset card (README.md of a release), generated, never hand-edited.

The YAML front matter is made by :class:`huggingface_hub.DatasetCardData` with the
``features`` derived from the model (``datasets.DatasetInfo._to_yaml_dict``); the prose
comes from ``templates/card.md``, the field table from the model's field descriptions,
and the statistics from the build.
"""

from __future__ import annotations

import json
import types
from collections import Counter
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any, Union, get_args, get_origin

import pyarrow as pa
from pydantic import BaseModel

from builders import __version__
from builders.errors import ConfigError
from builders.release.arrow import article_schema, features_yaml
from builders.release.config import BuildConfig
from builders.release.markdown import cell
from builders.release.stats import NULLABLE, PERCENTILES, BuildStats, quantiles
from builders.release.write import WrittenShards
from schema import CODES, SCHEMA_VERSION, Article

EXAMPLE_CHARS = 60
"""Strings of the card's example record are cut to this many characters; lists to EXAMPLE_ITEMS items."""
EXAMPLE_ITEMS = 3
PARQUET_GLOB = "data/*.parquet"
"""The only config: ``datasets`` infers one builder per repo, so a ``jsonl/`` config would
be read with the Parquet builder and fail; JSONL is loaded with the ``json`` builder
and the card's features instead (see the card)."""
SIZES = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")]


def size_category(n: int) -> str:
    """The Hub's ``size_categories`` value for ``n`` records."""
    return next((label for limit, label in SIZES if n < limit), "1M<n<10M")


def type_label(t: pa.DataType) -> str:
    """A short type name for the field table: ``list<string>``, ``struct``, ``date32``."""
    if pa.types.is_list(t):
        return f"list<{type_label(t.value_type)}>"
    return "struct" if pa.types.is_struct(t) else str(t)


def nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside ``M``, ``M | None`` or ``list[M]``, if any."""
    if get_origin(annotation) in (Union, types.UnionType, list):
        return next(filter(None, (nested_model(a) for a in get_args(annotation))), None)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def field_rows(model: type[BaseModel], fields: Any, prefix: str = "") -> Iterator[tuple[str, str, bool, str]]:
    """``(path, type, nullable, description)`` of every field, nested ones after their parent."""
    for name, info in model.model_fields.items():
        arrow = fields.field(name)
        yield prefix + name, type_label(arrow.type), arrow.nullable, info.description or ""
        nested = nested_model(info.annotation)
        if nested is not None:
            is_list = pa.types.is_list(arrow.type)
            struct = arrow.type.value_type if is_list else arrow.type
            yield from field_rows(nested, struct, f"{prefix}{name}{'[].' if is_list else '.'}")


def field_table() -> str:
    """Markdown table of every field of a record."""
    lines = ["| field | type | null | description |", "|---|---|---|---|"]
    for path, kind, nullable, description in field_rows(Article, article_schema()):
        text = description.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `{path}` | {kind} | {'yes' if nullable else 'no'} | {text} |")
    return "\n".join(lines)


def count_table(title: str, counts: Counter[str], meanings: dict[str, str] | None = None) -> str:
    """A two- or three-column markdown table, most frequent first (ties by name); keys are data, escaped."""
    if not counts:
        return f"**{title}:** none."
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if meanings is None:
        body = [f"| {cell(key)} | {n} |" for key, n in rows]
        return "\n".join([f"| {title} | records |", "|---|---:|", *body])
    body = [f"| `{key}` | {n} | {meanings.get(key, '')} |" for key, n in rows]
    return "\n".join([f"| {title} | count | meaning |", "|---|---:|---|", *body])


def stats_section(stats: BuildStats) -> str:
    """The build statistics: totals, rejects by code, counts per newspaper, region, year."""
    meanings = {code: text for code, (_, text) in CODES.items()}
    totals = (
        f"- Records: **{stats.records}**\n- Seed pages: {stats.pages} "
        f"({stats.pages_with_articles} with at least one record)\n- Rejects (lines of `rejects.jsonl`): {stats.rejects}"
    )
    parts = [
        totals,
        count_table("reject code", stats.rejects_by_code, meanings),
        count_table("warning code", stats.warnings_by_code, meanings),
        count_table("newspaper", stats.by_newspaper),
        count_table("region", stats.by_region),
        count_table("year", stats.by_year),
        count_table("kind", stats.by_kind),
        null_table(stats),
        length_table(stats),
    ]
    return "\n\n".join(parts)


def null_table(stats: BuildStats) -> str:
    """Share of released records in which each nullable top-level field is null."""
    if not stats.records:
        return "**Null rates:** no records."
    rows = [f"| `{name}` | {stats.nulls_by_field[name] / stats.records:.1%} |" for name in NULLABLE]
    return "\n".join(["Null rates (share of records in which the field is null):", "",
                      "| field | null in |", "|---|---:|", *rows])


def length_table(stats: BuildStats) -> str:
    """Percentiles of body length in characters and in tokens."""
    chars, tokens = quantiles(stats.char_counts), quantiles(stats.token_counts)
    if not chars:
        return "**Lengths:** no records."
    head = " | ".join(f"p{p}" if p not in (0, 100) else ("min" if p == 0 else "max") for p in PERCENTILES)
    return "\n".join(["Body lengths (percentiles over records):", "",
                      f"| length | {head} |", "|---|" + "---:|" * len(PERCENTILES),
                      f"| `char_count` | {' | '.join(map(str, chars))} |",
                      f"| `token_count` | {' | '.join(map(str, tokens))} |"])


def _shorten(value: Any) -> Any:
    """A JSON value with long strings and lists cut (marked with …)."""
    if isinstance(value, str):
        return value if len(value) <= EXAMPLE_CHARS else value[:EXAMPLE_CHARS] + "…"
    if isinstance(value, list):
        cut = [_shorten(v) for v in value[:EXAMPLE_ITEMS]]
        return [*cut, f"… {len(value) - EXAMPLE_ITEMS} more"] if len(value) > EXAMPLE_ITEMS else cut
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    return value


def example_record(root: Path, shards: WrittenShards) -> str:
    """The first record of the release as JSON, one field a line, long values cut; a note when there is none."""
    for name in shards.jsonl:
        with (root / name).open(encoding="utf-8") as fh:
            line = fh.readline()
        if line.strip():
            fields = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
                      for k, v in _shorten(json.loads(line)).items()]
            return "{\n" + ",\n".join(fields) + "\n}"
    return "{}  // this release has no records"


def load_snippet_repo(config: BuildConfig) -> str:
    """The Hub repo id for the card's snippets: ``repo_id`` from the dataset metadata, else a placeholder."""
    return config.dataset.repo_id or f"ORG/{config.dataset.name}"


def card_template(config: BuildConfig) -> Template:
    """The repository's own template when ``card_template`` names one, else the built-in one."""
    own = config.dataset.card_template
    if own is None:
        return Template(files("builders.release").joinpath("templates/card.md").read_text(encoding="utf-8"))
    try:
        return Template(Path(own).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"card template {own}: {err}; fix card_template in [tool.xianbao.dataset]") from err


def dataset_info(config_name: str, shards: WrittenShards, names: list[str], root: Path) -> dict[str, Any]:
    """One ``dataset_info`` entry of the front matter (features from the model).

    The same mapping as ``datasets.DatasetInfo(...)._to_yaml_dict()`` (a test compares
    them), with the features memoised (:func:`~builders.release.arrow.features_yaml`), so that a
    build does not import ``datasets``.
    """
    return {
        "config_name": config_name,
        "features": features_yaml(),
        "splits": [{"name": "train", "num_bytes": shards.arrow_bytes, "num_examples": shards.num_records}],
        "download_size": sum((root / name).stat().st_size for name in names),
        "dataset_size": shards.arrow_bytes,
    }


def front_matter(config: BuildConfig, shards: WrittenShards, root: Path) -> str:
    """The card's YAML metadata, via :class:`huggingface_hub.DatasetCardData`."""
    from huggingface_hub import DatasetCardData

    meta = config.dataset
    data = DatasetCardData(
        pretty_name=meta.pretty_name,
        license=meta.license,
        license_name=meta.license_name,  # None values are left out of the YAML
        license_link=meta.license_link,
        language=list(meta.language),
        task_categories=list(meta.task_categories),
        size_categories=[size_category(shards.num_records)],
        tags=list(meta.tags),
        configs=[{"config_name": "default", "default": True, "data_files": [{"split": "train", "path": PARQUET_GLOB}]}],
        dataset_info=[dataset_info("default", shards, shards.parquet, root)],
    )
    yaml: str = data.to_yaml()
    return yaml


def render_card(config: BuildConfig, stats: BuildStats, shards: WrittenShards, root: Path, changes: str = "",
                reuse: str = "") -> str:
    """The full README.md of a release written under ``root``; ``changes``: a markdown "Changes since" section;
    ``reuse``: the body of the "Reprints and text reuse" section (``builders.reuse.report``).

    Raises:
        ConfigError: the repository's own card template cannot be read or names an unknown ``$placeholder``.
    """
    values = card_values(config, stats, shards, root, changes, reuse)
    try:
        return card_template(config).substitute(values)
    except (KeyError, ValueError) as err:
        raise ConfigError(f"card template: unknown or malformed placeholder {err}; the names are "
                          f"{', '.join(sorted(values))}") from err


REPO_NOTE = "`ORG/NAME` stands for the Hub repo: set `repo_id` in `[tool.xianbao.dataset]` to print it here."


def card_values(config: BuildConfig, stats: BuildStats, shards: WrittenShards, root: Path,
                changes: str, reuse: str = "") -> dict[str, Any]:
    """Every ``$placeholder`` a card template may use, with its value."""
    meta = config.dataset
    return {
        "front_matter": front_matter(config, shards, root),
        "repo_id": load_snippet_repo(config),
        "repo_note": "" if meta.repo_id else REPO_NOTE,
        "example": example_record(root, shards),
        "pretty_name": meta.pretty_name,
        "description": meta.description,
        "name": meta.name,
        "version": config.release_version,
        "schema_version": SCHEMA_VERSION,
        "tool_version": __version__,
        "records": stats.records,
        "pages": stats.pages,
        "license": meta.license,
        "homepage": meta.homepage or "—",
        "cite_key": meta.name.replace("-", "_").replace(".", "_"),
        "field_table": field_table(),
        "stats": stats_section(stats),
        "changes": changes,
        "reuse": reuse or "Not measured for this release.",
    }
