"""Where the harness's bundled data lives, in a checkout and in an installed wheel.

The top-level ``schemas/`` and ``shapes/`` directories are the source of truth in the
repository; the wheel carries them as ``mim_suite/_bundled/<name>`` (pyproject
``force-include``). Data that only the harness reads (Smart Data Models, @context files) lives
in ``mim_suite/data/``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_dir", "data_dir"]

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """``schemas`` or ``shapes``: the wheel's copy if installed, else the checkout's."""
    installed = _PACKAGE / "_bundled" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"bundled data directory {name!r} not found at {installed} or {checkout}"
    )


def data_dir(name: str = "") -> Path:
    """A directory under ``mim_suite/data`` (``sdm``, ``contexts``...)."""
    return _PACKAGE / "data" / name if name else _PACKAGE / "data"
