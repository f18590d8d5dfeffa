"""Settings of the ``@context`` resolver (ETSI GS CIM 009 V1.8.1, clauses 4.4 and 6.3.5).

``core_version`` selects the bundled NGSI-LD core ``@context`` that is implicitly in effect
(clause 4.4); the other fields bound the retrieval of remote user ``@context`` documents.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ContextSettings"]


@dataclass(frozen=True)
class ContextSettings:
    """How the resolver finds the core context and fetches and caches remote contexts.

    ``allow_list`` holds URL prefixes that remote fetches (and each redirect hop) must
    start with; empty means any http(s) URL. ``cache_max_entries`` bounds both the cache of
    fetched documents and the cache of built active contexts. ``max_remote_depth`` bounds
    how deeply remote contexts may reference further remote contexts.
    """

    core_version: str = "1.8"
    remote_enabled: bool = True
    allow_list: tuple[str, ...] = ()
    timeout_s: float = 5.0
    max_bytes: int = 1_048_576
    cache_ttl_s: float = 3600.0
    cache_max_entries: int = 256
    max_remote_depth: int = 8
