"""The reuse stage in a build: a reprint across pages and shards, the card section, --no-reuse, determinism."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from builders.build import build_release
from builders.cli import main
from builders.release.config import BuildConfig
from builders.release.validate import validate_release
from builders.reuse.report import ReuseReport
from schema import Reuse
from tests.conftest import META, assert_inert_markdown

CHARS = "政府经济发展建设工作会议人民群众服务乡村振兴产业项目企业农业生态旅游文化教育医疗交通安全改革创新干部党员组织"


def sentences(rng: random.Random, n: int) -> str:
    return "".join("".join(rng.choice(CHARS) for _ in range(rng.randint(14, 28))) + "。" for _ in range(n))


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three papers: a 新华社 story on 3月5日, its cut and re-led reprint a day later, a local report quoting it."""
    rng = random.Random(20)
    story = [sentences(rng, 4) for _ in range(6)]
    quote = story[2][:80] + story[3][:100]
    pages = {
        "a.txt": ["全国春耕备耕有序推进", "新华社北京3月5日电（记者 王明）" + story[0], *story[1:],
                  "", "县里召开工作会议", "本报讯 " + sentences(rng, 6)],
        "b.txt": ["春耕备耕忙", "据新华社北京3月5日电 " + story[0], *story[1:5],
                  "", "乡镇文化活动丰富", "本报讯 " + sentences(rng, 6)],
        "c.txt": ["我县春耕服务到田头", "本报讯（记者 李华）" + sentences(rng, 5), quote, sentences(rng, 5)],
    }
    folder = tmp_path_factory.mktemp("reuse-seeds")
    for name, lines in pages.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "file,newspaper,date,page\na.txt,人民日报,2021-03-05,01\nb.txt,开化报,2021-03-06,02\nc.txt,庆元报,2021-03-06,01\n",
        encoding="utf-8")
    return folder


def records(release: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for f in sorted((release / "jsonl").glob("*.jsonl")) for line in f.open(encoding="utf-8")]


def build(seeds: Path, out: Path, **overrides: Any) -> Path:
    values: dict[str, Any] = {"seeds": seeds, "out": out, "dataset": META, "progress": False, "cache": False,
                              "pages_per_shard": 1, "workers": 1, **overrides}
    return build_release(BuildConfig(**values)).release_dir


