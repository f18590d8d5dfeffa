"""Schema rules of the catalogue lint, over one schema document (JSON Schema Draft 2020-12).

Each rule yields ``(pointer, rule, message, severity)`` with a JSON Pointer (RFC 6901) into
the schema. The vocabulary is Draft 2020-12's (Core, Applicator, Unevaluated, Validation,
Meta-Data, Format-Annotation, Content; https://json-schema.org/draft/2020-12/json-schema-core
section 8 and json-schema-validation sections 6-9). The rules are documented, with an
example each, in ``docs/models.md``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any, Literal

from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import UnknownDialect, specification_with

from mim_suite.catalogue.registry import explain, walk_refs

__all__ = [
    "ANNOTATION_EXTENSIONS",
    "KEYWORDS",
    "Hit",
    "Severity",
    "dialect_rule",
    "format_rules",
    "keyword_rules",
    "ref_rules",
    "subschemas",
]

Severity = Literal["error", "warning", "info"]
Hit = tuple[str, str, str, Severity]

_VOCABULARIES = (
    "$schema $id $ref $anchor $dynamicRef $dynamicAnchor $vocabulary $comment $defs",
    "prefixItems items contains additionalProperties properties patternProperties",
    "dependentSchemas propertyNames if then else allOf anyOf oneOf not",
    "unevaluatedItems unevaluatedProperties",
    "type const enum multipleOf maximum exclusiveMaximum minimum exclusiveMinimum maxLength",
    "minLength pattern maxItems minItems uniqueItems maxContains minContains maxProperties",
    "minProperties required dependentRequired",
    "title description default deprecated readOnly writeOnly examples",
    "format contentEncoding contentMediaType contentSchema",
)
KEYWORDS = frozenset(word for line in _VOCABULARIES for word in line.split(" "))
# Extensions Smart Data Models use on purpose: annotations, reported as info only.
ANNOTATION_EXTENSIONS = frozenset(
    {"derivedFrom", "license", "modelTags", "$schemaVersion", "x-ngsi"}
)
# ``definitions`` is the pre-2019 name of ``$defs``: not a keyword, but a container that
# ``$ref`` JSON Pointers reach into; it is walked and not reported.
_CONTAINERS = frozenset({"definitions"})
_LIKELY = {"minvalue": "minimum", "maxvalue": "maximum", "dependencies": "dependentRequired"}
_ONE = (
    *("not", "if", "then", "else", "items", "contains", "additionalProperties"),
    *("propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema"),
)
_MANY = ("allOf", "anyOf", "oneOf", "prefixItems")
_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


def _token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def subschemas(schema: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object in a document (the root included), with its pointer."""
    if not isinstance(schema, dict):
        return
    yield pointer, schema
    for key in _ONE:
        yield from subschemas(schema.get(key), f"{pointer}/{key}")
    for key in _MANY:
        if isinstance(schema.get(key), list):
            for index, item in enumerate(schema[key]):
                yield from subschemas(item, f"{pointer}/{key}/{index}")
    for key in _MAP:
        if isinstance(schema.get(key), dict):
            for name, item in schema[key].items():
                yield from subschemas(item, f"{pointer}/{key}/{_token(name)}")


def _suggestion(keyword: str) -> str:
    folded = {k.lower(): k for k in KEYWORDS}
    guess = _LIKELY.get(keyword.lower()) or folded.get(keyword.lower())
    if guess is None:
        close = difflib.get_close_matches(keyword, KEYWORDS, n=1, cutoff=0.8)
        guess = close[0] if close else None
    return f"; did you mean {guess!r}?" if guess else ""


def keyword_rules(schema: Any) -> Iterator[Hit]:
    """``keyword/unknown`` (warning) and ``keyword/extension`` (info, once per keyword)."""
    extensions: dict[str, tuple[str, int]] = {}
    for pointer, node in subschemas(schema):
        for key in node:
            here = f"{pointer}/{_token(key)}"
            if key in KEYWORDS or key in _CONTAINERS:
                continue
            if key in ANNOTATION_EXTENSIONS or key.startswith("x-"):
                first, count = extensions.get(key, (here, 0))
                extensions[key] = (first, count + 1)
                continue
            message = f"{key!r} is not a Draft 2020-12 keyword and is ignored{_suggestion(key)}"
            yield here, "keyword/unknown", message, "warning"
    for key, (first, count) in sorted(extensions.items()):
        message = f"annotation extension {key!r} ({count} use{'s' if count > 1 else ''})"
        yield first, "keyword/extension", message, "info"


def dialect_rule(schema: Any) -> Iterator[Hit]:
    """``schema/unknown-dialect``: ``$schema`` is not a JSON Schema dialect URI."""
    dialect = schema.get("$schema") if isinstance(schema, dict) else None
    if dialect is None:
        return
    try:
        specification_with(str(dialect))
    except UnknownDialect:
        message = f"$schema {dialect!r} is not a known JSON Schema dialect; read as Draft 2020-12"
        yield "/$schema", "schema/unknown-dialect", message, "warning"


def ref_rules(schema: Any, base_uri: str, registry: Registry[Any]) -> Iterator[Hit]:
    """``ref/unresolved`` (error): a ``$ref`` the offline registry cannot resolve."""
    resolver = registry.resolver(base_uri=base_uri)
    for pointer, ref in walk_refs(schema):
        try:
            resolver.lookup(ref)
        except Unresolvable as error:
            yield pointer, "ref/unresolved", f"$ref does not resolve: {explain(error)}", "error"


# Format/description contradictions. The description of a Smart Data Models attribute names
# its schema.org type (``Model:'https://schema.org/DateTime'``) or says what the text is.
_EXPECT: tuple[tuple[str, re.Pattern[str], frozenset[str]], ...] = (
    (
        "format/datetime-description",
        re.compile(r"schema\.org/DateTime\b|\bdate-time\b|\btimestamp\b", re.I),
        frozenset({"date-time"}),
    ),
    (
        "format/date-description",
        re.compile(r"schema\.org/Date\b(?!Time)", re.I),
        frozenset({"date", "date-time"}),
    ),
    (
        "format/uri-description",
        re.compile(r"schema\.org/URL\b|\b(?:URL|URI|IRI)\b"),
        frozenset({"uri", "uri-reference", "iri", "iri-reference"}),
    ),
)
_EPOCH = re.compile(r"\b(?:epoch|seconds since|milliseconds since|unix time)\b", re.I)
_TEMPORAL = frozenset({"date-time", "date", "time"})


def _is_string(node: dict[str, Any]) -> bool:
    declared = node.get("type")
    return declared == "string" or (isinstance(declared, list) and "string" in declared)


def format_rules(schema: Any) -> Iterator[Hit]:
    """Contradictions between a string schema's ``description`` and its ``format``."""
    for pointer, node in subschemas(schema):
        text = node.get("description")
        if not isinstance(text, str) or not _is_string(node):
            continue
        fmt = node.get("format")
        if fmt in _TEMPORAL and _EPOCH.search(text):
            message = f"format {fmt!r} but the description speaks of a time since the epoch"
            yield pointer, "format/epoch-description", message, "warning"
            continue
        matched = [(r, m, a) for r, p, a in _EXPECT if (m := p.search(text))]
        if not matched or any(fmt in accepted for _, _, accepted in matched):
            continue
        rule, match, accepted = matched[0]
        has = f"format {fmt!r}" if fmt else "no format"
        wanted = " or ".join(sorted(accepted))
        message = f"description says {match.group(0)!r} but the schema has {has}"
        yield pointer, rule, f"{message} (expected {wanted})", "warning"
