"""Reading entities for ``mim validate``: files, directories, NDJSON and standard input.

* A ``.json`` or ``.jsonld`` file (or any other name) holds one JSON document: an entity
  object, an array of entities, or a GeoJSON Feature or FeatureCollection; ``@context``
  members are kept.
* A ``.ndjson`` or ``.jsonl`` file holds one entity object per line; blank lines are skipped.
  A line that is not JSON is an input error naming the file and line; the other lines are
  still validated. An entity's ``index`` is its 0-based line number.
* A directory is read recursively: its ``*.json``, ``*.jsonld`` and ``*.ndjson`` files, in
  sorted path order.
* ``-`` is standard input: one JSON document if it parses as one, else NDJSON.
* GeoJSON (ETSI GS CIM 009 V1.8.1 4.5.16/4.5.17) is an NGSI-LD representation, so a Feature
  is converted to the entity it represents: ``id`` from the Feature, ``type`` and the
  attributes from ``properties`` (where the GeoProperty named by ``geometryProperty`` is
  too; ``geometry`` only repeats it and is not read). Findings then point into the Feature.

An array element or NDJSON line that is not an object becomes an entity that the structure
checks reject; a document that is neither object nor array is an input error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Final

import orjson

from mim_suite.validation.findings import EntityInput
from mim_suite.validation.representation import detect_representation

__all__ = ["InputError", "ReadResult", "feature_to_entity", "read_inputs"]

_SUFFIXES: Final = (".json", ".jsonld", ".ndjson")
_LINE_SUFFIXES: Final = (".ndjson", ".jsonl")


@dataclass(frozen=True, slots=True)
class InputError:
    """Input that could not be read: the file as given, the line for NDJSON, what failed."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "message": self.message}


@dataclass(slots=True)
class ReadResult:
    entities: list[EntityInput] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


def read_inputs(paths: Sequence[str], stdin: BinaryIO | None = None) -> ReadResult:
    """Every entity of every path, in order, and every input error met on the way."""
    result = ReadResult()
    for given in paths:
        if given == "-":
            data = (stdin if stdin is not None else sys.stdin.buffer).read()
            _read_stdin(data, result)
        elif os.path.isdir(given):
            for path in _directory(given):
                _read_file(path, result)
        else:
            _read_file(given, result)
    return result


def _directory(given: str) -> list[str]:
    found = [p for p in Path(given).rglob("*") if p.suffix in _SUFFIXES and p.is_file()]
    return [os.path.join(given, str(p.relative_to(given))) for p in sorted(found)]


def _read_file(given: str, result: ReadResult) -> None:
    try:
        data = Path(given).read_bytes()
    except OSError as error:
        result.errors.append(InputError(given, None, error.strerror or str(error)))
        return
    if Path(given).suffix in _LINE_SUFFIXES:
        _read_lines(given, data, result)
    else:
        _read_document(given, data, result)


def _read_stdin(data: bytes, result: ReadResult) -> None:
    try:
        document = _parse(data)
    except orjson.JSONDecodeError:
        _read_lines("-", data, result)
        return
    _add_document("-", document, result)


def _parse(data: bytes) -> Any:
    return orjson.loads(data.removeprefix(b"\xef\xbb\xbf"))


def _read_document(given: str, data: bytes, result: ReadResult) -> None:
    try:
        document = _parse(data)
    except orjson.JSONDecodeError as error:
        result.errors.append(InputError(given, None, f"not JSON: {error}"))
        return
    _add_document(given, document, result)


def _add_document(given: str, document: Any, result: ReadResult) -> None:
    if isinstance(document, list):
        for index, item in enumerate(document):
            result.entities.extend(_entities(given, index, item))
    elif isinstance(document, dict):
        result.entities.extend(_entities(given, 0, document))
    else:
        kind = type(document).__name__
        message = f"a JSON {kind}, not an entity object or an array of entities"
        result.errors.append(InputError(given, None, message))


def _read_lines(given: str, data: bytes, result: ReadResult) -> None:
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            document = _parse(line)
        except orjson.JSONDecodeError as error:
            result.errors.append(InputError(given, number, f"not JSON: {error}"))
            continue
        if isinstance(document, list):
            message = "an array; NDJSON holds one entity object per line"
            result.errors.append(InputError(given, number, message))
            continue
        result.entities.extend(_entities(given, number - 1, document))


def _entities(given: str, index: int, document: Any) -> Iterator[EntityInput]:
    if _is_feature_collection(document):
        for position, feature in enumerate(document["features"]):
            yield from _entities(given, position, feature)
    elif _is_feature(document):
        entity = feature_to_entity(document)
        yield EntityInput(given, index, entity, detect_representation(entity), feature=True)
    else:
        yield EntityInput(given, index, document, detect_representation(document))


def _is_feature(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and document.get("type") == "Feature"
        and isinstance(document.get("properties"), dict)
    )


def _is_feature_collection(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and document.get("type") == "FeatureCollection"
        and isinstance(document.get("features"), list)
    )


def feature_to_entity(feature: dict[str, Any]) -> dict[str, Any]:
    """The entity a GeoJSON Feature represents (4.5.16): ``id`` plus the ``properties``."""
    entity: dict[str, Any] = {"id": feature["id"]} if "id" in feature else {}
    entity.update(feature["properties"])
    if "@context" in feature and "@context" not in entity:
        entity["@context"] = feature["@context"]
    return entity
