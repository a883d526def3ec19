"""A command that needs an optional extra names it (pip install "xianbao[...]") and exits 2, without a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders.cli import main


@pytest.mark.parametrize(("missing", "args", "extra"), [
    ("pyiceberg", ["publish", "iceberg", "{release}"], "lake"),
    ("sqlalchemy", ["publish", "iceberg", "{release}", "--catalog", "sqlite:///{tmp}/c.db"], "lake"),
    ("ray", ["build", "--seeds", "{seeds}", "--out", "{tmp}/dist", "--engine", "ray"], "ray"),
])
def test_a_missing_extra_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: str, args: list[str], extra: str
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # import raises ImportError, as after `pip install .`
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("县委召开常委会议\n\n本报讯 县委召开常委会议。\n", encoding="utf-8")
    values = {"release": str(tmp_path), "seeds": str(seeds), "tmp": str(tmp_path)}
    result = CliRunner().invoke(main, [a.format(**values) for a in args])
    assert result.exit_code == 2, result.output
    assert f'pip install "xianbao[{extra}]"' in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, ImportError)
