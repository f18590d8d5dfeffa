"""Internal entity form -> NGSI-LD response bodies (ETSI GS CIM 009 V1.8.1).

:func:`render_entity` produces the three representations of clause 4.5 selected by
``options``/``format`` (6.3.7); :func:`render_geojson_feature` and :func:`render_geojson`
produce the GeoJSON representation (4.5.16, 4.5.17; 6.3.15). Rendering never mutates its
input and never emits ``@context`` itself, except when the caller hands one to the GeoJSON
functions (it then sits at the root of the Feature or FeatureCollection).

Rules (clause):

* Normalized (4.5.2.2): names compacted with the TermMapper, entity ``type`` a string when
  single; each attribute an object, or an array of objects when it has several instances
  (4.5.5); sub-attributes recursively; VocabProperty ``vocab`` and ``objectType`` compacted
  (``@vocab`` coercion); ListRelationship ``objectList`` as ``[{"object": URI}, ...]``.
* System attributes ``createdAt``/``modifiedAt`` on the entity, instances and sub-attributes
  only with ``sys_attrs`` (``options=sysAttrs``, 4.8); instance ``deletedAt`` likewise;
  an entity-level ``deletedAt`` is always kept (deleted-entity notifications, 5.8.6).
* Concise (4.5.2.3 and the concise sub-clauses of 4.5.3, 4.5.18-4.5.24): ``type`` dropped
  wherever the concise inference rules recover it; a Property or GeoProperty with nothing
  but its value becomes the bare value (not when the value is a JSON object, or an array
  holding one, nor inside a multi-instance array - those would parse back differently);
  ListRelationship ``objectList`` as bare URIs.
* Simplified / keyValues (4.5.4): Property and GeoProperty -> value; Relationship -> object;
  LanguageProperty -> ``{"languageMap": ...}``; VocabProperty -> ``{"vocab": ...}``;
  JsonProperty -> ``{"json": ...}``; ListProperty -> the value list; ListRelationship -> the
  list of object URIs; sub-attributes and metadata dropped; an attribute with several
  instances -> ``{"dataset": {"<datasetId>" | "@none": <simplified>}}`` (the core @context
  term ``dataset`` is an ``@index`` container).
* Language filter (4.15): with ``lang``, a LanguageProperty becomes a Property whose
  ``value`` is the chosen text with a ``lang`` member naming the tag (normalized, concise),
  or just that text (keyValues); see :mod:`representation_lang`. Applied to sub-attributes too.
* Projection (4.21, 5.7.1): ``attrs`` keeps only the listed attribute IRIs; ``pick`` keeps
  only the listed attribute IRIs and, given raw, ``id``/``type``/``scope``; ``omit`` drops
  them; ``dataset_ids`` keeps only instances with those datasetIds (``@none`` = default).
* GeoJSON (4.5.16/4.5.17): ``{"id", "type": "Feature", "geometry", "properties"}`` where
  ``geometry`` is the value of the ``geometry_property`` GeoProperty (its default instance,
  else the first; ``null`` when absent) and ``properties`` is the rendered entity without
  ``id``; a list becomes ``{"type": "FeatureCollection", "features": [...]}``.

Limitations:

* ``pick``/``omit`` do not govern ``createdAt``/``modifiedAt``; ``sys_attrs`` alone does.
* Two IRIs compacting to the same term are not disambiguated (the last one wins).
* The simplified form of ListProperty/ListRelationship (bare arrays) follows third-party
  readings of 4.5.4; the clause text itself could not be consulted.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Literal

from .payload import TermMapper
from .payload_common import NGSI_LD, SYSTEM_MEMBERS, Entity, Instance, is_attribute_key
from .payload_instance import infer_type
from .representation_lang import select_language

__all__ = [
    "DEFAULT_OPTIONS",
    "RenderOptions",
    "render_entity",
    "render_geojson",
    "render_geojson_feature",
]

Form = Literal["normalized", "concise", "keyValues"]


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render: representation, projections and filters (see module docstring)."""

    form: Form = "normalized"
    sys_attrs: bool = False
    attrs: frozenset[str] | None = None
    pick: frozenset[str] | None = None
    omit: frozenset[str] | None = None
    lang: str | None = None
    dataset_ids: frozenset[str] | None = None
    geometry_property: str = NGSI_LD + "location"


DEFAULT_OPTIONS: Final = RenderOptions()
_CORE: Final = ("id", "type", "scope")


def render_entity(
    entity: Entity, mapper: TermMapper, *, options: RenderOptions = DEFAULT_OPTIONS
) -> dict[str, Any]:
    """Render one internal entity in the representation selected by ``options``."""
    out: dict[str, Any] = {}
    for key in _CORE:
        if key in entity and _keeps(key, options):
            out[key] = _render_core(key, entity[key], mapper)
    for key in ("expiresAt", "createdAt", "modifiedAt", "deletedAt"):
        if key in entity and (options.sys_attrs or key in ("expiresAt", "deletedAt")):
            out[key] = entity[key]
    for iri, instances in entity.items():
        if not is_attribute_key(iri) or not _keeps_attribute(iri, options):
            continue
        kept = _filter_datasets(instances, options.dataset_ids)
        if kept:
            out[mapper.compact_iri(iri)] = _render_attribute(kept, mapper, options)
    return out


