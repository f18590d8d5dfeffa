"""The keywords :mod:`.compiled` compiles, as ``jsonschema`` 4.x implements them (2020-12).

Each builder adds to a :class:`~.compiled.Node` either a boolean expression over the instance
``x`` (constants by name only) or, for ``properties``/``required``/``allOf``/``$ref``, the
members, required names and merged parts of an object schema. The clauses are those of JSON
Schema Validation 2020-12 (``type``, ``enum``, ``const``: 6.1; numbers: 6.2; strings: 6.3;
arrays: 6.4; objects: 6.5; ``format``: 7) and JSON Schema Core 2020-12 (applicators:
section 10; ``$ref``: 8.2.3.1). Like ``jsonschema``: a keyword that constrains one instance
type passes any other type; equality treats ``1`` and ``1.0`` as equal and ``True`` and ``1``
as different; ``pattern`` uses ``re.search``; ``format`` calls the validator's checker.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from referencing.exceptions import Unresolvable

from mim_suite.validation.compiled import Compiler, Node, Unsupported

if TYPE_CHECKING:
    from referencing._core import Resolver

__all__ = ["BUILDERS", "HELPERS"]

Builder = Callable[[Compiler, Node, Any, dict[str, Any], "Resolver[Any]"], None]

_TRUE: Final = object()
_FALSE: Final = object()


def _unbool(value: Any) -> Any:
    if value is True:
        return _TRUE
    if value is False:
        return _FALSE
    return value


def equal(one: Any, two: Any) -> bool:
    """JSON equality as jsonschema defines it (``bool`` is not a number)."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(equal(one[k], two[k]) for k in one)
    return bool(_unbool(one) == _unbool(two))


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def unique(items: list[Any]) -> bool:
    if all(isinstance(i, str) for i in items):
        return len(set(items)) == len(items)
    return not any(equal(a, b) for n, a in enumerate(items) for b in items[n + 1 :])


HELPERS: Final[dict[str, Any]] = {
    "__builtins__": {},
    "isinstance": isinstance,
    "len": len,
    "all": all,
    "any": any,
    "map": map,
    "bool": bool,
    "str": str,
    "list": list,
    "dict": dict,
    "_numeric": (int, float),
    "_int": is_integer,
    "_equal": equal,
    "_unique": unique,
}

_TYPE_EXPR: Final = {
    "array": "isinstance(x, list)",
    "boolean": "isinstance(x, bool)",
    "integer": "_int(x)",
    "null": "x is None",
    "number": "(isinstance(x, _numeric) and x.__class__ is not bool)",
    "object": "isinstance(x, dict)",
    "string": "isinstance(x, str)",
}
_KIND: Final = {
    "string": "str",
    "array": "list",
    "object": "dict",
    "number": "num",
    "integer": "num",
}


def _type(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Resolver[Any]) -> None:
    names = value if isinstance(value, list) else [value]
    if not names or any(not isinstance(n, str) or n not in _TYPE_EXPR for n in names):
        raise Unsupported(f"type {value!r}")
    kind = _KIND.get(names[0]) if len(names) == 1 else None
    node.typed("(" + " or ".join(_TYPE_EXPR[n] for n in names) + ")", kind)


def _enum(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Resolver[Any]) -> None:
    if not isinstance(value, list):
        raise Unsupported("enum is not an array")
    if all(isinstance(v, str) for v in value):
        node.need("str", f"x in {c.const(frozenset(value))}")
    else:
        node.add(f"any(_equal(v, x) for v in {c.const(list(value))})")


def _const(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Resolver[Any]) -> None:
    node.add(f"_equal(x, {c.const(value)})")


def _bound(operator: str) -> Builder:
    def build(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Any) -> None:
        if not is_number(value):
            raise Unsupported(f"bound {value!r}")
        node.guard("num", f"x {operator} {c.const(value)}")

    return build


def _length(kind: str, operator: str) -> Builder:
    def build(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Any) -> None:
        if not is_integer(value):
            raise Unsupported(f"length bound {value!r}")
        node.guard(kind, f"len(x) {operator} {c.const(value)}")

    return build


def regex(pattern: Any) -> Callable[[str], re.Match[str] | None]:
    try:
        return re.compile(pattern).search
    except (re.error, TypeError) as error:
        raise Unsupported(f"pattern {pattern!r}: {error}") from error


def _pattern(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Any) -> None:
    node.guard("str", f"{c.const(regex(value))}(x) is not None")


def _format(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Any) -> None:
    checker = c.format_checker
    if checker is None or value not in checker.checkers:
        return
    func, raises = checker.checkers[value]
    if not raises:
        node.add(f"bool({c.const(func)}(x))")
        return

    def conforms(instance: Any) -> bool:
        try:
            return bool(func(instance))
        except raises:
            return False

    node.add(f"{c.const(conforms)}(x)")


