"""Multi-tenancy (ETSI GS CIM 009 V1.8.1 clauses 4.14, 5.5.10; HTTP binding 6.3.14): the
``NGSILD-Tenant`` header selects the tenant, operations apply only to that tenant's data
(discovery included), the tenant is echoed in the response, an unknown tenant is
NonexistentTenant, and Create Entity may create a tenant implicitly.

Every check works in tenants of its own (``ctx.tenant_name()``); the "default" tenant below is
the one the harness uses when no tenant is named (the target's configured tenant, if any).
"""

from __future__ import annotations

from typing import Any

from mim_suite.checks.base import ERRORS, CheckContext, check
from mim_suite.checks.mim1 import MIM
from mim_suite.checks.mim1._support import entity_path, retrieve
from mim_suite.model import NGSI_LD, Strength
from mim_suite.probe import ProbeResponse

AREA = "tenants"
FEATURE = "tenants"
TENANT_HEADER = "NGSILD-Tenant"


def _entity(ctx: CheckContext, tenant: str, kind: str | None = None) -> dict[str, Any]:
    """A small entity whose id is cleaned up in ``tenant``."""
    kind = kind or ctx.type_name("Tenanted")
    return {
        "id": ctx.entity_id(kind, tenant=tenant),
        "type": kind,
        "speed": {"type": "Property", "value": 50},
    }


def _skip_unless_multi_tenant(ctx: CheckContext, response: ProbeResponse) -> None:
    """Skip when the platform says it has no multi-tenancy (NoMultiTenantSupport, 501)."""
    if response.status == 501:
        ctx.skip("the platform does not support multiple tenants (NoMultiTenantSupport)")


async def _create_in(ctx: CheckContext, tenant: str, kind: str | None = None) -> dict[str, Any]:
    """Create an entity in ``tenant`` as a precondition (skip if the platform refuses)."""
    entity = _entity(ctx, tenant, kind)
    response = await ctx.post("/entities", json_body=entity, tenant=tenant)
    _skip_unless_multi_tenant(ctx, response)
    if response.status != 201:
        ctx.skip(
            f"precondition failed: creating {entity['id']} in tenant {tenant} answered"
            f" {response.status}, not 201 (see MIM1.TEN.CREATE.IMPLICIT)"
        )
    return entity


def _listed_ids(ctx: CheckContext, response: ProbeResponse) -> list[Any]:
    body = ctx.json(response)
    ctx.expect(isinstance(body, list), "a JSON array of entities", f"{body!r}"[:200])
    return [item.get("id") for item in body if isinstance(item, dict)]


def _names(body: Any, member: str) -> list[str]:
    values = body.get(member) if isinstance(body, dict) else None
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []


def _mentions(names: list[str], short: str) -> bool:
    """``short`` among ``names`` as a short name or expanded into some vocabulary."""
    return any(n == short or n.endswith(("/" + short, "#" + short, ":" + short)) for n in names)


@check(
    "MIM1.TEN.CREATE.IMPLICIT",
    mim=MIM,
    area=AREA,
    requirement=(
        "Create Entity naming a tenant that does not exist yet creates that tenant, and the"
        " entity is retrievable in it."
    ),
    source=NGSI_LD("5.5.10"),
    strength=Strength.MAY,
    feature=FEATURE,
    writes=True,
)
async def create_makes_tenant(ctx: CheckContext) -> None:
    tenant = ctx.tenant_name()
    entity = _entity(ctx, tenant)
    response = await ctx.post("/entities", json_body=entity, tenant=tenant)
    _skip_unless_multi_tenant(ctx, response)
    if response.status == 404:
        ctx.skip("the platform does not create tenants implicitly (an implementation option)")
    ctx.expect_status(response, 201)
    got = await retrieve(ctx, entity["id"], tenant=tenant)
    ctx.expect_status(got, 200)
    body = ctx.json(got)
    ctx.expect(
        isinstance(body, dict) and body.get("id") == entity["id"],
        f"entity {entity['id']} in tenant {tenant}",
        f"{body!r}"[:200],
    )


