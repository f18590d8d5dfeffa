"""Errors raised while resolving a JSON-LD ``@context`` (ETSI GS CIM 009 V1.8.1, 5.5.2, 6.3.5).

These are plain exceptions so that this package stands alone. Each class names, in
``error_type``, the NGSI-LD error type (clause 5.5.2, table 5.5.2-1) that the API layer
should report for it:

* ``LdContextNotAvailable``: a remote ``@context`` could not be retrieved (disabled, refused
  by the allow-list, network failure, bad status, not JSON, no ``@context`` member...).
* ``InvalidContext``: the ``@context`` value itself is malformed, a remote context chain is
  cyclic or too deep, or a request carries more than one JSON-LD context ``Link`` header.
  Clauses 5.5.7 and 6.3.5 name ``BadRequestData`` for bad ``@context`` input.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = ["ContextError", "InvalidContext", "LdContextNotAvailable"]


class ContextError(Exception):
    """Base class of every ``@context`` handling error."""

    error_type: ClassVar[str] = "BadRequestData"


class LdContextNotAvailable(ContextError):
    """A remote ``@context`` could not be had; ``url`` and ``reason`` say which and why."""

    error_type: ClassVar[str] = "LdContextNotAvailable"

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"JSON-LD @context {url!r} is not available: {reason}")
        self.url = url
        self.reason = reason


class InvalidContext(ContextError):
    """The ``@context`` value (or the JSON-LD context ``Link`` header) is malformed."""

    error_type: ClassVar[str] = "BadRequestData"
