"""Print dates and pages from archive paths (file and folder names), and how they reach the records."""

from __future__ import annotations

import datetime

import pytest

from builders.enrich.page import enrich_page
from builders.enrich.path_dates import path_date
from builders.read.manifest import PageMeta
from tests.factories import make_draft


@pytest.mark.parametrize(
    ("path", "date", "page"),
    [
        ("20200103-11.txt", (2020, 1, 3), "11"),
        ("2020-01-03/04.txt", (2020, 1, 3), "04"),
        ("paper/2020/01/03/05.txt", (2020, 1, 3), "05"),
        ("paper/2020/01/03/page.txt", (2020, 1, 3), None),
        ("rb19980101-02.txt", (1998, 1, 1), "02"),
        ("2019_10_01_3.txt", (2019, 10, 1), "3"),
        ("某某日报/2020年1月3日/第4版.txt", (2020, 1, 3), "4"),
        ("20191231/20200101-3.txt", (2020, 1, 1), "3"),
    ],
)
def test_dated_paths(path: str, date: tuple[int, int, int], page: str | None) -> None:
    found = path_date(path)
    assert found is not None
    assert (found.date, found.page) == (datetime.date(*date), page)


@pytest.mark.parametrize(
    "path",
    ["m00.txt", "001_4977bfae3feec50c.txt", "a20190312b.txt", "2020-13-01.txt", "20200230-01.txt", "12345678.txt"],
)
def test_paths_without_a_real_date(path: str) -> None:
    assert path_date(path) is None


def test_the_path_date_is_the_print_date() -> None:
    (article,) = enrich_page([make_draft("2019/20190212-13.txt")], "2018年,全县增长8%。")
    assert (article.year, article.year_evidence) == (2019, "path:20190212")
    assert (article.date, article.page) == (datetime.date(2019, 2, 12), "13")
    assert article.path_fields == ["date", "year", "page"]
    assert article.manifest_fields == []


def test_the_manifest_wins_over_the_path() -> None:
    meta = PageMeta(date=datetime.date(2019, 2, 13), given=("date",))
    (article,) = enrich_page([make_draft("20190212-13.txt")], "", meta)
    assert (article.year, article.year_evidence, article.date) == (2019, "manifest", datetime.date(2019, 2, 13))
    assert (article.page, article.path_fields, article.manifest_fields) == ("13", ["page"], ["date"])


def test_an_undated_path_leaves_the_text_to_decide() -> None:
    (article,) = enrich_page([make_draft("m00.txt")], "2018年,全县增长8%。")
    assert (article.year, article.date, article.page, article.path_fields) == (None, None, None, [])
