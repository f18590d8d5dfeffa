"""Entity selection shared by GET /entities and POST /entityOperations/query (clause 5.7.2)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from reference_server.api.prefilter import q_condition
from reference_server.api.state import AppState
from reference_server.jsonld import ActiveContext
from reference_server.ngsild.errors import BadRequestData
from reference_server.ngsild.geoquery import GeoQuery, matches_geo
from reference_server.ngsild.payload_checks import check_uri
from reference_server.ngsild.query import (
    QExpr,
    ScopeExpr,
    TypeExpr,
    TypeName,
    TypeOr,
    evaluate_q,
    evaluate_scope_q,
    match_types,
    parse_q,
    parse_scope_q,
    parse_type_selection,
    q_attributes,
    resolve_q,
    resolve_types,
    types_in,
)
from reference_server.store.base import AllOf, AnyOf, AttrTest, Candidates, Condition, Entity

__all__ = ["EntityFilter", "build_filter", "is_exact", "select", "select_page"]

_MAX_PATTERN = 1024


@dataclass(frozen=True, slots=True)
class EntityFilter:
    """A parsed, context-resolved entity selection; ``None`` members do not filter."""

    ids: frozenset[str] | None = None
    id_pattern: re.Pattern[str] | None = None
    types: TypeExpr | None = None
    attrs: frozenset[str] | None = None
    q: QExpr | None = None
    scope: ScopeExpr | None = None
    geo: GeoQuery | None = None
    all_types: bool = False

    @property
    def is_empty(self) -> bool:
        members = (self.ids, self.id_pattern, self.types, self.attrs, self.q, self.scope, self.geo)
        return not self.all_types and all(m is None for m in members)

    def narrows(self, system: frozenset[str]) -> bool:
        """Whether the selection restricts the query (clause 5.7.2.4).

        An attribute list or a q expression narrows only if it names a non-system attribute
        (``system`` holds the expanded IRIs of createdAt, modifiedAt, ...). Ids and idPattern
        alone count as narrowing here (an unsettled point: spec-notes 10.3).
        """
        members = (self.ids, self.id_pattern, self.types, self.scope, self.geo)
        if self.all_types or any(m is not None for m in members):
            return True
        if self.attrs is not None and not self.attrs <= system:
            return True
        return self.q is not None and not q_attributes(self.q) <= system

    def matches(self, entity: Entity) -> bool:
        if self.ids is not None and entity["id"] not in self.ids:
            return False
        if self.id_pattern is not None and not self.id_pattern.search(entity["id"]):
            return False
        if self.types is not None and not match_types(self.types, entity["type"]):
            return False
        if self.attrs is not None and not any(a in entity for a in self.attrs):
            return False
        if self.scope is not None and not evaluate_scope_q(self.scope, entity.get("scope", ())):
            return False
        if self.geo is not None and not matches_geo(self.geo, entity):
            return False
        return self.q is None or evaluate_q(self.q, entity)


@lru_cache(maxsize=512)
def _parse_q(text: str) -> QExpr:
    """q expressions repeat across requests; their ASTs are immutable, so cache them."""
    return parse_q(text)


@lru_cache(maxsize=256)
def _compile_pattern(raw: str) -> re.Pattern[str]:
    if len(raw) > _MAX_PATTERN:
        raise BadRequestData(f"idPattern is longer than {_MAX_PATTERN} characters")
    try:
        return re.compile(raw)
    except (re.error, OverflowError, RecursionError) as exc:
        raise BadRequestData(f"idPattern {raw!r} is not a valid regular expression: {exc}") from exc


def _split_ids(raw: str | list[str]) -> frozenset[str]:
    items = raw if isinstance(raw, list) else raw.split(",")
    ids = frozenset(i.strip() for i in items if i.strip())
    if not ids:
        raise BadRequestData("id must list at least one entity id")
    for entity_id in ids:
        check_uri(entity_id, "id", "entity id")
    return ids


def build_filter(
    ctx: ActiveContext,
    *,
    ids: str | list[str] | None = None,
    id_pattern: str | None = None,
    types: str | None = None,
    attrs: frozenset[str] | None = None,
    q: str | None = None,
    scope_q: str | None = None,
    geo: GeoQuery | None = None,
) -> EntityFilter:
    """Parse and resolve the selection parameters against the active @context.

    ``type=*`` selects entities of every type (clause 6.4.3.2).
    """
    type_expr = None
    if types is not None and types.strip() != "*":
        type_expr = resolve_types(parse_type_selection(types), ctx.expand_term)
    q_expr = None if q is None else resolve_q(_parse_q(q), ctx.expand_term)
    return EntityFilter(
        ids=None if ids is None else _split_ids(ids),
        id_pattern=None if id_pattern is None else _compile_pattern(id_pattern),
        types=type_expr,
        attrs=attrs,
        q=q_expr,
        scope=None if scope_q is None else parse_scope_q(scope_q),
        geo=geo,
        all_types=types is not None and types.strip() == "*",
    )


def _where(selection: EntityFilter) -> Condition | None:
    parts: list[Condition] = []
    if selection.q is not None:
        condition = q_condition(selection.q)
        if condition is not None:
            parts.append(condition)
    if selection.attrs is not None:
        parts.append(AnyOf(tuple(AttrTest(a, "exists") for a in sorted(selection.attrs))))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def _candidates(selection: EntityFilter) -> Candidates:
    return Candidates(
        ids=selection.ids,
        types=None if selection.types is None else frozenset(types_in(selection.types)),
        where=_where(selection),
    )


def is_exact(selection: EntityFilter) -> bool:
    """Whether the store's pre-filter alone gives exactly the selected entities.

    True for ids, ``type`` selections without AND, ``attrs`` and ``type=*``; q, idPattern,
    scopeQ and geo-queries are decided in Python.
    """
    inexact = (selection.id_pattern, selection.q, selection.scope, selection.geo)
    return all(m is None for m in inexact) and _or_only(selection.types)


def _or_only(types: TypeExpr | None) -> bool:
    if types is None or isinstance(types, TypeName):
        return True
    return isinstance(types, TypeOr) and all(_or_only(o) for o in types.operands)


async def select(state: AppState, tenant: str, selection: EntityFilter) -> list[Entity]:
    """All entities of the tenant that the filter selects, in creation order."""
    await state.require_tenant(tenant)
    found = await state.store.scan(tenant, _candidates(selection))
    return [e for e in found if selection.matches(e)]


async def select_page(
    state: AppState,
    tenant: str,
    selection: EntityFilter,
    *,
    limit: int,
    offset: int,
    need_total: bool = True,
) -> tuple[list[Entity], int]:
    """One page of the selection and the number of matches.

    Exact selections paginate and count in the store. Others are evaluated in Python; without
    ``need_total`` the evaluation stops one match past the page, and the number returned is
    then a lower bound that still tells whether a next page exists.
    """
    if not is_exact(selection):
        await state.require_tenant(tenant)
        found = await state.store.scan(tenant, _candidates(selection))
        matches = (e for e in found if selection.matches(e))
        wanted = None if need_total else offset + limit + 1
        chosen = list(itertools.islice(matches, wanted))
        return chosen[offset : offset + limit], len(chosen)
    await state.require_tenant(tenant)
    candidates = _candidates(selection)
    page = await state.store.scan(tenant, candidates, limit=limit, offset=offset) if limit else []
    if len(page) < limit and (page or offset == 0):
        return page, offset + len(page)
    return page, await state.store.count(tenant, candidates)
