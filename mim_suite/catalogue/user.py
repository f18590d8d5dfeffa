"""Adding a model to the user catalogue directory (``mim models add PATH|URL``).

The schema must be a JSON Schema (its dialect's meta-schema, Draft 2020-12 by default) whose
every ``$ref`` resolves against the catalogue's offline registry plus the schema itself. A URL
is fetched once, at the user's explicit request, with a timeout and a size cap; it is the only
network access of the catalogue.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from jsonschema.validators import validator_for
from referencing import Registry
from referencing.exceptions import Unresolvable

from mim_suite.catalogue.index import type_names
from mim_suite.catalogue.registry import resource, walk_refs

__all__ = [
    "FETCH_TIMEOUT_S",
    "MAX_SCHEMA_BYTES",
    "AddError",
    "Source",
    "add_model",
    "fetch",
    "read_source",
    "unresolved_refs",
]

FETCH_TIMEOUT_S = 10.0
MAX_SCHEMA_BYTES = 5 * 1024 * 1024
_TYPE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


class AddError(ValueError):
    """The model could not be added; the message says why and what to do."""


@dataclass(frozen=True)
class Source:
    """A model to add: the schema's bytes and where its optional companions are."""

    origin: str  # the path or URL as given
    base_uri: str  # the schema's $id, else its URL or file URI
    schema_bytes: bytes
    schema: dict[str, Any]
    context: Path | None = None
    examples: Path | None = None


def fetch(
    url: str,
    *,
    transport: httpx.BaseTransport | None = None,
    timeout_s: float = FETCH_TIMEOUT_S,
    max_bytes: int = MAX_SCHEMA_BYTES,
) -> bytes:
    """GET ``url`` (http or https only), refusing bodies larger than ``max_bytes``."""
    if httpx.URL(url).scheme not in ("http", "https"):
        raise AddError(f"{url}: only http and https URLs can be fetched")
    try:
        with (
            httpx.Client(transport=transport, timeout=timeout_s, follow_redirects=True) as client,
            client.stream("GET", url, headers={"Accept": "application/json"}) as response,
        ):
            if response.status_code != 200:
                raise AddError(f"GET {url} answered {response.status_code}, expected 200")
            return _read_capped(response, url, max_bytes)
    except httpx.TimeoutException as error:
        raise AddError(f"GET {url} timed out after {timeout_s:g} s") from error
    except httpx.HTTPError as error:
        raise AddError(f"GET {url} failed: {error}") from error


def _read_capped(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise AddError(f"{url}: {declared} bytes is more than the {max_bytes}-byte limit")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise AddError(f"{url}: the body exceeds the {max_bytes}-byte limit")
    return bytes(body)


def _parse(data: bytes, origin: str) -> dict[str, Any]:
    try:
        schema = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AddError(f"{origin} is not JSON: {error}") from error
    if not isinstance(schema, dict):
        raise AddError(f"{origin} is not a JSON Schema: expected an object at the top level")
    return schema


def read_source(source: str, *, transport: httpx.BaseTransport | None = None) -> Source:
    """The schema at a URL, a ``schema.json``-like file, or a model directory."""
    if source.startswith(("http://", "https://")):
        data = fetch(source, transport=transport)
        schema = _parse(data, source)
        return Source(source, _base(schema, source), data, schema)
    if "://" in source:
        raise AddError(f"{source}: give a local path or an http(s) URL")
    path = Path(source).expanduser()
    folder = path if path.is_dir() else path.parent
    schema_path = path / "schema.json" if path.is_dir() else path
    if not schema_path.is_file():
        raise AddError(f"{schema_path}: no such schema file")
    data = schema_path.read_bytes()
    schema = _parse(data, str(schema_path))
    context = folder / "context.jsonld"
    examples = folder / "examples"
    return Source(
        origin=source,
        base_uri=_base(schema, schema_path.resolve().as_uri()),
        schema_bytes=data,
        schema=schema,
        context=context if context.is_file() else None,
        examples=examples if path.is_dir() and examples.is_dir() else None,
    )


def _base(schema: dict[str, Any], fallback: str) -> str:
    schema_id = schema.get("$id")
    return schema_id if isinstance(schema_id, str) and schema_id else fallback


def check_schema(source: Source) -> None:
    """Refuse a document that is not valid against its dialect's meta-schema."""
    cls = validator_for(source.schema, default=Draft202012Validator)
    try:
        cls.check_schema(source.schema)
    except SchemaError as error:
        where = error.json_path
        message = f"{source.origin} is not a valid JSON Schema at {where}: {error.message}"
        raise AddError(message) from None


def unresolved_refs(schema: dict[str, Any], base_uri: str, registry: Registry[Any]) -> list[str]:
    """``"<pointer>: <ref>"`` for each ``$ref`` that neither the registry nor the schema
    itself resolves."""
    resolver = registry.with_resource(base_uri, resource(schema)).resolver(base_uri=base_uri)
    unresolved = []
    for pointer, ref in walk_refs(schema):
        try:
            resolver.lookup(ref)
        except Unresolvable:
            unresolved.append(f"{pointer}: {ref}")
    return unresolved


def entity_type(source: Source, type_name: str | None) -> str:
    """``--type`` if given, else the type the schema declares, else the directory name."""
    name = type_name or next(iter(type_names(source.schema)), None)
    if name is None and source.examples is not None:
        name = source.examples.parent.name
    if name is None:
        raise AddError(f"{source.origin} declares no entity type; give one with --type")
    if not _TYPE_NAME.match(name):
        raise AddError(f"{name!r} is not a usable entity type name (letters, digits, _ . -)")
    return name


def add_model(
    source: Source,
    user_dir: Path,
    registry: Registry[Any],
    *,
    type_name: str | None = None,
    allow_unresolved: bool = False,
) -> tuple[Path, list[str]]:
    """Check ``source`` and copy it to ``<user_dir>/<Type>/``; returns that directory and
    the unresolved ``$ref`` list (non-empty only with ``allow_unresolved``)."""
    check_schema(source)
    unresolved = unresolved_refs(source.schema, source.base_uri, registry)
    if unresolved and not allow_unresolved:
        listed = "; ".join(unresolved)
        raise AddError(
            f"{source.origin}: {len(unresolved)} $ref cannot be resolved offline ({listed}); "
            "add the schemas they point to first, or pass --allow-unresolved"
        )
    target = user_dir / entity_type(source, type_name)
    companions = [p for p in (source.context, source.examples) if p is not None]
    if any(p.resolve().is_relative_to(target.resolve()) for p in companions):
        raise AddError(f"{source.origin} is already the user catalogue's copy of this model")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / "schema.json").write_bytes(source.schema_bytes)
    if source.context is not None:
        shutil.copyfile(source.context, target / "context.jsonld")
    if source.examples is not None:
        shutil.copytree(source.examples, target / "examples")
    return target, unresolved
