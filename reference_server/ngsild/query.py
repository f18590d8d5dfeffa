"""The NGSI-LD query languages as pure functions (ETSI GS CIM 009 V1.8.1): no I/O, no HTTP.

Clauses implemented (the code lives in :mod:`reference_server.ngsild.qlang`):

* 4.9 NGSI-LD Query Language, ``q``: :func:`parse_q` builds an immutable AST (``str()``
  renders it back, so ``parse_q(str(e)) == e``), :func:`resolve_q` expands names against the
  @context (clause 5.5.7), :func:`evaluate_q` matches an entity in the broker's internal form.
  Linked entity paths ``rel{Type:attr}`` (clause 4.5.23) are evaluated through a ``fetch``
  callback.
* 4.17 Entity Type Selection Language, ``type``: :func:`parse_type_selection`,
  :func:`resolve_types`, :func:`types_in`, :func:`match_types`.
* 4.19 Scope Query Language, ``scopeQ``: :func:`parse_scope_q`, :func:`evaluate_scope_q`.
* 4.21 Attribute Projection Language, ``pick``/``omit``: :func:`parse_projection`,
  :func:`resolve_projection`; plain ``attrs`` lists (6.4.3.2): :func:`parse_attr_list`.
* 4.6.2 names and 4.6.3 DateTime/Date/Time values; 5.5.2 errors: BadRequestData whose detail
  names the problem and its 0-based character position, TooComplexQuery (403) beyond the
  limits of ``qlang._scan`` (4096 characters, nesting 64, 256 terms, regex 256 characters).

Callers pass URL-decoded text (as FastAPI provides). Whitespace between tokens is skipped, and a
space where a DateTime offset's ``+`` belongs is read as ``+`` (an unencoded ``+`` decodes to a
space).

Decisions where V1.8.1 is unclear (the clause texts consulted are those of V1.9.1; linked
entity paths ``rel{...}`` and language tags in brackets may postdate V1.8.1 and are accepted
all the same):

* ``;`` binds tighter than ``|`` (4.9 says so); parentheses nest to any depth (the ABNF's
  QueryTermAssoc shows one level, example 6 nests two). The same holds for 4.17 and 4.19,
  where ``A;B`` is also accepted without the parentheses the text asks for.
* ``!attr`` (non-existence) is accepted, as Orion-LD and Stellio do; the V1.8.1 ABNF lacks it.
  ``null`` is rejected: the grammar has no null value.
* Values: JSON strings and numbers, ``true``/``false``, unquoted DateTime/Date/Time, ranges
  ``a..b`` (bounds of one type) and lists ``a,b`` with ``==``/``!=`` only (CompEqualityValue).
  Unquoted URIs (``scheme:...``) and bare names (``gender==Male``, 4.9 example 12) are accepted
  with ``==``/``!=`` and compare as strings.
* Regular expressions (IEEE 1003.2 per 4.9) are unquoted and end at the first top-level ``;``,
  ``|`` or ``)`` (so ``a~=x|y`` is ``(a~=x)|y``; write ``a~=(x|y)``), or are written as a JSON
  string. They are run with Python ``re.search`` (substring semantics, as Orion-LD's POSIX
  ``regexec`` and Stellio's ``like_regex``); anchor with ``^...$`` for a full match. POSIX
  bracket classes such as ``[:alpha:]`` are translated.
* Attribute paths: ``attr.sub.sub`` addresses sub-attributes, a last segment in
  ``qlang.q_ast.METADATA_MEMBERS`` (observedAt, createdAt, modifiedAt, deletedAt, unitCode,
  datasetId, objectType) addresses that member; one bracketed trailing path ``attr[a.b]``
  enters a compound value (``attr[a][b]`` is rejected: 4.9 allows one pair of brackets). On a
  LanguageProperty the bracket holds a language tag, ``[*]`` meaning any. A segment starting
  with ``scheme://`` is a full IRI running to the operator (dots included); ``prefix:name`` is
  a compact IRI. Inside braces a leading ``Name,Name:`` is the entity type hint of 4.9
  example 14, so a compact IRI there must follow an explicit hint (``{Device:ex:humidity}``).
* Comparison: numbers numerically (booleans are not numbers), strings by code point (4.9 asks
  RFC 8259 clause 8.3), DateTime/Date/Time chronologically; two strings that both parse as
  DateTimes compare as instants. Different types never match ``==``/ordering and always match
  ``!=`` (4.9). A term holds if any instance (datasetId) satisfies it; on an array target
  ``==``/ordering/``~=`` need one element, ``!=`` needs no element equal and ``!~=`` no string
  element matching (and at least one string). Relationships only match ``==``/``!=``.
* VocabProperty values and attributes listed in ``expandValues`` also match the expanded form
  of a string value (:func:`resolve_q` records it in ``Literal.iri``).

Limitations:

* No Unicode Collation Algorithm for strings (4.9 "should"); code-point order only.
* The regular expression flavour is Python's, close to but not exactly POSIX ERE; the guard
  against catastrophic backtracking (length limit, nested-quantifier heuristic) is not complete.
* A full-IRI attribute cannot have sub-attribute or metadata segments; URIs and type names that
  contain ``,``, ``;``, ``|``, ``(`` or ``)`` must be quoted in ``q`` and cannot be used in
  ``type``/``pick``/``omit`` (4.17 NOTE recommends short names).
* ``type=*`` (all types) is not supported; the ``#{datasetId}`` path selector of later versions
  is not either.
* ``jsonKeys`` needs no handling: trailing compound-value keys are never expanded.
"""

from __future__ import annotations

from reference_server.ngsild.qlang.projection import (
    ENTITY_MEMBERS,
    Projection,
    parse_attr_list,
    parse_projection,
    resolve_projection,
)
from reference_server.ngsild.qlang.q_ast import (
    METADATA_MEMBERS,
    And,
    AttrPath,
    Comparison,
    Exists,
    LinkedPath,
    Literal,
    Op,
    Or,
    Path,
    QExpr,
    QValue,
    Range,
    Regex,
    ValueKind,
    ValueList,
)
from reference_server.ngsild.qlang.q_eval import (
    WILD,
    Fetch,
    evaluate_q,
    index_entries,
    q_attributes,
)
from reference_server.ngsild.qlang.q_parser import parse_q
from reference_server.ngsild.qlang.q_resolve import resolve_q
from reference_server.ngsild.qlang.selection import (
    ScopeAnd,
    ScopeExpr,
    ScopeOr,
    ScopePattern,
    TypeAnd,
    TypeExpr,
    TypeName,
    TypeOr,
    evaluate_scope_q,
    match_types,
    parse_scope_q,
    parse_type_selection,
    resolve_types,
    types_in,
)

__all__ = [
    "ENTITY_MEMBERS",
    "METADATA_MEMBERS",
    "WILD",
    "And",
    "AttrPath",
    "Comparison",
    "Exists",
    "Fetch",
    "LinkedPath",
    "Literal",
    "Op",
    "Or",
    "Path",
    "Projection",
    "QExpr",
    "QValue",
    "Range",
    "Regex",
    "ScopeAnd",
    "ScopeExpr",
    "ScopeOr",
    "ScopePattern",
    "TypeAnd",
    "TypeExpr",
    "TypeName",
    "TypeOr",
    "ValueKind",
    "ValueList",
    "evaluate_q",
    "evaluate_scope_q",
    "index_entries",
    "match_types",
    "parse_attr_list",
    "parse_projection",
    "parse_q",
    "parse_scope_q",
    "parse_type_selection",
    "q_attributes",
    "resolve_projection",
    "resolve_q",
    "resolve_types",
    "types_in",
]
