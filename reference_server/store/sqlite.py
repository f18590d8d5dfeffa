"""Embedded SQLite storage (WAL mode), the reference platform's default store.

Why the calls are not pushed to a thread pool: each statement here takes microseconds on a
local database file, much less than a thread hand-off costs, and one connection serialises
writers anyway. The event loop therefore calls SQLite directly; :meth:`SqliteStore.modify`
runs its read, change and write without an ``await`` in between, so it is atomic within the
process.

Durability: ``synchronous=NORMAL`` in WAL mode keeps every committed transaction across a
process crash; an operating-system crash or power loss may lose the last commits but never
corrupts the file. Set ``synchronous="FULL"`` to fsync on every commit.

Layout: ``entities`` holds each document with a ``seq`` that fixes the creation order;
``entity_types`` and ``attr_index`` refer to ``seq``. A pre-filter reads each index it needs
into a set of ``seq``, intersects them, and reads only the documents of the requested page.
Decoded documents are kept in a bounded LRU cache (write-through).
"""

from __future__ import annotations

import logging
import sqlite3
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import orjson

from reference_server.store.base import (
    DEFAULT_TENANT,
    AllOf,
    AnyOf,
    Candidates,
    Condition,
    Entity,
    Indexer,
)
from reference_server.store.sqlsearch import index_row, test_sql

__all__ = ["SCHEMA_VERSION", "SqliteStore", "StoreVersionError"]

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 3
"""``PRAGMA user_version`` of databases this code writes."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tenants (name TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS entities (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    doc BLOB NOT NULL,
    UNIQUE (tenant, id)
);
CREATE INDEX IF NOT EXISTS entities_by_tenant ON entities (tenant);
CREATE TABLE IF NOT EXISTS entity_types (
    tenant TEXT NOT NULL,
    type TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (tenant, type, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_types_by_seq ON entity_types (seq);
CREATE TABLE IF NOT EXISTS attr_index (
    tenant TEXT NOT NULL,
    attr TEXT NOT NULL,
    seq INTEGER NOT NULL,
    num REAL,
    str TEXT,
    wild INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS attr_index_by_seq ON attr_index (seq);
CREATE INDEX IF NOT EXISTS attr_index_by_num ON attr_index (tenant, attr, num);
CREATE INDEX IF NOT EXISTS attr_index_by_str ON attr_index (tenant, attr, str);
CREATE INDEX IF NOT EXISTS attr_index_wild ON attr_index (tenant, attr, wild);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

INDEX_VERSION = "3"
"""Bump when the indexer's output changes: the attribute index is rebuilt at start-up."""

_Key = tuple[str, str]
_CHUNK = 500  # SQLite's host-parameter limit is 999 in old builds