@check(
    "MIM1.TEN.ISOLATION.DEFAULT",
    mim=MIM,
    area=AREA,
    requirement="An entity created in a named tenant is not visible in the default tenant.",
    source=NGSI_LD("5.5.10"),
    strength=Strength.SHALL,
    feature=FEATURE,
    writes=True,
)
async def invisible_in_default(ctx: CheckContext) -> None:
    entity = await _create_in(ctx, ctx.tenant_name())
    got = await retrieve(ctx, entity["id"])
    ctx.expect(
        got.status == 404,
        "404 when retrieving it without NGSILD-Tenant",
        f"{got.status}",
    )
    listed = _listed_ids(ctx, await ctx.get("/entities", params={"type": entity["type"]}))
    ctx.expect(listed == [], "no entity of its type in the default tenant", f"ids {listed}")


@check(
    "MIM1.TEN.ISOLATION.OTHER",
    mim=MIM,
    area=AREA,
    requirement="An entity created in one tenant is not visible in another existing tenant.",
    source=NGSI_LD("5.5.10"),
    strength=Strength.SHALL,
    feature=FEATURE,
    writes=True,
)
async def invisible_in_other_tenant(ctx: CheckContext) -> None:
    first, second = ctx.tenant_name(), ctx.tenant_name()
    entity = await _create_in(ctx, first)
    await _create_in(ctx, second)
    got = await retrieve(ctx, entity["id"], tenant=second)
    ctx.expect(got.status == 404, f"404 when retrieving it in tenant {second}", f"{got.status}")
    response = await ctx.get("/entities", params={"type": entity["type"]}, tenant=second)
    listed = _listed_ids(ctx, response)
    ctx.expect(listed == [], f"no entity of its type in tenant {second}", f"ids {listed}")


@check(
    "MIM1.TEN.SAME_ID",
    mim=MIM,
    area=AREA,
    requirement=(
        "The same entity id can exist independently in two tenants, each keeping its own content."
    ),
    source=NGSI_LD("5.5.10"),
    strength=Strength.SHALL,
    feature=FEATURE,
    writes=True,
)
async def same_id_in_two_tenants(ctx: CheckContext) -> None:
    first, second = ctx.tenant_name(), ctx.tenant_name()
    entity = await _create_in(ctx, first)
    ctx.track(entity["id"], tenant=second)
    twin = {**entity, "speed": {"type": "Property", "value": 99}}
    response = await ctx.post("/entities", json_body=twin, tenant=second)
    ctx.expect_status(response, 201)
    for tenant, value in ((first, 50), (second, 99)):
        got = await retrieve(ctx, entity["id"], tenant=tenant)
        ctx.expect_status(got, 200)
        body = ctx.json(got)
        speed = body.get("speed") if isinstance(body, dict) else None
        found = speed.get("value") if isinstance(speed, dict) else speed
        ctx.expect(found == value, f"speed {value} in tenant {tenant}", f"speed {speed!r}")


@check(
    "MIM1.TEN.DELETE.SCOPED",
    mim=MIM,
    area=AREA,
    requirement=(
        "Deleting, in the default tenant, an id that exists only in a named tenant answers 404"
        " and leaves that tenant's entity intact."
    ),
    source=NGSI_LD("5.5.10"),
    strength=Strength.SHALL,
    feature=FEATURE,
    writes=True,
)
async def delete_stays_in_tenant(ctx: CheckContext) -> None:
    tenant = ctx.tenant_name()
    entity = await _create_in(ctx, tenant)
    response = await ctx.delete(entity_path(entity["id"]))
    ctx.expect(response.status == 404, "404 from the default tenant", f"{response.status}")
    got = await retrieve(ctx, entity["id"], tenant=tenant)
    ctx.expect(got.status == 200, f"the entity still in tenant {tenant}", f"{got.status}")


