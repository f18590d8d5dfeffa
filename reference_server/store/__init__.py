"""Entity storage behind a small interface (see :class:`EntityStore`)."""

from reference_server.store.base import Candidates, Entity, EntityStore
from reference_server.store.sqlite import SqliteStore

__all__ = ["Candidates", "Entity", "EntityStore", "SqliteStore"]
