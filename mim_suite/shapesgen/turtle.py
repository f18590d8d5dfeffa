"""A small deterministic Turtle writer (W3C RDF 1.1 Turtle) for generated SHACL shapes.

Shapes are written from a tiny syntax tree rather than serialised from an rdflib graph so that
the output is byte-stable: statements keep the order the generator gives them, blank nodes are
written inline as ``[ ... ]`` and RDF collections as ``( ... )``, and no blank-node label ever
appears. Terms are already-rendered Turtle strings (``xsd:string``, ``"text"``, ``0.5``);
:func:`literal`, :func:`iri` and :func:`number` render them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Collection", "Node", "Object", "boolean", "iri", "literal", "number", "render"]

_INDENT = "    "
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


@dataclass(frozen=True)
class Node:
    """A blank node written inline: ``[ p1 o1 ; p2 o2 ]``."""

    pairs: tuple[tuple[str, Object], ...]


@dataclass(frozen=True)
class Collection:
    """An RDF collection: ``( o1 o2 )``."""

    items: tuple[Object, ...]


Object = str | Node | Collection


def literal(text: str) -> str:
    """A Turtle string literal with the escapes of Turtle section 6.4."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def iri(value: str) -> str:
    """An IRI reference ``<...>``; characters Turtle forbids there are %-encoded."""
    encoded = _IRI_FORBIDDEN.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), value)
    return f"<{encoded}>"


def number(value: int | float) -> str:
    """An integer (xsd:integer) or a decimal (xsd:decimal) literal, never an exponent."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number here")
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError(f"{value!r} has no Turtle literal")
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def boolean(value: bool) -> str:
    return "true" if value else "false"


def render(subject: str, pairs: list[tuple[str, Object]]) -> str:
    """One statement block ``subject p o ; p o .`` with nested nodes indented."""
    body = _pairs(pairs, 1)
    return f"{subject}\n{body} .\n"


def _pairs(pairs: list[tuple[str, Object]] | tuple[tuple[str, Object], ...], depth: int) -> str:
    pad = _INDENT * depth
    return " ;\n".join(f"{pad}{p} {_object(o, depth)}" for p, o in pairs)


def _object(value: Object, depth: int) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Collection):
        return _collection(value, depth)
    if not value.pairs:
        return "[ ]"
    if len(value.pairs) == 1 and isinstance(value.pairs[0][1], str):
        predicate, term = value.pairs[0]
        return f"[ {predicate} {term} ]"
    inner = _pairs(value.pairs, depth + 1)
    return f"[\n{inner}\n{_INDENT * depth}]"


def _collection(value: Collection, depth: int) -> str:
    if all(isinstance(item, str) for item in value.items):
        return "( " + " ".join(str(item) for item in value.items) + " )"
    pad = _INDENT * (depth + 1)
    inner = "\n".join(pad + _object(item, depth + 1) for item in value.items)
    return f"(\n{inner}\n{_INDENT * depth})"
