"""Feature strings -> integers, what the line labeller's tagger reads: the rows of the model's
weights when labelling, or ids handed out in order of first use when collecting training features.
A line's feature groups are encoded value by value (:meth:`Encoder.named`), so no string is made
for a value met before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Rows = tuple[int, ...]
"""Feature strings as the integers a tagger reads (:class:`Encoder`)."""


class Encoder:
    """Feature strings -> integers: the rows of the model's weights when labelling
    (:meth:`builders.parse.crf.Model.row`), or ids handed out in order of first use when
    collecting training features (:attr:`names` gives their strings back)."""

    def __init__(self, row: Callable[[str], int] | None = None) -> None:
        self.names: list[str] = []
        self._ids: dict[str, int] = {}
        self._slots: dict[tuple[str, tuple[str, ...]], tuple[_Slot, ...]] = {}
        self.row = row or self._open_row

    def _open_row(self, name: str) -> int:
        found = self._ids.get(name)
        if found is None:
            found = self._ids[name] = len(self.names)
            self.names.append(name)
        return found

    def encode(self, strings: tuple[str, ...]) -> Rows:
        """The integers of some feature strings, in their order."""
        return tuple(map(self.row, strings))

    def named(self, prefix: str, keys: tuple[str, ...], values: Sequence[str]) -> Rows:
        """:meth:`encode` of the strings ``{prefix}{key}={value}``, each looked up by its value:
        no string is made for a value met before (the values of a key are a few buckets and flags)."""
        slots = self._slots.get((prefix, keys))
        if slots is None:
            slots = self._slots[prefix, keys] = tuple(_Slot(self, f"{prefix}{key}=") for key in keys)
        return tuple([slot[value] for slot, value in zip(slots, values, strict=True)])


class _Slot(dict[str, int]):
    """A feature's value -> the integer of its string, filled on demand (in the order of first use)."""

    def __init__(self, encoder: Encoder, name: str) -> None:
        super().__init__()
        self.encoder, self.name = encoder, name

    def __missing__(self, value: str) -> int:
        row = self[value] = self.encoder.row(self.name + value)
        return row
