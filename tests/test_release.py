"""build_release: layout, determinism, immutability, validation of every record."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders.build import build_release
from builders.cli import main
from builders.errors import ConfigError, InvalidRecordError, ReleaseExistsError
from builders.pipeline import PageResult
from builders.read.seeds import seed_paths
from builders.release.config import BuildConfig, load_dataset_meta
from tests.conftest import fake_process_file
from tests.factories import make_article

ROOT = Path(__file__).resolve().parents[1]
ConfigFactory = Callable[..., BuildConfig]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a folder by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_release_layout_and_manifest(built: Path) -> None:
    assert sorted(tree(built)) == [
        "README.md", "SHA256SUMS", "article.schema.json", "croissant.json", "data/train-00000-of-00001.parquet",
        "jsonl/train-00000-of-00001.jsonl", "manifest.json", "rejects.jsonl",
    ]
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["records"] == 9 and manifest["counts"]["pages"] == 4
    assert manifest["counts"]["rejects_by_code"] == {"no-articles": 1}
    assert [(s["file"], s["articles"], s["rejects"]) for s in manifest["seeds"]] == [
        ("000_a.txt", 3, 0), ("001_b.txt", 2, 0), ("002_c.txt", 0, 1), ("003_d.txt", 4, 0)]
    assert manifest["seeds"][0]["sha256"] == hashlib.sha256(b"3").hexdigest()
    reject = json.loads((built / "rejects.jsonl").read_text(encoding="utf-8"))
    assert reject == {"code": "no-articles", "source_file": "002_c.txt", "line": None,
                      "message": "no article found", "locations": []}


def test_sha256sums_cover_every_other_file_sorted(built: Path) -> None:
    lines = (built / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    names = [line.split("  ", 1)[1] for line in lines]
    assert names == sorted(set(tree(built)) - {"SHA256SUMS"})
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((built / name).read_bytes()).hexdigest() == digest


def test_build_is_byte_identical_across_runs(fake_pipeline: None, make_config: ConfigFactory, tmp_path: Path) -> None:
    one = build_release(make_config(out=tmp_path / "a", max_shard_bytes=3_000, row_group_size=2))
    two = build_release(make_config(out=tmp_path / "b", max_shard_bytes=3_000, row_group_size=2))
    assert len(one.files) > 7, "expected several shards"
    assert tree(one.release_dir) == tree(two.release_dir)


def test_identical_rebuild_is_a_no_op(built: Path, make_config: ConfigFactory) -> None:
    before = {p: p.stat().st_mtime_ns for p in built.rglob("*")}
    report = build_release(make_config())
    assert report.status == "unchanged"
    assert {p: p.stat().st_mtime_ns for p in built.rglob("*")} == before
    assert sorted(p.name for p in built.parent.iterdir()) == [built.name, "CHANGELOG.md"], "staging folder left behind"


def test_changed_content_is_refused_unless_forced(built: Path, seeds: Path, make_config: ConfigFactory) -> None:
    (seeds / "004_e.txt").write_text("1")
    old = tree(built)
    with pytest.raises(ReleaseExistsError, match="--force"):
        build_release(make_config())
    assert tree(built) == old
    report = build_release(make_config(force=True))
    assert report.status == "replaced" and report.stats.records == 10
    assert sorted(p.name for p in built.parent.iterdir()) == [built.name, "CHANGELOG.md"]


def _with_invalid(path: Path, root: Path | None = None, meta: object = None) -> PageResult:
    result = fake_process_file(path, root, meta)
    if result.source_file == "001_b.txt":
        result.articles[1] = result.articles[1].model_copy(update={"headline": "", "ordinal": -1})
    return result


@pytest.mark.parametrize("mode", ["warn", "skip"])
def test_invalid_records_are_rejected_with_locations(
    mode: str, monkeypatch: pytest.MonkeyPatch, make_config: ConfigFactory, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("builders.build.release_file", _with_invalid)
    with caplog.at_level(logging.WARNING, logger="xianbao"):
        report = build_release(make_config(on_invalid=mode))
    assert report.stats.records == 8
    rejects = [json.loads(line) for line in (report.release_dir / "rejects.jsonl").read_text().splitlines()]
    invalid = [r for r in rejects if r["code"] == "invalid-record"]
    assert sorted(loc for r in invalid for loc in r["locations"]) == ["headline", "ordinal"]
    assert all(r["source_file"] == "001_b.txt" for r in invalid)
    assert bool(caplog.records) == (mode == "warn")


@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")
def test_records_built_unvalidated_are_validated_once_by_the_release(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The build's processor skips the first validation (``model_construct``); the release still
    validates each record and rejects an invalid one alone, while ``process_file`` refuses it at once."""
    from builders.pipeline import process_file, release_file

    monkeypatch.setattr("builders.enrich.page.keywords", lambda tokens: [len(tokens)])  # not a str: invalid
    page = ROOT / "seeds" / sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))[0]
    built = release_file(page, page.parent)
    assert built.articles and not built.problems and isinstance(built.articles[0].keywords[0], int)
    checked = process_file(page, page.parent)
    assert not checked.articles and {p.code for p in checked.problems} == {"invalid-record"}
    config = BuildConfig(seeds=ROOT / "seeds", out=tmp_path / "dist", progress=False, reuse=False,
                         dataset=load_dataset_meta(ROOT / "pyproject.toml"), allow_empty=True)  # every record fails
    report = build_release(config)
    rejects = [json.loads(line) for line in (report.release_dir / "rejects.jsonl").read_text().splitlines()]
    assert report.stats.records == 0 and len(rejects) == 19
    assert {(r["code"], *r["locations"]) for r in rejects} == {("invalid-record", "keywords.0")}


