"""What every router needs: settings, store, @context resolver."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from starlette.requests import Request

from reference_server.config import Settings
from reference_server.jsonld import ContextResolver, core_context_url
from reference_server.ngsild.errors import NonexistentTenant, ResourceNotFound
from reference_server.store.base import DEFAULT_TENANT, Entity, EntityStore

__all__ = ["AppState", "now_iso", "state_of"]


@dataclass(frozen=True, slots=True)
class AppState:
    settings: Settings
    store: EntityStore
    resolver: ContextResolver
    core_url: str = field(init=False)
    """The URL of the core @context responses name (fixed for the app's lifetime)."""

    def __post_init__(self) -> None:
        url = core_context_url(self.settings.contexts.core_version)
        object.__setattr__(self, "core_url", url)

    async def require_tenant(self, tenant: str) -> None:
        """Reading a tenant never written to is NonexistentTenant (clause 6.3.14)."""
        if tenant != DEFAULT_TENANT and not await self.store.tenant_exists(tenant):
            raise NonexistentTenant(f"tenant {tenant!r} does not exist")

    async def load_entity(self, tenant: str, entity_id: str) -> Entity:
        """The stored entity; ResourceNotFound if there is none."""
        await self.require_tenant(tenant)
        entity = await self.store.get(tenant, entity_id)
        if entity is None:
            raise ResourceNotFound(f"entity {entity_id!r} not found", instance=entity_id)
        return entity

    async def modify_entity(
        self, tenant: str, entity_id: str, change: Callable[[Entity], Entity]
    ) -> Entity:
        """Apply ``change`` atomically; ResourceNotFound if the entity does not exist."""
        await self.require_tenant(tenant)
        new = await self.store.modify(tenant, entity_id, change)
        if new is None:
            raise ResourceNotFound(f"entity {entity_id!r} not found", instance=entity_id)
        return new


def state_of(request: Request) -> AppState:
    state: AppState = request.app.state.ngsi
    return state


def now_iso() -> str:
    """The current time as an NGSI-LD DateTime (UTC, millisecond precision, ``Z``)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
