"""location, observationSpace and operationSpace must be GeoProperties (clause 4.7.1)."""

from __future__ import annotations

from mim_suite.validation import check_structure

POINT = {"type": "Point", "coordinates": [8.6, 41.1]}


def rules(entity: dict[str, object]) -> list[tuple[str, str]]:
    return [(f.pointer, f.rule) for f in check_structure(entity, "normalized")]


def test_location_typed_as_property_is_reported() -> None:
    entity = {
        "id": "urn:ngsi-ld:Thing:1",
        "type": "Thing",
        "location": {"type": "Property", "value": POINT},
    }
    assert ("/location/type", "ngsi-ld/geoproperty") in rules(entity)


def test_geoproperty_location_is_fine() -> None:
    entity = {
        "id": "urn:ngsi-ld:Thing:1",
        "type": "Thing",
        "location": {"type": "GeoProperty", "value": POINT},
        "observationSpace": [{"type": "GeoProperty", "value": POINT}],
    }
    assert not [r for r in rules(entity) if r[1] == "ngsi-ld/geoproperty"]


def test_multi_instance_points_at_the_instance() -> None:
    entity = {
        "id": "urn:ngsi-ld:Thing:1",
        "type": "Thing",
        "operationSpace": [
            {"type": "GeoProperty", "value": POINT},
            {"type": "Property", "value": POINT, "datasetId": "urn:d:1"},
        ],
    }
    assert ("/operationSpace/1/type", "ngsi-ld/geoproperty") in rules(entity)
