"""An offline ``referencing`` registry for the catalogue's JSON Schemas.

Every schema is registered under its ``$id`` and under the URLs it is published at, because
Smart Data Models schemas ``$ref`` each other by published URL and 14 model schemas declare an
``$id`` that differs from it (``mim_suite/data/sdm/SOURCES.md``, "Notes for tool builders"):

* a model schema ``<Domain>/<Model>/schema.json``:
  ``https://smart-data-models.github.io/dataModel.<Domain>/<Model>/schema.json`` and
  ``https://raw.githubusercontent.com/smart-data-models/dataModel.<Domain>/master/<Model>/schema.json``;
* a shared schema ``_common/<file>`` whose ``$id`` is
  ``https://smart-data-models.github.io/<repo>/<file>``: also
  ``https://raw.githubusercontent.com/smart-data-models/<repo>/master/<file>``.

A schema whose ``$schema`` is not a dialect ``referencing`` knows (gtfs-schema.json declares
``http://json-schema.org/schema#``) is read as Draft 2020-12. Retrieval never touches the
network: a URI that is not registered raises :class:`NotInCatalogue`, an
``referencing.exceptions.Unresolvable``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from referencing import Registry, Resource
from referencing.exceptions import PointerToNowhere, Unresolvable
from referencing.jsonschema import DRAFT202012, specification_with

__all__ = [
    "NotInCatalogue",
    "build_registry",
    "explain",
    "model_urls",
    "shared_urls",
    "walk_refs",
]

_GITHUB_IO = "https://smart-data-models.github.io/"
_RAW = "https://raw.githubusercontent.com/smart-data-models/"


class NotInCatalogue(Unresolvable):
    """A ``$ref`` target the offline catalogue does not hold (it is never fetched)."""

    def __str__(self) -> str:
        return (
            f"{self.ref} is not in the offline schema catalogue and is never fetched; "
            "add the schema that defines it with `mim models add`"
        )


def explain(error: Unresolvable) -> str:
    """Why a reference did not resolve: the :class:`NotInCatalogue` at the root of the
    chain ``referencing`` raises, else the error itself (e.g. a JSON Pointer to nowhere)."""
    if isinstance(error, PointerToNowhere):
        return f"the JSON Pointer {error.ref!r} does not exist in the schema it points into"
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, NotInCatalogue):
            return str(cause)
        cause = cause.__cause__
    return str(error)


def _offline(uri: str) -> Resource[Any]:
    raise NotInCatalogue(ref=uri)


def resource(contents: Any) -> Resource[Any]:
    """A resource read with its declared dialect, or Draft 2020-12 if that is unknown."""
    dialect = contents.get("$schema") if isinstance(contents, dict) else None
    if not isinstance(dialect, str):
        return DRAFT202012.create_resource(contents)
    return specification_with(dialect, DRAFT202012).create_resource(contents)


def model_urls(sdm_dir: Path, schema_path: Path) -> list[str]:
    """Published URLs of a bundled model schema ``<Domain>/<Model>/schema.json``."""
    domain, model, name = schema_path.relative_to(sdm_dir).parts
    return [
        f"{_GITHUB_IO}dataModel.{domain}/{model}/{name}",
        f"{_RAW}dataModel.{domain}/master/{model}/{name}",
    ]


def shared_urls(schema_id: str) -> list[str]:
    """A shared schema's ``$id`` and, for a github.io ``$id``, its raw.githubusercontent form."""
    urls = [schema_id]
    if schema_id.startswith(_GITHUB_IO):
        repo, _, file = schema_id.removeprefix(_GITHUB_IO).partition("/")
        urls.append(f"{_RAW}{repo}/master/{file}")
    return urls


def build_registry(entries: Iterable[tuple[list[str], Any]]) -> Registry[Any]:
    """A crawled registry holding each schema under each of its URLs; later entries win."""
    pairs = [(url, resource(contents)) for urls, contents in entries for url in urls]
    registry: Registry[Any] = Registry(retrieve=_offline)  # type: ignore[call-arg]
    return registry.with_resources(pairs).crawl()


def walk_refs(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every ``$ref`` string in a schema document, as ``(JSON Pointer, ref)``."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{pointer}/{_escape(key)}"
            if key == "$ref" and isinstance(value, str):
                yield here, value
            else:
                yield from walk_refs(value, here)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from walk_refs(item, f"{pointer}/{index}")


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
