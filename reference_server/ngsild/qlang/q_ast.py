"""The abstract syntax tree of the NGSI-LD Query Language (clause 4.9).

All nodes are immutable. ``str(node)`` renders the node back in ``q`` syntax: for an expression
returned by :func:`parse_q`, ``parse_q(str(expr)) == expr``. Expressions returned by
``resolve_q`` hold expanded IRIs; their ``str`` is meant for logs and need not parse again.
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass, field

__all__ = [
    "METADATA_MEMBERS",
    "And",
    "AttrPath",
    "Comparison",
    "Exists",
    "LinkedPath",
    "Literal",
    "Op",
    "Or",
    "Path",
    "QExpr",
    "QValue",
    "Range",
    "Regex",
    "ValueKind",
    "ValueList",
]

METADATA_MEMBERS = frozenset(
    {"observedAt", "createdAt", "modifiedAt", "deletedAt", "unitCode", "datasetId", "objectType"}
)
"""Attribute members a dotted path may end with (clause 4.9 example 8); never expanded."""


class Op(enum.Enum):
    """Query Term operators (clause 4.9 production rules ``Operator``, ``patternOp``...)."""

    EQ = "=="
    NE = "!="
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    MATCH = "~="
    NOT_MATCH = "!~="


ORDERING_OPS = frozenset({Op.GT, Op.GE, Op.LT, Op.LE})
EQUALITY_OPS = frozenset({Op.EQ, Op.NE})


class ValueKind(enum.Enum):
    """The data type of a literal in a Query Term."""

    NUMBER = "number"
    STRING = "string"
    BOOLEAN = "boolean"
    DATETIME = "dateTime"
    DATE = "date"
    TIME = "time"
    URI = "uri"
    TERM = "term"
    """An unquoted name, e.g. ``Male`` in ``gender==Male`` (clause 4.9 example 12)."""


COMPARABLE_KINDS = frozenset(
    {ValueKind.NUMBER, ValueKind.STRING, ValueKind.DATETIME, ValueKind.DATE, ValueKind.TIME}
)


@dataclass(frozen=True, slots=True)
class Literal:
    """A single value. Temporal kinds keep their (canonical) text in ``value``.

    ``iri`` is the value expanded against the @context by ``resolve_q``; the evaluator accepts it
    as an alternative for VocabProperty targets and for attributes listed in ``expandValues``.
    """

    kind: ValueKind
    value: str | int | float | bool
    iri: str | None = None

    def __str__(self) -> str:
        if self.kind is ValueKind.STRING:
            return json.dumps(self.value, ensure_ascii=False)
        if self.kind is ValueKind.BOOLEAN:
            return "true" if self.value else "false"
        if self.kind is ValueKind.NUMBER:
            return json.dumps(self.value)
        return str(self.value)


@dataclass(frozen=True, slots=True)
class Range:
    """``low..high``, both included (production rule ``Range``)."""

    low: Literal
    high: Literal

    def __str__(self) -> str:
        return f"{self.low}..{self.high}"


@dataclass(frozen=True, slots=True)
class ValueList:
    """``v1,v2,...`` (production rule ``ValueList``): ``==`` any of them, ``!=`` none."""

    items: tuple[Literal, ...]

    def __str__(self) -> str:
        return ",".join(str(i) for i in self.items)


@dataclass(frozen=True, slots=True)
class Regex:
    """The pattern of ``~=``/``!~=``; ``quoted`` when it was written as a JSON string."""

    pattern: str
    quoted: bool
    compiled: re.Pattern[str] = field(compare=False, hash=False, repr=False)

    def __str__(self) -> str:
        return json.dumps(self.pattern, ensure_ascii=False) if self.quoted else self.pattern


QValue = Literal | Range | ValueList | Regex


@dataclass(frozen=True, slots=True)
class AttrPath:
    """``attr.sub.member[key.key]``: an attribute, sub-attributes or a metadata member, and an
    optional trailing path into a compound value (or a language tag of a LanguageProperty)."""

    names: tuple[str, ...]
    trail: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = ".".join(self.names)
        return f"{text}[{'.'.join(self.trail)}]" if self.trail else text


@dataclass(frozen=True, slots=True)
class LinkedPath:
    """``rel{Type,Type:path}``: ``path`` evaluated on the entities ``rel`` points at."""

    relationship: str
    target: Path
    types: tuple[str, ...] = ()

    def __str__(self) -> str:
        hint = f"{','.join(self.types)}:" if self.types else ""
        return f"{self.relationship}{{{hint}{self.target}}}"


Path = AttrPath | LinkedPath


@dataclass(frozen=True, slots=True)
class Exists:
    """A bare attribute path (existence) or ``!path`` (non-existence)."""

    path: Path
    negated: bool = False

    def __str__(self) -> str:
        return f"!{self.path}" if self.negated else str(self.path)


@dataclass(frozen=True, slots=True)
class Comparison:
    """``path op value``; ``expand_values`` marks an attribute listed in ``expandValues``."""

    path: Path
    op: Op
    value: QValue
    expand_values: bool = False

    def __str__(self) -> str:
        return f"{self.path}{self.op.value}{self.value}"


@dataclass(frozen=True, slots=True)
class And:
    """Conjunction (``;``) of two or more expressions, none of them an ``And``."""

    operands: tuple[QExpr, ...]

    def __str__(self) -> str:
        return ";".join(f"({o})" if isinstance(o, Or) else str(o) for o in self.operands)


@dataclass(frozen=True, slots=True)
class Or:
    """Disjunction (``|``) of two or more expressions, none of them an ``Or``."""

    operands: tuple[QExpr, ...]

    def __str__(self) -> str:
        return "|".join(str(o) for o in self.operands)


QExpr = Exists | Comparison | And | Or
