"""The offline data-model catalogue: bundled Smart Data Models plus a user directory.

Looks models up by entity type, holds the offline ``$ref`` registry (see ``registry.py``) and
compiles one JSON Schema validator per schema, with format assertion on (``formats.py``).
"""

from __future__ import annotations

import functools
import logging
import os
from functools import cached_property
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from referencing import Registry

from mim_suite.catalogue.contexts import bundled_contexts
from mim_suite.catalogue.formats import FORMAT_CHECKER
from mim_suite.catalogue.index import (
    Model,
    UnknownModel,
    bundled_models,
    read_json,
    type_names,
    user_models,
)
from mim_suite.catalogue.registry import build_registry, model_urls, shared_urls
from mim_suite.resources import data_dir

__all__ = ["Catalogue", "default_user_dir"]

logger = logging.getLogger(__name__)


def default_user_dir() -> Path:
    """``$MIM_MODELS_DIR``, else ``$XDG_DATA_HOME/mim-suite/models`` (``~/.local/share``)."""
    configured = os.environ.get("MIM_MODELS_DIR")
    if configured:
        return Path(configured).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "mim-suite" / "models"


def _fingerprint(user_dir: Path) -> tuple[tuple[str, int], ...]:
    """What a cached catalogue depends on in the user directory: its schema files."""
    if not user_dir.is_dir():
        return ()
    return tuple((str(p), p.stat().st_mtime_ns) for p in sorted(user_dir.glob("*/schema.json")))


class Catalogue:
    """Bundled Smart Data Models and the user's own models, indexed by entity type."""

    def __init__(self, sdm_dir: Path, contexts_dir: Path, user_dir: Path | None) -> None:
        self.sdm_dir = sdm_dir
        self.contexts_dir = contexts_dir
        self.user_dir = user_dir
        self._bundled = bundled_models(sdm_dir)
        self._users = user_models(user_dir) if user_dir else []
        self._models = _merge(self._bundled, self._users)
        self._compile = functools.cache(self._compile_uncached)

    @classmethod
    def load(cls, user_dir: Path | None = None) -> Catalogue:
        """The bundled catalogue plus ``user_dir`` (default: :func:`default_user_dir`).

        Cached per user directory, until a schema file there is added or changed."""
        resolved = (user_dir or default_user_dir()).expanduser().resolve()
        return _load(resolved, _fingerprint(resolved))

    @classmethod
    def bundled(cls) -> Catalogue:
        """The bundled catalogue alone, with no user directory (cached)."""
        return _load(None, ())

    def models(self) -> list[Model]:
        """Every model, sorted by domain then type."""
        return sorted(self._models.values(), key=lambda m: (m.domain, m.type))

    def find(self, type_name: str) -> Model | None:
        """The model of an entity type (by name or by a type its schema declares), or None."""
        found = self._models.get(type_name)
        if found is None and type_name in self._aliases:
            found = self._models[self._aliases[type_name]]
        return found

    def model(self, type_name: str) -> Model:
        """The model of an entity type; :class:`UnknownModel` with suggestions if absent."""
        found = self.find(type_name)
        if found is None:
            raise UnknownModel(type_name, [*self._models, *self._aliases])
        return found

    def by_id(self, schema_id: str) -> Model | None:
        """The model whose schema has this ``$id`` or is published at this URL."""
        return self._by_url.get(schema_id.rstrip("#"))

    def schema(self, model: Model) -> dict[str, Any]:
        """The parsed schema document of a model (read once)."""
        return self._schemas[model.schema_path]

    @property
    def registry(self) -> Registry[Any]:
        """Every schema and shared schema under its ``$id`` and published URLs; offline."""
        return self._registry

    def validator(self, model: Model) -> Validator:
        """The model's validator, compiled once: Draft 2020-12 unless the schema declares
        another known dialect, format assertion on."""
        return self._compile(model.schema_id)

    def contexts(self) -> dict[str, dict[str, Any]]:
        """URL -> parsed JSON-LD @context document, for every bundled @context."""
        return dict(self._contexts)

    def shared_schemas(self) -> dict[Path, dict[str, Any]]:
        """The bundled shared schemas (``_common/``), by path."""
        return {p: read_json(p) for p in sorted((self.sdm_dir / "_common").glob("*.json"))}

    def _compile_uncached(self, schema_id: str) -> Validator:
        model = self._by_url[schema_id]
        schema = self.schema(model)
        cls = validator_for(schema, default=Draft202012Validator)
        return cls(schema, registry=self.registry, format_checker=FORMAT_CHECKER)

    @cached_property
    def _schemas(self) -> dict[Path, dict[str, Any]]:
        return {m.schema_path: read_json(m.schema_path) for m in self._models.values()}

    @cached_property
    def _aliases(self) -> dict[str, str]:
        aliases: dict[str, str] = {}
        for model in self._models.values():
            for name in type_names(self.schema(model)):
                if name not in self._models:
                    aliases.setdefault(name, model.type)
        return aliases

    @cached_property
    def _by_url(self) -> dict[str, Model]:
        table: dict[str, Model] = {}
        for model in self._models.values():
            for url in self._urls(model):
                table[url] = model
        return table

    def _urls(self, model: Model) -> list[str]:
        if model.origin == "bundled":
            return [model.schema_id, *model_urls(self.sdm_dir, model.schema_path)]
        return [model.schema_id]

    @cached_property
    def _registry(self) -> Registry[Any]:
        shared = [(shared_urls(s["$id"]), s) for s in self.shared_schemas().values()]
        models = [(self._urls(m), self._read(m)) for m in [*self._bundled, *self._users]]
        return build_registry([*shared, *models])

    def _read(self, model: Model) -> Any:
        if model.schema_path in self._schemas:
            return self._schemas[model.schema_path]
        return read_json(model.schema_path)

    @cached_property
    def _contexts(self) -> dict[str, dict[str, Any]]:
        table = bundled_contexts(self.contexts_dir, self.sdm_dir)
        for model in self._models.values():
            if model.origin == "user" and model.context_path is not None:
                table[model.context_path.resolve().as_uri()] = read_json(model.context_path)
        return table


def _merge(bundled: list[Model], users: list[Model]) -> dict[str, Model]:
    models = {m.type: m for m in bundled}
    for model in users:
        if model.type in models:
            logger.warning(
                "user model %s (%s) overrides the bundled one (%s)",
                model.type,
                model.schema_path,
                models[model.type].schema_path,
            )
        models[model.type] = model
    return models


@functools.lru_cache(maxsize=8)
def _load(user_dir: Path | None, fingerprint: tuple[tuple[str, int], ...]) -> Catalogue:
    del fingerprint  # part of the cache key only
    return Catalogue(data_dir("sdm"), data_dir("contexts"), user_dir)
