"""JSON-LD ``@context`` handling for NGSI-LD (ETSI GS CIM 009 V1.8.1, 4.4, 5.5.5, 5.5.7, 6.3.5).

An NGSI-LD broker does not need full JSON-LD expansion of values: it needs *term-level*
expansion (attribute names, entity type names and VocabProperty values become IRIs through
the active ``@context``) and compaction back on output (clause 5.5.7). This package does
exactly that, hand-written for speed: once a user ``@context`` has been resolved and
cached, each expansion or compaction is a dictionary lookup.

* :class:`ContextResolver` turns a request's user ``@context`` (URL, object, array or
  ``None``) into an :class:`ActiveContext`, with the NGSI-LD core ``@context`` implicitly
  applied last (clause 4.4). Core context URLs resolve to bundled copies (no network);
  other URLs are fetched with limits and cached.
* :func:`parse_link_header` / :func:`format_link_header` handle the JSON-LD context
  ``Link`` header of the HTTP binding (clause 6.3.5).

Errors derive from :class:`ContextError`; ``error_type`` names the NGSI-LD error to report.
Known gaps are listed in ``LIMITATIONS.md`` beside this file.
"""

from __future__ import annotations

from .active import ActiveContext, TermDefinition
from .core import (
    BUNDLED_CORE_VERSIONS,
    CORE_CONTEXT_URL,
    DEFAULT_CORE_VERSION,
    UNVERSIONED_CORE_CONTEXT_URL,
    core_context_url,
)
from .errors import ContextError, InvalidContext, LdContextNotAvailable
from .linkheader import JSONLD_CONTEXT_REL, format_link_header, parse_link_header
from .resolver import ContextResolver
from .settings import ContextSettings

__all__ = [
    "BUNDLED_CORE_VERSIONS",
    "CORE_CONTEXT_URL",
    "DEFAULT_CORE_VERSION",
    "JSONLD_CONTEXT_REL",
    "UNVERSIONED_CORE_CONTEXT_URL",
    "ActiveContext",
    "ContextError",
    "ContextResolver",
    "ContextSettings",
    "InvalidContext",
    "LdContextNotAvailable",
    "TermDefinition",
    "core_context_url",
    "format_link_header",
    "parse_link_header",
]
