"""The check catalogue: one package per MIM, one module per group of spec clauses.

``catalogue()`` imports every check module (which registers its checks) and returns the
checks in a stable order: by MIM, then area, then id.
"""

from __future__ import annotations

import fnmatch
import importlib
import pkgutil
from collections.abc import Iterable

from mim_suite.checks.base import Check, registered

__all__ = ["Check", "catalogue", "select"]

_PACKAGES = ("mim_suite.checks.mim1", "mim_suite.checks.mim2")


def _load() -> None:
    for name in _PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.iter_modules(package.__path__):
            if not module.name.startswith("_"):
                importlib.import_module(f"{name}.{module.name}")


def catalogue() -> list[Check]:
    """All checks, sorted by MIM, area and id."""
    _load()
    return sorted(registered(), key=lambda c: (c.info.mim, c.info.area, c.info.id))


def _matches(check: Check, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(check.info.id, p) or check.info.mim == p for p in patterns)


def select(checks: list[Check], only: Iterable[str] = (), skip: Iterable[str] = ()) -> list[Check]:
    """Checks whose id matches an ``only`` glob (or MIM name), minus the ``skip`` ones."""
    only, skip = list(only), list(skip)
    chosen = [c for c in checks if not only or _matches(c, only)]
    return [c for c in chosen if not _matches(c, skip)]