def test_on_invalid_error_stops_and_releases_nothing(
    monkeypatch: pytest.MonkeyPatch, make_config: ConfigFactory
) -> None:
    monkeypatch.setattr("builders.build.release_file", _with_invalid)
    config = make_config(on_invalid="error")
    with pytest.raises(InvalidRecordError, match=r"001_b.txt: invalid record at ordinal, headline: "):
        build_release(config)
    assert not config.release_dir.exists()
    assert not list(config.release_dir.parent.iterdir())


def test_duplicate_ids_are_rejected(monkeypatch: pytest.MonkeyPatch, make_config: ConfigFactory) -> None:
    def twice(path: Path, root: Path | None = None, meta: object = None) -> PageResult:
        result = fake_process_file(path, root, meta)
        result.articles = [make_article(0, source_file=result.source_file) for _ in result.articles]
        return result

    monkeypatch.setattr("builders.build.release_file", twice)
    report = build_release(make_config())
    assert report.stats.records == 1
    assert report.stats.rejects_by_code["invalid-record"] == 8


@pytest.mark.parametrize(
    ("overrides", "message"),
    [({"version": "1.0"}, "not X.Y.Z"), ({"version": "01.02.03"}, "leading zeros"), ({"version": "0.1.0\n"}, "X.Y.Z"),
     ({"version": "１.２.３"}, "X.Y.Z"), ({"seeds": Path("/nonexistent")}, "does not exist"),
     ({"on_invalid": "ignore"}, "one of error, warn, skip")],
)
def test_config_errors_stop_before_work(make_config: ConfigFactory, overrides: dict, message: str) -> None:
    config = make_config(**overrides)
    with pytest.raises(ConfigError, match=message):
        build_release(config)
    assert not config.out.exists()


def test_cli_build_prints_one_line_and_exits_nonzero_on_error(
    fake_pipeline: None, seeds: Path, tmp_path: Path
) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.xianbao.dataset]\nname = "test-papers"\nlicense = "cc-by-4.0"\nversion = "0.0.1"\n',
                         encoding="utf-8")
    args = ["build", "--seeds", str(seeds), "--out", str(tmp_path / "dist"), "--release-version", "0.2.0",
            "--pyproject", str(pyproject)]
    ok = CliRunner().invoke(main, [*args, "--max-shard-bytes", "3000"])
    assert ok.exit_code == 0, ok.output
    assert "created" in ok.output and "9 records" in ok.output
    assert len(list((tmp_path / "dist" / "test-papers" / "0.2.0" / "data").glob("*.parquet"))) > 1
    (seeds / "004_e.txt").write_text("1")
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 1
    assert refused.output.strip().count("\n") == 0 and "--force" in refused.output
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0
    assert list((tmp_path / "dist" / "test-papers" / "0.2.0" / "data").glob("*.parquet")) == [
        tmp_path / "dist" / "test-papers" / "0.2.0" / "data" / "train-00000-of-00001.parquet"]
    bad = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--release-version", "x"])
    assert bad.exit_code == 2 and "not X.Y.Z" in bad.output


