"""SHACL shapes generated from the catalogue's JSON Schemas (``mim shapes generate``).

Public face: :func:`generate`, :func:`write`, :func:`check` and :class:`Drift`;
:func:`resolve_offline` and :class:`ContextNotOffline` for offline @context handling.
"""

from mim_suite.shapesgen.generate import Drift, check, generate, relative_path, write
from mim_suite.shapesgen.offline import ContextNotOffline, resolve_offline

__all__ = [
    "ContextNotOffline",
    "Drift",
    "check",
    "generate",
    "relative_path",
    "resolve_offline",
    "write",
]
