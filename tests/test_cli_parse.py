"""`xianbao parse`: JSON lines of Articles; rejects on stderr; other files still handled."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from builders.cli import main
from schema import Article

ROOT = Path(__file__).resolve().parents[1]


def test_parse_prints_articles_and_reports_rejects(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    seed = ROOT / "seeds" / "002_e7cb3654940c1666.txt"
    result = CliRunner().invoke(main, ["parse", str(bad), str(seed)])
    assert result.exit_code == 1
    assert "empty.txt: empty-page" in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["headline"] for r in records][:2] == ["推进民生实事落实 打赢蓝天保卫战", "开发区召开民生实事专题推进会议"]
    assert all(r["source_file"] == str(seed) for r in records)
    assert "开发区" in result.stdout  # Chinese is not escaped
    for record in records:
        Article.model_validate(record)


def test_every_command_has_help() -> None:
    for name, command in main.commands.items():
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and command.help, name


def test_names_with_terminal_controls_are_printed_escaped(tmp_path: Path) -> None:
    from builders.cli_output import terminal_safe

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "e\x1b]0;title\x07\x1b[2J.txt").write_bytes(b"")
    (seeds / "nl\nreject binary-file: 9 (x.txt).txt").write_text("x\n", encoding="utf-8")
    (seeds / "evil\x1b[31mRED\nWARNING: forged.md").write_text("x\n", encoding="utf-8")  # logged: skipped-file
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--out", str(tmp_path / "out"),
                                       "--no-progress", "--allow-empty"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "e\\x1b]0;title\\x07\\x1b[2J.txt" in result.output and "nl\\nreject binary-file" in result.output
    assert not any(line.startswith(("reject binary-file: 9", "WARNING: forged")) for line in result.output.splitlines())
    assert "evil\\x1b[31mRED\\nWARNING: forged.md" in result.output
    assert terminal_safe("甲\u202e乙\r\n", one_line=False) == "甲\\u202e乙\\x0d\n"
