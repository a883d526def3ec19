"""The compiled validator that `xianbao validate` runs first lets through only what jsonschema accepts.

It decides nothing alone: a record it refuses goes to jsonschema (whose messages are reported), so
the one way it could change a verdict is by accepting a record jsonschema refuses. These tests look
for such a record among mutations of the released records of seeds/ (real data).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from builders.release.validate import compiled_validator
from schema.export import render

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads(render())
REFERENCE = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
FAST = compiled_validator(SCHEMA)
RECORDS = [json.loads(line) for path in sorted(ROOT.glob("dist/*/*/jsonl/*.jsonl")) for line in path.open()]
TRICKY: list[Any] = [
    None, True, False, 0, -1, 1.0, 1.5, 2**70, "", " ", "\n", "x", "１２３４５６", "123456", "12345", "1234567",
    "123456\n", "0123456789abcdef", "0123456789abcdeF", "0123456789abcdef\n", "2020-02-30", "2020-13-01",
    "2021-02-29", "2020-1-1", "20200101", "２０２０-01-01", "2020-01-01", "2020-01-01T00:00:00Z", "reporter",
    "no-such-role", [], [None], [""], ["x", "x"], {}, {"name": "x"}, {"start": 5, "end": 2}, {"code": "330000"},
]


def reference_accepts(record: Any) -> bool:
    return next(iter(REFERENCE.iter_errors(record)), None) is None


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a record (dict keys and list indexes), the record itself excluded."""
    found: list[tuple[Any, ...]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, inner in items:
        found.append((*prefix, key))
        found.extend(paths(inner, (*prefix, key)))
    return found


def replaced(record: Any, path: tuple[Any, ...], new: Any) -> Any:
    copy = json.loads(json.dumps(record))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return copy


def test_the_compiled_validator_is_installed_and_accepts_every_released_record() -> None:
    assert FAST is not None, "jsonschema-rs is a required dependency"
    assert RECORDS and all(FAST(r) and reference_accepts(r) for r in RECORDS)


def test_no_mutation_of_a_released_record_passes_it_that_jsonschema_refuses() -> None:
    assert FAST is not None
    richest = max(RECORDS, key=lambda r: len(paths(r)))  # the one with the most nested values
    record = {k: v[:2] if isinstance(v, list) else v for k, v in richest.items()}  # short lists: a quick check
    assert FAST(record) and reference_accepts(record)
    spots = [p for p in paths(record) if not (isinstance(p[-1], int) and p[-1] > 1)]  # two items of a list
    refused = 0
    for path in spots:
        for value in TRICKY:
            mutated = replaced(record, path, value)
            if FAST(mutated):  # only what it lets through matters: jsonschema must accept that too
                assert reference_accepts(mutated), f"{path} = {value!r}"
            else:
                refused += 1
    assert refused > len(spots)  # the mutations do reach the schema's checks


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), value=st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
))
def test_random_values_anywhere_in_a_record(data: st.DataObject, value: Any) -> None:
    assert FAST is not None
    record = data.draw(st.sampled_from(RECORDS))
    path = data.draw(st.sampled_from(paths(record)))
    mutated = replaced(record, path, value)
    assert not FAST(mutated) or reference_accepts(mutated), f"{path} = {value!r}"


@pytest.mark.parametrize("extra", [{"unknown_field": 1}, {"id": "not-hex"}])
def test_a_refused_record_is_still_explained_by_jsonschema(extra: dict[str, Any]) -> None:
    assert FAST is not None
    mutated = {**RECORDS[0], **extra}
    assert not FAST(mutated) and not reference_accepts(mutated)
