"""Croissant (MLCommons, 1.0) metadata of a release: ``croissant.json``.

The dataset's metadata, one FileObject per shard (with its SHA-256), one FileSet per
format, and a RecordSet whose fields are generated from the Arrow schema and the
model's descriptions: structs become ``subField``s, lists ``repeated`` fields. The
file is plain sorted JSON, so builds stay byte-identical; ``mlcroissant`` is used
only to check it (:func:`croissant_problems`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
from pydantic import BaseModel

from builders.release.arrow import article_schema
from builders.release.card import nested_model
from builders.release.config import DatasetMeta
from builders.release.files import sha256_file
from schema import Article

CROISSANT_FILE = "croissant.json"
CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
RECORD_SET = "articles"
PARQUET_SET, JSONL_SET = "parquet-files", "jsonl-files"
FORMATS = {"parquet": "application/x-parquet", "jsonl": "application/jsonlines"}
LICENSES = {"cc-by-4.0": "https://creativecommons.org/licenses/by/4.0/",
            "cc0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
            "apache-2.0": "https://www.apache.org/licenses/LICENSE-2.0"}
CONTEXT: dict[str, Any] = {
    "@language": "en", "@vocab": "https://schema.org/", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"}, "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/", "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"}, "extract": "cr:extract", "field": "cr:field",
    "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject", "fileSet": "cr:fileSet", "format": "cr:format",
    "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset", "jsonPath": "cr:jsonPath", "key": "cr:key",
    "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path", "recordSet": "cr:recordSet",
    "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated", "replace": "cr:replace",
    "samplingRate": "cr:samplingRate", "sc": "https://schema.org/", "separator": "cr:separator",
    "source": "cr:source", "subField": "cr:subField", "transform": "cr:transform",
}
"""The standard Croissant 1.0 ``@context`` (as ``mlcroissant`` writes it)."""


def data_type(t: pa.DataType) -> str:
    """The Croissant ``dataType`` of an Arrow leaf type (lists are unwrapped by the caller)."""
    if pa.types.is_integer(t):
        return "sc:Integer"
    if pa.types.is_floating(t):
        return "sc:Float"
    if pa.types.is_boolean(t):
        return "sc:Boolean"
    if pa.types.is_date(t):
        return "sc:Date"
    if pa.types.is_string(t):
        return "sc:Text"
    raise TypeError(f"no Croissant dataType for Arrow {t}; extend builders/croissant.py:data_type")


def _source(column: str, json_path: str | None) -> dict[str, Any]:
    source: dict[str, Any] = {"fileSet": {"@id": PARQUET_SET}, "extract": {"column": column}}
    if json_path is not None:
        source["transform"] = {"jsonPath": json_path}
    return source


def record_fields(
    model: type[BaseModel], schema: Any, parent: str, column: str | None = None
) -> list[dict[str, Any]]:
    """Croissant fields of ``model`` under ``parent`` (an ``@id``), generated from the Arrow types.

    Top-level fields extract their Parquet column. Subfields extract the top-level column
    and select themselves with a ``jsonPath`` relative to one item of their parent field
    (its name). mlcroissant 1.1 rebuilds one level of nesting: a list inside a struct or
    inside a list of structs (``reuse.passages``, ``captions[].credits``) comes back
    missing, where a path from the top-level column (``passages[*].start``) made it fail.
    """
    fields = []
    for name, info in model.model_fields.items():
        arrow = schema.field(name)
        repeated = pa.types.is_list(arrow.type)
        leaf = arrow.type.value_type if repeated else arrow.type
        field: dict[str, Any] = {"@type": "cr:Field", "@id": f"{parent}/{name}", "name": name,
                                 "description": info.description or ""}
        field["source"] = _source(column or name, name if column else None)
        if repeated:
            field["repeated"] = True
        nested = nested_model(info.annotation)
        if nested is not None and pa.types.is_struct(leaf):
            field["subField"] = record_fields(nested, leaf, f"{parent}/{name}", column or name)
        else:
            field["dataType"] = data_type(leaf)
        fields.append(field)
    return fields


def distribution(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A FileObject per shard (``files`` rows: path, bytes, sha256) and a FileSet per format."""
    objects = [
        {"@type": "cr:FileObject", "@id": row["path"], "name": row["path"], "contentUrl": row["path"],
         "contentSize": f"{row['bytes']} B", "encodingFormat": FORMATS[row["path"].rsplit(".", 1)[1]],
         "sha256": row["sha256"]}
        for row in files
    ]
    sets = [
        {"@type": "cr:FileSet", "@id": PARQUET_SET, "name": PARQUET_SET, "encodingFormat": FORMATS["parquet"],
         "includes": "data/*.parquet", "description": "The records as Parquet shards (typed columns)."},
        {"@type": "cr:FileSet", "@id": JSONL_SET, "name": JSONL_SET, "encodingFormat": FORMATS["jsonl"],
         "includes": "jsonl/*.jsonl", "description": "The same records as JSON Lines, in the same order."},
    ]
    return objects + sets