@pytest.fixture(scope="module")
def release(seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(seeds, tmp_path_factory.mktemp("out"))


def test_a_reprint_in_another_shard_is_clustered_with_its_source(release: Path) -> None:
    by_title = {r["headline"]: r for r in records(release)}
    source, reprint = by_title["全国春耕备耕有序推进"]["reuse"], by_title["春耕备耕忙"]["reuse"]
    assert source["cluster"] == reprint["cluster"] is not None
    assert (source["kind"], reprint["kind"]) == ("original", "reprint")
    assert reprint["source_id"] == by_title["全国春耕备耕有序推进"]["id"]
    assert source["credited_to"] == reprint["credited_to"] == "新华社"
    local = by_title["我县春耕服务到田头"]["reuse"]
    assert local["kind"] == "partial" and local["cluster"] is None and local["passages"]
    assert by_title["县里召开工作会议"]["reuse"]["cluster"] is None
    assert validate_release(release) == []
    assert not list(release.rglob(".reuse-*")), "the pass's temporary files were released"


def test_the_card_reports_reuse_per_newspaper_and_the_largest_clusters(release: Path) -> None:
    card = (release / "README.md").read_text(encoding="utf-8")
    section = card.split("## Reprints and text reuse", 1)[1].split("## Build statistics", 1)[0]
    assert "Records in a reprint cluster: **2** of 5, in 1 clusters" in section
    assert "| 开化报 | 2021 | 2 | 1 (50.0%) | 0 (0.0%) | 1 (50.0%) |" in section
    assert "| 庆元报 | 2021 | 1 | 0 (0.0%) | 1 (100.0%) | 0 (0.0%) |" in section
    assert "Largest clusters:" in section and "newspapers" in section


HOSTILE_PAPER = "<script>alert(1)</script> | **x** [a](javascript:alert(1))"
HOSTILE_HEADLINE = "<img src=x onerror=alert(1)> | **y** [b](javascript:alert(2))"


def test_hostile_newspapers_and_headlines_are_text_in_the_reuse_section() -> None:
    report, cluster = ReuseReport(), "0123456789abcdef"
    member = {"cluster": cluster, "source_id": cluster, "similarity": 0.9, "passages": [], "credited_to": None}
    rows = [{"id": cluster, "newspaper": HOSTILE_PAPER, "year": 2021, "headline": HOSTILE_HEADLINE},
            {"id": "fedcba9876543210", "newspaper": "庆元报", "year": None, "headline": "春耕备耕忙"}]
    report.add(rows, [Reuse(kind="original", **member), Reuse(kind="reprint", **member)])
    section = report.section()
    assert_inert_markdown(section)
    assert "| &lt;script&gt;alert(1)&lt;/script&gt; \\| \\*\\*x\\*\\* \\[a\\](javascript:alert(1)) | 2021 |" in section
    assert "| 庆元报 | — | 1 |" in section and "| &lt;img src=x onerror=alert(1)&gt; \\| \\*\\*y" in section


def test_a_hostile_manifest_newspaper_is_text_everywhere_in_the_card(seeds: Path, tmp_path: Path) -> None:
    shutil.copytree(seeds, tmp_path / "seeds")
    manifest = tmp_path / "seeds" / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("开化报", HOSTILE_PAPER), encoding="utf-8")
    card = (build(tmp_path / "seeds", tmp_path / "out") / "README.md").read_text(encoding="utf-8")
    assert_inert_markdown(card)
    assert card.count("| &lt;script&gt;alert(1)&lt;/script&gt; \\| ") == 2, "reuse and statistics tables"


def test_a_release_with_passages_loads_through_its_croissant_file(release: Path) -> None:
    """mlcroissant 1.1 does not rebuild a list inside a struct (``reuse.passages``), but must not fail on it."""
    import mlcroissant as mlc

    want = records(release)
    assert any(r["reuse"]["passages"] for r in want)
    loaded = list(mlc.Dataset(jsonld=release / "croissant.json").records(record_set="articles"))
    assert [r["articles/id"].decode() for r in loaded] == [r["id"] for r in want]
    assert [r["articles/reuse"]["articles/reuse/cluster"] for r in loaded] == [
        None if r["reuse"]["cluster"] is None else r["reuse"]["cluster"].encode() for r in want]


def test_two_workers_give_the_same_bytes(seeds: Path, release: Path, tmp_path: Path) -> None:
    other = build(seeds, tmp_path, workers=2)
    files = sorted(p.relative_to(release) for p in release.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(other) for p in other.rglob("*") if p.is_file())
    assert all((release / f).read_bytes() == (other / f).read_bytes() for f in files)


LEAN_BUILD = """
import sys
from builders.cli import main
main(["build", "--seeds", sys.argv[1], "--out", sys.argv[2], "--no-cache", "--workers", "1", "--pages-per-shard", "1",
      "-q", "--no-progress"], standalone_mode=False)
print([name for name in ("pyarrow.dataset", "pandas") if name in sys.modules])
"""


