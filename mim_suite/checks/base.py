"""What a check is and what it may use: :class:`CheckContext` and the ``@check`` registry.

A check is an ``async`` function taking one :class:`CheckContext`. It passes by returning,
fails by calling :meth:`CheckContext.fail` (or one of the ``expect_*`` helpers), and skips by
calling :meth:`CheckContext.skip` — for example when a precondition the platform should have
met is not met, so that one defect is reported once, by the check that owns it. Network
trouble propagates and the runner records ``error``.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

from mim_suite.model import CheckInfo, Exchange, Source, Strength
from mim_suite.probe import Probe, ProbeResponse

__all__ = [
    "CORE_CONTEXT",
    "ERRORS",
    "Check",
    "CheckContext",
    "CheckFailed",
    "CheckFunc",
    "CheckSkipped",
    "Fixtures",
    "check",
    "registered",
]

ERRORS = "https://uri.etsi.org/ngsi-ld/errors/"
CORE_CONTEXT = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld"
CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"


class CheckFailed(Exception):
    """The platform did not do what the requirement says."""

    def __init__(self, expected: str, received: str) -> None:
        super().__init__(f"expected {expected}; received {received}")
        self.expected = expected
        self.received = received


class CheckSkipped(Exception):
    """The check cannot judge (feature absent, profile, failed precondition)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Fixtures:
    """Run-wide state: the run id and every entity id the harness made up (for cleanup)."""

    run_id: str
    created: list[tuple[str | None, str]] = field(default_factory=list)
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def next(self) -> int:
        return next(self._counter)


class CheckContext:
    """The HTTP client bound to the target, id factories, and verdict helpers of one check."""

    def __init__(self, probe: Probe, fixtures: Fixtures) -> None:
        self.probe = probe
        self.fixtures = fixtures
        self.exchanges: list[Exchange] = []
        self.notes: list[str] = []

    # -- naming --------------------------------------------------------------------------------

    @property
    def run_id(self) -> str:
        return self.fixtures.run_id

    def entity_id(self, type_name: str = "Thing", *, tenant: str | None = None) -> str:
        """A fresh entity id of this run; it is deleted at the end of the run."""
        entity_id = f"urn:ngsi-ld:{type_name}:mimtest-{self.run_id}-{self.fixtures.next()}"
        self.fixtures.created.append((tenant, entity_id))
        return entity_id

    def track(self, entity_id: str, *, tenant: str | None = None) -> None:
        """Delete ``entity_id`` at the end of the run too (for ids not made by entity_id)."""
        self.fixtures.created.append((tenant, entity_id))

    def type_name(self, base: str = "Thing") -> str:
        """An entity type name no other check (and no existing data) uses."""
        return f"{base}Mt{self.run_id}N{self.fixtures.next()}"

    def tenant_name(self) -> str:
        return f"mimtest{self.run_id}n{self.fixtures.next()}"

    # -- HTTP ----------------------------------------------------------------------------------

    async def request(self, method: str, path: str, **kwargs: Any) -> ProbeResponse:
        """Send a request; it becomes evidence of this check."""
        response, exchange = await self.probe.request(method, path, **kwargs)
        self.exchanges.append(exchange)
        return response

    async def get(self, path: str, **kwargs: Any) -> ProbeResponse:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> ProbeResponse:
        return await self.request("POST", path, **kwargs)

    async def patch(self, path: str, **kwargs: Any) -> ProbeResponse:
        return await self.request("PATCH", path, **kwargs)

    async def put(self, path: str, **kwargs: Any) -> ProbeResponse:
        return await self.request("PUT", path, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> ProbeResponse:
        return await self.request("DELETE", path, **kwargs)

    async def create(self, entity: Mapping[str, Any], **kwargs: Any) -> ProbeResponse:
        """Create an entity as a precondition; skip the check if the platform refuses."""
        response = await self.post("/entities", json_body=dict(entity), **kwargs)
        if response.status != 201:
            self.skip(
                f"precondition failed: creating {entity.get('id')} answered"
                f" {response.status}, not 201 (see MIM1.ENT.CREATE.201)"
            )
        return response

    # -- verdicts ------------------------------------------------------------------------------

    def fail(self, expected: str, received: str) -> NoReturn:
        raise CheckFailed(expected, received)

    def skip(self, reason: str) -> NoReturn:
        raise CheckSkipped(reason)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def expect(self, condition: bool, expected: str, received: str) -> None:
        if not condition:
            self.fail(expected, received)

    def expect_status(self, response: ProbeResponse, *statuses: int) -> None:
        if response.status not in statuses:
            wanted = " or ".join(str(s) for s in statuses)
            self.fail(f"HTTP status {wanted}", f"{response.status}{_problem_hint(response)}")

    def json(self, response: ProbeResponse) -> Any:
        """The response body as JSON, failing the check if it is not JSON."""
        try:
            return response.json()
        except ValueError as exc:
            self.fail("a JSON body", f"{_short(response.text)!r} ({exc})")

    def expect_problem(self, response: ProbeResponse, status: int, error_type: str) -> None:
        """An error response: the status and a ProblemDetails body of the ETSI type."""
        self.expect_status(response, status)
        body = self.json(response)
        received = body.get("type") if isinstance(body, dict) else None
        self.expect(
            received == ERRORS + error_type,
            f"ProblemDetails type {ERRORS + error_type}",
            f"type {received!r}",
        )


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _problem_hint(response: ProbeResponse) -> str:
    """`` (type X: detail)`` when the response is a ProblemDetails, else empty."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return ""
    if not isinstance(body, dict) or "type" not in body:
        return ""
    return f" ({body.get('type')}: {_short(str(body.get('detail', '')), 120)})"


CheckFunc = Callable[[CheckContext], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check: its metadata and its function."""

    info: CheckInfo
    run: CheckFunc


_REGISTRY: dict[str, Check] = {}


def check(
    check_id: str,
    *,
    mim: str,
    area: str,
    requirement: str,
    source: Source,
    strength: Strength,
    feature: str | None = None,
    writes: bool = False,
) -> Callable[[CheckFunc], CheckFunc]:
    """Register the decorated function as a check; ids are unique and stable."""
    info = CheckInfo(check_id, mim, area, requirement, source, strength, feature, writes)

    def register(func: CheckFunc) -> CheckFunc:
        if check_id in _REGISTRY:
            raise ValueError(f"check id {check_id} is registered twice")
        _REGISTRY[check_id] = Check(info, func)
        return func

    return register


def registered() -> list[Check]:
    """Every registered check, in registration order."""
    return list(_REGISTRY.values())
