"""The bundled catalogue: lookup by type and $id, the offline registry, validators, contexts."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator
from referencing.exceptions import Unresolvable

from mim_suite.catalogue import Catalogue, NotInCatalogue, UnknownModel, key_values_examples
from mim_suite.catalogue.formats import FORMAT_CHECKER
from mim_suite.catalogue.index import read_json
from mim_suite.catalogue.registry import walk_refs

GITHUB_IO = "https://smart-data-models.github.io/"
RAW = "https://raw.githubusercontent.com/smart-data-models/"


def test_the_bundled_catalogue_has_every_indexed_model(fresh: Catalogue) -> None:
    models = fresh.models()
    assert len(models) == 87
    assert len({m.domain for m in models}) == 20
    assert sum(1 for m in models if m.examples) == 42
    assert all(m.origin == "bundled" and m.schema_path.is_file() for m in models)
    assert all(m.context_path is not None and m.context_path.is_file() for m in models)


def test_lookup_by_entity_type(fresh: Catalogue) -> None:
    model = fresh.model("OffStreetParking")
    assert model.domain == "Parking"
    assert model.schema_path.parts[-3:] == ("Parking", "OffStreetParking", "schema.json")
    assert model.schema_id == f"{GITHUB_IO}dataModel.Parking/OffStreetParking/schema.json"
    assert fresh.find("OffStreetParking") is model
    assert fresh.find("NoSuchThing") is None


def test_an_unknown_type_is_reported_with_close_matches(fresh: Catalogue) -> None:
    with pytest.raises(UnknownModel) as caught:
        fresh.model("OffstreetParking")
    assert isinstance(caught.value, LookupError)
    assert caught.value.suggestions[0] == "OffStreetParking"
    assert "did you mean OffStreetParking" in str(caught.value)


@pytest.mark.parametrize(
    ("type_name", "published"),
    [
        ("TrafficViolation", "dataModel.Transportation/TrafficViolation/schema.json"),
        ("BikeLane", "dataModel.Transportation/BikeLane/schema.json"),
        ("Alert", "dataModel.Alert/Alert/schema.json"),
        ("ResourceReport", "dataModel.OSLO/ResourceReport/schema.json"),
    ],
)
def test_lookup_by_id_and_by_published_url(
    fresh: Catalogue, type_name: str, published: str
) -> None:
    model = fresh.model(type_name)
    assert model.schema_id != GITHUB_IO + published  # one of the 14 odd $id
    domain, rest = published.split("/", 1)
    for url in (model.schema_id, GITHUB_IO + published, f"{RAW}{domain}/master/{rest}"):
        assert fresh.by_id(url) is model
        assert fresh.registry.resolver().lookup(url).contents == fresh.schema(model)


def test_shared_schemas_are_registered_under_every_url_in_sources(fresh: Catalogue) -> None:
    epanet = "dataModel.WaterDistributionManagementEPANET/"
    urls = [
        GITHUB_IO + "data-models/common-schema.json",
        GITHUB_IO + "dataModel.Environment/Environment-schema.json",
        RAW + "dataModel.Environment/master/Environment-schema.json",
        GITHUB_IO + "dataModel.Weather/weather-schema.json",
        GITHUB_IO + "dataModel.UrbanMobility/gtfs-schema.json",
        GITHUB_IO + "dataModel.Alert/alert-schema.json",
        GITHUB_IO + "dataModel.Agrifood/agrifood-schema.json",
        GITHUB_IO + "dataModel.Device/device-schema.json",
        GITHUB_IO + epanet + "WaterNetworkManagement-schema.json",
        RAW + epanet + "master/WaterNetworkManagement-schema.json",
    ]
    resolver = fresh.registry.resolver()
    for url in urls:
        assert isinstance(resolver.lookup(url).contents, dict), url


def _all_schemas(catalogue: Catalogue) -> list[tuple[str, object]]:
    models = [(m.schema_id, catalogue.schema(m)) for m in catalogue.models()]
    shared = [(s["$id"], s) for s in catalogue.shared_schemas().values()]
    return [*models, *shared]


def test_every_ref_in_every_bundled_schema_resolves_offline(fresh: Catalogue) -> None:
    # The network is blocked (conftest): resolution is local or it fails.
    pairs = set()
    for base, schema in _all_schemas(fresh):
        resolver = fresh.registry.resolver(base_uri=base)
        for pointer, ref in walk_refs(schema):
            resolved = resolver.lookup(ref)
            assert isinstance(resolved.contents, (dict, bool)), (base, pointer, ref)
            pairs.add((base, ref))
    assert len(_all_schemas(fresh)) == 95
    assert len(pairs) > 141  # SOURCES.md counts 141 for the 49 schemas with examples


def test_an_unknown_uri_is_unresolvable_and_never_fetched(fresh: Catalogue) -> None:
    uri = "https://geojson.org/schema/Point.json"
    with pytest.raises(Unresolvable) as caught:
        fresh.registry.resolver().lookup(uri)
    causes = []
    error: BaseException | None = caught.value
    while error is not None:
        causes.append(error)
        error = error.__cause__
    offline = [c for c in causes if isinstance(c, NotInCatalogue)]
    assert offline, causes
    assert isinstance(offline[0], Unresolvable)
    assert str(offline[0]).startswith(f"{uri} is not in the offline schema catalogue")


def test_validators_are_compiled_once_with_format_checking(fresh: Catalogue) -> None:
    model = fresh.model("CityWork")
    validator = fresh.validator(model)
    assert isinstance(validator, Draft202012Validator)
    assert fresh.validator(model) is validator
    assert validator.format_checker is FORMAT_CHECKER
    assert not validator.is_valid({"id": "urn:x", "type": "CityWork", "dateModified": "x"})


def _key_values_examples() -> list[tuple[str, str]]:
    catalogue = Catalogue.bundled()
    return [
        (m.type, str(p.relative_to(catalogue.sdm_dir)))
        for m in catalogue.models()
        for p in key_values_examples(m)
    ]


def test_there_are_45_key_values_examples() -> None:
    examples = _key_values_examples()
    assert len(examples) == 45
    assert sum(1 for t, _ in examples if t == "Alert") == 4


@pytest.mark.parametrize(("type_name", "example"), _key_values_examples())
def test_official_key_values_examples_validate(type_name: str, example: str) -> None:
    catalogue = Catalogue.bundled()
    instance = read_json(catalogue.sdm_dir / example)
    errors = list(catalogue.validator(catalogue.model(type_name)).iter_errors(instance))
    if type_name != "CityWork":
        assert [e.message for e in errors] == []
        return
    # The one SOURCES.md names: date-times without offset / with hour 24, format checking on.
    found = {("/" + "/".join(map(str, e.path)), e.validator) for e in errors}
    assert found == {("/derogation/0/endDate", "format"), ("/workDisposition/1/endDate", "format")}


def test_contexts_cover_core_and_domain_urls(fresh: Catalogue) -> None:
    contexts = fresh.contexts()
    core = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context"
    for suffix in ("", "-v1.0", "-v1.3", "-v1.4", "-v1.6", "-v1.7", "-v1.8", "-v1.9"):
        assert "@context" in contexts[f"{core}{suffix}.jsonld"]
        assert "http://" + f"{core}{suffix}.jsonld".removeprefix("https://") in contexts
    assert contexts[f"{core}.jsonld"] is contexts[f"{core}-v1.0.jsonld"]
    for domain in {m.domain for m in fresh.models()}:
        raw = f"{RAW}dataModel.{domain}/master/context.jsonld"
        assert contexts[raw] is contexts[f"{GITHUB_IO}dataModel.{domain}/context.jsonld"]
    assert len(contexts) == 16 + 2 * 20
