"""Open a built release for publishing or export: validate it, read its identity and rows.

Every publisher (Hub, Iceberg) and the partitioned export start with :func:`open_release`,
so none of them ships a release that ``xianbao validate`` would refuse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from builders.errors import InvalidReleaseError
from builders.release.arrow import article_schema
from builders.release.files import MANIFEST_FILE, sha256_file
from builders.release.validate import validate_release
from builders.release.write import DATA_DIR, JSONL_DIR


@dataclass(frozen=True)
class ReleaseInfo:
    """Identity of a validated release folder.

    Attributes:
        root: The release folder, ``dist/<name>/<version>``.
        name: Dataset name from manifest.json.
        version: Dataset version (X.Y.Z) from manifest.json.
        schema_version: Record layout version from manifest.json.
        manifest_sha256: SHA-256 of manifest.json: it lists every file's digest, so it
            identifies the release's content.
        records: Number of released records.
    """

    root: Path
    name: str
    version: str
    schema_version: str
    manifest_sha256: str
    records: int

    @property
    def tag(self) -> str:
        """The tag a published version gets, e.g. ``v1.2.0``."""
        return f"v{self.version}"

    def parquet_files(self) -> list[Path]:
        """The Parquet shards, in release order."""
        return sorted((self.root / DATA_DIR).glob("*.parquet"))

    def jsonl_files(self) -> list[Path]:
        """The JSONL shards, in release order."""
        return sorted((self.root / JSONL_DIR).glob("*.jsonl"))

    def read_table(self) -> pa.Table:
        """Every record as one Arrow table with the model's schema, in release order."""
        tables = [pq.read_table(path, schema=article_schema()) for path in self.parquet_files()]
        return pa.concat_tables(tables) if tables else article_schema().empty_table()


def open_release(root: Path, validate: bool = True) -> ReleaseInfo:
    """Check that ``root`` is a valid release and return its identity.

    Args:
        root: A release folder such as ``dist/<name>/<version>``.
        validate: Run :func:`builders.release.validate.validate_release` first (the default).

    Raises:
        InvalidReleaseError: ``root`` is not a release folder, or it has problems; the
            message names the first problem and how many there are.
    """
    if not (root / MANIFEST_FILE).is_file():
        raise InvalidReleaseError(f"{root} is not a release folder (no {MANIFEST_FILE}); build one with xianbao build")
    if validate:
        problems = validate_release(root)
        if problems:
            raise InvalidReleaseError(
                f"{root} is not a valid release ({len(problems)} problem(s), first: {problems[0]}); "
                "run xianbao validate for all, then rebuild"
            )
    try:
        manifest = json.loads((root / MANIFEST_FILE).read_text(encoding="utf-8"))
        dataset, counts = manifest["dataset"], manifest["counts"]
        return ReleaseInfo(root, dataset["name"], dataset["version"], manifest["schema_version"],
                           sha256_file(root / MANIFEST_FILE), int(counts["records"]))
    except (ValueError, KeyError, TypeError) as err:
        raise InvalidReleaseError(f"{root}/{MANIFEST_FILE} is unreadable ({err!r}); rebuild the release") from err
