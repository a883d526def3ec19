"""Derive the Arrow schema and the ``datasets`` Features from the pydantic models.

Nothing here declares a field: every column, its type and nullability come from
:class:`schema.Article`, so the Parquet files, the card's ``features`` and the JSON
Schema cannot drift apart.
"""

from __future__ import annotations

import datetime
import types
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

import pyarrow as pa
from annotated_types import Ge, Le
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from builders.memo import temp_memo
from schema import Article

INT32_MAX = 2**31 - 1


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    """Split ``X | None`` into ``(X, True)``; anything else into ``(annotation, False)``."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) != len(get_args(annotation)):
            if len(args) != 1:
                raise TypeError(f"unsupported union {annotation!r}: only `X | None` maps to Arrow")
            return args[0], True
    return annotation, False


def _int_type(metadata: list[Any]) -> pa.DataType:
    """int32 when the field's own bounds fit in 32 bits, else int64."""
    lo = next((m.ge for m in metadata if isinstance(m, Ge)), None)
    hi = next((m.le for m in metadata if isinstance(m, Le)), None)
    if lo is not None and hi is not None and lo >= -INT32_MAX and hi <= INT32_MAX:
        return pa.int32()
    return pa.int64()


def arrow_type(annotation: Any, metadata: list[Any] | None = None) -> pa.DataType:
    """The Arrow type of one (non-optional) Python annotation."""
    origin = get_origin(annotation)
    if annotation is str or origin is Literal:
        return pa.string()
    if annotation is bool:
        return pa.bool_()
    if annotation is int:
        return _int_type(metadata or [])
    if annotation is float:
        return pa.float64()
    if annotation is datetime.date:
        return pa.date32()
    if origin is list:
        (item,) = get_args(annotation)
        item_type, _ = _unwrap_optional(item)
        return pa.list_(pa.field("item", _inner_type(item_type), nullable=False))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct(model_fields(annotation))
    if get_origin(annotation) is not None and hasattr(annotation, "__metadata__"):
        return arrow_type(get_args(annotation)[0], list(annotation.__metadata__))
    raise TypeError(f"no Arrow type for {annotation!r}; extend builders/arrow.py:arrow_type")


def _inner_type(annotation: Any) -> pa.DataType:
    """Arrow type of a list item, which may itself be ``Annotated``."""
    if hasattr(annotation, "__metadata__"):
        return arrow_type(get_args(annotation)[0], list(annotation.__metadata__))
    return arrow_type(annotation)


def arrow_field(name: str, info: FieldInfo) -> pa.Field:
    """One Arrow field, nullable exactly when the model allows None."""
    annotation, nullable = _unwrap_optional(info.annotation)
    return pa.field(name, arrow_type(annotation, list(info.metadata)), nullable=nullable)


def model_fields(model: type[BaseModel]) -> list[pa.Field]:
    """Arrow fields of a model, in declaration order."""
    return [arrow_field(name, info) for name, info in model.model_fields.items()]


@cache
def article_schema() -> pa.Schema:
    """The Arrow schema of a released record (column order = model field order)."""
    return pa.schema(model_fields(Article))


def column_order() -> list[str]:
    """Column order of the released files: identity first, then the model's order."""
    return list(Article.model_fields)


def features() -> Any:
    """The ``datasets.Features`` of a record, derived from the Arrow schema."""
    from datasets import Features

    return Features.from_arrow_schema(article_schema())


def features_yaml() -> list[Any]:
    """``features()._to_yaml_list()``: the card's ``features``, memoised in the temp folder
    by ``datasets`` version and Arrow schema (importing ``datasets`` takes a second)."""
    from importlib.metadata import version

    key = version("datasets").encode() + b"|" + article_schema().serialize().to_pybytes()
    found: list[Any] = temp_memo("features", key, lambda: features()._to_yaml_list(), lambda v: isinstance(v, list))
    return found