class StoreVersionError(RuntimeError):
    """The database file was written by an incompatible version of this store."""


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

    ``path`` None gives a private in-memory database (tests). ``indexer`` chooses what the
    attribute index holds; without one, attribute tests in ``Candidates.where`` match nothing.
    """

    def __init__(
        self,
        path: Path | None,
        *,
        indexer: Indexer | None = None,
        cache_entries: int = 50_000,
        synchronous: Literal["NORMAL", "FULL"] = "NORMAL",
    ) -> None:
        target = ":memory:" if path is None else str(path)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
        if path is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
            # The default automatic checkpoint (1,000 pages) is kept: a 10,000-page WAL made
            # single creates faster in isolation but the server slower under load (p99 of
            # creates 122 ms against 43 ms, queries 149/s against 164/s; benchmarks/
            # server_throughput.py). close() truncates the WAL.
            self._db.execute("PRAGMA wal_autocheckpoint=1000")
        self._file_backed = path is not None
        self._db.execute(f"PRAGMA synchronous={synchronous}")
        self._check_schema_version(target)
        self._db.executescript(_SCHEMA)
        self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        self._indexer = indexer
        self._cache = _Lru(cache_entries)
        self._seq_keys: dict[int, _Key] = {}  # seq -> cache key, for reading pages by seq
        self._tenants: set[str] = {DEFAULT_TENANT}
        self._tenants.update(r[0] for r in self._db.execute("SELECT name FROM tenants"))
        self._check_index_version()
        logger.info("SQLite store at %s (%d tenants)", target, len(self._tenants))

    async def tenant_exists(self, tenant: str) -> bool:
        return tenant in self._tenants

    async def create(self, tenant: str, entity: Entity) -> bool:
        with self._transaction():
            try:
                cursor = self._db.execute(
                    "INSERT INTO entities (tenant, id, doc) VALUES (?, ?, ?)",
                    (tenant, entity["id"], orjson.dumps(entity)),
                )
            except sqlite3.IntegrityError:
                return False
            seq = int(cursor.lastrowid or 0)
            self._db.execute("INSERT OR IGNORE INTO tenants (name) VALUES (?)", (tenant,))
            self._write_derived(tenant, seq, entity)
        self._seq_keys[seq] = (tenant, entity["id"])
        self._tenants.add(tenant)
        self._cache.put((tenant, entity["id"]), entity)
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
            row = self._db.execute(
                "UPDATE entities SET doc = ? WHERE tenant = ? AND id = ? RETURNING seq",
                (orjson.dumps(new), tenant, entity_id),
            ).fetchone()
            self._drop_derived(int(row[0]))
            self._write_derived(tenant, int(row[0]), new)
        self._cache.put((tenant, entity_id), new)
        return new

    async def delete(self, tenant: str, entity_id: str) -> bool:
        with self._transaction():
            row = self._db.execute(
                "DELETE FROM entities WHERE tenant = ? AND id = ? RETURNING seq",
                (tenant, entity_id),
            ).fetchone()
            if row is not None:
                self._drop_derived(int(row[0]))
        self._cache.drop((tenant, entity_id))
        if row is not None:
            self._seq_keys.pop(int(row[0]), None)
        return row is not None

    async def scan(
        self, tenant: str, candidates: Candidates, *, limit: int | None = None, offset: int = 0
    ) -> list[Entity]:
        seqs = self._seqs(tenant, candidates)
        if seqs is None:
            rows = self._type_page(tenant, candidates.types, limit, offset)
            return [self._decode(tenant, entity_id, doc) for entity_id, doc in rows]
        stop = None if limit is None else offset + limit
        return self._entities(tenant, sorted(seqs)[offset:stop])

    async def count(self, tenant: str, candidates: Candidates) -> int:
        seqs = self._seqs(tenant, candidates)
        if seqs is not None:
            return len(seqs)
        sql, params = _type_sql("COUNT(*)", tenant, candidates.types)
        return int(self._db.execute(sql, params).fetchone()[0])

    async def close(self) -> None:
        if self._file_backed:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._db.close()

    def _seqs(self, tenant: str, candidates: Candidates) -> set[int] | None:
        """The ``seq`` of every entity passing the pre-filter; None if only types restrict.

        Id and attribute tests each read an index into a set and Python intersects them (the
        sets are small when the tests are selective); the type test then runs in SQL on the
        survivors only. With no id or attribute test the type index pages in SQL instead.
        """
        sets: list[set[int]] = []
        if candidates.ids is not None:
            sets.append(self._seqs_of_ids(tenant, candidates.ids))
        if candidates.where is not None:
            sets.append(self._condition_seqs(tenant, candidates.where))
        if not sets:
            return None
        sets.sort(key=len)
        found = sets[0].intersection(*sets[1:])
        if candidates.types is None or not found:
            return found
        return self._typed(tenant, candidates.types, found)

    def _typed(self, tenant: str, types: frozenset[str], seqs: set[int]) -> set[int]:
        ordered = sorted(seqs)
        kept: set[int] = set()
        type_marks = ", ".join("?" for _ in types)
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            sql = (
                f"SELECT seq FROM entity_types WHERE tenant = ? AND type IN ({type_marks})"
                f" AND seq IN ({', '.join('?' for _ in chunk)})"
            )
            kept |= self._column(sql, [tenant, *sorted(types), *chunk])
        return kept

    def _entities(self, tenant: str, seqs: list[int]) -> list[Entity]:
        """The entities of ``seqs``, in that order: from the cache, the rest read in chunks."""
        found: dict[int, Entity] = {}
        for seq in seqs:
            key = self._seq_keys.get(seq)
            cached = None if key is None else self._cache.get(key)
            if cached is not None:
                found[seq] = cached
        missing = [seq for seq in seqs if seq not in found]
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start : start + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            sql = f"SELECT seq, id, doc FROM entities WHERE seq IN ({marks})"
            for seq, entity_id, doc in self._db.execute(sql, chunk).fetchall():
                self._seq_keys[seq] = (tenant, entity_id)
                found[seq] = self._decode(tenant, entity_id, doc)
        return [found[seq] for seq in seqs if seq in found]

    def _type_page(
        self, tenant: str, types: frozenset[str] | None, limit: int | None, offset: int
    ) -> list[tuple[str, bytes]]:
        sql, params = _type_sql("e.id, e.doc", tenant, types)
        order = "t.seq" if types is not None and len(types) == 1 else "e.seq"
        sql += f" ORDER BY {order} LIMIT ? OFFSET ?"
        return self._db.execute(sql, [*params, -1 if limit is None else limit, offset]).fetchall()

    def _seqs_of_ids(self, tenant: str, ids: frozenset[str]) -> set[int]:
        found: set[int] = set()
        ordered = sorted(ids)
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            sql = f"SELECT seq FROM entities WHERE tenant = ? AND id IN ({marks})"
            found |= self._column(sql, [tenant, *chunk])
        return found

    def _condition_seqs(self, tenant: str, condition: Condition) -> set[int]:
        if isinstance(condition, AllOf):
            parts = [self._condition_seqs(tenant, p) for p in condition.parts]
            parts.sort(key=len)
            if not parts:
                return self._column("SELECT seq FROM entities WHERE tenant = ?", [tenant])
            return parts[0].intersection(*parts[1:])
        if isinstance(condition, AnyOf):
            return set().union(*(self._condition_seqs(tenant, p) for p in condition.parts))
        params: list[object] = []
        sql = test_sql(condition, tenant, params)
        return self._column(sql, params)

    def _column(self, sql: str, params: list[object]) -> set[int]:
        """The integers ``sql`` selects, as a set.

        One ``group_concat`` string parsed in Python costs about a quarter less than one
        Python row object per integer (measured on 800-row index scans).
        """
        row = self._db.execute(f"SELECT group_concat(seq) FROM ({sql})", params).fetchone()
        return set(map(int, row[0].split(","))) if row and row[0] else set()

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

    def _write_derived(self, tenant: str, seq: int, entity: Entity) -> None:
        """The type and attribute index rows of one entity."""
        self._db.executemany(
            "INSERT OR IGNORE INTO entity_types (tenant, type, seq) VALUES (?, ?, ?)",
            [(tenant, t, seq) for t in entity["type"]],
        )
        if self._indexer is None:
            return
        self._db.executemany(
            "INSERT INTO attr_index (tenant, attr, seq, num, str, wild) VALUES (?, ?, ?, ?, ?, ?)",
            [index_row(tenant, seq, a, v) for a, v in self._indexer(entity)],
        )

    def _drop_derived(self, seq: int) -> None:
        self._db.execute("DELETE FROM entity_types WHERE seq = ?", (seq,))
        self._db.execute("DELETE FROM attr_index WHERE seq = ?", (seq,))

    def _check_schema_version(self, target: str) -> None:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        tables = self._db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
        if tables and version != SCHEMA_VERSION:
            raise StoreVersionError(
                f"{target} was written by another version of the store (schema {version},"
                f" this code writes {SCHEMA_VERSION}); move it away or use another data dir"
            )

    def _check_index_version(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'index_version'").fetchone()
        if row is not None and row[0] == INDEX_VERSION:
            return
        logger.info("rebuilding the attribute index (version %s)", INDEX_VERSION)
        with self._transaction():
            self._db.execute("DELETE FROM attr_index")
            self._db.execute("DELETE FROM entity_types")
            rows = self._db.execute("SELECT tenant, seq, doc FROM entities").fetchall()
            for tenant, seq, doc in rows:
                self._write_derived(tenant, seq, orjson.loads(doc))
            self._db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('index_version', ?)",
                (INDEX_VERSION,),
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


def _type_sql(columns: str, tenant: str, types: frozenset[str] | None) -> tuple[str, list[object]]:
    """Entities of the tenant having any of ``types`` (all entities when None).

    One type joins from the type index, which is ordered by ``seq`` and lets a page stop early;
    several types need an IN list so that an entity with two of them counts once.
    """
    if types is None:
        return f"SELECT {columns} FROM entities e WHERE e.tenant = ?", [tenant]
    if len(types) == 1:
        sql = (
            f"SELECT {columns} FROM entity_types t JOIN entities e ON e.seq = t.seq"
            " WHERE t.tenant = ? AND t.type = ?"
        )
        return sql, [tenant, next(iter(types))]
    marks = ", ".join("?" for _ in types)
    sql = (
        f"SELECT {columns} FROM entities e WHERE e.tenant = ? AND e.seq IN"
        f" (SELECT seq FROM entity_types WHERE tenant = ? AND type IN ({marks}))"
    )
    return sql, [tenant, tenant, *sorted(types)]
