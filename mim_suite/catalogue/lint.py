"""``mim models lint``: defects of the catalogue's schemas and official examples.

Schema rules (``lint_rules.py``) point into the schema; example rules validate each keyValues
example (``example.json``, ``example-*.json`` that are not normalized or GeoJSON) against its
model with the catalogue's validator and point into the example. Rules, severities and an
example of each are in ``docs/models.md``, with the summary over the bundled catalogue.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from jsonschema.exceptions import ValidationError, best_match
from jsonschema.validators import validator_for

from mim_suite.catalogue.catalogue import Catalogue
from mim_suite.catalogue.formats import STRICT_FORMAT_CHECKER
from mim_suite.catalogue.index import Model, key_values_examples, read_json
from mim_suite.catalogue.lint_rules import (
    Hit,
    Severity,
    dialect_rule,
    format_rules,
    keyword_rules,
    ref_rules,
)
from mim_suite.catalogue.registry import shared_urls

__all__ = ["RULES", "Defect", "Severity", "lint", "summary_markdown"]

# rule id -> (severity, one-line summary); docs/models.md documents each with an example.
RULES: dict[str, tuple[Severity, str]] = {
    "ref/unresolved": ("error", "a $ref the offline registry cannot resolve"),
    "example/invalid": ("error", "an official keyValues example violates its own schema"),
    "example/format-uri": ("warning", "an example value is not a URI where format is uri"),
    "keyword/unknown": ("warning", "a key that is not a Draft 2020-12 keyword (ignored)"),
    "schema/unknown-dialect": ("warning", "$schema is not a known JSON Schema dialect URI"),
    "format/datetime-description": ("warning", "description says date-time, format differs"),
    "format/date-description": ("warning", "description says schema.org/Date, format differs"),
    "format/uri-description": ("warning", "description says URL/URI, format is not uri"),
    "format/epoch-description": ("warning", "temporal format but seconds-since-epoch text"),
    "keyword/extension": ("info", "an annotation extension Smart Data Models use on purpose"),
}


@dataclass(frozen=True)
class Defect:
    """One lint finding; ``pointer`` is a JSON Pointer into ``file``."""

    model: str
    file: str
    pointer: str
    rule: str
    message: str
    severity: Severity

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def lint(catalogue: Catalogue, types: Iterable[str] = (), *, shared: bool = True) -> list[Defect]:
    """Defects of the named models (all if none), plus the shared schemas if ``shared``
    and no type is named."""
    names = list(types)
    models = [catalogue.model(t) for t in names] if names else catalogue.models()
    defects: list[Defect] = []
    if shared and not names:
        defects += _lint_shared(catalogue)
    for model in models:
        defects += _lint_model(catalogue, model)
    return defects


def _display(catalogue: Catalogue, path: Path) -> str:
    """Bundled files relative to the snapshot root (stable across checkouts), others as is."""
    sdm = catalogue.sdm_dir
    return str(path.relative_to(sdm)) if path.is_relative_to(sdm) else str(path)


def _defects(model: str, file: str, hits: Iterable[Hit]) -> Iterator[Defect]:
    for pointer, rule, message, severity in hits:
        yield Defect(model, file, pointer, rule, message, severity)


def _schema_hits(schema: Any, base_uri: str, catalogue: Catalogue) -> Iterator[Hit]:
    yield from dialect_rule(schema)
    yield from ref_rules(schema, base_uri, catalogue.registry)
    yield from keyword_rules(schema)
    yield from format_rules(schema)


def _lint_shared(catalogue: Catalogue) -> list[Defect]:
    defects: list[Defect] = []
    for path, schema in catalogue.shared_schemas().items():
        name = f"_common/{path.name}"
        base = shared_urls(schema["$id"])[0]
        defects += _defects(name, _display(catalogue, path), _schema_hits(schema, base, catalogue))
    return defects


def _lint_model(catalogue: Catalogue, model: Model) -> list[Defect]:
    schema = catalogue.schema(model)
    file = _display(catalogue, model.schema_path)
    defects = list(_defects(model.type, file, _schema_hits(schema, model.schema_id, catalogue)))
    for example in key_values_examples(model):
        defects += _lint_example(catalogue, model, example)
    return defects


def _pointer(error: ValidationError) -> str:
    return "".join(f"/{str(p).replace('~', '~0').replace('/', '~1')}" for p in error.path)


def _lint_example(catalogue: Catalogue, model: Model, example: Path) -> list[Defect]:
    instance = read_json(example)
    file = _display(catalogue, example)
    errors = list(catalogue.validator(model).iter_errors(instance))
    defects = [_example_defect(model, file, e, "example/invalid", "error") for e in errors]
    seen = {_pointer(e) for e in errors}
    schema = catalogue.schema(model)
    strict_cls = validator_for(schema)
    strict = strict_cls(schema, registry=catalogue.registry, format_checker=STRICT_FORMAT_CHECKER)
    for error in strict.iter_errors(instance):
        if _pointer(error) not in seen:
            defects.append(_example_defect(model, file, error, "example/format-uri", "warning"))
    return defects


def _example_defect(
    model: Model, file: str, error: ValidationError, rule: str, severity: Severity
) -> Defect:
    detail = best_match(error.context) if error.context else error
    keyword = "/".join(str(p) for p in error.schema_path)
    message = f"{detail.message} (schema keyword {keyword})"
    return Defect(model.type, file, _pointer(error), rule, message, severity)


def summary(defects: Iterable[Defect]) -> list[tuple[str, Severity, int, int]]:
    """Per rule: severity, number of defects, number of models or shared schemas hit."""
    count: Counter[str] = Counter()
    models: dict[str, set[str]] = {rule: set() for rule in RULES}
    for defect in defects:
        count[defect.rule] += 1
        models[defect.rule].add(defect.model)
    return [(rule, RULES[rule][0], count[rule], len(models[rule])) for rule in RULES]


def summary_markdown(defects: list[Defect]) -> str:
    """The generated summary table of ``docs/models.md``."""
    lines = ["| rule | severity | defects | models |", "|---|---|---|---|"]
    for rule, severity, count, models in summary(defects):
        lines.append(f"| `{rule}` | {severity} | {count} | {models} |")
    return "\n".join(lines) + "\n"
