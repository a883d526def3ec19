"""The review site in headless Chromium (Debian's ``chromium``; ``.ci/run`` installs it).

Checks in the DOM that every article of a page is listed with its title, that clicking
an article highlights exactly its lines (and clicking a line selects its article), that
a ``<script>`` in page text shows as text and never runs, that the index filters, and
that nothing is fetched but local files. Screenshots go to the test's temp folder;
``XIANBAO_SCREENSHOTS=DIR`` also copies the README's (``review-page.png``) there (``tests/docs/``).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from builders.review.released import release_sources
from builders.review.site import ReviewConfig, review
from builders.review.source import ReviewInput
from tests.browser import Browser, chromium_path

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / "dist" / "xianbao-zhejiang-county-papers" / "0.1.0"
PROBLEM_PAGE = ROOT / "tests" / "data" / "review" / "problem_page.txt"

if chromium_path() is None and os.environ.get("CI"):
    raise RuntimeError("CI must run the browser test: .ci/run installs chromium with apt-get; it is missing")
pytestmark = pytest.mark.skipif(chromium_path() is None, reason="chromium is not installed "
                                "(apt-get install chromium; .ci/run does)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    executable = chromium_path()
    assert executable is not None
    with Browser(executable, tmp_path_factory.mktemp("profile")) as driver:
        yield driver


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sites")
    review(ReviewConfig([RELEASE], root / "release"))
    review(ReviewConfig([PROBLEM_PAGE, ROOT / "seeds"], root / "pages"))
    return {"release": root / "release", "pages": root / "pages"}


def shoot(browser: Browser, tmp_path: Path, name: str, readme: bool = False) -> Path:
    path = browser.screenshot(tmp_path / name)
    if readme and os.environ.get("XIANBAO_SCREENSHOTS"):
        shutil.copy(path, Path(os.environ["XIANBAO_SCREENSHOTS"]) / name)
    return path


def expected_lines(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """Numbers of the lines holding a non-blank character of one of the spans."""
    found, offset = [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        if any(text[max(a, offset):min(b, offset + len(line))].strip() for a, b in spans):
            found.append(number)
        offset += len(line) + 1
    return found


def released_page(name: str) -> ReviewInput:
    return next(s for s in release_sources(RELEASE, None) if s.source_file == name).load()


def test_every_article_is_listed_and_clicking_it_highlights_its_lines(
    browser: Browser, sites: dict[str, Path], tmp_path: Path
) -> None:
    page = released_page("001_4977bfae3feec50c.txt")  # 5 articles, one with a re-attached fragment (2 spans)
    assert page.text is not None
    browser.goto((sites["release"] / "pages" / "001_4977bfae3feec50c.txt.html").as_uri())
    cards = browser.js("""[...document.querySelectorAll('article.card')].map(c => ({
        n: c.dataset.a, headline: c.querySelector('h2').textContent,
        titles: [...c.querySelectorAll('dl.titles dt')].filter(dt => /headline|kicker|subheadline|title/.test(
            dt.textContent)).map(dt => dt.nextElementSibling.textContent)}))""")
    articles = sorted(page.articles, key=lambda a: a.ordinal)
    assert [c["headline"] for c in cards] == [a.headline for a in articles]
    assert [c["titles"] for c in cards] == [a.title_lines for a in articles]
    assert any(len(a.spans) > 1 for a in articles)
    for article in articles:
        browser.click(f"#a{article.ordinal} h2")
        on = browser.js("[...document.querySelectorAll('#text .l.on')].map(l => Number(l.id.slice(1)))")
        assert on == expected_lines(page.text, [(s.start, s.end) for s in article.spans]), article.headline
        assert browser.js("[...document.querySelectorAll('article.card.on')].map(c => c.id)") == [f"a{article.ordinal}"]
        assert browser.js("location.hash") == f"#a{article.ordinal}"
    first = articles[0]
    line = expected_lines(page.text, [(first.spans[0].start, first.spans[0].end)])[-1]
    browser.click(f"#L{line} .t")
    assert browser.js("document.querySelector('article.card.on').id") == f"a{first.ordinal}"
    browser.key("j")  # keys: j next article, k previous
    assert browser.js("document.querySelector('article.card.on').id") == f"a{articles[1].ordinal}"
    browser.key("k")
    assert browser.js("document.querySelector('article.card.on').id") == f"a{first.ordinal}"
    browser.click(f"#a{articles[1].ordinal} h2")
    assert browser.errors() == []
    shoot(browser, tmp_path, "review-page.png", readme=True)
    browser.key("n")  # the next page
    browser.wait_event("Page.loadEventFired")
    assert browser.js("location.pathname").endswith("/002_e7cb3654940c1666.txt.html")


def test_script_in_page_text_is_text_and_does_not_run(browser: Browser, sites: dict[str, Path],
                                                      tmp_path: Path) -> None:
    pages = sorted((sites["pages"] / "pages").glob("*problem_page*.html"))
    assert len(pages) == 1
    browser.goto(pages[0].as_uri())
    assert browser.js("typeof window.__xss") == "undefined"
    assert browser.js("[...document.scripts].map(s => s.getAttribute('src'))") == ["../assets/review.js"]
    assert browser.js("document.querySelectorAll('#text img, #cards img').length") == 0
    text = browser.js("document.getElementById('text').textContent")
    assert "<script>window.__xss = 1</script>" in text and '<img src=x onerror="window.__xss = 3">' in text
    headline = browser.js("document.querySelector('#a0 h2').textContent")
    assert headline == "县里举办<script>window.__xss = 1</script>农民丰收节"
    marked = browser.js("[...document.querySelectorAll('#text .l.x')].map(l => [Number(l.id.slice(1)), "
                        "[...l.querySelectorAll('.p')].map(p => p.textContent)])")
    # line 14 ends in its (下转第二版) marker: part of the article above, not a title without a body
    assert marked == [[1, ["page-furniture"]], [2, ["page-furniture"]], [4, ["no-headline"]], [16, ["no-body"]]]
    browser.click("#a0 h2")
    assert browser.js("typeof window.__xss") == "undefined" and browser.errors() == []
    shoot(browser, tmp_path, "review-problems.png")


def choose(browser: Browser, value: str) -> None:
    """Pick an option of the index's filter (the select's value, then its change event)."""
    browser.js(f"(() => {{ const s = document.getElementById('show'); s.focus(); s.value = {json.dumps(value)}; "
               "s.dispatchEvent(new Event('change')); })()")


def test_index_lists_filters_and_sorts_pages(browser: Browser, sites: dict[str, Path], tmp_path: Path) -> None:
    browser.goto((sites["pages"] / "index.html").as_uri())
    rows = "[...document.querySelectorAll('#pages tbody tr')].filter(r => !r.hidden).map(r => r.cells[0].textContent)"
    assert len(browser.js(rows)) == 5
    choose(browser, "problems")  # page furniture aside: the problem page (no-headline, no-body) and 001
    assert browser.js(rows) == [str(PROBLEM_PAGE), "001_4977bfae3feec50c.txt"]  # the latter: reattached-fragment
    assert browser.js("location.hash") == "#show=problems"
    choose(browser, "code:no-body")
    assert browser.js(rows) == [str(PROBLEM_PAGE)]
    choose(browser, "flag:latin-noise")
    assert browser.js(rows) == [str(PROBLEM_PAGE), "002_e7cb3654940c1666.txt"]
    browser.click('#pages a[href*="problem_page"]')  # prev/next now follow the filter: the next is 002
    browser.wait_event("Page.loadEventFired")
    assert browser.js("document.querySelector('a[rel=next]').getAttribute('href')") == "002_e7cb3654940c1666.txt.html"
    assert browser.js("document.querySelector('.pager .pos').textContent") == "1 / 2 (flag:latin-noise)"
    browser.goto((sites["pages"] / "index.html").as_uri() + "#show=problems")
    assert len(browser.js(rows)) == 2
    choose(browser, "all")
    browser.click("#pages th:nth-child(2)")
    browser.click("#pages th:nth-child(2)")  # articles, descending
    counts = browser.js("[...document.querySelectorAll('#pages tbody tr')].map(r => Number(r.cells[1].textContent))")
    assert counts == sorted(counts, reverse=True)
    assert browser.js("document.querySelectorAll('.charts svg').length") == 4
    shoot(browser, tmp_path, "review-index.png")
    browser.goto((sites["release"] / "index.html").as_uri())
    assert browser.errors() == []


def test_nothing_but_local_files_is_fetched(browser: Browser) -> None:
    urls = browser.requests()
    assert urls and all(url.startswith("file://") for url in urls), json.dumps(urls)
