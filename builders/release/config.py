"""Build configuration: the dataset's identity from pyproject.toml and one typed build config.

Errors here are :class:`ConfigError`: they stop the build before any work is done.
"""

from __future__ import annotations

import datetime
import logging
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from builders.errors import ConfigError
from builders.read.seeds import has_pages
from builders.release.write import DEFAULT_MAX_SHARD_BYTES, DEFAULT_ROW_GROUP_SIZE

log = logging.getLogger("xianbao")
OnInvalid = Literal["error", "warn", "skip"]
ON_INVALID: tuple[OnInvalid, ...] = ("error", "warn", "skip")
VERSION_RE = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
"""X.Y.Z as semantic versioning spells it (no leading zeros, ASCII digits); used with ``fullmatch``."""
NAME_RE = re.compile(r"^[a-z0-9]+([._-][a-z0-9]+)*$")
DEFAULT_PAGES_PER_SHARD = 250
"""Small enough that a few thousand pages keep every core busy; each task is one Parquet part."""


@dataclass(frozen=True)
class DatasetMeta:
    """Who the dataset is: ``[tool.xianbao.dataset]`` of pyproject.toml."""

    name: str = "xianbao"
    pretty_name: str = "Xianbao: Chinese County Newspaper Articles"
    description: str = "Articles from Chinese county-level newspapers (县报), parsed into structured records."
    license: str = "other"
    license_name: str | None = None
    """For ``license = "other"``: the licence's name, as the Hub's card metadata expects."""
    license_link: str | None = None
    """For ``license = "other"``: where the licence text is (a URL, or a file of the repo)."""
    homepage: str | None = None
    date_published: str | None = None
    """When the release is published (ISO ``YYYY-MM-DD``): Croissant's ``datePublished``; a build never reads
    the clock (its bytes would change from day to day)."""
    version: str = "0.1.0"
    repo_id: str | None = None
    """The Hub dataset repo (ORG/NAME) the release is published to: the card's load snippet uses it."""
    language: tuple[str, ...] = ("zh",)
    task_categories: tuple[str, ...] = ("text-generation", "text-classification", "token-classification")
    tags: tuple[str, ...] = ("chinese", "news", "newspaper", "county-newspapers", "xianbao")
    card_template: str | None = None
    """A card template of the repository's own (``string.Template`` with the built-in one's ``$names``),
    relative to pyproject.toml; None for the built-in template."""

    pyproject: Path | None = field(default=None, compare=False)
    """The pyproject.toml these values were read from (None for the defaults); not a key of the table."""

    @classmethod
    def from_pyproject(cls, path: Path) -> DatasetMeta:
        """Read ``[tool.xianbao.dataset]``; missing keys keep their defaults.

        Raises:
            ConfigError: The file is not UTF-8 TOML, a table on the way is not a table, or a key is
                unknown or has the wrong type; the message names the file and the key.
        """
        values = _dataset_table(path, _read_toml(path))
        unknown = sorted(set(values) - PYPROJECT_KEYS)
        if unknown:
            raise ConfigError(f"{path}: unknown keys in [tool.xianbao.dataset]: {', '.join(unknown)}; remove them")
        typed: dict[str, Any] = {key: _typed(path, key, value) for key, value in values.items()}
        if "card_template" in typed:
            typed["card_template"] = (path.parent / typed["card_template"]).resolve().as_posix()
        meta = cls(**typed, pyproject=path)
        if meta.date_published is not None and not _iso_date(meta.date_published):
            raise ConfigError(f"{path}: [tool.xianbao.dataset] date_published {meta.date_published!r} is no date; "
                              'write it as date_published = "YYYY-MM-DD"')
        if not NAME_RE.fullmatch(meta.name):  # match() would let a final newline through
            raise ConfigError(f"{path}: dataset name {meta.name!r} must be lowercase letters, digits, . _ or -")
        return meta

    def warnings(self) -> list[str]:
        """What a dataset hub will miss in this metadata."""
        if self.license == "other" and not (self.license_name and self.license_link):
            return ["license is 'other' without license_name and license_link: the Hub asks for both; "
                    "set them in [tool.xianbao.dataset] of pyproject.toml"]
        return []


LIST_KEYS = frozenset({"language", "task_categories", "tags"})
"""Keys of ``[tool.xianbao.dataset]`` whose value is a list of strings; every other key is a string."""
PYPROJECT_KEYS = frozenset(DatasetMeta.__dataclass_fields__) - {"pyproject"}
TOML_TYPES: dict[type, str] = {bool: "a boolean", int: "an integer", list: "an array", dict: "a table",
                               str: "a string"}


