"""Evaluation of NGSI-LD Query Language terms against internal entities (clause 4.9)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from reference_server.ngsild.query import evaluate_q, parse_q, resolve_q

NS = "https://example.org/"


def expand(term: str) -> str:
    """A fake @context: names get the example namespace, IRIs stay as they are."""
    return term if ":" in term else NS + term


def prop(value: Any, **members: Any) -> dict[str, Any]:
    return {"type": "Property", "value": value, **members}


def rel(target: str | list[str], **members: Any) -> dict[str, Any]:
    return {"type": "Relationship", "object": target, **members}


VEHICLE: dict[str, Any] = {
    "id": "urn:ngsi-ld:Vehicle:A1",
    "type": [NS + "Vehicle"],
    "createdAt": "2024-01-01T00:00:00Z",
    "modifiedAt": "2024-01-02T00:00:00Z",
    NS + "speed": [
        prop(
            80,
            observedAt="2024-01-01T10:00:00Z",
            unitCode="KMH",
            **{NS + "accuracy": prop(0.5)},
        ),
        prop(120, datasetId="urn:ngsi-ld:Dataset:gps"),
    ],
    NS + "brandName": [prop("Mercedes")],
    NS + "tags": [prop(["red", "fast"])],
    NS + "count": [prop("20")],
    NS + "zero": [prop(0)],
    NS + "inService": [prop(True)],
    NS + "isParked": [rel("urn:ngsi-ld:Parking:P1", observedAt="2024-01-01T09:00:00Z")],
    NS + "owners": [rel(["urn:ngsi-ld:Person:1", "urn:ngsi-ld:Person:2"])],
    NS + "address": [prop({"city": "Berlin", "zip": "10115", "geo": {"lat": 52.5}})],
    NS + "name": [
        {
            "type": "LanguageProperty",
            "languageMap": {"en": "red car", "fr": "voiture rouge", "de": ["rotes Auto", "Wagen"]},
        }
    ],
    NS + "category": [{"type": "VocabProperty", "vocab": NS + "Commercial"}],
    NS + "readings": [{"type": "ListProperty", "valueList": [1, 5, 9]}],
    NS + "fleet": [
        {
            "type": "ListRelationship",
            "objectList": [{"object": "urn:ngsi-ld:Fleet:1"}, {"object": "urn:ngsi-ld:Fleet:2"}],
        }
    ],
    NS + "config": [{"type": "JsonProperty", "json": {"mode": "eco", "level": 3}}],
    NS + "location": [{"type": "GeoProperty", "value": {"type": "Point", "coordinates": [13, 52]}}],
    NS + "serviceDate": [prop({"@type": "DateTime", "@value": "2023-06-01T08:00:00Z"})],
    NS + "lastCheck": [prop("2024-02-01T10:00:00+01:00")],
    NS + "built": [prop("2019-05-04")],
    NS + "opens": [prop("08:30:00")],
}

LINKED: dict[str, Mapping[str, Any]] = {
    "urn:ngsi-ld:Parking:P1": {
        "id": "urn:ngsi-ld:Parking:P1",
        "type": [NS + "Parking"],
        NS + "capacity": [prop(40)],
        NS + "operator": [rel("urn:ngsi-ld:Company:C")],
    },
    "urn:ngsi-ld:Company:C": {
        "id": "urn:ngsi-ld:Company:C",
        "type": [NS + "Company"],
        NS + "name": [prop("ACME")],
    },
    "urn:ngsi-ld:Fleet:2": {
        "id": "urn:ngsi-ld:Fleet:2",
        "type": [NS + "Fleet"],
        NS + "size": [prop(3)],
    },
}


def holds(q: str, entity: Mapping[str, Any] = VEHICLE) -> bool:
    return evaluate_q(resolve_q(parse_q(q), expand), entity, fetch=LINKED.get)


def table(*rows: tuple[str, bool]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize(("q", "expected"), rows, ids=[r[0] for r in rows])


@table(
    ("speed", True),
    ("!speed", False),
    ("missing", False),
    ("!missing", True),
    ("speed.accuracy", True),
    ("speed.missing", False),
    ("speed.observedAt", True),
    ("brandName.observedAt", False),
    ("!brandName.observedAt", True),
    ("isParked.observedAt", True),
)
def test_existence(q: str, expected: bool) -> None:
    assert holds(q) is expected


@table(
    ("speed==80", True),
    ("speed==120", True),
    ("speed==80.0", True),
    ("speed==100", False),
    ("speed!=80", True),
    ("speed>100", True),
    ("speed>200", False),
    ("speed>=120", True),
    ("speed>=121", False),
    ("speed<80", False),
    ("speed<=80", True),
    ("speed<81", True),
    ("zero==0", True),
    ("zero<1e-9", True),
    ("zero>-1", True),
)
def test_numbers_compare_numerically_across_instances(q: str, expected: bool) -> None:
    assert holds(q) is expected


@table(
    ('speed=="80"', False),
    ('speed!="80"', True),
    ("count==20", False),
    ('count=="20"', True),
    ("count>1", False),
    ("inService==1", False),
    ("zero==false", False),
    ("speed>2019-01-01", False),
    ("built>2019-01-01T00:00:00Z", False),
    ("address==1", False),
    ("address!=1", True),
    ('location=="x"', False),
    ('location!="x"', True),
)
def test_different_types_never_equal_and_always_unequal(q: str, expected: bool) -> None:
    assert holds(q) is expected


@table(
    ("inService==true", True),
    ("inService==false", False),
    ("inService!=false", True),
    ("inService!=true", False),
)
def test_booleans(q: str, expected: bool) -> None:
    assert holds(q) is expected


@table(
    ('brandName=="Mercedes"', True),
    ('brandName=="mercedes"', False),
    ('brandName!="Mercedes"', False),
    ('brandName!="BMW"', True),
    ('brandName>"A"', True),
    ('brandName<"A"', False),
    ('brandName>="Mercedes"', True),
    ('brandName<="Mercedes"', True),
    ('brandName<"Mercedes"', False),
    ('brandName>"Mercedes-Benz"', False),
    ('brandName=="A".."Z"', True),
    ('brandName=="N".."Z"', False),
)
def test_strings_compare_lexicographically(q: str, expected: bool) -> None:
    assert holds(q) is expected


@table(
    ("speed==100..130", True),
    ("speed==81..119", False),
    ("speed==80..80", True),
    ("speed!=81..119", True),
    ("speed!=70..130", False),
    ("speed==1,2,80", True),
    ("speed==1,2", False),
    ("speed!=1,2", True),
    ('brandName=="Mercedes","BMW"', True),
    ('brandName!="Mercedes","BMW"', False),
    ('brandName!="Audi","BMW"', True),
)
def test_ranges_and_value_lists(q: str, expected: bool) -> None:
    assert holds(q) is expected


@table(
    ('tags=="red"', True),
    ('tags=="blue"', False),
    ('tags!="red"', False),
    ('tags!="blue"', True),
    ('tags=="blue","fast"', True),
    ('tags!="blue","fast"', False),
    ('tags!="blue","green"', True),
    ('tags>"r"', True),
    ("tags~=^f", True),
    ("tags!~=^f", False),
    ("tags!~=^z", True),
    ("readings==5", True),
    ("readings!=5", False),
    ("readings>8", True),
    ("readings>9", False),
    ("readings==6..8", False),
    ("readings==2..6", True),
)
def test_array_values_match_through_any_element(q: str, expected: bool) -> None:
    assert holds(q) is expected


@table(
    ("brandName~=^Merc", True),
    ("brandName~=^merc", False),
    ("brandName~=(?i)^merc", True),
    ("brandName~=ced", True),
    ("brandName~=^ced", False),
    ("brandName~=^(Mercedes|BMW)$", True),
    ('brandName~="^(BMW|Audi)$"', False),
    ("brandName~=[[:upper:]][[:lower:]]+", True),
    ("brandName!~=^Merc", False),
    ("brandName!~=BMW", True),
    ("speed~=8", False),
    ("speed!~=8", False),
    ("config~=eco", False),
    ("isParked~=P1", False),
    ("isParked!~=P1", False),
)
def test_pattern_operators(q: str, expected: bool) -> None:
    assert holds(q) is expected


@table(
    ("speed.observedAt>=2024-01-01T00:00:00Z", True),
    ("speed.observedAt<2023-01-01T00:00:00Z", False),
    ("speed.observedAt==2024-01-01T11:00:00+01:00", True),
    ('speed.observedAt=="2024-01-01T11:00:00+01:00"', True),
    ("speed.observedAt==2024-01-01T00:00:00Z..2024-12-31T00:00:00Z", True),
    ('speed.unitCode=="KMH"', True),
    ('speed.unitCode!="KMH"', False),
    ('speed.datasetId=="urn:ngsi-ld:Dataset:gps"', True),
    ("speed.datasetId==urn:ngsi-ld:Dataset:gps", True),
    ("speed.accuracy<1", True),
    ("speed.accuracy>1", False),
    ("isParked.observedAt<2024-01-01T09:30:00Z", True),
)
def test_sub_attributes_and_metadata(q: str, expected: bool) -> None:
    assert holds(q) is expected


@table(
    ('isParked=="urn:ngsi-ld:Parking:P1"', True),
    ("isParked==urn:ngsi-ld:Parking:P1", True),
    ("isParked!=urn:ngsi-ld:Parking:P1", False),
    ("isParked!=urn:ngsi-ld:Parking:P2", True),
    ('isParked>"a"', False),
    ('isParked<"zzz"', False),
    ("owners==urn:ngsi-ld:Person:2", True),
    ("owners!=urn:ngsi-ld:Person:2", False),
    ("owners==urn:ngsi-ld:Person:3,urn:ngsi-ld:Person:1", True),
    ("owners!=urn:ngsi-ld:Person:3,urn:ngsi-ld:Person:4", True),
    ("fleet==urn:ngsi-ld:Fleet:2", True),
    ("fleet!=urn:ngsi-ld:Fleet:2", False),
    ('fleet>"a"', False),
)
def test_relationships_only_match_equality(q: str, expected: bool) -> None:
    assert holds(q) is expected


@table(
    ('address[city]=="Berlin"', True),
    ('address[city]!="Berlin"', False),
    ('address[city]!="Paris"', True),
    ("address[geo.lat]>50", True),
    ("address[geo.lat]<50", False),
    ('address[zip]=="10115"', True),
    ("address[zip]==10115", False),
    ("address[city]", True),
    ("address[missing]", False),
    ('address[missing]!="x"', False),
    ("address[city.x]", False),
    ('address=="Berlin"', False),
    ('config[mode]=="eco"', True),
    ("config[level]>=3", True),
    ("config[nope]", False),
    ('brandName[x]=="a"', False),
    ("isParked[x]", False),
)
def test_compound_value_paths(q: str, expected: bool) -> None:
    assert holds(q) is expected


@table(
    ('name=="red car"', True),
    ('name=="voiture rouge"', True),
    ('name=="Wagen"', True),
    ('name=="blue"', False),
    ('name[en]=="red car"', True),
    ('name[fr]=="red car"', False),
    ('name[de]=="Wagen"', True),
    ('name[*]=="Wagen"', True),
    ('name[en]!="red car"', False),
    ('name[en]!="blue car"', True),
    ('name!="red car"', False),
    ("name[en]", True),
    ("name[es]", False),
    ("name[*]", True),
    ("name~=rouge", True),
    ("name[en]~=rouge", False),
    ("name[de]~=^Wag", True),
)
def test_language_properties(q: str, expected: bool) -> None:
    assert holds(q) is expected


@table(
    (f'category=="{NS}Commercial"', True),
    ("category==Commercial", True),
    ('category=="Commercial"', True),
    ("category==Private,Commercial", True),
    ("category!=Commercial", False),
    ("category==Private", False),
    ("category!=Private", True),
)
def test_vocab_properties_match_expanded_values(q: str, expected: bool) -> None:
    assert holds(q) is expected


@table(
    ("serviceDate<2024-01-01T00:00:00Z", True),
    ("serviceDate>2024-01-01T00:00:00Z", False),
    ("lastCheck==2024-02-01T09:00:00Z", True),
    ("lastCheck>2024-02-01T09:30:00Z", False),
    ("lastCheck<2024-02-01T09:30:00.5Z", True),
    ("built==2019-05-04", True),
    ("built<2020-01-01", True),
    ("built>2020-01-01", False),
    ("built==2019-01-01..2019-12-31", True),
    ("opens<09:00:00", True),
    ("opens>09:00:00", False),
    ("opens==08:30:00Z", True),
    ("opens==08:30", True),
)
def test_temporal_values_compare_chronologically(q: str, expected: bool) -> None:
    assert holds(q) is expected


@table(
    ('speed>100;brandName=="Mercedes"', True),
    ('speed>200;brandName=="Mercedes"', False),
    ('speed>200|brandName=="Mercedes"', True),
    ('speed>200|brandName=="BMW"', False),
    ("(speed>200|inService==true);!missing", True),
    ('inService==true|speed>200;brandName=="BMW"', True),
    ('(inService==true|speed>200);brandName=="BMW"', False),
    ('speed>200;brandName=="Mercedes"|inService==true', True),
    ("!missing;!speed", False),
)
def test_logical_operators_and_precedence(q: str, expected: bool) -> None:
    assert holds(q) is expected


@table(
    ("isParked{capacity}==40", True),
    ("isParked{capacity}>50", False),
    ("isParked{Parking:capacity}==40", True),
    ("isParked{Garage,Parking:capacity}==40", True),
    ("isParked{Garage:capacity}==40", False),
    ("isParked{capacity}", True),
    ("!isParked{capacity}", False),
    ("isParked{missing}", False),
    ('isParked{operator{name}}=="ACME"', True),
    ('isParked{operator{Parking:name}}=="ACME"', False),
    ("fleet{size}==3", True),
    ("owners{size}", False),
    ("brandName{size}", False),
)
def test_linked_entity_paths(q: str, expected: bool) -> None:
    assert holds(q) is expected


def test_linked_entity_paths_need_a_fetch_function() -> None:
    expr = resolve_q(parse_q("isParked{capacity}==40"), expand)
    assert evaluate_q(expr, VEHICLE) is False
    assert evaluate_q(resolve_q(parse_q("!isParked{capacity}"), expand), VEHICLE) is True


def test_expand_values_compares_plain_properties_in_expanded_form() -> None:
    entity = {"id": "urn:x:1", "type": [NS + "Person"], NS + "gender": [prop(NS + "Male")]}
    plain = resolve_q(parse_q("gender==Male"), expand)
    listed = resolve_q(parse_q("gender==Male"), expand, expand_values=["gender"])
    assert evaluate_q(plain, entity) is False
    assert evaluate_q(listed, entity) is True
    assert (
        evaluate_q(resolve_q(parse_q("gender!=Male"), expand, expand_values=["gender"]), entity)
        is False
    )


def test_unexpanded_names_do_not_match_expanded_entities() -> None:
    assert evaluate_q(parse_q("speed==80"), VEHICLE) is False


ODD_ENTITIES: list[dict[str, Any]] = [
    {},
    {NS + "speed": "not a list"},
    {NS + "speed": [1, None, "x", []]},
    {NS + "speed": {"type": "Property", "value": 80}},
    {NS + "speed": [{"type": "Property"}]},
    {NS + "speed": [{"type": "Mystery", "value": [None, {"a": 1}, [2]]}]},
    {NS + "speed": [{"value": {"@value": [1, 2]}, "observedAt": 5}]},
    {NS + "speed": [{"type": "LanguageProperty", "languageMap": "en"}]},
    {NS + "speed": [{"type": "Relationship", "object": 7}]},
    {NS + "speed": [{"type": "ListRelationship", "objectList": "urn:a"}]},
    {NS + "isParked": [rel("urn:ngsi-ld:Nowhere:1")], "type": "odd"},
]
ODD_QUERIES = [
    "speed",
    "!speed",
    "speed==80",
    "speed!=80",
    "speed>1",
    'speed<"z"',
    "speed~=x",
    "speed!~=x",
    "speed==1..2",
    "speed==1,2",
    "speed.observedAt>2020-01-01T00:00:00Z",
    "speed[a]==1",
    "speed[en]",
    "speed{x}==1",
    "isParked{Parking:capacity}",
]


@pytest.mark.parametrize("entity", ODD_ENTITIES, ids=range(len(ODD_ENTITIES)))
def test_evaluation_never_raises_on_odd_shapes(entity: dict[str, Any]) -> None:
    for q in ODD_QUERIES:
        assert isinstance(holds(q, entity), bool)


def test_legacy_object_forms_are_understood() -> None:
    entity = {
        NS + "speed": [{"value": 5}],
        NS + "owner": [{"object": {"@id": "urn:a:1"}}],
        NS + "names": [{"languageMap": {"en": "x"}}],
        NS + "type2": [{"type": "https://uri.etsi.org/ngsi-ld/Property", "value": 1}],
    }
    assert holds("speed==5", entity)
    assert holds("owner==urn:a:1", entity)
    assert not holds('owner>"a"', entity)
    assert holds('names[en]=="x"', entity)
    assert holds("type2==1", entity)
