"""Article records built without validation: the same objects as pydantic's ``model_construct``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from builders.enrich.page import constructed
from builders.pipeline import process_file, release_file
from schema import Article

ROOT = Path(__file__).resolve().parents[1]


def _state(article: Article) -> tuple[Any, ...]:
    return (list(article.__dict__.items()), article.__pydantic_fields_set__, article.__pydantic_extra__,
            article.__pydantic_private__)


def test_constructed_records_are_model_construct_ones() -> None:
    pages = sorted((ROOT / "seeds").glob("*.txt"))[:3]
    records = [a for page in pages for a in process_file(page, page.parent).articles]
    assert len(records) > 5
    for record in records:
        values = {k: v for k, v in record.__dict__.items() if k != "reuse"}  # reuse left to its default
        made, expected = constructed(dict(values)), Article.model_construct(**values)
        assert _state(made) == _state(expected) and made.model_dump_json() == record.model_dump_json()
        given = constructed(dict(record.__dict__))
        assert _state(given) == _state(Article.model_construct(**record.__dict__)) and given == record


def test_values_that_are_no_field_go_to_pydantic() -> None:
    page = sorted((ROOT / "seeds").glob("*.txt"))[0]
    record = process_file(page, page.parent).articles[0]
    values = {**record.__dict__, "not_a_field": 1}
    assert _state(constructed(dict(values))) == _state(Article.model_construct(**values))
    missing = {k: v for k, v in record.__dict__.items() if k != "headline"}  # a required field not given
    assert _state(constructed(dict(missing))) == _state(Article.model_construct(**missing))


def test_release_records_equal_validated_ones() -> None:
    for page in sorted((ROOT / "seeds").glob("*.txt"))[:3]:
        built, checked = release_file(page, page.parent), process_file(page, page.parent)
        assert [a.model_dump_json() for a in built.articles] == [a.model_dump_json() for a in checked.articles]
        assert [_state(a) for a in built.articles] == [_state(a) for a in checked.articles]
