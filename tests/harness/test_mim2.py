"""MIM2 checks on a platform holding data: official Smart Data Models examples pass, a defect
fails with the entity and the pointer, unknown types are told apart, and only GETs are sent.

Data is seeded through a writable probe on the same in-process reference platform; the
checks then run under the read-only profile through a recorder of every request.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import httpx
from starlette.types import ASGIApp

from mim_suite.checks import catalogue, select
from mim_suite.checks.mim2._support import DEFAULT_CONTEXT, NO_DATA, SAMPLE_SIZE
from mim_suite.model import CheckResult, Outcome
from mim_suite.probe import Probe, Target
from mim_suite.resources import data_dir
from mim_suite.runner import RunSettings, run_checks
from tests.harness.breakage import Breakage, broken
from tests.harness.conftest import API_ROOT, reference_app
from tests.harness.test_readonly_profile import Recorder

CORE = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld"
# Official examples that are valid per their schema and that the reference platform accepts.
EXAMPLES = (
    "Parking/ParkingAccess",
    "PointOfInterest/Store",
    "WasteManagement/WasteObserved",
    "Transportation/FleetVehicle",
    "ParksAndGardens/Garden",
)
COPIES = 2
MIM2_IDS = {
    "MIM2.MODELS.CONFORM",
    "MIM2.MODELS.DISCOVER",
    "MIM2.MODELS.KEYVALUES.CONSISTENT",
    "MIM2.MODELS.KNOWN",
    "MIM2.MODELS.STRUCTURE",
}


def _example(path: str) -> dict[str, Any]:
    """An official ``example-normalized.jsonld`` (the NGSI-LD one; ``example-normalized.json``
    is NGSI v2) without its @context, so its names expand to the default vocabulary."""
    file = Path(data_dir("sdm")) / path / "examples" / "example-normalized.jsonld"
    entity: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
    entity.pop("@context", None)
    return entity


def official_examples() -> list[dict[str, Any]]:
    """``COPIES`` entities of each example type, with distinct ids."""
    entities = []
    for path in EXAMPLES:
        example = _example(path)
        for n in range(COPIES):
            entities.append({**copy.deepcopy(example), "id": f"{example['id']}-copy{n}"})
    return entities


def off_street_parking(name: str, spots: Any) -> dict[str, Any]:
    return {
        "id": f"urn:ngsi-ld:OffStreetParking:{name}",
        "type": "OffStreetParking",
        "totalSpotNumber": {"type": "Property", "value": spots},
        "location": {
            "type": "GeoProperty",
            "value": {"type": "Point", "coordinates": [-8.61, 41.15]},
        },
    }


async def seed(app: ASGIApp, entities: Iterable[dict[str, Any]], **headers: str) -> None:
    writer = Probe(Target(api_root=API_ROOT), transport=httpx.ASGITransport(app=app))
    try:
        for entity in entities:
            response, _ = await writer.request(
                "POST", "/entities", json_body=entity, headers=headers or None
            )
            assert response.status == 201, response.text
    finally:
        await writer.aclose()


async def run_mim2(app: ASGIApp, pattern: str = "MIM2") -> dict[str, CheckResult]:
    """The MIM2 checks under the read-only profile, by id."""
    probe = Probe(Target(api_root=API_ROOT, read_only=True), transport=httpx.ASGITransport(app=app))
    try:
        settings = RunSettings(profile="read-only", run_id="d2d2d201")
        run = await run_checks(select(catalogue(), [pattern]), probe, settings)
    finally:
        await probe.aclose()
    return {r.info.id: r for r in run.results}


def _outcomes(results: dict[str, CheckResult]) -> dict[str, str]:
    return {i: f"{r.outcome} {r.reason or ''}".strip() for i, r in results.items()}


# -- a platform holding conforming data --------------------------------------------------------


async def test_official_examples_pass_every_mim2_check() -> None:
    app = reference_app()
    await seed(app, official_examples())
    results = await run_mim2(app)
    assert set(results) == MIM2_IDS
    assert {i: r.outcome for i, r in results.items()} == dict.fromkeys(MIM2_IDS, Outcome.PASS), (
        _outcomes(results)
    )
    conform = results["MIM2.MODELS.CONFORM"].notes
    structure = results["MIM2.MODELS.STRUCTURE"].notes
    for path in EXAMPLES:
        kind = path.split("/")[1]
        assert f"{kind}: {COPIES}/{COPIES} conform" in conform
        assert f"{kind}: {COPIES}/{COPIES} follow the NGSI-LD structure rules" in structure
    discovered = " ".join(results["MIM2.MODELS.DISCOVER"].notes)
    assert "ParkingAccess [Parking]" in discovered
    assert "not in the data-model catalogue" not in discovered


async def test_read_only_profile_sends_only_gets_for_mim2() -> None:
    app = reference_app()
    await seed(app, [*official_examples(), off_street_parking("bad", "lots")])
    recorder = Recorder(app)
    results = await run_mim2(recorder)
    assert recorder.seen
    assert {method for method, _ in recorder.seen} == {"GET"}
    assert all(r.outcome is not Outcome.ERROR for r in results.values()), _outcomes(results)


async def test_sampling_is_bounded() -> None:
    app = reference_app()
    many = [off_street_parking(f"p{n}", n + 1) for n in range(SAMPLE_SIZE + 5)]
    await seed(app, many)
    results = await run_mim2(app, "MIM2.MODELS.CONFORM")
    result = results["MIM2.MODELS.CONFORM"]
    assert result.outcome is Outcome.PASS, result.reason
    assert f"OffStreetParking: {SAMPLE_SIZE}/{SAMPLE_SIZE} conform" in result.notes


# -- a platform holding defective or unknown data ----------------------------------------------


async def test_an_invalid_entity_of_a_known_type_fails_conform_with_evidence() -> None:
    app = reference_app()
    valid, invalid = off_street_parking("ok", 120), off_street_parking("bad", "lots")
    await seed(app, [*official_examples(), valid, invalid])
    results = await run_mim2(app)
    result = results["MIM2.MODELS.CONFORM"]
    assert result.outcome is Outcome.FAIL, result.reason
    evidence = result.evidence
    assert evidence is not None
    received = evidence.received
    assert "OffStreetParking: 1/2 conform" in received
    assert "ParkingAccess: 2/2 conform" in received
    assert invalid["id"] in received
    assert valid["id"] not in received
    assert "/totalSpotNumber/value jsonschema/type" in received
    assert "'lots' is not of type 'integer'" in received
    # The query that returned the invalid entity is part of the evidence, last.
    last = evidence.exchanges[-1]
    assert last.request.method == "GET"
    assert "type=OffStreetParking" in last.request.url
    assert last.curl.startswith("curl ")
    assert "OffStreetParking: 1/2 conform" in result.notes
    # A string where the model wants a number is valid NGSI-LD: only the model check fails.
    assert results["MIM2.MODELS.STRUCTURE"].outcome is Outcome.PASS
    assert results["MIM2.MODELS.KNOWN"].outcome is Outcome.PASS


async def test_only_unknown_types_skip_conform_and_fail_known() -> None:
    app = reference_app()
    zorblaxes = [
        {
            "id": f"urn:ngsi-ld:Zorblax:g{n}",
            "type": "Zorblax",
            "level": {"type": "Property", "value": n},
        }
        for n in range(3)
    ]
    typo = {**off_street_parking("typo", 3), "type": "OffstreetParking"}
    await seed(app, [*zorblaxes, typo])
    results = await run_mim2(app)
    conform = results["MIM2.MODELS.CONFORM"]
    assert conform.outcome is Outcome.SKIP
    assert conform.reason is not None
    assert "in the data-model catalogue" in conform.reason
    assert "Zorblax" in conform.reason
    known = results["MIM2.MODELS.KNOWN"]
    assert known.outcome is Outcome.FAIL, known.reason
    assert known.evidence is not None
    assert "Zorblax (closest: none)" in known.evidence.received
    assert "OffstreetParking (closest: OffStreetParking" in known.evidence.received
    assert known.evidence.exchanges[-1].request.url.endswith("/types")
    assert results["MIM2.MODELS.DISCOVER"].outcome is Outcome.PASS
    assert results["MIM2.MODELS.STRUCTURE"].outcome is Outcome.PASS
    assert (
        "Zorblax: 3/3 follow the NGSI-LD structure rules" in results["MIM2.MODELS.STRUCTURE"].notes
    )


async def test_a_platform_without_data_skips_mim2() -> None:
    results = await run_mim2(reference_app())
    assert {i: (r.outcome, r.reason) for i, r in results.items()} == dict.fromkeys(
        MIM2_IDS, (Outcome.SKIP, NO_DATA)
    )


async def test_harness_test_data_is_left_out() -> None:
    """Types named by CheckContext.type_name are not listed; entities with ids made by
    CheckContext.entity_id are not sampled (other checks' test data is not the platform's)."""
    app = reference_app()
    await seed(app, [{**off_street_parking("y", "lots"), "type": "VehicleMtab12N4"}])
    results = await run_mim2(app)
    assert {r.reason for r in results.values()} == {NO_DATA}, _outcomes(results)
    made_up = {
        **off_street_parking("x", "lots"),
        "id": "urn:ngsi-ld:OffStreetParking:mimtest-ab12-3",
    }
    await seed(app, [made_up])
    results = await run_mim2(app)
    conform = results["MIM2.MODELS.CONFORM"]
    assert conform.outcome is Outcome.SKIP
    assert conform.reason == (
        "no entity of a catalogue type (OffStreetParking) besides this harness's test data"
    )
    assert results["MIM2.MODELS.STRUCTURE"].reason == NO_DATA


# -- types given as IRIs -----------------------------------------------------------------------


def _parking_context() -> dict[str, Any]:
    document = json.loads((Path(data_dir("sdm")) / "Parking" / "context.jsonld").read_text())
    context: dict[str, Any] = document["@context"]
    return context


async def test_types_are_matched_by_iri_and_findings_point_into_the_entity_as_sent() -> None:
    """Entities created with the Smart Data Models @context come back (core @context only)
    with IRI names; they are matched to the model and validated in its terms."""
    app = reference_app()
    context = [_parking_context(), CORE]
    good = {**off_street_parking("iri-ok", 40), "@context": context}
    bad = {**off_street_parking("iri-bad", "many"), "@context": context}
    await seed(app, [good, bad], **{"Content-Type": "application/ld+json"})
    results = await run_mim2(app)
    iri = "https://smartdatamodels.org/dataModel.Parking/OffStreetParking"
    assert f"{iri} (OffStreetParking) [Parking]" in " ".join(results["MIM2.MODELS.DISCOVER"].notes)
    conform = results["MIM2.MODELS.CONFORM"]
    assert conform.outcome is Outcome.FAIL, conform.reason
    assert conform.evidence is not None
    spots = "https:~1~1smartdatamodels.org~1dataModel.Parking~1totalSpotNumber"
    assert f"{bad['id']} ({iri} (OffStreetParking)): /{spots}/value jsonschema/type" in (
        conform.evidence.received
    )
    assert f"{iri} (OffStreetParking): 1/2 conform" in conform.notes
    assert results["MIM2.MODELS.KNOWN"].outcome is Outcome.PASS


async def test_an_unrelated_iri_is_not_the_shared_model() -> None:
    app = reference_app()
    other = {**off_street_parking("elsewhere", 1), "type": "https://example.org/OffStreetParking"}
    default = {**off_street_parking("default", 2), "type": DEFAULT_CONTEXT + "OffStreetParking"}
    await seed(app, [other, default])
    results = await run_mim2(app)
    discovered = " ".join(results["MIM2.MODELS.DISCOVER"].notes)
    assert "not in the data-model catalogue: https://example.org/OffStreetParking" in discovered
    # The default-vocabulary IRI comes back compacted: the bare, known name.
    assert "in the data-model catalogue: OffStreetParking [Parking]" in discovered
    assert results["MIM2.MODELS.CONFORM"].notes == ("OffStreetParking: 1/1 conform",)


# -- sensitivity: a platform that alters what it serves ----------------------------------------


def _each_entity(edit: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[Any], Any]:
    def apply(body: Any) -> Any:
        if isinstance(body, list):
            return [edit(copy.deepcopy(e)) if isinstance(e, dict) else e for e in body]
        return edit(copy.deepcopy(body)) if isinstance(body, dict) else body

    return apply


def _v2_typed(entity: dict[str, Any]) -> dict[str, Any]:
    """An NGSI v2 attribute type in place of Property (what a v2 bridge might serve)."""
    for value in entity.values():
        if isinstance(value, dict) and value.get("type") == "Property":
            value["type"] = "Number" if isinstance(value.get("value"), int) else "Text"
    return entity


def _stale_key_values(entity: dict[str, Any]) -> dict[str, Any]:
    if "totalSpotNumber" in entity:
        entity["totalSpotNumber"] = 0
    return entity


async def test_structure_fails_on_entities_served_with_ngsi_v2_attribute_types() -> None:
    base = reference_app()
    await seed(base, [off_street_parking("v2", 10)])
    app = broken(base, Breakage(method="GET", path="/entities$", edit_body=_each_entity(_v2_typed)))
    results = await run_mim2(app)
    result = results["MIM2.MODELS.STRUCTURE"]
    assert result.outcome is Outcome.FAIL, result.reason
    assert result.evidence is not None
    assert "urn:ngsi-ld:OffStreetParking:v2 (OffStreetParking)" in result.evidence.received
    assert "/totalSpotNumber/type ngsi-ld/attribute-type" in result.evidence.received
    assert "type=OffStreetParking" in result.evidence.exchanges[-1].request.url
    assert results["MIM2.MODELS.CONFORM"].outcome is Outcome.FAIL


async def test_key_values_that_disagree_with_the_normalized_form_fail() -> None:
    base = reference_app()
    await seed(base, [off_street_parking("kv", 10)])
    altered = Breakage(
        method="GET",
        path="/entities/.+",
        when_param="options",
        edit_body=_each_entity(_stale_key_values),
    )
    results = await run_mim2(broken(base, altered), "MIM2.MODELS.KEYVALUES.*")
    result = results["MIM2.MODELS.KEYVALUES.CONSISTENT"]
    assert result.outcome is Outcome.FAIL, result.reason
    assert result.evidence is not None
    assert "totalSpotNumber: 0 in keyValues, 10 normalized" in result.evidence.received
    urls = [e.request.url for e in result.evidence.exchanges]
    assert any("options=keyValues" in u for u in urls)
