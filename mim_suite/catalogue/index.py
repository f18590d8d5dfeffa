"""The model index: which entity types the catalogue knows and where their files are.

Bundled models come from ``mim_suite/data/sdm/index.json`` (the Smart Data Models snapshot,
see its ``SOURCES.md``); user models from a directory laid out as
``<dir>/<Type>/schema.json`` with an optional ``context.jsonld`` and ``examples/``.
"""

from __future__ import annotations

import difflib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "Model",
    "UnknownModel",
    "bundled_models",
    "key_values_examples",
    "read_json",
    "type_names",
    "user_models",
]

logger = logging.getLogger(__name__)

_SDM_ID = re.compile(r"^https://smart-data-models\.github\.io/dataModel\.([A-Za-z]+)/")
_BARE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NOT_KEY_VALUES = ("-normalized", "-geojsonfeature")


@dataclass(frozen=True)
class Model:
    """One data model: an entity type with its schema, @context and examples."""

    type: str
    domain: str
    schema_id: str
    schema_path: Path
    context_path: Path | None
    examples: tuple[Path, ...]
    origin: str


class UnknownModel(LookupError):
    """No model in the catalogue for an entity type; the message lists close matches."""

    def __init__(self, type_name: str, known: Iterable[str]) -> None:
        names = sorted(set(known))
        folded = [n for n in names if n.lower() == type_name.lower()]
        close = difflib.get_close_matches(type_name, names, n=5, cutoff=0.6)
        self.type_name = type_name
        self.suggestions = tuple(dict.fromkeys(folded + close))
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(
            f"no data model for entity type {type_name!r} in the catalogue{hint}"
            " (`mim models list` shows the catalogue, `mim models add` extends it)"
        )

    def __str__(self) -> str:
        return str(self.args[0])


def read_json(path: Path) -> Any:
    with path.open("rb") as handle:
        return json.load(handle)


def key_values_examples(model: Model) -> tuple[Path, ...]:
    """The model's keyValues examples: ``example.json`` and ``example-*.json`` files that are
    neither normalized nor GeoJSON features."""
    return tuple(
        p for p in model.examples if p.suffix == ".json" and not p.stem.endswith(_NOT_KEY_VALUES)
    )


def bundled_models(sdm_dir: Path) -> list[Model]:
    """Every model listed in the snapshot's ``index.json``."""
    models = []
    for entry in read_json(sdm_dir / "index.json"):
        schema_path = sdm_dir / entry["schema"]
        context = sdm_dir / entry["domain"] / "context.jsonld"
        models.append(
            Model(
                type=entry["model"],
                domain=entry["domain"],
                schema_id=entry["$id"],
                schema_path=schema_path,
                context_path=context if context.is_file() else None,
                examples=tuple(sdm_dir / e for e in entry["examples"]),
                origin="bundled",
            )
        )
    return models


def user_models(user_dir: Path) -> list[Model]:
    """The models of a user catalogue directory (``<dir>/<Type>/schema.json``)."""
    if not user_dir.is_dir():
        return []
    models = []
    for path in sorted(user_dir.glob("*/schema.json")):
        try:
            models.append(_user_model(path))
        except (OSError, ValueError) as error:
            logger.warning("user model %s skipped: not readable JSON (%s)", path, error)
    return models


def _user_model(schema_path: Path) -> Model:
    folder = schema_path.parent
    schema = read_json(schema_path)
    schema_id = schema.get("$id") if isinstance(schema, dict) else None
    if not isinstance(schema_id, str) or not schema_id:
        schema_id = schema_path.resolve().as_uri()
    match = _SDM_ID.match(schema_id)
    context = folder / "context.jsonld"
    examples = folder / "examples"
    return Model(
        type=folder.name,
        domain=match.group(1) if match else "user",
        schema_id=schema_id,
        schema_path=schema_path,
        context_path=context if context.is_file() else None,
        examples=tuple(sorted(examples.glob("*.json*"))) if examples.is_dir() else (),
        origin="user",
    )


def type_names(schema: Any) -> list[str]:
    """Entity type names a schema declares: its ``type`` property's ``enum``/``const``
    (top level or in a top-level ``allOf`` branch) and its ``title`` when that is a bare
    name."""
    if not isinstance(schema, dict):
        return []
    names: list[str] = []
    for part in [schema, *schema.get("allOf", [])]:
        declared = part.get("properties", {}).get("type") if isinstance(part, dict) else None
        if isinstance(declared, dict):
            values = declared.get("enum", [declared.get("const")])
            names += [v for v in values if isinstance(v, str)] if isinstance(values, list) else []
    title = schema.get("title")
    if isinstance(title, str) and _BARE_NAME.match(title.strip()):
        names.append(title.strip())
    return list(dict.fromkeys(names))
