"""The models are the single source of truth; derived schemas must follow them."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pyarrow as pa
import pytest

from builders.release.arrow import article_schema, features
from schema import JSON_SCHEMA_PATH, Article, json_schema
from schema.export import render

ROOT = Path(__file__).resolve().parents[1]


def test_committed_json_schema_matches_models() -> None:
    assert JSON_SCHEMA_PATH.read_text(encoding="utf-8") == render(), "run `python -m schema` and commit"


def test_every_field_has_a_description() -> None:
    def walk(node: dict) -> None:
        for name, prop in node.get("properties", {}).items():
            assert prop.get("description"), f"field {name} has no description"

    schema = json_schema()
    walk(schema)
    for definition in schema["$defs"].values():
        walk(definition)


def test_arrow_schema_follows_models() -> None:
    schema = article_schema()
    assert schema.names == list(Article.model_fields)
    assert schema.field("headline").type == pa.string() and not schema.field("headline").nullable
    assert schema.field("kicker").nullable
    assert schema.field("date").type == pa.date32()
    assert schema.field("ordinal").type == pa.int32()
    bylines = schema.field("bylines").type
    assert pa.types.is_list(bylines) and pa.types.is_struct(bylines.value_type)
    assert not any(pa.types.is_large_string(f.type) for f in schema)


def test_features_match_arrow_schema() -> None:
    assert features().arrow_schema.names == article_schema().names


def test_schema_package_is_a_leaf() -> None:
    allowed = {"pydantic", "annotated_types", "schema", "__future__"}
    for path in (ROOT / "schema").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in allowed or top in __import__("sys").stdlib_module_names, f"{path.name} imports {name}"


def test_json_schema_is_valid_draft_2020_12() -> None:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(json.loads(JSON_SCHEMA_PATH.read_text(encoding="utf-8")))


def test_every_problem_code_is_documented_in_readme() -> None:
    from schema import CODES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in CODES:
        assert f"`{code}`" in readme, f"problem code {code} is not in README.md"


def test_the_schema_command_takes_only_check(capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m schema --bogus`` used to ignore the argument and rewrite the file: usage and exit 2
    now, nothing written; ``--check`` on the committed file passes."""
    from schema.export import main

    before = JSON_SCHEMA_PATH.stat().st_mtime_ns
    with pytest.raises(SystemExit) as stopped:
        main(["--bogus"])
    assert stopped.value.code == 2 and "unrecognized arguments: --bogus" in capsys.readouterr().err
    assert main(["--check"]) == 0 and JSON_SCHEMA_PATH.stat().st_mtime_ns == before


def test_the_json_schema_requires_every_key_a_record_is_written_with() -> None:
    from builders.release.write import record_json
    from tests.factories import empty_article

    written = set(json.loads(record_json(empty_article(1))))
    assert set(json_schema()["required"]) == written == set(Article.model_fields)
