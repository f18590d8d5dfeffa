"""A small LRU cache whose entries expire (used for ``@context`` caching, CIM 009 6.3.5).

Each entry carries its own expiry time, read from an injectable clock, so that an active
context built from remote documents expires with the first of them.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

__all__ = ["TtlLru"]

V = TypeVar("V")


class TtlLru(Generic[V]):
    """Least-recently-used map bounded to ``max_entries``; 0 or less disables caching."""

    def __init__(self, max_entries: int) -> None:
        self._max = max_entries
        self._data: OrderedDict[str, tuple[V, float]] = OrderedDict()

    def get(self, key: str, now: float) -> tuple[V, float] | None:
        """``(value, expires_at)`` if ``key`` is cached and fresh at ``now``."""
        entry = self._data.get(key)
        if entry is None:
            return None
        if entry[1] <= now:
            del self._data[key]
            return None
        self._data.move_to_end(key)
        return entry

    def put(self, key: str, value: V, expires_at: float) -> None:
        if self._max <= 0:
            return
        self._data[key] = (value, expires_at)
        self._data.move_to_end(key)
        while len(self._data) > self._max:
            self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)
