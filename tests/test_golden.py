"""Golden-file tests: one case per parser rule (tests/golden/<case>/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden.regenerate import cases, snapshot

REGENERATE = ".venv/bin/python tests/golden/regenerate.py"


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.name)
def test_golden_case(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    assert snapshot(case) == expected, f"parser output changed for {case.name}; if intended run `{REGENERATE}`"


def test_there_are_golden_cases() -> None:
    assert len(cases()) >= 8
