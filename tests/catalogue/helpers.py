"""Small builders for user-catalogue models in tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

COMMON = "https://smart-data-models.github.io/data-models/common-schema.json"


def thing_schema(type_name: str = "Thing", **extra: Any) -> dict[str, Any]:
    """A small Draft 2020-12 entity schema reusing a shared definition."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://example.org/models/{type_name}/schema.json",
        "type": "object",
        "allOf": [
            {"$ref": f"{COMMON}#/definitions/GSMA-Commons"},
            {
                "properties": {
                    "type": {"type": "string", "enum": [type_name]},
                    "speed": {"type": "number", "minimum": 0},
                    **extra,
                }
            },
        ],
        "required": ["id", "type"],
    }


def write_model(folder: Path, type_name: str, schema: dict[str, Any], **files: Any) -> Path:
    """``<folder>/<type_name>/schema.json``; ``context=`` and other keywords become
    ``context.jsonld`` and ``examples/<name>.json``."""
    target = folder / type_name
    target.mkdir(parents=True, exist_ok=True)
    (target / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    for name, content in files.items():
        if name == "context":
            path = target / "context.jsonld"
        else:
            path = target / "examples" / f"{name}.json"
            path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(content), encoding="utf-8")
    return target / "schema.json"