def temporal_coverage(years: Iterable[int]) -> str | None:
    """schema.org's ``temporalCoverage`` of records printed in ``years``: ``1998``, ``1998/2020``; None for none."""
    known = sorted(set(years))
    if not known:
        return None
    return str(known[0]) if known[0] == known[-1] else f"{known[0]}/{known[-1]}"


def croissant(meta: DatasetMeta, version: str, files: list[dict[str, Any]],
              years: Iterable[int] = ()) -> dict[str, Any]:
    """The Croissant JSON-LD document of a release (``files``: the shards' manifest rows; ``years``: the
    records' years of print, for ``temporalCoverage``). ``datePublished`` is the dataset's
    ``date_published``: a build never reads the clock."""
    cite = meta.name.replace("-", "_").replace(".", "_")
    dates = {"datePublished": meta.date_published, "temporalCoverage": temporal_coverage(years)}
    return {k: v for k, v in dates.items() if v is not None} | {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": meta.name,
        "alternateName": meta.pretty_name,
        "description": meta.description,
        "license": LICENSES.get(meta.license.lower(), meta.license),
        "url": meta.homepage or f"https://huggingface.co/datasets/{meta.repo_id or meta.name}",
        "version": version,
        "inLanguage": "zh",
        "citeAs": f"@misc{{{cite}, title = {{{meta.pretty_name}}}, note = {{Version {version}}}}}",
        "distribution": distribution(files),
        "recordSet": [{
            "@type": "cr:RecordSet", "@id": RECORD_SET, "name": RECORD_SET,
            "description": "One article of a county-newspaper page (the Article model); key: id.",
            "key": {"@id": f"{RECORD_SET}/id"},
            "field": record_fields(Article, article_schema(), RECORD_SET),
        }],
    }


def write_croissant(path: Path, meta: DatasetMeta, version: str, files: list[dict[str, Any]],
                    years: Iterable[int] = ()) -> None:
    """Write ``croissant.json``: sorted keys, UTF-8, two-space indent, final newline."""
    text = json.dumps(croissant(meta, version, files, years), ensure_ascii=False, indent=2, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


def field_paths(fields: list[dict[str, Any]]) -> Iterator[str]:
    """Every field ``@id`` of a RecordSet, subfields included (for tests and checks)."""
    for field in fields:
        yield field["@id"]
        yield from field_paths(field.get("subField", []))


def _check_files(root: Path, doc: dict[str, Any]) -> Iterator[str]:
    """Every shard is a FileObject with the file's SHA-256, and nothing else is."""

    objects = {d["@id"]: d.get("sha256") for d in doc.get("distribution", []) if d.get("@type") == "cr:FileObject"}
    shards = {p.relative_to(root).as_posix() for p in [*root.glob("data/*.parquet"), *root.glob("jsonl/*.jsonl")]}
    for name in sorted(shards - set(objects)):
        yield f"shard {name} is not a FileObject"
    for name in sorted(set(objects) - shards):
        yield f"FileObject {name} is not a shard of the release"
    for name in sorted(shards & set(objects)):
        if objects[name] != sha256_file(root / name):
            yield f"sha256 of {name} differs from the file"


def _errors(report: str) -> list[str]:
    """The error lines of an mlcroissant validation report (its warnings follow them)."""
    lines = [line.strip().lstrip("- ").strip() for line in report.strip().splitlines()]
    end = next((i for i, line in enumerate(lines) if "warning(s)" in line), len(lines))
    return [line for line in lines[1:end] if line] or lines[:1]


def croissant_problems(root: Path) -> Iterator[str]:
    """What is wrong with ``root/croissant.json``: mlcroissant errors, shards and digests, fields vs the model."""
    import mlcroissant as mlc
    from absl import logging as absl_logging

    path = root / CROISSANT_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        yield f"cannot read: {err}; rebuild the release"
        return
    absl_logging.set_verbosity(absl_logging.ERROR)
    try:
        mlc.Dataset(jsonld=path)
    except mlc.ValidationError as err:
        yield from (f"mlcroissant: {error}" for error in _errors(str(err)))
    yield from _check_files(root, doc)
    record_sets = doc.get("recordSet") or [{}]
    if record_sets[0].get("field") != record_fields(Article, article_schema(), RECORD_SET):
        yield f"fields of record set {RECORD_SET} differ from the model's; rebuild the release"
