"""A jieba or IDF memo that marshal loads but is damaged is derived again, never a traceback nor a wrong table."""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path

import pytest

from builders.memo import memo_path
from builders.segment.tokenizer import import_jieba, load_tables, snapshot_key


def _plant(path: Path, value: object) -> None:
    """A memo file of ``value`` as temp_memo writes it (its checksum right: the shape checks are tested)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path.parent, 0o700)
    payload = marshal.dumps(value)
    path.write_bytes(hashlib.sha256(payload).digest() + payload)
    os.chmod(path, 0o600)


def test_a_memo_damaged_on_disk_is_derived_again_and_replaced(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """One changed byte of a value of the right shape (a POS tag ns -> n in the jieba tables) was loaded
    as good by every later build, --no-cache or not; the file's SHA-256 now catches it."""
    from builders.memo import temp_memo

    monkeypatch.setenv("XIANBAO_CACHE_DIR", str(tmp_path))
    made: list[int] = []

    def derive() -> dict[str, str]:
        made.append(1)
        return {"丽水": "ns"}

    assert temp_memo("test-tags", b"k", derive, lambda v: isinstance(v, dict)) == {"丽水": "ns"}
    path = memo_path("test-tags", b"k")
    path.write_bytes(path.read_bytes().replace(b"ns", b"n\x00", 1))  # still a dict of the right shape
    assert temp_memo("test-tags", b"k", derive, lambda v: isinstance(v, dict)) == {"丽水": "ns"}
    assert len(made) == 2 and temp_memo("test-tags", b"k", derive, lambda v: True) == {"丽水": "ns"}
    assert len(made) == 2  # the damaged file was replaced


def test_damaged_jieba_tables_are_derived_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIANBAO_CACHE_DIR", str(tmp_path))
    jieba = import_jieba()
    _plant(memo_path("jieba", snapshot_key(jieba.__version__)),
           ((5, "q", b"\0" * 8, []), 1, (None, "s", b"\0", ["n"]), {}, [], []))
    freq = load_tables(jieba, [])[0]
    assert len(freq) > 100_000 and freq.get("中国", 0) > 0


def test_idf_table_of_a_refused_memo_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from builders.enrich import entities
    from builders.segment.table import WordTable

    monkeypatch.setenv("XIANBAO_CACHE_DIR", str(tmp_path))
    jieba = import_jieba()
    key = jieba.__version__.encode() + b"|word-table"
    _plant(memo_path("jieba-idf", key), (WordTable.from_dict({"甲": 1.0}).pack(), "not a float"))
    entities._idf.cache_clear()
    try:
        table, median = entities._idf()
        assert len(table) > 100_000 and isinstance(median, float)
    finally:
        entities._idf.cache_clear()
