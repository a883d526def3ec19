"""xianbao review: the static site of a release or of page files (no browser here; see test_review_browser)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from builders.cli import main
from builders.errors import ConfigError
from builders.review.lines import page_lines
from builders.review.output import MARKER, slug_of
from builders.review.released import release_sources
from builders.review.site import ReviewConfig, review
from tests.factories import make_article

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / "dist" / "xianbao-zhejiang-county-papers" / "0.1.0"
PROBLEM_PAGE = ROOT / "tests" / "data" / "review" / "problem_page.txt"


def site_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def release_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("review") / "site"
    review(ReviewConfig([RELEASE], out))
    return out


def test_lines_are_cut_at_span_boundaries() -> None:
    text = "第1版\n标题本报讯 正文。\n\n正文二。"
    article = make_article(0, spans=[{"start": 4, "end": 13}, {"start": 15, "end": 19}])
    lines = page_lines(text, [article], [], {2: "0.title_lines"})
    assert [line.number for line in lines] == [1, 2, 3, 4]
    assert lines[0].loose and lines[0].owners == [] and lines[0].css == "l x"
    assert lines[1].whole == 0 and lines[1].role == "title_lines" and lines[1].css == "l c0"
    assert lines[2].blank and lines[2].css == "l b"
    assert lines[3].owners == [0]


def test_a_line_shared_by_two_articles_keeps_both(tmp_path: Path) -> None:
    text = "甲文结尾。乙文标题\n乙文正文。"
    first = make_article(0, spans=[{"start": 0, "end": 5}])
    second = make_article(1, spans=[{"start": 5, "end": 15}])
    line = page_lines(text, [first, second], [], {})[0]
    assert [(s.text, s.owner) for s in line.segments] == [("甲文结尾。", 0), ("乙文标题", 1)]
    assert line.owners == [0, 1] and line.whole is None


def test_release_site_has_every_page_and_article(release_site: Path) -> None:
    index = (release_site / "index.html").read_text(encoding="utf-8")
    pages = sorted(p.name for p in (release_site / "pages").iterdir())
    assert pages == ["000_00041c465df49cc4.txt.html", "001_4977bfae3feec50c.txt.html",
                     "002_e7cb3654940c1666.txt.html", "004_b6a1a753da2b1ca8.txt.html"]
    for name in pages:
        assert f'href="pages/{name}"' in index
    inputs = [source.load() for source in release_sources(RELEASE, None)]
    assert sum(len(p.articles) for p in inputs) == 19
    for page in inputs:
        html = (release_site / "pages" / f"{page.source_file}.html").read_text(encoding="utf-8")
        assert html.count('<article id="a') == len(page.articles)
        for article in page.articles:
            assert f"<h2>{article.headline}</h2>" in html
        assert page.assignments, "the current parser gives the released articles: line roles are shown"
    assert "reattached-fragment" in index


def test_the_same_input_gives_the_same_bytes(release_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    review(ReviewConfig([RELEASE], again))
    assert site_bytes(again) == site_bytes(release_site)


def test_the_site_works_offline(release_site: Path) -> None:
    for path in release_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        links = re.findall(r'(?:href|src)="([^"]*)"', html)
        assert links and all(not re.match(r"^[a-z]+:|^//", link) for link in links), path
        assert "@import" not in html and "url(" not in html
    assert "url(" not in (release_site / "assets" / "review.css").read_text(encoding="utf-8")


def test_page_text_is_escaped(tmp_path: Path) -> None:
    review(ReviewConfig([PROBLEM_PAGE], tmp_path / "site"))
    html = next((tmp_path / "site" / "pages").glob("*.html")).read_text(encoding="utf-8")
    assert "<script>window" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__xss = 2&lt;/script&gt;" in html
    assert html.count("<script") == 1  # review.js only
    for code in ("page-furniture", "no-headline", "no-body"):
        assert code in html


def test_a_release_needs_its_seeds(tmp_path: Path) -> None:
    copy = tmp_path / "dist" / "x" / "0.1.0"
    shutil.copytree(RELEASE, copy)
    with pytest.raises(ConfigError, match="--seeds"):
        review(ReviewConfig([copy], tmp_path / "site"))
    seeds = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "000_00041c465df49cc4.txt").write_text("已改动的页面\n", encoding="utf-8")
    review(ReviewConfig([copy], tmp_path / "site", seeds=seeds))
    html = (tmp_path / "site" / "pages" / "000_00041c465df49cc4.txt.html").read_text(encoding="utf-8")
    assert "changed since the release" in html
    assert "other articles of the page than the release holds" in html


def test_review_reads_nothing_outside_the_seeds_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("外部机密标记 不应读取\n", encoding="utf-8")
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "link.txt").symlink_to(outside)
    (seeds / "loop.txt").symlink_to("loop.txt")
    review(ReviewConfig([seeds], tmp_path / "site1"))
    release = tmp_path / "dist" / "x" / "0.1.0"
    shutil.copytree(RELEASE, release)
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    manifest["seeds"].append({**manifest["seeds"][0], "file": "../outside.txt"})
    (release / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    review(ReviewConfig([release], tmp_path / "site2", seeds=seeds))
    for site in ("site1", "site2"):
        texts = [p.read_text(encoding="utf-8") for p in (tmp_path / site).rglob("*.html")]
        assert len(texts) > 4 and not any("外部机密标记" in text for text in texts)
    assert any("link-outside-seeds" in p.read_text(encoding="utf-8") for p in (tmp_path / "site1").rglob("*.html"))


@pytest.mark.parametrize("damage", [b"\xff\xfe not utf-8\n", b'{"no": "source_file"}\n'])
def test_a_damaged_release_is_one_clear_error(tmp_path: Path, damage: bytes) -> None:
    release = tmp_path / "dist" / "x" / "0.1.0"
    shutil.copytree(RELEASE, release)
    shard = next((release / "jsonl").glob("*.jsonl"))
    shard.write_bytes(shard.read_bytes() + damage)
    with pytest.raises(ConfigError, match="xianbao validate"):
        list(release_sources(release, ROOT / "seeds"))
    (release / "rejects.jsonl").write_bytes(b'{"code": "Not Kebab"}\n')
    shutil.copy(RELEASE / "jsonl" / shard.name, shard)
    with pytest.raises(ConfigError, match=r"rejects\.jsonl:1"):
        list(release_sources(release, ROOT / "seeds"))


def test_out_is_new_empty_or_an_earlier_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    review(ReviewConfig([PROBLEM_PAGE], out))
    review(ReviewConfig([ROOT / "seeds" / "000_00041c465df49cc4.txt"], out))
    assert (out / MARKER).is_file()
    assert [p.name for p in (out / "pages").iterdir()] == [slug_of(str(ROOT / "seeds" / "000_00041c465df49cc4.txt"),
                                                                    set()) + ".html"]
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ConfigError, match="not empty"):
        review(ReviewConfig([PROBLEM_PAGE], other))
    assert (other / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_slugs_are_safe_and_unique() -> None:
    taken: set[str] = set()
    assert slug_of("a/b.txt", taken) == "a__b.txt"
    assert slug_of("A/B.txt", taken).startswith("A__B.txt-")
    assert re.fullmatch(r"[A-Za-z0-9._-]+", slug_of("县报/第一版.txt", set()))
    long_names = ["a" * 251 + ".txt", "a" * 250 + "b.txt", "sub/" + "县" * 80 + ".txt"]
    slugs = [slug_of(name, taken) for name in long_names]
    assert len(set(slugs)) == 3 and all(len((slug + ".html").encode()) <= 255 for slug in slugs)


def test_review_command(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["review", str(RELEASE), "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("review: 4 pages, 19 articles")
    result = runner.invoke(main, ["review", str(RELEASE), "--out", str(tmp_path / "site"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"out": str(tmp_path / "site"), "pages": 4, "articles": 19,
                                         "pages_with_problems": 2}
    result = runner.invoke(main, ["review", str(RELEASE), str(PROBLEM_PAGE), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "not both" in result.output
    result = runner.invoke(main, ["review", str(RELEASE), str(RELEASE), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "one release folder at a time" in result.output
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "other.txt").write_text("别的报纸\n\n正文。\n", encoding="utf-8")
    result = runner.invoke(main, ["review", str(RELEASE), "--seeds", str(tmp_path / "elsewhere"),
                                  "--out", str(tmp_path / "y")])
    assert result.exit_code == 2 and "holds none of the release's 4 pages" in result.output, result.output
    assert not (tmp_path / "y").exists()


def test_a_page_the_pipeline_fails_on_is_shown_with_its_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("builders.review.source.enrich_page", boom)
    monkeypatch.setattr("builders.pipeline.enrich_page", boom)
    report = review(ReviewConfig([PROBLEM_PAGE], tmp_path / "site"))
    assert report.articles == 0
    html = next((tmp_path / "site" / "pages").glob("*.html")).read_text(encoding="utf-8")
    assert "internal-error" in html and "No article was made of this page." in html
    assert "page-furniture" in html  # the parse's problems are still shown, line by line


def test_pages_in_worker_processes_give_the_same_bytes(release_site: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("builders.review.site.CHUNK", 1)  # four chunks: this process and a spawned helper
    monkeypatch.setattr("builders.review.site.PAGES_PER_HELPER", 1)
    review(ReviewConfig([RELEASE], tmp_path / "two", workers=2))
    assert site_bytes(tmp_path / "two") == site_bytes(release_site)


def test_an_invalid_record_is_a_problem_of_its_page(tmp_path: Path) -> None:
    copy = tmp_path / "release"
    shutil.copytree(RELEASE, copy)
    shard = next((copy / "jsonl").glob("*.jsonl"))
    lines = shard.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace('"ordinal":0', '"ordinal":-1', 1)
    shard.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = review(ReviewConfig([copy], tmp_path / "site", seeds=ROOT / "seeds"))
    assert report.articles == 18
    html = (tmp_path / "site" / "pages" / "000_00041c465df49cc4.txt.html").read_text(encoding="utf-8")
    assert "invalid-record" in html and "greater_than_equal" in html


@given(st.text(st.sampled_from("甲乙丙。\n <>&"), max_size=60),
       st.lists(st.tuples(st.integers(0, 70), st.integers(0, 70)), max_size=4))
def test_lines_keep_every_character_and_owner(text: str, ranges: list[tuple[int, int]]) -> None:
    spans = [{"start": min(a, b), "end": max(a, b)} for a, b in ranges] or [{"start": 0, "end": 0}]
    articles = [make_article(i, spans=[span]) for i, span in enumerate(spans)]
    lines = page_lines(text, articles, [], {})
    assert "\n".join("".join(s.text for s in line.segments) for line in lines) == text
    offset = 0
    for line in lines:
        for segment in line.segments:
            for k in range(offset, offset + len(segment.text)):
                inside = [i for i, s in enumerate(spans) if s["start"] <= k < s["end"]]
                assert (segment.owner in inside) if inside else segment.owner is None
            offset += len(segment.text)
        offset += 1


def test_a_site_inside_the_folder_of_its_pages_is_refused(tmp_path: Path) -> None:
    """The next build would read the site's files as seeds (a skipped-file warning each): refused, one line,
    exit 2, nothing written; beside the seeds it is made."""
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    release = tmp_path / "dist" / "x" / "0.1.0"
    shutil.copytree(RELEASE, release)
    for args in ([str(release), "--seeds", str(seeds)], [str(seeds)]):
        result = CliRunner().invoke(main, ["review", *args, "--out", str(seeds / "site"), "--no-progress"])
        assert result.exit_code == 2, result.output
        assert result.output.count("\n") == 1 and "lies inside" in result.output and "Traceback" not in result.output
        assert not (seeds / "site").exists()
    review(ReviewConfig([release], tmp_path / "site", seeds=seeds))
    assert (tmp_path / "site" / "index.html").is_file()