def _iso_date(text: str) -> bool:
    """``text`` is a calendar date spelt ``YYYY-MM-DD``."""
    try:
        return len(text) == 10 and datetime.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def _read_toml(path: Path) -> dict[str, Any]:
    """The parsed TOML file ``path``, or a :class:`ConfigError` saying why it cannot be read."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as err:
        raise ConfigError(f"cannot read {path}: not UTF-8 text (byte {err.object[err.start]:#04x} at offset "
                          f"{err.start}); save it as UTF-8, as TOML requires, or pass another --pyproject") from err
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"cannot read {path}: {err}; fix the file or pass another --pyproject") from err


def _toml_type(value: object) -> str:
    """What TOML calls the type of ``value``, for messages: ``an integer``, ``a table``..."""
    return TOML_TYPES.get(type(value), f"a {type(value).__name__}")


def _dataset_table(path: Path, document: dict[str, Any]) -> dict[str, Any]:
    """``[tool.xianbao.dataset]`` of a parsed pyproject.toml, {} when absent.

    Raises:
        ConfigError: ``tool``, ``tool.xianbao`` or ``tool.xianbao.dataset`` is there but not a table.
    """
    table = document
    for depth, key in enumerate(("tool", "xianbao", "dataset"), start=1):
        value = table.get(key, {})
        if not isinstance(value, dict):
            name = ".".join(("tool", "xianbao", "dataset")[:depth])
            raise ConfigError(f"{path}: {name} must be a table, not {_toml_type(value)}; "
                              f"make it a [{name}] section or remove it")
        table = value
    return table


def _typed(path: Path, key: str, value: object) -> str | tuple[str, ...]:
    """``value`` of ``key`` of ``[tool.xianbao.dataset]`` (a list as a tuple), if it has the key's type.

    Raises:
        ConfigError: The value is not a string, or for :data:`LIST_KEYS` not a list of strings.
    """
    if key not in LIST_KEYS:
        if isinstance(value, str):
            return value
        expected, actual, example = "a string", _toml_type(value), f'{key} = "..."'
    else:
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        bad = [item for item in value if not isinstance(item, str)] if isinstance(value, list) else []
        actual = f"an array holding {_toml_type(bad[0])}" if bad else _toml_type(value)
        expected, example = "a list of strings", f'{key} = ["...", "..."]'
    raise ConfigError(f"{path}: [tool.xianbao.dataset] {key} must be {expected}, not {actual}; "
                      f"write it as {example}")


def find_pyproject(start: Path | None = None) -> Path | None:
    """The nearest pyproject.toml with ``[tool.xianbao.dataset]``, from ``start`` (the working folder) up.

    A file that names xianbao is parsed, not searched for the header as spelt: one that is not TOML is an
    error (a parent's metadata must not be used instead, silently), and the table however TOML spells it
    (``dataset = {...}`` under ``[tool.xianbao]``, dotted keys) is found.

    Raises:
        ConfigError: A pyproject.toml on the way cannot be read, or names xianbao and is not UTF-8 TOML.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        try:
            ours = candidate.is_file() and b"xianbao" in candidate.read_bytes()
        except OSError as err:
            raise ConfigError(f"cannot read {candidate}: {err}; pass --pyproject FILE") from err
        if ours and _declares_dataset(_read_toml(candidate)):
            return candidate
    return None


def _declares_dataset(document: dict[str, Any]) -> bool:
    """``document`` has ``tool.xianbao.dataset`` (or a ``tool.xianbao`` that is no table: an error to report)."""
    tool = document.get("tool")
    xianbao = tool.get("xianbao") if isinstance(tool, dict) else None
    return xianbao is not None and (not isinstance(xianbao, dict) or "dataset" in xianbao)


def load_dataset_meta(pyproject: Path | None = None) -> DatasetMeta:
    """Dataset identity from ``pyproject`` (or the nearest one); built-in defaults when there is none."""
    path = pyproject or find_pyproject()
    if path is None:
        log.warning("no pyproject.toml with [tool.xianbao.dataset] in %s or its parents: using default dataset "
                    "metadata (name %r, license 'other'); add that table or pass --pyproject", Path.cwd(),
                    DatasetMeta.name)
        return DatasetMeta()
    meta = DatasetMeta.from_pyproject(path)
    for warning in meta.warnings():
        log.warning("%s: %s", path, warning)
    return meta


@dataclass(frozen=True)
class BuildConfig:
    """Every option of a build.

    Attributes:
        seeds: Folder of seed pages (``*.txt``, searched recursively) and optional manifest.csv.
        out: Root of releases; the release goes to ``out/<name>/<version>/``.
        dataset: Name, card metadata and default version.
        version: Release version (X.Y.Z); None for ``dataset.version``.
        on_invalid: A record failing validation: ``error`` stops the build; ``warn`` rejects
            it into rejects.jsonl and logs a warning; ``skip`` rejects it without a log line.
        force: Replace an existing release of this version whose content differs.
        allow_empty: Build a release even when the seeds folder holds no page, or no page gives
            an article (every page a reject).
        max_shard_bytes: Largest JSONL shard (Parquet shards are smaller).
        row_group_size: Rows per Parquet row group.
        progress: Show a progress bar; None for "when stderr is a terminal".
        pages_per_shard: Seed pages per shard task (sorted seeds cut in runs of this many);
            output shards are these tasks' parts, cut further by ``max_shard_bytes``.
        workers: Processes (local) or Ray CPUs (local Ray); None for all cores. The output
            does not depend on it.
        engine: ``local`` (process pool) or ``ray`` (``pip install "xianbao[ray]"``).
        ray_address: Address of a running Ray cluster; None starts a local instance.
        cache: Reuse processed pages from ``cache_dir`` (the output is the same bytes).
        cache_dir: Per-seed cache folder; None for ``out/.cache``.
        reuse: Run the reuse stage (reprint clusters, shared passages: ``builders.reuse``); off
            (``--no-reuse``), every record's ``reuse`` is null.
        history: Folder of earlier releases of this dataset (``X.Y.Z`` folders) that the card's
            "Changes since" section and the version proposal compare with; None for ``out/<name>``.
    """

    seeds: Path = Path("seeds")
    out: Path = Path("dist")
    dataset: DatasetMeta = field(default_factory=DatasetMeta)
    version: str | None = None
    on_invalid: OnInvalid = "warn"
    force: bool = False
    allow_empty: bool = False
    max_shard_bytes: int = DEFAULT_MAX_SHARD_BYTES
    row_group_size: int = DEFAULT_ROW_GROUP_SIZE
    progress: bool | None = None
    pages_per_shard: int = DEFAULT_PAGES_PER_SHARD
    workers: int | None = None
    engine: Literal["local", "ray"] = "local"
    ray_address: str | None = None
    cache: bool = True
    cache_dir: Path | None = None
    history: Path | None = None
    reuse: bool = True

    @property
    def release_version(self) -> str:
        """The version being built."""
        version = self.version or self.dataset.version
        return version[1:] if version[:1] in ("v", "V") and VERSION_RE.fullmatch(version[1:]) else version

    @property
    def release_dir(self) -> Path:
        """``out/<name>/<version>``."""
        return self.out / self.dataset.name / self.release_version

    @property
    def page_cache_dir(self) -> Path | None:
        """Where processed pages are cached; None when the cache is off."""
        return (self.cache_dir or self.out / ".cache") if self.cache else None

    @property
    def own_dirs(self) -> tuple[Path, ...]:
        """The folders the build writes: never read as seeds when they lie inside the seeds folder."""
        cache = self.page_cache_dir
        return (self.out,) if cache is None else (self.out, cache)

    @property
    def history_dir(self) -> Path:
        """Where earlier releases are looked up: ``history``, else ``out/<name>``."""
        return self.history or self.out / self.dataset.name

    def _version_fix(self) -> str:
        """How to fix a bad release version: where it came from (--release-version or the pyproject)."""
        if self.version:
            return "fix --release-version"
        where = self.dataset.pyproject or "pyproject.toml"
        return f"fix version in [tool.xianbao.dataset] of {where}, or pass --release-version"

    def checked(self) -> BuildConfig:
        """This config, or a :class:`ConfigError` saying what to fix."""
        if not self.seeds.is_dir():
            raise ConfigError(f"seeds folder {self.seeds} does not exist; pass --seeds DIR")
        for own, option, sub in zip(self.own_dirs, ("--out", "--cache-dir"), ("dist", ".cache"), strict=False):
            if own.resolve() == self.seeds.resolve():
                raise ConfigError(f"{option} {own} is the seeds folder itself: its files would be read as pages; "
                                  f"give another folder, or one inside it ({option} {own / sub})")
        if not self.allow_empty and not has_pages(self.seeds, self.own_dirs):
            raise ConfigError(f"seeds folder {self.seeds} holds no page (*.txt); pass --seeds DIR with pages, "
                              "or --allow-empty to build an empty release")
        if not VERSION_RE.fullmatch(self.release_version):
            raise ConfigError(f"version {self.release_version!r} is not X.Y.Z without leading zeros "
                              f"(e.g. 0.1.0, v0.1.0 or 1.10.2); {self._version_fix()}")
        if self.on_invalid not in ON_INVALID:
            raise ConfigError(f"on_invalid={self.on_invalid!r}; use one of {', '.join(ON_INVALID)}")
        if self.max_shard_bytes < 1 or self.row_group_size < 1:
            raise ConfigError("max_shard_bytes and row_group_size must be positive")
        if self.pages_per_shard < 1 or (self.workers is not None and self.workers < 1):
            raise ConfigError("pages_per_shard and workers must be positive; fix --pages-per-shard / --workers")
        if self.engine not in ("local", "ray"):
            raise ConfigError(f"engine={self.engine!r}; use local or ray")
        return replace(self, version=self.release_version)