@check(
    "MIM1.TEN.UNKNOWN.404",
    mim=MIM,
    area=AREA,
    requirement=(
        "Querying entities in a tenant that does not exist fails with 404 NonexistentTenant."
    ),
    source=NGSI_LD("5.5.10"),
    strength=Strength.SHOULD,
    feature=FEATURE,
)
async def unknown_tenant_is_404(ctx: CheckContext) -> None:
    tenant = ctx.tenant_name()
    response = await ctx.get("/entities", params={"type": ctx.type_name()}, tenant=tenant)
    _skip_unless_multi_tenant(ctx, response)
    ctx.expect_problem(response, 404, "NonexistentTenant")


@check(
    "MIM1.TEN.ECHO",
    mim=MIM,
    area=AREA,
    requirement="Responses to operations on a named tenant carry that tenant in NGSILD-Tenant.",
    source=NGSI_LD("6.3.14"),
    strength=Strength.SHALL,
    feature=FEATURE,
    writes=True,
)
async def tenant_is_echoed(ctx: CheckContext) -> None:
    tenant = ctx.tenant_name()
    entity = _entity(ctx, tenant)
    created = await ctx.post("/entities", json_body=entity, tenant=tenant)
    _skip_unless_multi_tenant(ctx, created)
    if created.status != 201:
        ctx.skip(f"precondition failed: create in tenant {tenant} answered {created.status}")
    got = await retrieve(ctx, entity["id"], tenant=tenant)
    for name, response in (("Create Entity", created), ("Retrieve Entity", got)):
        ctx.expect(
            response.header(TENANT_HEADER) == tenant,
            f"NGSILD-Tenant: {tenant} on the {name} answer",
            f"NGSILD-Tenant: {response.header(TENANT_HEADER)!r}",
        )


@check(
    "MIM1.TEN.DISCOVERY.TYPES",
    mim=MIM,
    area=AREA,
    requirement=(
        "GET /types lists a tenant's entity types in that tenant only, not in the default tenant."
    ),
    source=NGSI_LD("4.14"),
    strength=Strength.SHALL,
    feature=FEATURE,
    writes=True,
)
async def types_per_tenant(ctx: CheckContext) -> None:
    tenant = ctx.tenant_name()
    entity = await _create_in(ctx, tenant)
    inside = await ctx.get("/types", tenant=tenant)
    ctx.expect_status(inside, 200)
    names = _names(ctx.json(inside), "typeList")
    ctx.expect(_mentions(names, entity["type"]), f"{entity['type']} in tenant {tenant}", f"{names}")
    outside = await ctx.get("/types")
    ctx.expect_status(outside, 200)
    names = _names(ctx.json(outside), "typeList")
    ctx.expect(
        not _mentions(names, entity["type"]),
        f"{entity['type']} absent from the default tenant's types",
        f"typeList {names}"[:300],
    )


@check(
    "MIM1.TEN.DISCOVERY.ATTRIBUTES",
    mim=MIM,
    area=AREA,
    requirement=(
        "Attribute discovery is per tenant: a tenant's attribute is not known in the default"
        " tenant."
    ),
    source=NGSI_LD("4.14"),
    strength=Strength.SHALL,
    feature=FEATURE,
    writes=True,
)
async def attributes_per_tenant(ctx: CheckContext) -> None:
    tenant = ctx.tenant_name()
    attr = f"tenantAttr{ctx.run_id}n{ctx.fixtures.next()}"
    entity = _entity(ctx, tenant)
    entity[attr] = {"type": "Property", "value": 1}
    created = await ctx.post("/entities", json_body=entity, tenant=tenant)
    _skip_unless_multi_tenant(ctx, created)
    if created.status != 201:
        ctx.skip(f"precondition failed: create in tenant {tenant} answered {created.status}")
    inside = await ctx.get(f"/attributes/{attr}", tenant=tenant)
    ctx.expect(inside.status == 200, f"attribute {attr} known in {tenant}", f"{inside.status}")
    outside = await ctx.get(f"/attributes/{attr}")
    ctx.expect(
        outside.status == 404,
        f"404 for attribute {attr} in the default tenant",
        f"{outside.status}",
    )
    body = ctx.json(outside)
    kind = body.get("type") if isinstance(body, dict) else None
    ctx.expect(
        kind == ERRORS + "ResourceNotFound",
        "ProblemDetails type ResourceNotFound",
        f"type {kind!r}",
    )
