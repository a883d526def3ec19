"""Golden files for the page parser: ``tests/golden/<case>/input.txt`` -> ``expected.json``.

Regenerate every case after an intended parser change, review the diff, commit:

    .venv/bin/python tests/golden/regenerate.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
SKIP = {"id", "source_sha256"}


def cases() -> list[Path]:
    """Every golden case folder, sorted."""
    return sorted(p.parent for p in ROOT.glob("*/input.txt"))


def snapshot(case: Path) -> dict[str, Any]:
    """The parser's output for one case, as stored in ``expected.json``."""
    from builders.parse.page import parse_page
    from builders.read.decode import read_page

    page = read_page(case / "input.txt", ROOT)
    assert not hasattr(page, "code"), f"{case.name}: input rejected: {page}"
    result = parse_page(page.text, page.source_file, page.sha256)  # type: ignore[union-attr]
    return {
        "articles": [{k: v for k, v in a.model_dump(mode="json").items() if k not in SKIP} for a in result.articles],
        "problems": [{"code": p.code, "line": p.line} for p in result.problems],
    }


def render(data: dict[str, Any]) -> str:
    """Stable JSON text for a snapshot."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    for case in cases():
        path = case / "expected.json"
        text = render(snapshot(case))
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"updated {path.relative_to(ROOT.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT.parent.parent))
    raise SystemExit(main())
