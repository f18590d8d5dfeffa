"""The storage interface the API layer talks to.

Entities cross this boundary in the broker's internal form: a dict whose attribute keys are
expanded IRIs, whose ``type`` is a list of expanded type IRIs, and whose attribute values are
lists of instances (one per datasetId). The store treats documents as opaque apart from
``id`` and ``type``, which it indexes.

Every method is ``async`` so that a backend with network I/O (PostgreSQL) fits the same
interface; read-modify-write goes through :meth:`EntityStore.modify` so that a backend can run
it in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

__all__ = [
    "DEFAULT_TENANT",
    "WILDCARD",
    "AllOf",
    "AnyOf",
    "AttrTest",
    "Candidates",
    "Condition",
    "Entity",
    "EntityStore",
    "Indexer",
    "Op",
]

Entity = dict[str, Any]

DEFAULT_TENANT = ""

WILDCARD = object()
"""An indexed element that satisfies every test on its attribute (see :class:`AttrTest`)."""

Indexer = Callable[[Entity], Iterable[tuple[str, Any]]]
"""Gives the ``(attribute, element)`` pairs to index for an entity; an element is a number, a
string or :data:`WILDCARD`. The store does not interpret entities beyond ``id`` and ``type``:
what is indexed is the caller's decision."""

Op = Literal["exists", "eq", "in", "lt", "le", "gt", "ge", "between"]


@dataclass(frozen=True, slots=True)
class AttrTest:
    """Entities with an indexed element of ``attr`` satisfying ``op`` against ``values``.

    A :data:`WILDCARD` element satisfies every test. Numbers compare with numbers, strings with
    strings (by code point); ``in`` and ``between`` take their operands from ``values``.
    """

    attr: str
    op: Op
    values: tuple[float | int | str, ...] = ()


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Condition, ...]


Condition = AttrTest | AllOf | AnyOf


@dataclass(frozen=True, slots=True)
class Candidates:
    """A coarse pre-filter the store applies before the API filters precisely.

    Each member narrows the set (AND); ``None`` means no restriction. ``types`` matches entities
    that have any of the given type IRIs; ``where`` tests the indexed attribute elements.
    """

    ids: frozenset[str] | None = None
    types: frozenset[str] | None = None
    where: Condition | None = None


class EntityStore(Protocol):
    """What the API needs from storage; all entity methods take the tenant first."""

    async def tenant_exists(self, tenant: str) -> bool:
        """Whether the tenant has been created (the default tenant always exists)."""
        ...

    async def create(self, tenant: str, entity: Entity) -> bool:
        """Store a new entity; False (and nothing stored) if the id is taken."""
        ...

    async def get(self, tenant: str, entity_id: str) -> Entity | None:
        """The entity, or None."""
        ...

    async def modify(
        self, tenant: str, entity_id: str, change: Callable[[Entity], Entity]
    ) -> Entity | None:
        """Replace the entity by ``change(old)`` atomically; None if it does not exist.

        An exception raised by ``change`` leaves the stored entity untouched and propagates.
        """
        ...

    async def delete(self, tenant: str, entity_id: str) -> bool:
        """Delete the entity; False if it did not exist."""
        ...

    async def scan(
        self, tenant: str, candidates: Candidates, *, limit: int | None = None, offset: int = 0
    ) -> list[Entity]:
        """Entities passing the pre-filter, in a stable order (creation order), paginated."""
        ...

    async def count(self, tenant: str, candidates: Candidates) -> int:
        """How many entities pass the pre-filter."""
        ...

    async def close(self) -> None:
        """Release resources; the store is unusable afterwards."""
        ...
