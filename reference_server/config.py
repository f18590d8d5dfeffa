"""Settings of the reference platform, read from arguments or the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from reference_server.jsonld import ContextSettings

__all__ = ["Settings"]


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"environment variable {name}={raw!r} is not an integer") from exc


@dataclass(frozen=True)
class Settings:
    """How the reference platform runs.

    ``data_dir`` None means an in-memory store (for tests); otherwise the SQLite database lives
    in ``data_dir/ngsi-ld.sqlite3``.
    """

    data_dir: Path | None = None
    default_limit: int = 20
    max_limit: int = 1000
    max_body_bytes: int = 1_048_576
    contexts: ContextSettings = field(default_factory=ContextSettings)
    api_root: str = "/ngsi-ld/v1"

    @classmethod
    def from_env(cls, data_dir: Path | None = None) -> Settings:
        """Settings from ``MIM_*`` environment variables, ``data_dir`` taking precedence."""
        env_dir = os.environ.get("MIM_DATA_DIR")
        chosen = data_dir if data_dir is not None else (Path(env_dir) if env_dir else None)
        allow = tuple(p for p in os.environ.get("MIM_CONTEXT_ALLOW", "").split() if p)
        remote = os.environ.get("MIM_CONTEXT_REMOTE", "1") not in ("0", "false", "no")
        return cls(
            data_dir=chosen if chosen is not None else Path("data"),
            default_limit=_env_int("MIM_DEFAULT_LIMIT", 20),
            max_limit=_env_int("MIM_MAX_LIMIT", 1000),
            max_body_bytes=_env_int("MIM_MAX_BODY_BYTES", 1_048_576),
            contexts=ContextSettings(remote_enabled=remote, allow_list=allow),
        )
