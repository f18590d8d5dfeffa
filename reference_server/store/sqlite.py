"""Embedded SQLite storage (WAL mode), the reference platform's default store.

Why the calls are not pushed to a thread pool: each statement here takes microseconds on a
local database file, much less than a thread hand-off costs, and one connection serialises
writers anyway. The event loop therefore calls SQLite directly; :meth:`SqliteStore.modify`
runs its read, change and write without an ``await`` in between, so it is atomic within the
process.

Durability: ``synchronous=NORMAL`` in WAL mode keeps every committed transaction across a
process crash; an operating-system crash or power loss may lose the last commits but never
corrupts the file. Set ``synchronous="FULL"`` to fsync on every commit.

Decoded documents are kept in a bounded LRU cache (write-through), so hot entities are not
parsed again on every read.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

import orjson

from reference_server.store.base import DEFAULT_TENANT, Candidates, Entity

__all__ = ["SqliteStore"]

logger = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tenants (name TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS entities (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    doc BLOB NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE IF NOT EXISTS entity_types (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    PRIMARY KEY (tenant, id, type)
);
CREATE INDEX IF NOT EXISTS entity_types_by_type ON entity_types (tenant, type);
"""

_Key = tuple[str, str]


class _Lru:
    """A small LRU map of decoded entities."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._items: OrderedDict[_Key, Entity] = OrderedDict()

    def get(self, key: _Key) -> Entity | None:
        entity = self._items.get(key)
        if entity is not None:
            self._items.move_to_end(key)
        return entity

    def put(self, key: _Key, entity: Entity) -> None:
        if self._capacity <= 0:
            return
        self._items[key] = entity
        self._items.move_to_end(key)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)

    def drop(self, key: _Key) -> None:
        self._items.pop(key, None)


class SqliteStore:
    """:class:`~reference_server.store.base.EntityStore` on SQLite.

    ``path`` None gives a private in-memory database (tests).
    """

    def __init__(
        self,
        path: Path | None,
        *,
        cache_entries: int = 50_000,
        synchronous: Literal["NORMAL", "FULL"] = "NORMAL",
    ) -> None:
        target = ":memory:" if path is None else str(path)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
        if path is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={synchronous}")
        self._db.executescript(_SCHEMA)
        self._cache = _Lru(cache_entries)
        self._tenants: set[str] = {DEFAULT_TENANT}
        self._tenants.update(r[0] for r in self._db.execute("SELECT name FROM tenants"))
        logger.info("SQLite store at %s (%d tenants)", target, len(self._tenants))

    async def tenant_exists(self, tenant: str) -> bool:
        return tenant in self._tenants

    async def tenants(self) -> list[str]:
        return sorted(self._tenants)

    async def create(self, tenant: str, entity: Entity) -> bool:
        key = (tenant, entity["id"])
        with self._transaction():
            self._ensure_tenant(tenant)
            try:
                self._db.execute(
                    "INSERT INTO entities (tenant, id, doc) VALUES (?, ?, ?)",
                    (tenant, key[1], orjson.dumps(entity)),
                )
            except sqlite3.IntegrityError:
                return False
            self._write_types(tenant, key[1], entity["type"])
        self._cache.put(key, entity)
        return True

    async def get(self, tenant: str, entity_id: str) -> Entity | None:
        return self._load(tenant, entity_id)

    async def modify(
        self, tenant: str, entity_id: str, change: Callable[[Entity], Entity]
    ) -> Entity | None:
        old = self._load(tenant, entity_id)
        if old is None:
            return None
        new = change(old)
        with self._transaction():
            self._db.execute(
                "UPDATE entities SET doc = ? WHERE tenant = ? AND id = ?",
                (orjson.dumps(new), tenant, entity_id),
            )
            if new["type"] != old["type"]:
                self._db.execute(
                    "DELETE FROM entity_types WHERE tenant = ? AND id = ?", (tenant, entity_id)
                )
                self._write_types(tenant, entity_id, new["type"])
        self._cache.put((tenant, entity_id), new)
        return new

    async def delete(self, tenant: str, entity_id: str) -> bool:
        with self._transaction():
            cursor = self._db.execute(
                "DELETE FROM entities WHERE tenant = ? AND id = ?", (tenant, entity_id)
            )
            self._db.execute(
                "DELETE FROM entity_types WHERE tenant = ? AND id = ?", (tenant, entity_id)
            )
        self._cache.drop((tenant, entity_id))
        return cursor.rowcount > 0

    async def scan(self, tenant: str, candidates: Candidates) -> list[Entity]:
        rows = self._db.execute(*self._scan_sql(tenant, candidates))
        return [self._decode(tenant, entity_id, doc) for entity_id, doc in rows]

    async def close(self) -> None:
        self._db.close()

    def _scan_sql(self, tenant: str, candidates: Candidates) -> tuple[str, list[str]]:
        where = ["e.tenant = ?"]
        params: list[str] = [tenant]
        if candidates.ids is not None:
            where.append(f"e.id IN ({_marks(candidates.ids)})")
            params.extend(sorted(candidates.ids))
        if candidates.types is not None:
            where.append(
                "EXISTS (SELECT 1 FROM entity_types t WHERE t.tenant = e.tenant AND t.id = e.id"
                f" AND t.type IN ({_marks(candidates.types)}))"
            )
            params.extend(sorted(candidates.types))
        sql = f"SELECT e.id, e.doc FROM entities e WHERE {' AND '.join(where)} ORDER BY e.rowid"
        return sql, params

    def _load(self, tenant: str, entity_id: str) -> Entity | None:
        cached = self._cache.get((tenant, entity_id))
        if cached is not None:
            return cached
        row = self._db.execute(
            "SELECT doc FROM entities WHERE tenant = ? AND id = ?", (tenant, entity_id)
        ).fetchone()
        return None if row is None else self._decode(tenant, entity_id, row[0])

    def _decode(self, tenant: str, entity_id: str, doc: bytes) -> Entity:
        key = (tenant, entity_id)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        entity: Entity = orjson.loads(doc)
        self._cache.put(key, entity)
        return entity

    def _ensure_tenant(self, tenant: str) -> None:
        if tenant not in self._tenants:
            self._db.execute("INSERT OR IGNORE INTO tenants (name) VALUES (?)", (tenant,))
            self._tenants.add(tenant)

    def _write_types(self, tenant: str, entity_id: str, types: Iterable[str]) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO entity_types (tenant, id, type) VALUES (?, ?, ?)",
            [(tenant, entity_id, t) for t in types],
        )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> Literal[False]:
        self._db.execute("ROLLBACK" if exc_type is not None else "COMMIT")
        return False


def _marks(values: frozenset[str]) -> str:
    return ", ".join("?" for _ in values)
