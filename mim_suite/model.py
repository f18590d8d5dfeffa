"""Plain typed data shared by every layer of the harness: checks, outcomes, evidence.

Nothing here does I/O. A check's metadata (:class:`CheckInfo`) says what requirement it
encodes and where the specification states it; a run produces one :class:`CheckResult` per
check, and a result that is not a pass carries :class:`Evidence` to reproduce it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "NGSI_LD",
    "CheckInfo",
    "CheckResult",
    "Evidence",
    "Exchange",
    "Outcome",
    "RequestRecord",
    "ResponseRecord",
    "Source",
    "Strength",
]


class Strength(enum.StrEnum):
    """How strongly the specification words the requirement (ETSI drafting rules)."""

    SHALL = "SHALL"
    SHOULD = "SHOULD"
    MAY = "MAY"


class Outcome(enum.StrEnum):
    """The verdict on one check.

    ``error`` is harness or network trouble (a timeout, a refused connection, a bug in the
    check): it is never counted against the platform.
    """

    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Source:
    """Where the requirement is stated: document, version and clause."""

    document: str
    version: str
    clause: str

    def __str__(self) -> str:
        return f"{self.document} {self.version} clause {self.clause}"


def NGSI_LD(clause: str) -> Source:
    """A clause of ETSI GS CIM 009 V1.8.1 (the NGSI-LD API), the MIM1 reference."""
    return Source("ETSI GS CIM 009", "V1.8.1", clause)


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """A check's identity and the requirement it encodes."""

    id: str
    mim: str
    area: str
    requirement: str
    source: Source
    strength: Strength
    feature: str | None = None
    writes: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "mim": self.mim,
            "area": self.area,
            "requirement": self.requirement,
            "source": {
                "document": self.source.document,
                "version": self.source.version,
                "clause": self.source.clause,
            },
            "strength": str(self.strength),
            "feature": self.feature,
            "writes": self.writes,
        }


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """A request as sent, with secrets redacted and the body cut to an excerpt."""

    method: str
    url: str
    headers: dict[str, str]
    body: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseRecord:
    """A response as received, the body cut to an excerpt."""

    status: int
    headers: dict[str, str]
    body: str | None
    elapsed_ms: float


@dataclass(frozen=True, slots=True)
class Exchange:
    """One HTTP round trip and the curl command that repeats it."""

    request: RequestRecord
    response: ResponseRecord | None
    curl: str

    def as_dict(self) -> dict[str, Any]:
        response = self.response
        return {
            "request": {
                "method": self.request.method,
                "url": self.request.url,
                "headers": self.request.headers,
                "body": self.request.body,
            },
            "response": None
            if response is None
            else {
                "status": response.status,
                "headers": response.headers,
                "body": response.body,
                "elapsed_ms": round(response.elapsed_ms, 1),
            },
            "curl": self.curl,
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a check did not pass: what was expected, what came, and the exchanges."""

    expected: str
    received: str
    exchanges: tuple[Exchange, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "expected": self.expected,
            "received": self.received,
            "exchanges": [e.as_dict() for e in self.exchanges],
        }


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The verdict on one check."""

    info: CheckInfo
    outcome: Outcome
    duration_ms: float
    reason: str | None = None
    evidence: Evidence | None = None
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        body = self.info.as_dict()
        body["outcome"] = str(self.outcome)
        body["duration_ms"] = round(self.duration_ms, 1)
        if self.reason is not None:
            body["reason"] = self.reason
        if self.evidence is not None:
            body["evidence"] = self.evidence.as_dict()
        if self.notes:
            body["notes"] = list(self.notes)
        return body
