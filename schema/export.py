"""Export the JSON Schema of :class:`~schema.article.Article`.

Regenerate the committed file with ``python -m schema`` (``--check`` fails on drift).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from schema.article import SCHEMA_VERSION, Article

JSON_SCHEMA_PATH = Path(__file__).with_name("article.schema.json")
SCHEMA_ID = f"https://xianbao.invalid/schema/article/{SCHEMA_VERSION}/article.schema.json"


def json_schema() -> dict[str, Any]:
    """The Draft 2020-12 JSON Schema of one released record (a JSONL line)."""
    body = Article.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "version": SCHEMA_VERSION,
        **body,
    }


def render() -> str:
    """The exact text of the committed schema file."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write ``schema/article.schema.json``; with ``--check``, only compare (``--help``: usage; an
    unknown argument: usage on stderr and exit 2, nothing written)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m schema", description="Regenerate schema/article.schema.json "
                                     "from the pydantic models (the one source of truth).")
    parser.add_argument("--check", action="store_true", help="only compare: exit 1 when the file is out of date")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    text = render()
    current = JSON_SCHEMA_PATH.read_text(encoding="utf-8") if JSON_SCHEMA_PATH.exists() else ""
    if args.check:
        if current != text:
            print(f"{JSON_SCHEMA_PATH} is out of date: run `python -m schema` and commit it.", file=sys.stderr)
            return 1
        return 0
    if current != text:
        JSON_SCHEMA_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {JSON_SCHEMA_PATH}")
    return 0
