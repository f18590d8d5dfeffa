"""Data-model conformance: an entity's keyValues projection against its model's JSON Schema.

The model is looked up in the catalogue by the entity's type (each type of a multi-typed
entity; a type given as a URI or ``prefix:name`` is also tried by its local name), unless
``--model TYPE`` forces one or ``--schema FILE`` gives the schema itself. Validation uses the
catalogue's compiled validators (Draft 2020-12, format assertion on) and, first, a
verdict-only function compiled from the same schema (:mod:`.compiled`); ``jsonschema``
reports the errors only for entities found invalid. Each error becomes a finding with rule
``jsonschema/<keyword>`` at the pointer of the *input* entity (the projection's pointer map).

An entity whose type has no model is not invalid on that account: it gets a warning
``jsonschema/no-model`` and only the structure checks apply.
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, cast

import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012, specification_with

from mim_suite.catalogue import Catalogue, Model
from mim_suite.catalogue.formats import FORMAT_CHECKER
from mim_suite.validation.compiled import CompiledSchema, Compiler, Unsupported, compile_schema
from mim_suite.validation.findings import Finding, Severity
from mim_suite.validation.pointers import PointerMap, input_pointer

__all__ = ["DataModelChecker", "SchemaProblem", "load_schema"]

logger = logging.getLogger(__name__)

_MESSAGE_LIMIT: Final = 200


class SchemaProblem(ValueError):
    """A ``--schema`` file that cannot be used: unreadable, not JSON, unresolvable ``$ref``."""


@dataclass(frozen=True, slots=True)
class _Target:
    label: str
    validator: Validator
    fast: CompiledSchema | None


@dataclass(slots=True)
class _Compiled:
    """What a catalogue's models compile to, kept as long as the catalogue lives."""

    compiler: Compiler
    targets: dict[str, _Target] = field(default_factory=dict)


_CACHE: weakref.WeakKeyDictionary[Catalogue, _Compiled] = weakref.WeakKeyDictionary()


class DataModelChecker:
    """Checks keyValues projections against data models; compiles each model once."""

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        schema_override: dict[str, Any] | None = None,
        model_override: str | None = None,
    ) -> None:
        self.catalogue = catalogue
        if catalogue not in _CACHE:
            _CACHE[catalogue] = _Compiled(Compiler(FORMAT_CHECKER))
        self._compiled = _CACHE[catalogue]
        self._by_type: dict[str, tuple[list[_Target], list[str]]] = {}
        self._forced: _Target | None = None
        if schema_override is not None:
            self._forced = _override_target(catalogue, schema_override)
        elif model_override is not None:
            self._forced = self._model_target(catalogue.model(model_override))

    def check(
        self, entity_id: str | None, types: Any, projection: Any, mapping: PointerMap
    ) -> list[Finding]:
        """The findings of one entity's projection; ``types`` is its ``type`` member."""
        targets, unknown = self._resolve(types)
        findings = [_no_model(entity_id, name) for name in unknown]
        for target in targets:
            if target.fast is not None and target.fast.check(projection):
                continue
            errors = _errors(target, projection)
            findings += [_finding(entity_id, target, e, mapping) for e in errors]
        return findings

    def _resolve(self, types: Any) -> tuple[list[_Target], list[str]]:
        if self._forced is not None:
            return [self._forced], []
        if isinstance(types, str):
            if types not in self._by_type:
                self._by_type[types] = self._lookup([types])
            return self._by_type[types]
        return self._lookup(types if isinstance(types, list) else [types])

    def _lookup(self, names: list[Any]) -> tuple[list[_Target], list[str]]:
        targets: list[_Target] = []
        unknown: list[str] = []
        for name in names:
            if not isinstance(name, str):
                continue
            model = self.catalogue.find(name) or self.catalogue.find(_local_name(name))
            if model is None:
                unknown.append(name)
            else:
                target = self._model_target(model)
                if all(target is not known for known in targets):
                    targets.append(target)
        return targets, unknown

    def _model_target(self, model: Model) -> _Target:
        targets = self._compiled.targets
        if model.schema_id not in targets:
            validator = self.catalogue.validator(model)
            fast = _fast(validator, self.catalogue.registry, self._compiled.compiler)
            targets[model.schema_id] = _Target(model.type, validator, fast)
        return targets[model.schema_id]


def _errors(target: _Target, instance: Any) -> list[ValidationError]:
    """jsonschema's errors for an invalid instance, found where the compiled schema fails."""
    fast = target.fast
    if fast is None:
        return list(target.validator.iter_errors(instance))
    errors = _explain(target.validator, fast, fast.schema, fast.resolver, instance, [])
    return errors if errors is not None else list(target.validator.iter_errors(instance))


