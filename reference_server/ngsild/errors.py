"""NGSI-LD error types (ETSI GS CIM 009 V1.8.1, clause 5.5.2 table 5.5.2-1).

Errors travel as exceptions inside the server and leave it as RFC 7807 ProblemDetails
bodies (``application/json``). The hierarchy::

    NgsiLdError
    ├── InvalidRequest          400  the request cannot be parsed (syntax, JSON, headers)
    ├── BadRequestData          400  the request parses but its content is not valid
    ├── ResourceNotFound        404
    ├── NonexistentTenant       404  a read names a tenant that was never created
    ├── AlreadyExists           409
    ├── Conflict                409  (V1.8.1) the operation conflicts with the resource state
    ├── OperationNotSupported   422
    ├── TooComplexQuery         403
    ├── TooManyResults          403
    ├── InternalError           500
    ├── LdContextNotAvailable   503  a user @context could not be retrieved
    └── HttpProblem             any  HTTP-level problems with no ETSI type (406, 411, 413, 415)
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "ERROR_BASE",
    "AlreadyExists",
    "BadRequestData",
    "Conflict",
    "HttpProblem",
    "InternalError",
    "InvalidRequest",
    "LdContextNotAvailable",
    "NgsiLdError",
    "NonexistentTenant",
    "OperationNotSupported",
    "ResourceNotFound",
    "TooComplexQuery",
    "TooManyResults",
]

ERROR_BASE = "https://uri.etsi.org/ngsi-ld/errors/"


class NgsiLdError(Exception):
    """Base class: an error the API reports as ProblemDetails."""

    status: ClassVar[int] = 400
    title: ClassVar[str] = "Error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    @property
    def type_uri(self) -> str:
        return ERROR_BASE + type(self).__name__

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        """The RFC 7807 ProblemDetails body for this error."""
        body: dict[str, Any] = {
            "type": self.type_uri,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance is not None:
            body["instance"] = instance
        body.update(self.extra)
        return body


class InvalidRequest(NgsiLdError):
    status = 400
    title = "Invalid request"


class BadRequestData(NgsiLdError):
    status = 400
    title = "Bad request data"


class ResourceNotFound(NgsiLdError):
    status = 404
    title = "Resource not found"


class NonexistentTenant(NgsiLdError):
    status = 404
    title = "Nonexistent tenant"


class AlreadyExists(NgsiLdError):
    status = 409
    title = "Already exists"


class Conflict(NgsiLdError):
    status = 409
    title = "Conflict"


class OperationNotSupported(NgsiLdError):
    status = 422
    title = "Operation not supported"


class TooComplexQuery(NgsiLdError):
    status = 403
    title = "Too complex query"


class TooManyResults(NgsiLdError):
    status = 403
    title = "Too many results"


class InternalError(NgsiLdError):
    status = 500
    title = "Internal error"


class LdContextNotAvailable(NgsiLdError):
    """Table 6.3.2-1 (read in V1.9.1) maps this type to 504; older brokers answer 503."""

    status = 504
    title = "LD context not available"


class HttpProblem(NgsiLdError):
    """An HTTP-level problem for which ETSI defines no error type (406, 411, 413, 415).

    Its ``type`` is ``about:blank`` as RFC 7807 clause 4.2 prescribes for plain HTTP status
    semantics. A ``bare`` problem leaves with its status alone, without payload body (clause
    6.3.4 asks that of the 411 for a missing Content-Length and of the 415).
    """

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        headers: dict[str, str] | None = None,
        *,
        bare: bool = False,
    ) -> None:
        super().__init__(detail)
        self._status = status
        self._title = title
        self.headers = headers or {}
        self.bare = bare

    @property
    def type_uri(self) -> str:
        return "about:blank"

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        body = super().problem(instance)
        body["status"] = self._status
        body["title"] = self._title
        return body

    @property
    def http_status(self) -> int:
        return self._status
