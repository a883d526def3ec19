"""The sketch file format (builders.reuse.sketch.pack/unpack): exact round trip, damage is a ValueError."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders.reuse.signature import sign
from builders.reuse.sketch import Sketch, pack, shard_sketches, unpack

BODIES = [
    "本报讯 今天，县里召开春耕生产动员会，部署全年粮食生产任务。" * 6,
    "短讯。",
    "新华社北京电 国务院常务会议研究部署稳就业工作。" * 8,
]


def _sketch(bodies: list[str]) -> Sketch:
    ids = [f"id{k}" for k in range(len(bodies))]
    credits: list[str | None] = [("新华社" if k % 2 else None) for k in range(len(bodies))]
    return Sketch(ids, credits, sign(bodies))


def _same(a: Sketch, b: Sketch) -> bool:
    arrays = ("bands", "anchors", "owners", "eligible")
    return a.ids == b.ids and a.credits == b.credits and all(
        getattr(a.signed, n).dtype == getattr(b.signed, n).dtype
        and np.array_equal(getattr(a.signed, n), getattr(b.signed, n)) for n in arrays)


@given(st.lists(st.sampled_from(BODIES), min_size=1, max_size=5))
def test_a_sketch_survives_the_file_exactly(bodies: list[str]) -> None:
    sketch = _sketch(bodies)
    assert _same(unpack(pack(sketch)), sketch)


def test_a_loaded_sketch_concatenates_like_the_original() -> None:
    sketch = _sketch(BODIES)
    joined = Sketch.concat([unpack(pack(sketch)), unpack(pack(sketch.part(0, 1)))])
    assert _same(joined, Sketch.concat([sketch, sketch.part(0, 1)]))


@pytest.mark.parametrize("damage", [lambda b: b[:-3], lambda b: b"x" + b, lambda b: b[:30], lambda b: b + b"\0"])
def test_a_damaged_sketch_file_is_a_value_error(damage) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        unpack(damage(pack(_sketch(BODIES))))


@given(st.data())
def test_any_changed_byte_of_a_sketch_file_is_a_value_error(data: st.DataObject) -> None:
    packed = bytearray(pack(_sketch(BODIES)))
    at = data.draw(st.integers(0, len(packed) - 1))
    packed[at] = data.draw(st.integers(0, 255).filter(lambda b: b != packed[at]))
    with pytest.raises(ValueError):
        unpack(bytes(packed))


def test_a_space_of_the_header_turned_into_a_tab_is_a_value_error() -> None:
    """JSON reads the header the same with other whitespace: the bytes are checked, not only the values."""
    packed = pack(_sketch(BODIES))
    at = packed.index(b", ")
    with pytest.raises(ValueError, match="not as written"):
        unpack(packed[:at + 1] + b"\t" + packed[at + 2:])


def test_a_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def full_disk(self: Path, data: bytes) -> int:
        with open(self, "wb") as f:  # part of the file, then the disk is full
            f.write(data[:10])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(OSError):
        _sketch(BODIES).save(tmp_path / "00000.sketch")
    assert list(tmp_path.iterdir()) == []


def test_a_saved_sketch_loads_from_disk(tmp_path) -> None:  # type: ignore[no-untyped-def]
    sketch = _sketch(BODIES)
    sketch.save(tmp_path / "a" / "00000.sketch")
    assert _same(Sketch.load(tmp_path / "a" / "00000.sketch"), sketch)
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.startswith(".")]


def test_the_shard_sketches_of_a_folder_are_their_concatenation(tmp_path: Path) -> None:
    parts = [_sketch(BODIES), _sketch(BODIES[1:]), _sketch(BODIES[:1])]
    for k, part in enumerate(parts):
        part.save(tmp_path / f"{k:05d}.sketch")
    found = shard_sketches(tmp_path)
    assert found is not None and _same(found, Sketch.concat(parts))


def test_one_damaged_shard_sketch_makes_the_pass_sketch_itself(tmp_path: Path) -> None:
    for k in range(2):
        _sketch(BODIES).save(tmp_path / f"{k:05d}.sketch")
    path = tmp_path / "00001.sketch"
    path.write_bytes(path.read_bytes()[:-5])
    assert shard_sketches(tmp_path) is None
    assert shard_sketches(tmp_path / "missing") is None
