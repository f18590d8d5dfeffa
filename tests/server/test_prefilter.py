"""The q pre-filter in the store never loses an entity the exact q evaluation accepts."""

from __future__ import annotations

import pytest

from reference_server.api.prefilter import index_entity, q_condition
from reference_server.ngsild.query import evaluate_q, parse_q, resolve_q
from reference_server.store import Candidates, SqliteStore
from reference_server.store.base import AttrTest

NS = "https://example.org/"


def expand(term: str) -> str:
    return term if ":" in term else NS + term


def prop(value: object, **extra: object) -> list[dict[str, object]]:
    return [{"type": "Property", "value": value, **extra}]


ENTITIES: list[dict[str, object]] = [
    {"id": "urn:e:1", "type": [NS + "T"], NS + "speed": prop(10), NS + "name": prop("alpha")},
    {"id": "urn:e:2", "type": [NS + "T"], NS + "speed": prop(55.5), NS + "name": prop("beta")},
    {"id": "urn:e:3", "type": [NS + "T"], NS + "speed": prop([1, 200]), NS + "ok": prop(True)},
    {
        "id": "urn:e:4",
        "type": [NS + "T"],
        NS + "speed": [
            {"type": "Property", "value": 5},
            {"type": "Property", "value": 99, "datasetId": "urn:d:1"},
        ],
        NS + "seen": prop("2024-05-01T10:00:00Z"),
    },
    {
        "id": "urn:e:5",
        "type": [NS + "T"],
        NS + "owner": [{"type": "Relationship", "object": "urn:p:1"}],
        NS + "label": [{"type": "LanguageProperty", "languageMap": {"en": "car", "fr": "voiture"}}],
        NS + "kind": [{"type": "VocabProperty", "vocab": NS + "Sedan"}],
    },
    {
        "id": "urn:e:6",
        "type": [NS + "T"],
        NS + "address": prop({"city": "Porto", "zip": 4000}),
        NS + "seen": prop("2024-05-01T10:00:00.000Z"),
        NS + "speed": prop("fast"),
    },
    {
        "id": "urn:e:7",
        "type": [NS + "T"],
        NS + "speed": [
            {
                "type": "Property",
                "value": 70,
                NS + "accuracy": {"type": "Property", "value": 0.9},
                "observedAt": "2024-01-01T00:00:00Z",
            }
        ],
        NS + "tags": [{"type": "ListProperty", "valueList": ["a", "b", 3]}],
    },
]

QUERIES = [
    "speed",
    "!speed",
    "speed>50",
    "speed>=55.5",
    "speed<10",
    "speed<=10",
    "speed==10",
    "speed==5,99",
    "speed==1..60",
    "speed!=10",
    'speed=="fast"',
    "speed==fast",
    'name=="alpha"',
    'name>"alpha"',
    'name=="alpha","beta"',
    "name~=al.*",
    "name!~=al",
    "ok==true",
    "owner==urn:p:1",
    "owner!=urn:p:1",
    'label=="car"',
    "label[fr]==voiture",
    "kind==Sedan",
    'address[city]=="Porto"',
    "address[zip]>3000",
    "seen==2024-05-01T10:00:00Z",
    'seen=="2024-05-01T10:00:00Z"',
    "seen>2024-01-01T00:00:00Z",
    "speed.accuracy>0.5",
    "speed.observedAt>2023-12-01T00:00:00Z",
    'tags=="a"',
    "tags==3",
    "speed>50;name",
    "speed>50|name",
    "(speed>50|owner);!ok",
    "speed>100|label",
    'speed==10;name=="alpha"|tags',
]


@pytest.fixture
async def store() -> SqliteStore:
    store = SqliteStore(None, indexer=index_entity)
    for entity in ENTITIES:
        assert await store.create("", dict(entity))
    return store


@pytest.mark.parametrize("text", QUERIES)
async def test_prefilter_keeps_every_match(store: SqliteStore, text: str) -> None:
    expr = resolve_q(parse_q(text), expand)
    exact = {e["id"] for e in ENTITIES if evaluate_q(expr, e)}
    condition = q_condition(expr)
    narrowed = await store.scan("", Candidates(where=condition))
    assert exact <= {e["id"] for e in narrowed}, (text, condition)


async def test_prefilter_narrows_simple_comparisons(store: SqliteStore) -> None:
    condition = q_condition(resolve_q(parse_q("speed>60"), expand))
    assert condition == AttrTest(NS + "speed", "gt", (60,))
    found = {e["id"] for e in await store.scan("", Candidates(where=condition))}
    assert found == {"urn:e:3", "urn:e:4", "urn:e:7"}


async def test_count_and_pagination_follow_the_filter(store: SqliteStore) -> None:
    condition = AttrTest(NS + "speed", "exists")
    assert await store.count("", Candidates(where=condition)) == 6
    page = await store.scan("", Candidates(where=condition), limit=2, offset=1)
    assert [e["id"] for e in page] == ["urn:e:2", "urn:e:3"]