def test_committed_seed_release_is_up_to_date(tmp_path: Path) -> None:
    """CI: rebuilding seeds/ must give the committed dist/ byte for byte."""
    meta = load_dataset_meta(ROOT / "pyproject.toml")
    committed = ROOT / "dist" / meta.name / meta.version
    fix = "run `xianbao build --force` from the repository root and commit dist/"
    assert committed.is_dir(), f"{committed} is missing: {fix}"
    config = BuildConfig(seeds=ROOT / "seeds", out=tmp_path, dataset=meta, progress=False, history=committed.parent)
    report = build_release(config)  # history: the card's "Changes since" compares with committed releases
    assert report.stats.records > 0, "the seed release has no records"
    rebuilt, expected = tree(report.release_dir), tree(committed)
    differ = sorted(name for name in set(rebuilt) | set(expected) if rebuilt.get(name) != expected.get(name))
    assert not differ, f"committed release differs from a rebuild in {differ}: {fix}"


def test_seed_order_does_not_depend_on_the_file_system(seeds: Path) -> None:
    (seeds / "sub").mkdir()
    (seeds / "sub" / "000_z.txt").write_text("1")
    names = [p.relative_to(seeds).as_posix() for p in seed_paths(seeds)]
    assert names == ["000_a.txt", "001_b.txt", "002_c.txt", "003_d.txt", "sub/000_z.txt"]


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert command.help, f"command {name} has no help"
        assert f"xianbao {name}" in readme, f"command {name} is not documented in README.md"


