"""Bundled JSON-LD ``@context`` documents keyed by the URLs they are published at.

* NGSI-LD core @context (ETSI GS CIM 009, clause 4.4 and annex B), from
  ``mim_suite/data/contexts`` (see its ``SOURCES.md``):
  ``https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.X.jsonld`` for each bundled X, the
  unversioned ``.../ngsi-ld-core-context.jsonld`` (the v1.0 document, which the ETSI Forge
  repository held under that name), and each of these with ``http://``.
* Smart Data Models domain contexts ``<Domain>/context.jsonld``, under
  ``https://raw.githubusercontent.com/smart-data-models/dataModel.<Domain>/master/context.jsonld``
  and ``https://smart-data-models.github.io/dataModel.<Domain>/context.jsonld``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mim_suite.catalogue.index import read_json

__all__ = ["CORE_CONTEXT_BASE", "bundled_contexts", "domain_context_urls"]

CORE_CONTEXT_BASE = "https://uri.etsi.org/ngsi-ld/v1/"
_CORE_FILE = re.compile(r"^ngsi-ld-core-context-v(\d+\.\d+)\.jsonld$")


def domain_context_urls(domain: str) -> list[str]:
    """The published URLs of a Smart Data Models domain's ``context.jsonld``."""
    return [
        f"https://raw.githubusercontent.com/smart-data-models/dataModel.{domain}/master/context.jsonld",
        f"https://smart-data-models.github.io/dataModel.{domain}/context.jsonld",
    ]


def _core_contexts(contexts_dir: Path) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    for path in sorted(contexts_dir.glob("*.jsonld")):
        match = _CORE_FILE.match(path.name)
        if match is None:
            continue
        document = read_json(path)
        table[CORE_CONTEXT_BASE + path.name] = document
        if match.group(1) == "1.0":
            table[CORE_CONTEXT_BASE + "ngsi-ld-core-context.jsonld"] = document
    for url, document in list(table.items()):
        table["http://" + url.removeprefix("https://")] = document
    return table


def bundled_contexts(contexts_dir: Path, sdm_dir: Path) -> dict[str, dict[str, Any]]:
    """URL -> parsed @context document, for every bundled core and domain context."""
    table = _core_contexts(contexts_dir)
    for path in sorted(sdm_dir.glob("*/context.jsonld")):
        document = read_json(path)
        for url in domain_context_urls(path.parent.name):
            table[url] = document
    return table