def render_geojson_feature(
    entity: Entity,
    mapper: TermMapper,
    options: RenderOptions = DEFAULT_OPTIONS,
    *,
    context: Any = None,
) -> dict[str, Any]:
    """Render one entity as a GeoJSON Feature (4.5.16); ``context`` goes to its root."""
    properties = render_entity(entity, mapper, options=options)
    feature: dict[str, Any] = {}
    if "id" in properties:
        feature["id"] = properties.pop("id")
    feature["type"] = "Feature"
    feature["geometry"] = _geometry(entity, options)
    feature["properties"] = properties
    if context is not None:
        feature["@context"] = copy.deepcopy(context)
    return feature


def render_geojson(
    entities: Iterable[Entity],
    mapper: TermMapper,
    options: RenderOptions = DEFAULT_OPTIONS,
    *,
    context: Any = None,
) -> dict[str, Any]:
    """Render entities as a GeoJSON FeatureCollection (4.5.17); ``context`` goes to its root."""
    features = [render_geojson_feature(entity, mapper, options) for entity in entities]
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if context is not None:
        collection["@context"] = copy.deepcopy(context)
    return collection


def _keeps(name: str, options: RenderOptions) -> bool:
    if options.pick is not None and name not in options.pick:
        return False
    return options.omit is None or name not in options.omit


def _keeps_attribute(iri: str, options: RenderOptions) -> bool:
    if options.attrs is not None and iri not in options.attrs:
        return False
    return _keeps(iri, options)


def _render_core(key: str, value: Any, mapper: TermMapper) -> Any:
    if key == "type":
        return _single([mapper.compact_iri(iri) for iri in value])
    if key == "scope":
        return _single(list(value))
    return value


def _single(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def _compact_names(value: Any, mapper: TermMapper) -> Any:
    if isinstance(value, list):
        return [mapper.compact_iri(item) for item in value]
    return mapper.compact_iri(value)


def _filter_datasets(instances: list[Instance], wanted: frozenset[str] | None) -> list[Instance]:
    if wanted is None:
        return instances
    return [i for i in instances if i.get("datasetId", "@none") in wanted]


def _render_attribute(instances: list[Instance], mapper: TermMapper, options: RenderOptions) -> Any:
    if options.form == "keyValues":
        if len(instances) == 1:
            return _simplified(instances[0], mapper, options)
        return {
            "dataset": {
                i.get("datasetId", "@none"): _simplified(i, mapper, options) for i in instances
            }
        }
    single = len(instances) == 1
    rendered = [_render_instance(i, mapper, options, bare_ok=single) for i in instances]
    return rendered[0] if single else rendered


def _apply_lang(instance: Instance, lang: str | None) -> Instance:
    if lang is None or instance.get("type") != "LanguageProperty":
        return instance
    chosen = select_language(instance.get("languageMap") or {}, lang)
    if chosen is None:
        return instance
    tag, text = chosen
    converted: Instance = {"type": "Property", "value": text, "lang": tag}
    converted.update((k, v) for k, v in instance.items() if k not in ("type", "languageMap"))
    return converted


def _render_instance(
    instance: Instance, mapper: TermMapper, options: RenderOptions, *, bare_ok: bool
) -> Any:
    instance = _apply_lang(instance, options.lang)
    out: dict[str, Any] = {"type": instance["type"]}
    for key, value in instance.items():
        if key == "type" or (key in SYSTEM_MEMBERS and not options.sys_attrs):
            continue
        if is_attribute_key(key):
            out[mapper.compact_iri(key)] = _render_instance(value, mapper, options, bare_ok=True)
        elif key in ("vocab", "objectType"):
            out[key] = _compact_names(value, mapper)
        else:
            out[key] = copy.deepcopy(value)
    return _concise(out, bare_ok=bare_ok) if options.form == "concise" else out


def _concise(rendered: dict[str, Any], *, bare_ok: bool) -> Any:
    kind = rendered["type"]
    body = {key: value for key, value in rendered.items() if key != "type"}
    if kind == "ListRelationship":
        body["objectList"] = [item["object"] for item in body["objectList"]]
    if bare_ok and set(body) == {"value"} and _bare_value_ok(kind, body["value"]):
        return body["value"]
    return body if infer_type(body, "") == kind else rendered


def _bare_value_ok(kind: str, value: Any) -> bool:
    if kind == "GeoProperty":
        return True
    if isinstance(value, list):
        return not any(isinstance(item, dict) for item in value)
    return kind == "Property" and not isinstance(value, dict)


def _simplified(instance: Instance, mapper: TermMapper, options: RenderOptions) -> Any:
    instance = _apply_lang(instance, options.lang)
    kind = instance["type"]
    if kind in ("Property", "GeoProperty"):
        return copy.deepcopy(instance["value"])
    if kind == "Relationship":
        return copy.deepcopy(instance["object"])
    if kind == "ListProperty":
        return copy.deepcopy(instance["valueList"])
    if kind == "ListRelationship":
        return [item["object"] for item in instance["objectList"]]
    if kind == "VocabProperty":
        return {"vocab": _compact_names(instance["vocab"], mapper)}
    member = "languageMap" if kind == "LanguageProperty" else "json"
    return {member: copy.deepcopy(instance[member])}


def _geometry(entity: Entity, options: RenderOptions) -> Any:
    instances = _filter_datasets(entity.get(options.geometry_property) or [], options.dataset_ids)
    geo = [i for i in instances if i.get("type") == "GeoProperty"]
    if not geo:
        return None
    chosen = next((i for i in geo if "datasetId" not in i), geo[0])
    return copy.deepcopy(chosen["value"])