def _unique(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Any) -> None:
    if value:
        node.guard("list", "_unique(x)")


def _closure(kind: str, node: Node, c: Compiler, check: Callable[[Any], bool]) -> None:
    node.guard(kind, f"{c.const(check)}(x)")


def _pattern_properties(
    c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Resolver[Any]
) -> None:
    table = [(regex(p), c.compile(sub, c.descend(sub, r))) for p, sub in value.items()]

    def check(instance: dict[str, Any]) -> bool:
        return all(test(v) for search, test in table for k, v in instance.items() if search(k))

    _closure("dict", node, c, check)


def _additional(
    c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Resolver[Any]
) -> None:
    known = frozenset(schema.get("properties", {}))
    searches = [regex(p) for p in schema.get("patternProperties", {})]
    test = c.compile(value, c.descend(value, r))

    def check(instance: dict[str, Any]) -> bool:
        return all(
            test(v)
            for k, v in instance.items()
            if k not in known and not any(s(k) for s in searches)
        )

    _closure("dict", node, c, check)


def _property_names(
    c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Resolver[Any]
) -> None:
    node.guard("dict", f"all(map({c.subschema(value, r)}, x))")


def _dependent_required(
    c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Any
) -> None:
    pairs = [(name, tuple(needed)) for name, needed in value.items()]

    def check(instance: dict[str, Any]) -> bool:
        return all(all(n in instance for n in need) for name, need in pairs if name in instance)

    _closure("dict", node, c, check)


def _prefix_items(
    c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Resolver[Any]
) -> None:
    tests = [c.compile(sub, c.descend(sub, r)) for sub in value]

    def check(instance: list[Any]) -> bool:
        return all(t(i) for t, i in zip(tests, instance, strict=False))

    _closure("list", node, c, check)


def _items(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Resolver[Any]) -> None:
    if isinstance(value, list):
        raise Unsupported("array-form items in a Draft 2020-12 schema")
    prefix = len(schema.get("prefixItems", []))
    items = "x" if prefix == 0 else f"x[{c.const(prefix)}:]"
    resolver = c.descend(value, r)
    function = c.function(value, resolver)
    condition = f"all(map({function}, {items}))"
    node.guard("list", condition)
    if prefix == 0:
        node.items.append((function, value, resolver))
        node.item_conditions.add(condition)


def _any_of(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Any) -> None:
    node.add("(" + " or ".join(f"{c.subschema(s, r)}(x)" for s in value) + ")")


def _one_of(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Any) -> None:
    node.add("(" + " + ".join(f"bool({c.subschema(s, r)}(x))" for s in value) + " == 1)")


def _not(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Any) -> None:
    node.add(f"(not {c.subschema(value, r)}(x))")


def _if(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Any) -> None:
    condition = c.function(value, r)
    then = f"{c.subschema(schema['then'], r)}(x)" if "then" in schema else "True"
    otherwise = f"{c.subschema(schema['else'], r)}(x)" if "else" in schema else "True"
    node.add(f"({then} if {condition}(x) else {otherwise})")


def _properties(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Any) -> None:
    for name, sub in value.items():
        resolver = c.descend(sub, r)
        function = c.function(sub, resolver)
        node.members.setdefault(name, []).append(function)
        node.sources.setdefault(name, []).append((function, sub, resolver))
        if isinstance(sub, dict) and ("enum" in sub or "const" in sub):
            node.cheap.add(name)


def _required(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Any) -> None:
    if not all(isinstance(n, str) for n in value):
        raise Unsupported(f"required {value!r}")
    node.required.update(value)


def _all_of(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Any) -> None:
    for sub in value:
        c.include(node, sub, c.descend(sub, r))


def _ref(c: Compiler, node: Node, value: Any, schema: dict[str, Any], r: Resolver[Any]) -> None:
    try:
        resolved = r.lookup(value)
    except Unresolvable as error:
        raise Unsupported(f"$ref {value!r} does not resolve: {error}") from error
    c.include(node, resolved.contents, resolved.resolver)


BUILDERS: Final[dict[str, Builder]] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "minimum": _bound(">="),
    "maximum": _bound("<="),
    "exclusiveMinimum": _bound(">"),
    "exclusiveMaximum": _bound("<"),
    "minLength": _length("str", ">="),
    "maxLength": _length("str", "<="),
    "minItems": _length("list", ">="),
    "maxItems": _length("list", "<="),
    "minProperties": _length("dict", ">="),
    "maxProperties": _length("dict", "<="),
    "pattern": _pattern,
    "format": _format,
    "uniqueItems": _unique,
    "properties": _properties,
    "required": _required,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional,
    "propertyNames": _property_names,
    "dependentRequired": _dependent_required,
    "prefixItems": _prefix_items,
    "items": _items,
    "allOf": _all_of,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "not": _not,
    "if": _if,
    "$ref": _ref,
}
