"""JSON Schema (Draft 2020-12) compiled to Python functions that answer "valid or not".

``jsonschema`` walks the schema on every call - a validator object per subschema, a registry
lookup per ``$ref`` - which costs about a millisecond for one Smart Data Models entity. This
module walks it once. :func:`compile_schema` resolves every ``$ref`` through the catalogue's
``referencing`` registry at compile time and turns each subschema into one small generated
Python function: the keyword checks of a subschema become one boolean expression, the
``allOf`` parts and ``$ref`` targets of an object schema are merged so that the instance's
members are visited once, and members whose schema has an ``enum`` or ``const`` are checked
first (they fail fast). Generated source only ever names constants (``c12``) held in the
functions' namespace: no value from a schema is written into source text.

The result is a verdict only; messages and locations of a failure still come from
``jsonschema``, which runs only on entities found invalid. The keyword semantics mirror
``jsonschema``'s Draft 2020-12 implementation (see :mod:`.compiled_keywords`); keywords the
dialect does not define are ignored, as ``jsonschema`` ignores them. :class:`Unsupported` is
raised - and the caller keeps ``jsonschema`` - for a keyword not reproduced here, a
subschema of another dialect, an unresolvable ``$ref`` or an invalid ``pattern``. A test
checks that the verdicts equal ``jsonschema``'s on every catalogue model and example and on
one-defect variants of each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.validators import validator_for
from referencing import Registry
from referencing.jsonschema import DRAFT202012

if TYPE_CHECKING:
    from referencing._core import Resolver

__all__ = ["Check", "CompiledSchema", "Compiler", "Unsupported", "compile_schema"]

Check = Callable[[Any], Any]
"""A compiled schema: truthy for a valid instance."""


class Unsupported(Exception):
    """The schema uses something this compiler does not reproduce exactly."""


Source = tuple[Check, Any, "Resolver[Any]"]
"""A subschema that applies to a member or item: its check, the schema, its resolver."""


@dataclass(frozen=True, slots=True)
class Parts:
    """A compiled subschema taken apart, to find where an invalid instance fails.

    ``generic`` holds every check but those of ``members`` (per member name: the merged
    check and the ``properties`` subschemas that apply to it) and of ``items``; an object
    also needs its ``required`` members."""

    required: frozenset[str]
    generic: Check
    members: dict[str, tuple[Check, tuple[Source, ...]]]
    items: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class CompiledSchema:
    """A compiled root schema: ``check`` gives the verdict; :meth:`parts` explains it."""

    check: Check
    schema: dict[str, Any]
    resolver: Resolver[Any]
    compiler: Compiler

    def parts(self, schema: dict[str, Any], resolver: Resolver[Any]) -> Parts:
        return self.compiler.parts(schema, resolver)


def compile_schema(
    schema: Any,
    registry: Registry[Any],
    format_checker: FormatChecker | None,
    compiler: Compiler | None = None,
) -> CompiledSchema:
    """``schema`` compiled, with ``$ref`` resolved in ``registry``.

    A ``compiler`` shared between schemas of one registry compiles their common parts once.
    """
    if not isinstance(schema, dict) or not _is_2020_12(schema):
        raise Unsupported("only Draft 2020-12 object schemas are compiled")
    compiler = compiler if compiler is not None else Compiler(format_checker)
    resolver = registry.resolver_with_root(DRAFT202012.create_resource(schema))
    return CompiledSchema(compiler.compile(schema, resolver), schema, resolver, compiler)


def _is_2020_12(schema: Any) -> bool:
    return validator_for(schema, default=Draft202012Validator) is Draft202012Validator


_GUARDS: Final = {
    "str": "(not isinstance(x, str) or {})",
    "list": "(not isinstance(x, list) or {})",
    "dict": "(not isinstance(x, dict) or {})",
    "num": "(not isinstance(x, _numeric) or x.__class__ is bool or {})",
}
_NEEDS: Final = {
    "str": "(isinstance(x, str) and {})",
    "list": "(isinstance(x, list) and {})",
    "dict": "(isinstance(x, dict) and {})",
    "num": "(isinstance(x, _numeric) and x.__class__ is not bool and {})",
}


class Node:
    """One subschema's checks before they become a function.

    Keyword conditions that apply to one instance kind (``str``, ``list``, ``dict``, ``num``)
    are kept with that kind: when the subschema's ``type`` already asserts the kind, the
    generated code tests the condition alone, after the type test."""

    def __init__(self) -> None:
        self.types: list[tuple[str, str | None]] = []
        self.exprs: list[str] = []
        self.guarded: list[tuple[str, str, bool]] = []
        self.members: dict[str, list[str]] = {}
        self.sources: dict[str, list[tuple[str, Any, Resolver[Any]]]] = {}
        self.items: list[tuple[str, Any, Resolver[Any]]] = []
        self.item_conditions: set[str] = set()
        self.cheap: set[str] = set()
        self.required: set[str] = set()

    def add(self, expr: str) -> None:
        if expr not in self.exprs:
            self.exprs.append(expr)

    def typed(self, expr: str, kind: str | None) -> None:
        """A ``type`` test; ``kind`` is the one instance kind it asserts, if any."""
        if (expr, kind) not in self.types:
            self.types.append((expr, kind))

    def guard(self, kind: str, condition: str) -> None:
        """``condition`` must hold when the instance is of ``kind``."""
        if (kind, condition, False) not in self.guarded:
            self.guarded.append((kind, condition, False))

    def need(self, kind: str, condition: str) -> None:
        """The instance must be of ``kind`` and satisfy ``condition``."""
        if (kind, condition, True) not in self.guarded:
            self.guarded.append((kind, condition, True))

    def merge(self, other: Node) -> None:
        for expr, kind in other.types:
            self.typed(expr, kind)
        for expr in other.exprs:
            self.add(expr)
        for entry in other.guarded:
            if entry not in self.guarded:
                self.guarded.append(entry)
        for name, tests in other.members.items():
            self.members.setdefault(name, []).extend(tests)
            self.sources.setdefault(name, []).extend(other.sources[name])
        self.items += other.items
        self.item_conditions |= other.item_conditions
        self.cheap |= other.cheap
        self.required |= other.required

    def condition(self, *, with_items: bool = True) -> str:
        """The conjunction of the type tests, then the other checks."""
        kinds = {kind for _, kind in self.types}
        known = next(iter(kinds)) if len(kinds) == 1 else None
        parts = [expr for expr, _ in self.types] + list(self.exprs)
        for kind, condition, needs_kind in self.guarded:
            if not with_items and condition in self.item_conditions:
                continue
            if kind == known:
                parts.append(condition)
            else:
                parts.append((_NEEDS if needs_kind else _GUARDS)[kind].format(condition))
        return " and ".join(parts) or "True"


class Compiler:
    """Compiles subschemas to functions sharing one namespace of constants."""

    def __init__(self, format_checker: FormatChecker | None) -> None:
        from mim_suite.validation import compiled_keywords

        self.format_checker = format_checker
        self.keywords = compiled_keywords
        self.namespace: dict[str, Any] = dict(compiled_keywords.HELPERS)
        self.nodes: dict[tuple[int, str], Node] = {}
        self.names: dict[tuple[int, str], str] = {}
        self.building: set[tuple[int, str]] = set()
        self._parts: dict[tuple[int, str], Parts] = {}
        self._defined: dict[str, Check] = {}

    def const(self, value: Any) -> str:
        """The name under which generated code sees ``value``."""
        name = f"c{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def compile(self, schema: Any, resolver: Resolver[Any]) -> Check:
        function: Check = self.namespace[self.function(schema, resolver)]
        return function

    def function(self, schema: Any, resolver: Resolver[Any]) -> str:
        """The constant name of the function checking ``schema``.

        While the schema is still being built (it refers to itself), the name is reserved and
        filled in when the build ends; generated code looks names up when it runs."""
        if schema is True or schema is False:
            return self.const((lambda _: True) if schema else (lambda _: False))
        key = self._key(schema, resolver)
        if key not in self.names:
            self.names[key] = self.const(None)
            if key not in self.building:
                self._fill(key, self.node(schema, resolver))
        return self.names[key]

    def node(self, schema: Any, resolver: Resolver[Any]) -> Node:
        key = self._key(schema, resolver)
        if key not in self.nodes:
            self.building.add(key)
            built = self._build(schema, resolver)
            self.building.discard(key)
            self.nodes[key] = built
            if key in self.names:
                self._fill(key, built)
        return self.nodes[key]

    def parts(self, schema: dict[str, Any], resolver: Resolver[Any]) -> Parts:
        """``schema`` (already compiled with this ``resolver``) taken apart."""
        key = self._key(schema, resolver)
        if key not in self._parts:
            node = self.node(schema, resolver)
            members = {
                name: (self.callable(self.conjunction(tests)), self._sources(node.sources[name]))
                for name, tests in node.members.items()
            }
            generic = node.condition(with_items=False)
            check = self.define(["def check(x):", f"    return {generic}"])
            items = self._sources(node.items)
            self._parts[key] = Parts(frozenset(node.required), check, members, items)
        return self._parts[key]

    def _sources(self, found: list[tuple[str, Any, Resolver[Any]]]) -> tuple[Source, ...]:
        return tuple((self.callable(name), schema, r) for name, schema, r in found)

    def include(self, node: Node, schema: Any, resolver: Resolver[Any]) -> None:
        """Add ``schema``'s checks to ``node``: an ``allOf`` part or a ``$ref`` target."""
        if isinstance(schema, dict) and self._key(schema, resolver) not in self.building:
            node.merge(self.node(schema, resolver))
        else:
            node.add(f"{self.function(schema, resolver)}(x)")

    def _fill(self, key: tuple[int, str], node: Node) -> None:
        name = self.names[key]
        if self.namespace[name] is None:
            self.namespace[name] = self._generate(node)

    def subschema(self, schema: Any, resolver: Resolver[Any]) -> str:
        """The function name for a subschema met while descending (``descend``)."""
        return self.function(schema, self.descend(schema, resolver))

    def descend(self, schema: Any, resolver: Resolver[Any]) -> Resolver[Any]:
        if isinstance(schema, dict):
            return resolver.in_subresource(DRAFT202012.create_resource(schema))
        return resolver

    def _key(self, schema: Any, resolver: Resolver[Any]) -> tuple[int, str]:
        if not isinstance(schema, dict):
            raise Unsupported(f"schema is neither an object nor a boolean: {schema!r}")
        if "$schema" in schema and not _is_2020_12(schema):
            raise Unsupported(f"subschema of another dialect: {schema['$schema']}")
        return (id(schema), str(getattr(resolver, "_base_uri", "")))

    def _build(self, schema: dict[str, Any], resolver: Resolver[Any]) -> Node:
        node = Node()
        for keyword, value in schema.items():
            if keyword not in Draft202012Validator.VALIDATORS:
                continue
            builder = self.keywords.BUILDERS.get(keyword)
            if builder is None:
                raise Unsupported(f"keyword {keyword!r} is not compiled")
            builder(self, node, value, schema, resolver)
        return node

    def _generate(self, node: Node) -> Check:
        condition = node.condition()
        if not node.members and not node.required:
            return self.define(["def check(x):", f"    return {condition}"])
        lines = ["def check(x):", "    if isinstance(x, dict):"]
        if node.required:
            present = " and ".join(f"{self.const(n)} in x" for n in sorted(node.required))
            lines.append(f"        if not ({present}): return False")
        rest = {}
        for name, tests in node.members.items():
            test = self.conjunction(tests)
            if name in node.cheap:
                key = self.const(name)
                lines.append(f"        if {key} in x and not {test}(x[{key}]): return False")
            else:
                rest[name] = self.callable(test)
        if rest:
            lines += [
                f"        get = {self.const(rest)}.get",
                "        for k, v in x.items():",
                "            t = get(k)",
                "            if t is not None and not t(v): return False",
            ]
        lines.append(f"    return {condition}")
        return self.define(lines)

    def callable(self, name: str) -> Check:
        function: Check | None = self.namespace[name]
        if function is not None:
            return function
        namespace = self.namespace
        return lambda instance: namespace[name](instance)

    def conjunction(self, tests: list[str]) -> str:
        if len(tests) == 1:
            return tests[0]
        joined = " and ".join(f"{t}(x)" for t in tests)
        return self.const(self.define(["def check(x):", f"    return {joined}"]))

    def define(self, lines: list[str]) -> Check:
        """The function ``lines`` define; one function per distinct source text."""
        source = "\n".join(lines)
        if source not in self._defined:
            scope: dict[str, Any] = {}
            exec(source, self.namespace, scope)  # names constants only, see above
            self._defined[source] = scope["check"]
        return self._defined[source]