def test_dataset_meta_comes_from_pyproject(tmp_path: Path) -> None:
    meta = load_dataset_meta(ROOT / "pyproject.toml")
    assert (meta.name, meta.license, meta.version) == ("xianbao-zhejiang-county-papers", "cc-by-4.0", "0.1.0")
    bad = tmp_path / "pyproject.toml"
    bad.write_text('[tool.xianbao.dataset]\nname = "x"\nlicence = "typo"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown keys in \[tool\.xianbao\.dataset\]: licence"):
        load_dataset_meta(bad)


@pytest.mark.parametrize("value", ["2026-13-01", "1 Dec 2026", "2026-12-1", "２０２６-12-01", "2026-12-01T00:00"])
def test_date_published_must_be_an_iso_date(tmp_path: Path, value: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(f'[tool.xianbao.dataset]\ndate_published = "{value}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"date_published .* is no date; write it as date_published = \"YYYY-MM-DD\""):
        load_dataset_meta(path)
    path.write_text('[tool.xianbao.dataset]\ndate_published = "2026-12-01"\n', encoding="utf-8")
    assert load_dataset_meta(path).date_published == "2026-12-01"


@pytest.mark.parametrize(("content", "named"), [
    (b"\xff\xfe[tool.xianbao.dataset]\n", "not UTF-8"),
    (b"tool = 1\n", "tool must be a table, not an integer"),
    (b'[tool]\nxianbao = "x"\n', "tool.xianbao must be a table, not a string"),
    (b"[tool.xianbao]\ndataset = []\n", "tool.xianbao.dataset must be a table, not an array"),
    (b"[tool.xianbao.dataset]\nname = 5\n", "name must be a string, not an integer"),
    (b"[tool.xianbao.dataset]\nversion = 1\n", "version must be a string, not an integer"),
    (b"[tool.xianbao.dataset]\ncard_template = 5\n", "card_template must be a string, not an integer"),
    (b'[tool.xianbao.dataset]\nlicense = ["a"]\n', "license must be a string, not an array"),
    (b"[tool.xianbao.dataset]\npretty_name = {a=1}\n", "pretty_name must be a string, not a table"),
    (b'[tool.xianbao.dataset]\ntags = "t"\n', "tags must be a list of strings, not a string"),
    (b'[tool.xianbao.dataset]\nlanguage = ["zz", 1]\n', "language must be a list of strings, not an array"),
    (b'[tool.xianbao.dataset]\nlicense = "cc-by-4.0"\nversion = "1.0"\n', "fix version in [tool.xianbao.dataset] of"),
    (b'[tool.xianbao.dataset]\nname = "papers\\n"\n', "must be lowercase letters"),
])
def test_a_pyproject_of_the_wrong_types_is_one_error_line(
    fake_pipeline: None, seeds: Path, tmp_path: Path, content: bytes, named: str
) -> None:
    pyproject = tmp_path / "bad.toml"
    pyproject.write_bytes(content)
    args = ["build", "--seeds", str(seeds), "--out", str(tmp_path / "dist"), "--pyproject", str(pyproject)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.output
    assert str(pyproject) in lines[0] and named in lines[0]
    assert not (tmp_path / "dist").exists()


def test_card_dataset_info_is_what_datasets_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The card's dataset_info is built without importing datasets; it must equal datasets' own."""
    from datasets import DatasetInfo, SplitDict, SplitInfo

    from builders import memo
    from builders.release.arrow import features
    from builders.release.card import dataset_info
    from builders.release.write import WrittenShards

    monkeypatch.setenv(memo.ENV, str(tmp_path))
    (tmp_path / "a.parquet").write_bytes(b"x" * 1234)
    shards = WrittenShards(parquet=["a.parquet"], arrow_bytes=98765, num_records=42)
    splits = SplitDict({"train": SplitInfo("train", num_bytes=98765, num_examples=42)})
    info = DatasetInfo(features=features(), splits=splits, download_size=1234, dataset_size=98765, config_name="c")
    expected = {"config_name": "c", **info._to_yaml_dict()}
    for _ in range(2):  # derived, then read from the temp-folder memo
        assert dataset_info("c", shards, ["a.parquet"], tmp_path) == expected
    assert list((tmp_path / "memo").glob("features-*.marshal"))


def test_an_unreadable_pyproject_found_up_the_tree_is_one_error_line(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The nearest pyproject.toml cannot be read (no permission; as root, simulated): a ConfigError
    naming it, not a traceback."""
    from builders.errors import ConfigError
    from builders.release.config import find_pyproject

    (tmp_path / "pyproject.toml").write_text("[tool.xianbao.dataset]\n", encoding="utf-8")
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name == "pyproject.toml":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(ConfigError, match=r"cannot read .*pyproject.toml: .*Permission denied.*--pyproject"):
        find_pyproject(tmp_path / "sub")


@pytest.mark.parametrize("text", ["[tool.xianbao.dataset\nname = \"near\"\n",  # a typo: not TOML
                                  "[tool.xianbao]\ndataset = 5\n"])              # the table is no table
def test_a_broken_pyproject_nearer_than_a_good_one_stops_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    text: str) -> None:
    """The nearest pyproject.toml meant for xianbao but broken is an error naming it; the parent's
    metadata was used instead, silently, when the file lacked the header spelt exactly so."""
    from builders.errors import ConfigError
    from builders.release.config import load_dataset_meta

    (tmp_path / "pyproject.toml").write_text('[tool.xianbao.dataset]\nname = "parent"\n', encoding="utf-8")
    near = tmp_path / "near"
    near.mkdir()
    (near / "pyproject.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(near)
    with pytest.raises(ConfigError, match=r"near/pyproject.toml"):
        load_dataset_meta()


@pytest.mark.parametrize("text", ['[tool.xianbao]\ndataset = { name = "near" }\n',
                                  '[tool]\nxianbao.dataset.name = "near"\n'])
def test_the_dataset_table_is_found_however_toml_spells_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           text: str) -> None:
    from builders.release.config import load_dataset_meta

    (tmp_path / "pyproject.toml").write_text('[tool.xianbao.dataset]\nname = "parent"\n', encoding="utf-8")
    near = tmp_path / "near"
    near.mkdir()
    (near / "pyproject.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(near)
    assert load_dataset_meta().name == "near"


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another project's pyproject.toml (even one that names xianbao as a dependency) is not ours."""
    from builders.release.config import load_dataset_meta

    (tmp_path / "pyproject.toml").write_text('[tool.xianbao.dataset]\nname = "parent"\n', encoding="utf-8")
    near = tmp_path / "near"
    near.mkdir()
    (near / "pyproject.toml").write_text('[project]\nname = "mine"\ndependencies = ["xianbao"]\n', encoding="utf-8")
    monkeypatch.chdir(near)
    assert load_dataset_meta().name == "parent"
