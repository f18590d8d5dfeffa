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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = ["DEFAULT_TENANT", "Candidates", "Entity", "EntityStore"]

Entity = dict[str, Any]

DEFAULT_TENANT = ""


@dataclass(frozen=True, slots=True)
class Candidates:
    """A coarse pre-filter the store applies before the API filters precisely.

    Each member narrows the set (AND); ``None`` means no restriction. ``types`` matches entities
    that have any of the given type IRIs.
    """

    ids: frozenset[str] | None = None
    types: frozenset[str] | None = None


class EntityStore(Protocol):
    """What the API needs from storage; all entity methods take the tenant first."""

    async def tenant_exists(self, tenant: str) -> bool:
        """Whether the tenant has been created (the default tenant always exists)."""
        ...

    async def tenants(self) -> list[str]:
        """All tenants, the default one included."""
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

    async def scan(self, tenant: str, candidates: Candidates) -> list[Entity]:
        """Entities passing the pre-filter, in a stable order (creation order)."""
        ...

    async def close(self) -> None:
        """Release resources; the store is unusable afterwards."""
        ...
