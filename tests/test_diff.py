"""Release diffs, version rules, the card's "Changes since" section and CHANGELOG.md."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pyarrow as pa
import pytest
from click.testing import CliRunner

from builders.build import build_release
from builders.cli import main
from builders.errors import InvalidReleaseError, ReleaseExistsError
from builders.parse.page import article_id
from builders.pipeline import PageResult
from builders.release.changelog import bump_version, render_changelog
from builders.release.config import BuildConfig
from builders.release.diff import ReleaseDiff, diff_releases, load_records, schema_paths
from builders.release.markdown import cell, inline
from tests.conftest import META, assert_inert_markdown
from tests.factories import make_article

OLD = {"000_a.txt": ["甲|一", "乙|二", "丙|三"], "001_b.txt": ["丁|四", "戊|五"], "003_d.txt": ["己|六"]}
NEW = {"000_a.txt": ["甲|一", "乙|二改", "丙|三"], "001_b.txt": ["丁|四"], "002_c.txt": ["庚|七", "辛|八"],
       "003_d.txt": ["己|六"]}
"""Seeds as page -> ``headline|body`` lines: in NEW one body is edited (000_a), one article removed
(001_b), one page added (002_c) and one page unchanged (003_d)."""


def text_pages(path: Path, root: Path | None = None, meta: object = None) -> PageResult:
    """A fake parser with the real ID scheme: one article per ``headline|body`` line."""
    name = path.relative_to(root).as_posix() if root else path.name
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    articles = []
    for ordinal, line in enumerate(raw.decode().splitlines()):
        headline, body = line.split("|")
        articles.append(make_article(
            ordinal, id=article_id(sha, [headline], body), source_file=name, source_sha256=sha, ordinal=ordinal,
            headline=headline, title_lines=[headline], body=body))
    return PageResult(name, sha, len(raw), articles)


def write_seeds(folder: Path, pages: dict[str, list[str]]) -> Path:
    """A seed folder holding ``pages``."""
    folder.mkdir()
    for name, lines in pages.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def two_releases(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[Path, Path]:
    """Releases 0.1.0 (OLD seeds) and 0.2.0 (NEW seeds) under one dataset folder."""
    monkeypatch.setattr("builders.build.release_file", text_pages)
    roots = []
    for version, pages in (("0.1.0", OLD), ("0.2.0", NEW)):
        seeds = write_seeds(tmp_path / f"seeds-{version}", pages)
        config = BuildConfig(seeds=seeds, out=tmp_path / "dist", dataset=META, version=version, progress=False)
        roots.append(build_release(config).release_dir)
    return roots[0], roots[1]


def test_diff_finds_added_removed_and_changed_articles(two_releases: tuple[Path, Path]) -> None:
    old, new = two_releases
    diff = diff_releases(old, new)
    old_ids = {r["headline"]: i for i, r in load_records(old).items()}
    assert diff.removed == [old_ids["戊"]]
    assert len(diff.added) == 2 and diff.pages_added == ["002_c.txt"] and diff.pages_removed == []
    changed = {c.headline: c.fields for c in diff.changed}
    assert set(changed) == {"甲", "乙", "丙", "丁"}, "articles of edited pages are paired by headline"
    assert changed["乙"] == ("id", "source_sha256", "body") and changed["甲"] == ("id", "source_sha256")
    assert diff.unchanged == 1, "an unchanged page keeps its article's ID"
    assert diff.field_counts() == {"id": 4, "source_sha256": 4, "body": 1}
    assert diff.examples["body"] == [{"id": changed_id(diff, "乙"), "old": '"二"', "new": '"二改"'}]
    assert diff.bump() == "minor" and diff.fields_added == diff.fields_removed == diff.fields_retyped == []


def changed_id(diff: ReleaseDiff, headline: str) -> str:
    """The new ID of the changed article with ``headline``."""
    return next(c.new_id for c in diff.changed if c.headline == headline)


def test_same_id_with_other_fields_changed_is_a_patch(two_releases: tuple[Path, Path], tmp_path: Path) -> None:
    old, _ = two_releases
    edited = tmp_path / "edited"
    shutil.copytree(old / "data", edited / "data")
    records = list(load_records(old).values())
    records[0]["keywords"] = ["新词"]
    (edited / "jsonl").mkdir()
    (edited / "jsonl" / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    diff = diff_releases(old, edited)
    assert [(c.old_id, c.new_id, c.fields) for c in diff.changed] == [(records[0]["id"], records[0]["id"],
                                                                       ("keywords",))]
    assert diff.bump() == "patch" and diff.unchanged == len(records) - 1


def test_schema_changes_drive_major_and_minor_bumps() -> None:
    base = pa.schema([pa.field("id", pa.string(), nullable=False),
                      pa.field("dateline", pa.struct([pa.field("month", pa.int32())]))])
    added = base.append(pa.field("tags", pa.list_(pa.string())))
    retyped = pa.schema([base.field("id"), pa.field("dateline", pa.struct([pa.field("month", pa.string())]))])
    assert set(schema_paths(added)) - set(schema_paths(base)) == {"tags", "tags[]"}
    assert schema_paths(base)["dateline.month"] == "int32?" and schema_paths(retyped)["dateline.month"] == "string?"
    assert ReleaseDiff("a", "b", fields_added=["tags"]).bump() == "minor"
    assert ReleaseDiff("a", "b", fields_retyped=["dateline.month"]).bump() == "major"
    assert ReleaseDiff("a", "b", fields_removed=["tags"], fields_added=["x"]).bump() == "major"
    assert ReleaseDiff("a", "b").bump() == "none"
    assert [bump_version("1.4.2", b) for b in ("major", "minor", "patch", "none")] == [
        "2.0.0", "1.5.0", "1.4.3", "1.4.2"]


def test_card_and_changelog_show_the_changes(two_releases: tuple[Path, Path]) -> None:
    old, new = two_releases
    card = (new / "README.md").read_text(encoding="utf-8")
    assert "## Changes since 0.1.0" in card and "- Articles removed: 1" in card and "| `body` | 1 |" in card
    assert "Changes since" not in (old / "README.md").read_text(encoding="utf-8")
    changelog = (new.parent / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog == render_changelog(new.parent), "CHANGELOG.md is generated and deterministic"
    assert changelog.index("## 0.2.0") < changelog.index("### Changes since 0.1.0") < changelog.index("## 0.1.0")
    assert "Pages added: 002_c.txt" in changelog and "First release." in changelog


def test_build_without_version_proposes_the_next_one(two_releases: tuple[Path, Path], tmp_path: Path) -> None:
    seeds = write_seeds(tmp_path / "seeds-next", {**NEW, "002_c.txt": ["庚|七改", "辛|八"]})
    config = BuildConfig(seeds=seeds, out=tmp_path / "dist", dataset=META, progress=False)  # version 0.1.0 exists
    with pytest.raises(ReleaseExistsError,
                       match=r"propose --release-version 0\.2\.1: patch: 0 articles added, 0 removed, 2 changed"):
        build_release(config)
    report = build_release(BuildConfig(seeds=seeds, out=tmp_path / "other", dataset=META, progress=False,
                                               history=two_releases[1].parent))
    assert report.proposal == ("0.2.1", ["patch: 0 articles added, 0 removed, 2 changed"])
    explicit = BuildConfig(seeds=seeds, out=tmp_path / "third", dataset=META, version="0.3.0", progress=False)
    assert build_release(explicit).proposal is None


def test_cli_diff_prints_markdown_and_json(two_releases: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = two_releases
    text = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert text.exit_code == 0 and text.output.startswith("# Changes since 0.1.0")
    as_json = CliRunner().invoke(main, ["diff", "--json", str(old), str(new)])
    report = json.loads(as_json.output)
    assert report["counts"] == {"added": 2, "removed": 1, "changed": 4, "unchanged": 1} and report["bump"] == "minor"
    assert report["fields"] == {"body": 1, "id": 4, "source_sha256": 4}
    bad = CliRunner().invoke(main, ["diff", str(old), str(tmp_path)])
    assert bad.exit_code == 2 and bad.output.count("\n") == 1 and "not a release folder" in bad.output


@pytest.mark.parametrize("damage", [b"{not json\n", b"\xff\xfe\n", b'["a list"]\n', b'{"id": "0123456789abcdef"}\n'])
def test_a_damaged_release_is_one_error_line_for_diff_and_the_next_build(
        two_releases: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: bytes) -> None:
    old, new = two_releases
    shard = next((old / "jsonl").glob("*.jsonl"))
    shard.write_bytes(shard.read_bytes() + damage)
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert (result.exit_code == 1 and result.exception is None) or isinstance(result.exception, SystemExit)
    assert result.output.startswith("error: ") and f"{shard.name}:" in result.output and "validate" in result.output
    seeds = write_seeds(tmp_path / "seeds-0.3.0", {"000_a.txt": ["壬|九"]})
    config = BuildConfig(seeds=seeds, out=tmp_path / "dist", dataset=META, version="0.3.0", progress=False)
    fix = r"rebuild it \(xianbao build --release-version 0\.1\.0 --force\) or remove it"
    with pytest.raises(InvalidReleaseError, match=fix):
        build_release(config)
    assert sorted(p.name for p in old.parent.iterdir() if not p.name.startswith(".")) == [
        "0.1.0", "0.2.0", "CHANGELOG.md"]


def test_a_rebuild_that_changes_only_the_card_is_told_to_use_force(monkeypatch: pytest.MonkeyPatch,
                                                                   tmp_path: Path) -> None:
    import dataclasses

    monkeypatch.setattr("builders.build.release_file", text_pages)
    config = BuildConfig(seeds=write_seeds(tmp_path / "seeds", OLD), out=tmp_path / "dist", dataset=META,
                         progress=False)
    first = build_release(config).release_dir
    renamed = dataclasses.replace(config, dataset=dataclasses.replace(META, pretty_name="Other Papers"))
    same = r"the records and schema are the same; only .* differ: --force"
    with pytest.raises(ReleaseExistsError, match=same) as err:
        build_release(renamed)
    assert "propose" not in str(err.value) and "README.md" in str(err.value)  # the card names the pretty name
    assert "data/" not in str(err.value) and "jsonl/" not in str(err.value)
    assert build_release(dataclasses.replace(renamed, force=True)).release_dir == first


def test_a_rebuild_that_reshards_the_same_records_names_the_data_files(monkeypatch: pytest.MonkeyPatch,
                                                                       tmp_path: Path) -> None:
    """Only --max-shard-bytes changed: the records are the same, the shard files are not (the refusal said
    'only the card or metadata files differ')."""
    import dataclasses

    monkeypatch.setattr("builders.build.release_file", text_pages)
    config = BuildConfig(seeds=write_seeds(tmp_path / "seeds", OLD), out=tmp_path / "dist", dataset=META,
                         progress=False)
    build_release(config)
    with pytest.raises(ReleaseExistsError, match=r"the records and schema are the same; only .* differ") as err:
        build_release(dataclasses.replace(config, max_shard_bytes=200))
    assert "data/train-00000-of-" in str(err.value) and "card or metadata" not in str(err.value)
    assert sorted(p.name for p in (tmp_path / "dist" / "test-papers").iterdir()) == ["0.1.0", "CHANGELOG.md"]


def test_a_target_that_is_no_release_is_not_called_the_same(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("builders.build.release_file", text_pages)
    config = BuildConfig(seeds=write_seeds(tmp_path / "seeds", OLD), out=tmp_path / "dist", dataset=META,
                         progress=False)
    first = build_release(config).release_dir
    (first / "manifest.json").unlink()
    with pytest.raises(ReleaseExistsError) as err:
        build_release(config)
    assert "only the card" not in str(err.value) and "no complete release" in str(err.value)


HOSTILE_ADDED = ["**bold** [x](http:__evil) |a|b|.txt", "new\nline.txt"]
HOSTILE_REMOVED = "<img src=x onerror=alert(1)>.txt"


def test_hostile_page_names_are_text_in_the_card_changelog_and_diff(monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    monkeypatch.setattr("builders.build.release_file", text_pages)
    roots = []
    for version, pages in (("0.1.0", {**OLD, HOSTILE_REMOVED: ["壬|九"]}),
                           ("0.2.0", {**OLD, HOSTILE_ADDED[0]: ["癸|十"], HOSTILE_ADDED[1]: ["子|丑"]})):
        seeds = write_seeds(tmp_path / f"seeds-{version}", pages)
        config = BuildConfig(seeds=seeds, out=tmp_path / "dist", dataset=META, version=version, progress=False)
        roots.append(build_release(config).release_dir)
    old, new = roots
    terminal = CliRunner().invoke(main, ["diff", str(old), str(new)]).output
    for markdown in ((new / "README.md").read_text(encoding="utf-8"),
                     (new.parent / "CHANGELOG.md").read_text(encoding="utf-8"), terminal):
        assert_inert_markdown(markdown)
        assert "- Pages added: \\*\\*bold\\*\\* \\[x\\](http:\\_\\_evil) \\|a\\|b\\|.txt, new line.txt" in markdown
        assert "- Pages removed: &lt;img src=x onerror=alert(1)&gt;.txt" in markdown
        assert not re.search(r"^line\.txt", markdown, re.M), "a newline in a name started a new line"


def test_ordinary_names_read_as_they_are_and_only_a_cell_escapes_every_underscore() -> None:
    assert [inline(n) for n in ("000_a.txt", "庆元报_第2版.txt", "a-b c.txt")] == [
        "000_a.txt", "庆元报_第2版.txt", "a-b c.txt"]
    assert inline("_a_ __b__.txt") == "\\_a\\_ \\_\\_b\\_\\_.txt" and cell("000_a.txt") == "000\\_a.txt"
    assert inline("a|b\n# c") == cell("a|b\n# c") == "a\\|b \\# c"
