"""Offline JSON-LD ``@context`` resolution (JSON-LD 1.1, section 4.1 and "Context Processing").

Every remote context a JSON-LD processor would dereference - a URL in an ``@context`` value,
an ``@import``, a URL in a scoped context of a term definition - is replaced by the document
the catalogue bundles for it (:meth:`mim_suite.catalogue.Catalogue.contexts`). A URL the
catalogue does not hold raises :class:`ContextNotOffline`: nothing is ever fetched, so the
processor (rdflib) never sees a URL it could dereference.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["ContextNotOffline", "resolve_offline"]

_MAX_NESTING = 16


class ContextNotOffline(LookupError):
    """A remote @context the offline catalogue does not hold (it is never fetched)."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(f"context not available offline: {url}")


def resolve_offline(value: Any, known: Mapping[str, Any], _depth: int = 0) -> Any:
    """An ``@context`` value (or a document holding one) with every URL inlined."""
    if _depth > _MAX_NESTING:
        raise ValueError("@context documents nested too deeply (a cycle?)")
    if isinstance(value, str):
        return _remote(value, known, _depth)
    if isinstance(value, list):
        resolved: list[Any] = []
        for item in value:
            inner = resolve_offline(item, known, _depth + 1)
            resolved.extend(inner if isinstance(inner, list) else [inner])
        return resolved
    if isinstance(value, dict):
        if "@context" in value:
            return resolve_offline(value["@context"], known, _depth + 1)
        return _definition(value, known, _depth)
    return value


def _remote(url: str, known: Mapping[str, Any], depth: int) -> Any:
    document = known.get(url)
    if document is None:
        raise ContextNotOffline(url)
    return resolve_offline(document, known, depth + 1)


def _definition(context: dict[str, Any], known: Mapping[str, Any], depth: int) -> Any:
    resolved: dict[str, Any] = {}
    imported = context.get("@import")
    if isinstance(imported, str):
        base = _remote(imported, known, depth)
        if isinstance(base, dict):
            resolved.update(base)
    for term, definition in context.items():
        if term == "@import":
            continue
        if isinstance(definition, dict) and "@context" in definition:
            scoped = resolve_offline(definition["@context"], known, depth + 1)
            definition = {**definition, "@context": scoped}
        resolved[term] = definition
    return resolved
