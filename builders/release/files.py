"""The files of a release folder: their names, checksums and the rows of manifest.json."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from builders import __version__
from builders.release.config import BuildConfig
from builders.release.stats import BuildStats
from builders.release.write import WrittenShards
from schema import SCHEMA_VERSION

SCHEMA_FILE = "article.schema.json"
REJECTS_FILE = "rejects.jsonl"
MANIFEST_FILE = "manifest.json"
SUMS_FILE = "SHA256SUMS"
CARD_FILE = "README.md"


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_json(path: Path, value: Any) -> None:
    """Stable JSON: sorted keys, UTF-8, two-space indent, final newline."""
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def file_rows(root: Path, names: list[str], shards: WrittenShards,
              known: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The ``files`` rows of manifest.json (records counted for the shards); ``known``: rows made
    before of files not written since, taken as they are (a shard is not read and hashed again)."""
    records = dict(zip(shards.parquet + shards.jsonl, shards.records_per_shard * 2, strict=True))
    made = {row["path"]: row for row in known or []}
    return [
        made.get(n) or {"path": n, "bytes": (root / n).stat().st_size, "sha256": sha256_file(root / n),
                        "records": records.get(n)}
        for n in sorted(names)
    ]


def manifest(config: BuildConfig, stats: BuildStats, files: list[dict[str, Any]]) -> dict[str, Any]:
    """The content of manifest.json."""
    meta = config.dataset
    return {
        "dataset": {"name": meta.name, "pretty_name": meta.pretty_name, "version": config.release_version,
                    "license": meta.license, "homepage": meta.homepage},
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "xianbao", "version": __version__},
        "counts": stats.counts(),
        "seeds": [seed.as_json() for seed in stats.seeds],
        "files": files,
    }
