"""JSON Pointers (RFC 6901) and the map from keyValues-projection pointers to input pointers.

A data model's JSON Schema sees the keyValues projection of an entity; its errors point into
that projection (``/speed``). :func:`input_pointer` turns them back into pointers into the
entity as given (``/speed/value``) with a :data:`PointerMap` built during projection: each entry
maps a projection pointer to the input pointer it came from, and the longest matching prefix
wins, so ``/address/streetAddress`` becomes ``/address/value/streetAddress``.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["PointerMap", "escape", "input_pointer", "join"]

PointerMap = dict[str, str]


def escape(token: str | int) -> str:
    """One reference token, escaped per RFC 6901 section 3."""
    return str(token).replace("~", "~0").replace("/", "~1")


def join(base: str, *tokens: str | int) -> str:
    """``base`` followed by the escaped ``tokens``."""
    return base + "".join("/" + escape(t) for t in tokens)


def input_pointer(path: Iterable[str | int], mapping: PointerMap) -> str:
    """The input pointer of the projection location ``path`` (a list of tokens)."""
    tokens = [escape(t) for t in path]
    if not mapping:
        return "".join("/" + t for t in tokens)
    for end in range(len(tokens), 0, -1):
        prefix = "".join("/" + t for t in tokens[:end])
        target = mapping.get(prefix)
        if target is not None:
            return target + "".join("/" + t for t in tokens[end:])
    return "".join("/" + t for t in tokens)
