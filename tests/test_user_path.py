"""The publisher's everyday path (issue 16): mistakes are loud, output is scriptable, the card serves Hub users."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import stat
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from huggingface_hub import DatasetCard

from builders import __version__, memo
from builders.cli import main

PYPROJECT = """[tool.xianbao.dataset]
name = "test-papers"
license = "other"
license_name = "Test Papers Licence"
license_link = "LICENSE.md"
language = ["zh", "en"]
task_categories = ["text-classification"]
tags = ["test-tag"]
"""


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return tmp_path / "pyproject.toml"


def build_args(seeds: Path, tmp_path: Path, project: Path, *more: str) -> list[str]:
    return ["build", "--seeds", str(seeds), "--out", str(tmp_path / "dist"), "--pyproject", str(project), *more]


@pytest.mark.parametrize("content", [None, {"notes.md": "x", "manifest.csv": "file\n"}])
def test_a_seeds_folder_without_pages_is_an_error(tmp_path: Path, project: Path, content: Any) -> None:
    seeds = tmp_path / "empty"
    seeds.mkdir()
    for name, text in (content or {}).items():
        (seeds / name).write_text(text)
    result = run(*build_args(seeds, tmp_path, project))
    assert result.exit_code == 2
    assert str(seeds) in result.output and "no page" in result.output and "--allow-empty" in result.output
    assert not (tmp_path / "dist").exists()


def test_allow_empty_builds_and_validate_calls_it_a_problem(tmp_path: Path, project: Path) -> None:
    seeds = tmp_path / "empty"
    seeds.mkdir()
    built = run(*build_args(seeds, tmp_path, project, "--allow-empty", "--release-version", "0.0.1"))
    assert built.exit_code == 0, built.output
    checked = run("validate", str(tmp_path / "dist" / "test-papers" / "0.0.1"))
    assert checked.exit_code == 1 and "empty-release" in checked.output


def test_pages_that_all_are_rejects_release_nothing_unless_allow_empty(tmp_path: Path, project: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages were read, none gave an article: no release that validate would call empty, a one-line
    error with the counts and reasons (exit 1); --allow-empty releases the rejects alone."""
    seeds = tmp_path / "rejected"
    seeds.mkdir()
    (seeds / "a.txt").write_text("本报讯\n\n", encoding="utf-8")
    (seeds / "b.txt").write_text("\n\n\n", encoding="utf-8")
    (seeds / "c.bin.txt").write_bytes(b"\x00\x01\x02" * 50)
    result = run(*build_args(seeds, tmp_path, project, "--release-version", "0.0.1"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    error = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(error) == 1 and "3 pages" in error[0] and "--allow-empty" in error[0], result.output
    assert not (tmp_path / "dist" / "test-papers" / "0.0.1").exists()
    built = run(*build_args(seeds, tmp_path, project, "--release-version", "0.0.1", "--allow-empty"))
    assert built.exit_code == 0, built.output
    rejects = (tmp_path / "dist" / "test-papers" / "0.0.1" / "rejects.jsonl").read_text(encoding="utf-8")
    assert {json.loads(line)["source_file"] for line in rejects.splitlines()} == {"a.txt", "b.txt", "c.bin.txt"}
    manifest = json.loads((tmp_path / "dist" / "test-papers" / "0.0.1" / "manifest.json").read_text(encoding="utf-8"))
    assert {(s["file"], s["bytes"], s["sha256"]) for s in manifest["seeds"]} == {
        (path.name, path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest()) for path in seeds.iterdir()}
    # the README's promise for such a release: zero rows of the full schema in pandas and DuckDB
    import duckdb
    import pandas as pd

    from builders.release.arrow import article_schema

    data = tmp_path / "dist" / "test-papers" / "0.0.1" / "data"
    frame = pd.read_parquet(data)
    assert frame.shape == (0, len(article_schema())) and list(frame.columns) == article_schema().names
    assert duckdb.sql(f"SELECT count(*) FROM '{data}/*.parquet'").fetchall() == [(0,)]
    # ... and datasets cannot load it (datasets 5: DatasetGenerationError, not the README's old quote), while
    # the rejects it is for load with the json builder
    import datasets
    from datasets.exceptions import DatasetGenerationError

    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    cache = str(tmp_path / "hf-cache")
    with pytest.raises((DatasetGenerationError, ValueError)):
        datasets.load_dataset(str(data.parent), split="train", cache_dir=cache)
    rejected = datasets.load_dataset("json", data_files=str(data.parent / "rejects.jsonl"), split="train",
                                     cache_dir=cache)
    assert sorted(set(rejected["source_file"])) == ["a.txt", "b.txt", "c.bin.txt"]


@pytest.mark.parametrize("option", ["--out", "--cache-dir"])
def test_the_seeds_folder_itself_as_output_is_refused_before_any_work(tmp_path: Path, project: Path,
                                                                      option: str) -> None:
    """Written into the seeds folder's root, the release, lock and cache would be read as pages by the next
    build (its digest differed, the second build failed): refused, nothing written there."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("标题\n\n正文第一段，说了一件事。\n", encoding="utf-8")
    before = sorted(p.name for p in seeds.iterdir())
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--pyproject", str(project),
                                       "--out", str(tmp_path / "dist"), option, str(seeds) + "/"])
    assert result.exit_code == 2 and "is the seeds folder itself" in result.output, result.output
    assert sorted(p.name for p in seeds.iterdir()) == before


def test_force_replaces_a_damaged_release(tmp_path: Path, project: Path) -> None:
    """A release whose JSONL was damaged after the build: a rebuild without --force stops with one line
    saying how to fix it; with --force (the version from pyproject.toml, so the version rules compare
    with the damaged release) it is replaced and validates."""
    seeds = Path(__file__).parents[1] / "seeds"
    release = tmp_path / "dist" / "test-papers" / "0.1.0"
    (project.parent / "pyproject.toml").write_text(PYPROJECT.replace("[tool.xianbao.dataset]", "[project]\n"
                                                   'name = "x"\nversion = "0.1.0"\n\n[tool.xianbao.dataset]'))
    assert run(*build_args(seeds, tmp_path, project)).exit_code == 0
    shard = next((release / "jsonl").glob("*.jsonl"))
    shard.write_bytes(shard.read_bytes() + b"garbage\n")
    again = run(*build_args(seeds, tmp_path, project))
    assert again.exit_code == 1 and "Traceback" not in again.output
    assert "--release-version 0.1.0 --force" in again.output, again.output
    forced = run(*build_args(seeds, tmp_path, project, "--force"))
    assert forced.exit_code == 0, forced.output
    assert run("validate", str(release)).exit_code == 0


def test_problems_are_listed_by_code_with_pages_and_strict_fails(
    fake_pipeline: None, seeds: Path, tmp_path: Path, project: Path
) -> None:
    (seeds / "manifest.csv").write_text("file,newpaper,date\n000_a.txt,庆元报,2020-13-01\n", encoding="utf-8")
    result = run(*build_args(seeds, tmp_path, project))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "reject no-articles: 1 (002_c.txt)" in lines
    bad_rows = next(line for line in lines if line.startswith("warning bad-manifest-row: 2 ("))
    assert "manifest.csv:1" in bad_rows and "manifest.csv:2" in bad_rows
    strict = run(*build_args(seeds, tmp_path, project, "--strict", "--force"))
    assert strict.exit_code == 1
    assert "error: --strict: 1 no-articles, 2 bad-manifest-row" in strict.output


def test_a_region_code_the_table_does_not_know_is_a_warning(tmp_path: Path, project: Path) -> None:
    """A manifest's region code the division table does not know (a typo) gave records with empty names
    and no word: the row is used and the build warns with its line; --strict refuses it."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in "abc":
        (seeds / f"{name}.txt").write_text(f"县里召开{name}会议\n\n本报讯 会议要求抓好落实。\n", encoding="utf-8")
    (seeds / "manifest.csv").write_text("file,region\na.txt,331126\nb.txt,330000\nc.txt,339999\n", encoding="utf-8")
    result = run(*build_args(seeds, tmp_path, project, "--release-version", "0.0.1"))
    assert result.exit_code == 0, result.output
    assert "warning unknown-region-code: 1 (manifest.csv:4)" in result.output.splitlines()
    jsonl = tmp_path / "dist" / "test-papers" / "0.0.1" / "jsonl"
    regions = {r["source_file"]: r["region"] for p in jsonl.glob("*.jsonl")
               for r in map(json.loads, p.read_text(encoding="utf-8").splitlines())}
    assert regions["a.txt"]["county"] == "庆元县" and regions["b.txt"]["province"] == "浙江省"
    assert regions["c.txt"] == {"code": "339999", "province": "", "prefecture": "", "county": ""}
    strict = run(*build_args(seeds, tmp_path, project, "--release-version", "0.0.2", "--strict"))
    assert strict.exit_code == 1 and "1 unknown-region-code" in strict.output


def test_quiet_and_json(fake_pipeline: None, seeds: Path, tmp_path: Path, project: Path) -> None:
    quiet = run(*build_args(seeds, tmp_path, project, "-q", "--release-version", "v0.2.0"))
    assert quiet.exit_code == 0 and quiet.output == ""
    assert (tmp_path / "dist" / "test-papers" / "0.2.0").is_dir(), "v0.2.0 is version 0.2.0"
    report = json.loads(run(*build_args(seeds, tmp_path, project, "--json", "-q", "--release-version", "0.2.0")).output)
    assert report["status"] == "unchanged" and report["counts"]["records"] == 9
    assert report["problems"] == [{"severity": "reject", "code": "no-articles", "count": 1, "examples": ["002_c.txt"]}]
    release = tmp_path / "dist" / "test-papers" / "0.2.0"
    valid = json.loads(run("validate", str(release), "--json").output)
    assert valid == {"release": release.as_posix(), "valid": True, "problems": []}
    diff = json.loads(run("diff", str(release), str(release), "--json").output)
    assert diff["counts"] == {"added": 0, "removed": 0, "changed": 0, "unchanged": 9}


def _command_paths(group: click.Group, path: tuple[str, ...] = ()) -> list[list[str]]:
    """Every command and group of the CLI, as the words a user types (the top level too)."""
    paths = [list(path)]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            paths += _command_paths(command, (*path, name))
        else:
            paths.append([*path, name])
    return paths


@pytest.mark.parametrize("command", _command_paths(main), ids=lambda path: " ".join(path) or "xianbao")
def test_version_wherever_a_user_types_it(command: list[str]) -> None:
    """The README: `--version` on any command prints xianbao's own version (parse, schema and the
    publish group had none: `No such option`, exit 2)."""
    result = run(*command, "--version")
    assert result.exit_code == 0 and result.output.strip() == f"xianbao, version {__version__}"


def test_a_build_without_dataset_metadata_warns(
    fake_pipeline: None, seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("build", "--seeds", str(seeds), "--out", str(tmp_path / "dist"))
    assert result.exit_code == 0
    assert "no pyproject.toml with [tool.xianbao.dataset]" in result.output


def test_card_metadata_and_sections_for_hub_users(
    fake_pipeline: None, seeds: Path, tmp_path: Path, project: Path
) -> None:
    project.write_text(PYPROJECT + 'repo_id = "someorg/test-papers"\n', encoding="utf-8")
    assert run(*build_args(seeds, tmp_path, project, "--release-version", "1.2.3")).exit_code == 0
    card = DatasetCard.load(tmp_path / "dist" / "test-papers" / "1.2.3" / "README.md")
    data = card.data.to_dict()
    assert (data["license"], data["license_name"], data["license_link"]) == ("other", "Test Papers Licence",
                                                                              "LICENSE.md")
    assert (data["language"], data["task_categories"], data["tags"]) == (["zh", "en"], ["text-classification"],
                                                                         ["test-tag"])
    assert 'load_dataset("someorg/test-papers", revision="v1.2.3", split="train")' in card.text
    example = card.text.split("```json\n", 1)[1].split("\n```", 1)[0]
    assert json.loads(example)["source_file"] == "000_a.txt"
    assert "| `kicker` |" in card.text and "| `char_count` |" in card.text and "p95" in card.text


def test_card_without_repo_id_says_how_to_set_it(fake_pipeline: None, seeds: Path, tmp_path: Path,
                                                 project: Path) -> None:
    assert run(*build_args(seeds, tmp_path, project)).exit_code == 0
    text = (tmp_path / "dist" / "test-papers" / "0.1.0" / "README.md").read_text(encoding="utf-8")
    assert 'load_dataset("ORG/test-papers", revision="v0.1.0"' in text and "set `repo_id`" in text


def test_own_card_template(fake_pipeline: None, seeds: Path, tmp_path: Path, project: Path) -> None:
    (tmp_path / "card.md").write_text("---\n$front_matter\n---\n\n# Our own $pretty_name, $records records\n")
    project.write_text(PYPROJECT + 'card_template = "card.md"\n', encoding="utf-8")
    assert run(*build_args(seeds, tmp_path, project)).exit_code == 0
    card = DatasetCard.load(tmp_path / "dist" / "test-papers" / "0.1.0" / "README.md")
    assert card.text.strip() == "# Our own Xianbao: Chinese County Newspaper Articles, 9 records"
    (tmp_path / "card.md").write_text("$no_such_name\n")
    bad = run(*build_args(seeds, tmp_path, project, "--release-version", "0.1.1"))
    assert bad.exit_code == 2 and "no_such_name" in bad.output


def test_memos_live_in_a_private_folder_and_foreign_files_are_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(memo.ENV, str(tmp_path / "cache"))
    calls: list[int] = []

    def derive() -> dict[str, int]:
        calls.append(1)
        return {"value": 1}

    assert memo.temp_memo("t", b"k", derive, lambda v: isinstance(v, dict)) == {"value": 1}
    path = memo.memo_path("t", b"k")
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert memo.temp_memo("t", b"k", derive, lambda v: isinstance(v, dict)) == {"value": 1} and len(calls) == 1
    path.write_bytes(marshal.dumps({"value": 666}))
    os.chmod(path, 0o666)  # writable by anyone: a planted or alterable value is not trusted
    assert memo.temp_memo("t", b"k", derive, lambda v: isinstance(v, dict)) == {"value": 1} and len(calls) == 2
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, "the foreign file was replaced by this user's own"
    path.write_bytes(b"\x00damaged")
    assert memo.temp_memo("t", b"k", derive, lambda v: isinstance(v, dict)) == {"value": 1} and len(calls) == 3


def test_verbose_lists_every_warning(fake_pipeline: None, seeds: Path, tmp_path: Path, project: Path) -> None:
    (seeds / "manifest.csv").write_text("file,date\n000_a.txt,bad\n001_b.txt,also-bad\n", encoding="utf-8")
    plain = run(*build_args(seeds, tmp_path, project))
    loud = run(*build_args(seeds, tmp_path, project, "-v"))
    assert "manifest.csv:3: bad-manifest-row" not in plain.output
    assert "manifest.csv:2: bad-manifest-row" in loud.output and "manifest.csv:3: bad-manifest-row" in loud.output


def test_build_json_counts_cached_and_processed_pages(fake_pipeline: None, seeds: Path, tmp_path: Path,
                                                      project: Path) -> None:
    """README (Incremental builds): the build report counts pages_cached / pages_processed; `--json`,
    the build report a script reads, held neither."""
    first = json.loads(run(*build_args(seeds, tmp_path, project, "--json", "-q", "--workers", "1",
                                       "--release-version", "0.1.0")).output)
    (seeds / "004_e.txt").write_text("2")
    second = json.loads(run(*build_args(seeds, tmp_path, project, "--json", "-q", "--workers", "1",
                                        "--release-version", "0.2.0")).output)
    assert first["cache"] == {"pages_cached": 0, "pages_processed": 4}
    assert second["cache"] == {"pages_cached": 4, "pages_processed": 1}
