"""Bundled NGSI-LD core ``@context`` documents (ETSI GS CIM 009 V1.8.1, clause 4.4, annex B).

The core ``@context`` is implicitly in effect for every request (clause 4.4). The published
documents are shipped in ``data/`` (see ``data/SOURCES.md``) so that their URLs resolve with
no network access:

* ``https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.X.jsonld`` for each bundled X;
* the unversioned ``https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld``, mapped to
  the v1.0 document, which is what the ETSI Forge repository held under that name;
* the same URLs with the ``http://`` scheme.

Files are read with ``importlib.resources`` and parsed once per process.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import cast

__all__ = [
    "BUNDLED_CORE_VERSIONS",
    "CORE_CONTEXT_URL",
    "DEFAULT_CORE_VERSION",
    "UNVERSIONED_CORE_CONTEXT_URL",
    "bundled_version",
    "core_context_url",
    "core_document",
    "normalize_version",
]

BUNDLED_CORE_VERSIONS: tuple[str, ...] = ("1.0", "1.3", "1.4", "1.6", "1.7", "1.8", "1.9")
DEFAULT_CORE_VERSION = "1.8"

_PACKAGE = __name__.rpartition(".")[0]
_URL_BASE = "https://uri.etsi.org/ngsi-ld/v1/"
UNVERSIONED_CORE_CONTEXT_URL = _URL_BASE + "ngsi-ld-core-context.jsonld"


def normalize_version(version: str) -> str:
    """``"1.8"``, ``"v1.8"`` and ``"1.8.1"`` all name the bundled v1.8 document."""
    parts = version.strip().removeprefix("v").split(".")
    short = ".".join(parts[:2])
    if short not in BUNDLED_CORE_VERSIONS:
        bundled = ", ".join(BUNDLED_CORE_VERSIONS)
        raise ValueError(f"no bundled NGSI-LD core @context for version {version!r} ({bundled})")
    return short


def core_context_url(version: str) -> str:
    """The published URL of the core ``@context`` of ``version`` (v1.0: the unversioned URL)."""
    short = normalize_version(version)
    if short == "1.0":
        return UNVERSIONED_CORE_CONTEXT_URL
    return f"{_URL_BASE}ngsi-ld-core-context-v{short}.jsonld"


CORE_CONTEXT_URL = core_context_url(DEFAULT_CORE_VERSION)


def _file_name(version: str) -> str:
    return f"ngsi-ld-core-context-v{version}.jsonld"


def _url_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for version in BUNDLED_CORE_VERSIONS:
        table[_URL_BASE + _file_name(version)] = version
    table[UNVERSIONED_CORE_CONTEXT_URL] = "1.0"
    for url, version in list(table.items()):
        table["http://" + url.removeprefix("https://")] = version
    return table


_BUNDLED_URLS = _url_table()


def bundled_version(url: str) -> str | None:
    """The core version served locally for ``url``, or ``None`` if it is not bundled."""
    return _BUNDLED_URLS.get(url)


@functools.cache
def core_document(version: str) -> dict[str, object]:
    """The ``@context`` member of the bundled core document (shared: never mutate it)."""
    short = normalize_version(version)
    data = resources.files(_PACKAGE).joinpath("data", _file_name(short)).read_bytes()
    document = json.loads(data)
    return cast("dict[str, object]", document["@context"])
