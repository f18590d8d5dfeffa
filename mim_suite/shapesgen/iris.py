"""The IRIs an entity type and its attributes expand to (JSON-LD 1.1 IRI expansion).

A Smart Data Models entity carries its domain's ``@context`` together with an NGSI-LD core
@context (ETSI GS CIM 009 V1.8.1, annex B), and the core context version and
the order of the two change a few expansions: the unversioned core context (v1.0) maps
``name`` to ``ngsi-ld:name`` without protecting it, so the domain context wins when it comes
after; later versions protect their terms. A shape's path therefore lists every IRI an
attribute name can expand to with any bundled core context before or after the domain's
(``sh:alternativePath``). Expansion is rdflib's own, the same that parses the data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rdflib.plugins.shared.jsonld.context import Context

from mim_suite.catalogue import Catalogue, Model
from mim_suite.shapesgen.offline import resolve_offline

__all__ = ["CORE_CONTEXT_PREFIX", "Expander", "core_contexts"]

CORE_CONTEXT_PREFIX = "https://uri.etsi.org/ngsi-ld/"


def core_contexts(contexts: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The distinct bundled NGSI-LD core @context documents, in URL order."""
    distinct: dict[str, dict[str, Any]] = {}
    for url in sorted(contexts):
        if url.startswith(CORE_CONTEXT_PREFIX):
            document = contexts[url]
            distinct.setdefault(json.dumps(document, sort_keys=True), document)
    return list(distinct.values())


class Expander:
    """Expands names with one model's context stacks; cached per domain context file."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._known = catalogue.contexts()
        self._cores = core_contexts(self._known)
        self._stacks: dict[Path | None, list[Context]] = {}

    def type_iris(self, model: Model, names: Iterable[str]) -> list[str]:
        """The IRIs the entity type names expand to, sorted."""
        return self._expand(model, names)

    def attribute_iris(self, model: Model, name: str) -> list[str]:
        """The IRIs an attribute name expands to, sorted; empty for JSON-LD keywords."""
        return self._expand(model, [name])

    def _expand(self, model: Model, names: Iterable[str]) -> list[str]:
        found: set[str] = set()
        for context in self._contexts(model.context_path):
            for name in names:
                expanded = context.expand(name)
                if isinstance(expanded, str) and ":" in expanded and not expanded.startswith("@"):
                    found.add(expanded)
        return sorted(found)

    def _contexts(self, path: Path | None) -> list[Context]:
        if path not in self._stacks:
            self._stacks[path] = self._build(path)
        return self._stacks[path]

    def _build(self, path: Path | None) -> list[Context]:
        if path is None:
            return [_context([core]) for core in self._cores]
        domain = resolve_offline(_read(path), self._known)
        stacks: list[list[Any]] = [[core, domain] for core in self._cores]
        stacks += [[domain, core] for core in self._cores]
        return [_context(stack) for stack in stacks]


def _context(documents: list[Any]) -> Context:
    context = Context()
    context.load(documents)
    return context


def _read(path: Path) -> Any:
    with path.open("rb") as handle:
        return json.load(handle)