def test_a_build_with_its_reuse_pass_imports_neither_pyarrow_dataset_nor_pandas(seeds: Path, tmp_path: Path) -> None:
    """``xianbao build``: the pass reads shards back with one ``ParquetFile`` each (``pq.read_table`` imports
    ``pyarrow.dataset``), and the writers check for pandas with it kept out."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", LEAN_BUILD, str(seeds), str(tmp_path / "out")], capture_output=True,
                          text=True, cwd=root, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
    assert list((tmp_path / "out").glob("*/*/data/*.parquet"))


def test_no_reuse_skips_the_stage(seeds: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--out", str(tmp_path), "--no-reuse",
                                       "--workers", "1", "--no-cache"])
    assert result.exit_code == 0, result.output
    release = next(p for p in tmp_path.glob("*/*") if p.is_dir() and not p.parent.name.startswith("."))
    assert all(r["reuse"] is None for r in records(release))
    assert "built without the reuse stage (`--no-reuse`)" in (release / "README.md").read_text(encoding="utf-8")
    assert validate_release(release) == []


def test_diff_shows_cluster_changes(seeds: Path, release: Path, tmp_path: Path) -> None:
    from builders.release.changelog import changes_markdown
    from builders.release.diff import diff_releases

    plain = build(seeds, tmp_path, reuse=False)
    cluster = next(r["reuse"]["cluster"] for r in records(release) if r["reuse"]["cluster"])
    formed = diff_releases(plain, release)
    assert (formed.clusters.kept, formed.clusters.formed, formed.clusters.dissolved) == (0, [cluster], [])
    assert len(formed.clusters.moved) == 2 and formed.to_json()["clusters"]["formed"] == [cluster]
    line = "- Reprint clusters: 0 kept, 0 changed, 1 formed, 0 dissolved; 2 articles changed cluster"
    assert line in changes_markdown(formed)
    same = diff_releases(release, release).clusters
    assert (same.kept, same.formed, same.dissolved, same.moved) == (1, [], [], [])
    assert diff_releases(release, plain).clusters.dissolved == [cluster]


def test_a_cluster_that_gains_or_loses_a_member_changed_it_was_not_dissolved_and_formed() -> None:
    from builders.release.clusters import cluster_changes

    def recs(clusters: dict[str, str | None]) -> dict[str, dict[str, object]]:
        return {i: {"id": i, "reuse": {"cluster": c}} for i, c in clusters.items()}

    old = recs({"a": "a", "b": "a", "c": None, "d": "d", "e": "d", "f": "f", "g": "f"})
    new = recs({"a": "a", "b": "a", "c": "a", "d": None, "e": None, "f": "f", "g": "f", "h": "h", "i": "h"})
    changes = cluster_changes(old, new, [(i, i) for i in old])
    assert (changes.kept, changes.changed, changes.formed, changes.dissolved) == (1, ["a"], ["h"], ["d"])
    assert changes.moved == ["a", "b", "c", "d", "e", "h", "i"]


def test_the_workers_sketches_give_the_same_release_as_the_pass_alone(seeds: Path, release: Path,
                                                                      tmp_path: Path) -> None:
    """The pass run over a release without the workers' sketches (it reads the seed pages
    itself) writes the same Parquet and JSONL bytes as the build."""
    from builders.release.write import WrittenShards
    from builders.reuse.stage import mark_reuse

    plain = build(seeds, tmp_path / "plain", reuse=False)
    parquet = sorted(p.relative_to(plain).as_posix() for p in (plain / "data").glob("*.parquet"))
    jsonl = sorted(p.relative_to(plain).as_posix() for p in (plain / "jsonl").glob("*.jsonl"))
    counts = [sum(1 for _ in (plain / j).open(encoding="utf-8")) for j in jsonl]
    mark_reuse(plain, WrittenShards(parquet, jsonl, counts, sum(counts)), BuildConfig(seeds=seeds, cache=False))
    assert [r["reuse"] for r in records(plain)] == [r["reuse"] for r in records(release)]
    assert all((plain / f).read_bytes() == (release / f).read_bytes() for f in [*parquet, *jsonl])


def test_an_incremental_build_sketches_only_the_new_page(seeds: Path, release: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from builders.reuse import sketch

    grown = tmp_path / "seeds"
    shutil.copytree(seeds, grown)
    cache = tmp_path / "cache"
    build(grown, tmp_path / "a", cache=True, cache_dir=cache)
    rng = random.Random(21)
    (grown / "d.txt").write_text("县里新建文化礼堂\n本报讯 " + sentences(rng, 8) + "\n", encoding="utf-8")
    signed: list[str] = []
    real = sketch.sketch_rows

    def counting(rows: Any, text_of: Any) -> Any:
        signed.extend(row["source_file"] for row in rows)
        return real(rows, text_of)

    def parent_signs(rows: Any, text_of: Any) -> Any:
        raise AssertionError("the pass signed records itself instead of using the workers' sketches")

    monkeypatch.setattr(sketch, "sketch_rows", counting)
    monkeypatch.setattr("builders.reuse.stage.sketch_rows", parent_signs)
    again = build(grown, tmp_path / "b", cache=True, cache_dir=cache)
    assert signed == ["d.txt"]
    clean = build(grown, tmp_path / "c")
    files = sorted(p.relative_to(clean) for p in clean.rglob("*") if p.is_file())
    assert all((again / f).read_bytes() == (clean / f).read_bytes() for f in files)
    assert {r["headline"]: r["reuse"] for r in records(again)}["春耕备耕忙"]["cluster"] is not None


def test_an_incremental_build_verifies_only_pairs_touching_new_records(seeds: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Pairs of unchanged records come from the memo beside the sketches; the release is the clean build's."""
    from builders.reuse.memo import Verifier

    verified: list[int] = []
    real = Verifier.save

    def counting(self: Verifier) -> None:
        verified.append(self.verified)
        real(self)

    monkeypatch.setattr(Verifier, "save", counting)
    grown = tmp_path / "seeds"
    shutil.copytree(seeds, grown)
    cache = tmp_path / "cache"
    build(grown, tmp_path / "a", cache=True, cache_dir=cache)
    build(grown, tmp_path / "b", cache=True, cache_dir=cache)
    story = [line for line in (seeds / "a.txt").read_text(encoding="utf-8").splitlines() if line][1:5]
    (grown / "d.txt").write_text("春耕正当时\n" + "\n".join(story) + "\n", encoding="utf-8")
    again = build(grown, tmp_path / "c", cache=True, cache_dir=cache)
    assert verified[0] > 0 and verified[1] == 0 and 0 < verified[2] < verified[0]
    clean = build(grown, tmp_path / "d")
    assert verified[3] > verified[2]
    files = sorted(p.relative_to(clean) for p in clean.rglob("*") if p.is_file())
    assert all((again / f).read_bytes() == (clean / f).read_bytes() for f in files)
    assert sum(1 for r in records(again) if r["reuse"]["cluster"] is not None) == 3


def test_a_damaged_memo_is_an_empty_one(tmp_path: Path) -> None:
    from builders.reuse.memo import HEADER, Remembered, load

    path = tmp_path / "pairs.memo"
    path.write_bytes(HEADER + b"\0" * 32 + b"not marshal")
    assert load(path) == Remembered() and load(tmp_path / "missing.memo") == Remembered()


def test_the_anchor_spill_files_are_in_the_staging_folder(seeds: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Not in $TMPDIR: a killed build's are removed with its staging folder, a full disk is the release's."""
    import tempfile

    from builders.release.atomic import STAGING
    from builders.reuse import candidates

    spilled: list[Path] = []
    real = candidates._shared_enough

    def recording(path: Path) -> Any:
        spilled.append(path)
        return real(path)

    monkeypatch.setattr(candidates, "_shared_enough", recording)
    system_tmp = tmp_path / "tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    out = build(seeds, tmp_path / "out")
    assert spilled and all(STAGING in p.parent.parent.name for p in spilled)
    assert all(p.parent.name.startswith(candidates.SPILL) and not p.parent.exists() for p in spilled)
    assert list(system_tmp.iterdir()) == [] and records(out)