def _explain(
    validator: Validator,
    fast: CompiledSchema,
    schema: Any,
    resolver: Any,
    instance: Any,
    path: list[str | int],
) -> list[ValidationError] | None:
    """The errors of ``instance`` against ``schema``, None if it shows none.

    When a subschema's own checks pass and only some members (or array items) fail, only
    those are descended into, recursively; elsewhere jsonschema validates the instance
    against the subschema, with the resolver it would use. The errors are jsonschema's own;
    a test checks that they equal those of a full ``iter_errors``."""
    if isinstance(schema, dict):
        parts = fast.parts(schema, resolver)
        found = _parts_errors(validator, fast, parts, instance, path)
        if found:
            return found
    if not path:
        return None
    errors = list(cast(Any, validator).descend(instance, schema, resolver=resolver))
    for error in errors:
        error.path.extendleft(reversed(path))
    return errors


def _parts_errors(
    validator: Validator, fast: CompiledSchema, parts: Any, instance: Any, path: list[str | int]
) -> list[ValidationError]:
    if isinstance(instance, dict):
        if not parts.members or not parts.generic(instance):
            return []
        if not all(name in instance for name in parts.required):
            return []
        members = parts.members
        pairs: list[tuple[str | int, Any, Any]] = [
            (name, value, members[name][1]) for name, value in instance.items() if name in members
        ]
    elif isinstance(instance, list) and parts.items and parts.generic(instance):
        pairs = [(index, item, parts.items) for index, item in enumerate(instance)]
    else:
        return []
    errors: list[ValidationError] = []
    for token, value, sources in pairs:
        for check, schema, resolver in sources:
            if not check(value):
                found = _explain(validator, fast, schema, resolver, value, [*path, token])
                errors += found or []
    return errors


def _local_name(name: str) -> str:
    for separator in ("#", "/", ":"):
        name = name.rpartition(separator)[2]
    return name


def _fast(
    validator: Validator, registry: Registry[Any], compiler: Compiler | None = None
) -> CompiledSchema | None:
    checker = getattr(validator, "format_checker", None)
    if compiler is not None and checker is not compiler.format_checker:
        compiler = None
    try:
        return compile_schema(validator.schema, registry, checker, compiler)
    except Unsupported as reason:
        logger.info("schema %s kept on jsonschema only: %s", _schema_label(validator), reason)
        return None


def _schema_label(validator: Validator) -> str:
    schema = validator.schema
    return str(schema.get("$id", "?")) if isinstance(schema, dict) else "?"


def _override_target(catalogue: Catalogue, schema: dict[str, Any]) -> _Target:
    registry = catalogue.registry
    base = schema.get("$id")
    if isinstance(base, str):
        registry = registry.with_resource(base, _resource(schema))
    cls = validator_for(schema, default=Draft202012Validator)
    validator = cls(schema, registry=registry, format_checker=FORMAT_CHECKER)
    _check_refs(schema, registry, base if isinstance(base, str) else "")
    label = str(schema.get("title") or base or "--schema")
    return _Target(label, validator, _fast(validator, registry))


def _resource(schema: Any) -> Resource[Any]:
    dialect = schema.get("$schema") if isinstance(schema, dict) else None
    if not isinstance(dialect, str):
        return DRAFT202012.create_resource(schema)
    return specification_with(dialect, DRAFT202012).create_resource(schema)


def _check_refs(schema: Any, registry: Registry[Any], base: str) -> None:
    from mim_suite.catalogue.registry import walk_refs

    resolver = registry.resolver(base)
    for pointer, ref in walk_refs(schema):
        try:
            resolver.lookup(ref)
        except Unresolvable as error:
            raise SchemaProblem(
                f"$ref {ref!r} at {pointer or '/'} does not resolve: {error}"
            ) from error


def load_schema(path: Path) -> dict[str, Any]:
    """A ``--schema`` file, parsed; :class:`SchemaProblem` names the file on failure."""
    try:
        schema = orjson.loads(path.read_bytes())
    except OSError as error:
        raise SchemaProblem(f"cannot read schema {path}: {error.strerror or error}") from error
    except orjson.JSONDecodeError as error:
        raise SchemaProblem(f"schema {path} is not JSON: {error}") from error
    if not isinstance(schema, dict):
        raise SchemaProblem(f"schema {path} is not a JSON object")
    return schema


def _no_model(entity_id: str | None, name: str) -> Finding:
    message = f"no data model for type {name!r}: only the NGSI-LD structure was checked"
    return Finding(
        entity_id, "/type", "jsonschema/no-model", message, Severity.WARNING, "jsonschema"
    )


def _finding(
    entity_id: str | None, target: _Target, error: ValidationError, mapping: PointerMap
) -> Finding:
    pointer = input_pointer(error.absolute_path, mapping)
    keyword = error.validator if isinstance(error.validator, str) else "false-schema"
    message = f"{_one_line(error)} ({target.label})"
    return Finding(
        entity_id, pointer, f"jsonschema/{keyword}", message, Severity.ERROR, "jsonschema"
    )


def _one_line(error: ValidationError) -> str:
    """jsonschema's message on one line, the instance's repr shortened."""
    message = error.message
    shown = repr(error.instance)
    if len(shown) > 60 and message.startswith(shown):
        message = shown[:57] + "..." + message[len(shown) :]
    message = " ".join(message.split())
    if len(message) > _MESSAGE_LIMIT:
        message = message[: _MESSAGE_LIMIT - 3] + "..."
    return message
