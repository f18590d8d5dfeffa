"""Attribute lists (``attrs``, clause 6.3.7 / 6.4.3.2) and the Attribute Projection Language of
``pick``/``omit`` (clause 4.21)::

    ProjectionTerm   = AttrName *1(LinkedEntityTerm) *(orOp ProjectionTerm)
    LinkedEntityTerm = "{" ProjectionTerm "}"
    orOp             = "|" / ","

Names are clause 4.6.2 names, compact IRIs or IRIs; whitespace around names is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from reference_server.ngsild.qlang._scan import MAX_DEPTH, Scanner, is_name, too_complex

__all__ = [
    "ENTITY_MEMBERS",
    "Projection",
    "parse_attr_list",
    "parse_projection",
    "resolve_projection",
]

ENTITY_MEMBERS = frozenset({"id", "type", "scope"})
"""Entity members ``pick``/``omit`` may name; :func:`resolve_projection` does not expand them."""

_NAME_TOKEN = re.compile(r"[^\s,|{};()\[\]\"]+")


def parse_attr_list(text: str, param: str = "attrs") -> list[str]:
    """The comma-separated names of ``text``, in order, without duplicates.

    Raises BadRequestData (with the position) for an empty item or an invalid name.
    """
    scanner = Scanner(text, param)
    names: list[str] = []
    start = 0
    for item in text.split(","):
        stripped = item.strip()
        at = start + len(item) - len(item.lstrip())
        if not stripped:
            scanner.error("empty attribute name", at)
        if not is_name(stripped):
            scanner.error(f"{stripped!r} is not a valid attribute name", at)
        if stripped not in names:
            names.append(stripped)
        start += len(item) + 1
    return names


@dataclass(frozen=True, slots=True)
class Projection:
    """One projected member; ``nested`` projects the entity a Relationship links to."""

    name: str
    nested: tuple[Projection, ...] = ()

    def __str__(self) -> str:
        if not self.nested:
            return self.name
        return self.name + "{" + ",".join(str(n) for n in self.nested) + "}"


def parse_projection(text: str, param: str = "pick") -> tuple[Projection, ...]:
    """Parse a ``pick``/``omit`` value (clause 4.21) into its top-level projections."""
    scanner = Scanner(text, param)
    terms = _terms(scanner, 0)
    scanner.skip_ws()
    if not scanner.at_end():
        scanner.unexpected()
    return terms


def _terms(scanner: Scanner, depth: int) -> tuple[Projection, ...]:
    terms = [_term(scanner, depth)]
    scanner.skip_ws()
    while not scanner.at_end() and scanner.peek() in ",|":
        scanner.pos += 1
        terms.append(_term(scanner, depth))
        scanner.skip_ws()
    return tuple(terms)


def _term(scanner: Scanner, depth: int) -> Projection:
    scanner.skip_ws()
    found = scanner.match(_NAME_TOKEN)
    if found is None:
        scanner.error("expected an attribute name")
    if not is_name(found.group()):
        scanner.error(f"{found.group()!r} is not a valid attribute name")
    scanner.pos = found.end()
    scanner.skip_ws()
    if scanner.peek() != "{":
        return Projection(found.group())
    if depth >= MAX_DEPTH:
        too_complex(scanner.param, f"projections nested deeper than {MAX_DEPTH}")
    scanner.pos += 1
    nested = _terms(scanner, depth + 1)
    scanner.expect("}", "'}' closing the linked entity projection")
    return Projection(found.group(), nested)


def resolve_projection(
    projections: tuple[Projection, ...], expand: Callable[[str], str]
) -> tuple[Projection, ...]:
    """A copy with attribute names expanded; ``id``, ``type`` and ``scope`` stay as they are."""
    return tuple(
        Projection(
            p.name if p.name in ENTITY_MEMBERS else expand(p.name),
            resolve_projection(p.nested, expand),
        )
        for p in projections
    )
