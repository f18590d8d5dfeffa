"""URL query parameters shared by the retrieval and query operations (clauses 6.3.7, 6.4.3.2).

FastAPI's own parameter validation answers 422; NGSI-LD wants 400 BadRequestData, so the
routers read ``request.query_params`` through these helpers instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from starlette.datastructures import QueryParams

from reference_server.jsonld import ActiveContext
from reference_server.ngsild.errors import (
    BadRequestData,
    InvalidRequest,
    ResourceNotFound,
    TooManyResults,
)
from reference_server.ngsild.query import (
    TypeExpr,
    match_types,
    parse_attr_list,
    parse_projection,
    parse_type_selection,
    resolve_types,
)
from reference_server.ngsild.representation import RenderOptions
from reference_server.store.base import Entity

__all__ = [
    "DISCOVERY_PARAMS",
    "QUERY_PARAMS",
    "RETRIEVE_PARAMS",
    "WRITE_PARAMS",
    "Page",
    "check_params",
    "flag",
    "int_param",
    "options_of",
    "page_of",
    "render_options",
    "require_type",
    "type_selection",
]

# URL parameters each operation understands (clause 6.3.20: others are InvalidRequest).
REPRESENTATION_PARAMS = frozenset(
    {"attrs", "pick", "omit", "format", "options", "lang", "geometryProperty", "local"}
)
RETRIEVE_PARAMS = REPRESENTATION_PARAMS | {"type", "datasetId"}
PAGE_PARAMS = frozenset({"limit", "offset", "count"})
QUERY_PARAMS = (
    RETRIEVE_PARAMS
    | PAGE_PARAMS
    | {"id", "idPattern", "q", "georel", "geometry", "coordinates", "geoproperty", "csf"}
    | {"scopeQ"}
)
WRITE_PARAMS = frozenset({"options", "type", "local", "format", "observedAt", "lang"})
DISCOVERY_PARAMS = frozenset({"details", "local"}) | PAGE_PARAMS


def check_params(params: QueryParams, allowed: frozenset[str]) -> None:
    """Reject URL parameters the operation does not define (clause 6.3.20)."""
    unknown = sorted(set(params.keys()) - allowed)
    if unknown:
        raise InvalidRequest(
            f"unknown URL parameter(s) {', '.join(unknown)}; allowed here: "
            + ", ".join(sorted(allowed))
        )


Form = Literal["normalized", "concise", "keyValues"]

_FORMS: dict[str, Form] = {
    "normalized": "normalized",
    "concise": "concise",
    "keyValues": "keyValues",
    "simplified": "keyValues",
}
_OPTION_WORDS = frozenset({*_FORMS, "sysAttrs", "noOverwrite", "replace", "update", "count"})


def options_of(params: QueryParams) -> set[str]:
    """The words of ``options`` (comma-separated).

    An unknown word is InvalidRequest, as the V1.7.1 OpenAPI note on InvalidRequest asks
    ("should"; spec-notes 2.6, 4.1).
    """
    words: set[str] = set()
    for raw in params.getlist("options"):
        for word in raw.split(","):
            word = word.strip()
            if not word:
                continue
            if word not in _OPTION_WORDS:
                raise InvalidRequest(f"unknown value {word!r} in options")
            words.add(word)
    return words


def form_of(params: QueryParams, options: set[str]) -> Form:
    """The representation asked for by ``format`` or ``options`` (clause 6.3.7)."""
    chosen = {_FORMS[w] for w in options if w in _FORMS}
    fmt = params.get("format")
    if fmt is not None:
        if fmt not in _FORMS:
            raise BadRequestData(
                f"format must be normalized, concise, keyValues or simplified, not {fmt!r}"
            )
        chosen.add(_FORMS[fmt])
    if len(chosen) > 1:
        raise BadRequestData(f"conflicting representations requested: {', '.join(sorted(chosen))}")
    return chosen.pop() if chosen else "normalized"


_ENTITY_MEMBERS = frozenset({"id", "type", "scope"})


def _attrs(params: QueryParams, ctx: ActiveContext) -> frozenset[str] | None:
    raw = params.get("attrs")
    if raw is None:
        return None
    return frozenset(ctx.expand_term(n) for n in parse_attr_list(raw))


def _projection(params: QueryParams, name: str, ctx: ActiveContext) -> frozenset[str] | None:
    """Top-level names of ``pick``/``omit`` (clause 4.21); id, type and scope stay raw."""
    raw = params.get(name)
    if raw is None:
        return None
    names = (p.name for p in parse_projection(raw, name))
    return frozenset(n if n in _ENTITY_MEMBERS else ctx.expand_term(n) for n in names)


def _dataset_ids(params: QueryParams) -> frozenset[str] | None:
    raw = params.get("datasetId")
    if raw is None:
        return None
    ids = frozenset(i.strip() for i in raw.split(",") if i.strip())
    if not ids:
        raise BadRequestData("datasetId must list at least one dataset id or @none")
    return ids


def render_options(params: QueryParams, ctx: ActiveContext) -> RenderOptions:
    """Representation options from ``format``/``options``/``attrs``/``pick``/``omit``/``lang``."""
    options = options_of(params)
    pick = _projection(params, "pick", ctx)
    omit = _projection(params, "omit", ctx)
    if pick is not None and omit is not None:
        raise BadRequestData("pick and omit cannot be used together")
    geometry = params.get("geometryProperty")
    return RenderOptions(
        form=form_of(params, options),
        sys_attrs="sysAttrs" in options,
        attrs=_attrs(params, ctx),
        pick=pick,
        omit=omit,
        lang=params.get("lang"),
        dataset_ids=_dataset_ids(params),
        geometry_property=ctx.expand_term(geometry) if geometry else ctx.expand_term("location"),
    )


def flag(params: QueryParams, name: str) -> bool:
    """A boolean parameter: ``true`` or ``false`` (absent is false)."""
    raw = params.get(name)
    if raw is None:
        return False
    if raw in ("true", "false"):
        return raw == "true"
    raise BadRequestData(f"{name} must be true or false, not {raw!r}")


#: Largest limit/offset accepted: far beyond any real page, within SQLite's 64-bit integers.
_MAX_WHOLE = 2**31 - 1


def int_param(params: QueryParams, name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise BadRequestData(f"{name} must be a whole number, not {raw!r}") from exc
    if value < 0:
        raise BadRequestData(f"{name} must not be negative, got {value}")
    if value > _MAX_WHOLE:
        raise BadRequestData(f"{name} must be at most {_MAX_WHOLE}, got {raw!r}")
    return value


@dataclass(frozen=True, slots=True)
class Page:
    limit: int
    offset: int
    count: bool


def page_of(params: QueryParams, default_limit: int, max_limit: int) -> Page:
    """Pagination parameters (clause 5.5.9); a limit above the maximum is TooManyResults."""
    limit = int_param(params, "limit", default_limit)
    if limit > max_limit:
        raise TooManyResults(
            f"limit {limit} exceeds this platform's maximum of {max_limit}",
            maximumLimit=max_limit,
        )
    count = flag(params, "count")
    if limit == 0 and not count:
        raise BadRequestData("limit=0 is only allowed together with count=true")
    return Page(limit=limit, offset=int_param(params, "offset", 0), count=count)


def type_selection(params: QueryParams, ctx: ActiveContext) -> TypeExpr | None:
    """The ``type`` parameter of single-entity operations (4.17); None if absent or ``*``.

    A syntax error is BadRequestData before anything is looked up or written.
    """
    raw = params.get("type")
    if raw is None or raw.strip() == "*":
        return None
    return resolve_types(parse_type_selection(raw), ctx.expand_term)


def require_type(entity: Entity, selection: TypeExpr | None) -> None:
    """An entity outside the ``type`` selection is ResourceNotFound (5.6.6.4, 5.7.1.4)."""
    if selection is not None and not match_types(selection, entity["type"]):
        raise ResourceNotFound(
            f"entity {entity['id']!r} does not match the type selection", instance=entity["id"]
        )
