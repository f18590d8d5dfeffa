"""The reference platform as a real process: uvicorn on a free port, spoken to over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from benchmarks.serverproc import running_server

pytestmark = pytest.mark.process


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("store")


@pytest.fixture(scope="module")
def api(data_dir: Path) -> Iterator[str]:
    with running_server(data_dir=data_dir) as url:
        yield url


def _entity(n: int) -> dict[str, object]:
    return {
        "id": f"urn:ngsi-ld:Sensor:P{n}",
        "type": "Sensor",
        "temperature": {"type": "Property", "value": 20 + n, "unitCode": "CEL"},
    }


def test_create_retrieve_query_over_http(api: str) -> None:
    with httpx.Client(base_url=api, timeout=10) as http:
        for n in range(5):
            assert http.post("/entities", json=_entity(n)).status_code == 201
        got = http.get("/entities/urn:ngsi-ld:Sensor:P3")
        assert got.status_code == 200
        assert got.json()["temperature"]["value"] == 23
        found = http.get("/entities", params={"type": "Sensor", "q": "temperature>=22"})
        assert [e["id"] for e in found.json()] == [f"urn:ngsi-ld:Sensor:P{n}" for n in (2, 3, 4)]


def test_problem_details_over_http(api: str) -> None:
    with httpx.Client(base_url=api, timeout=10) as http:
        response = http.post(
            "/entities", content=b"{not json", headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["type"] == "https://uri.etsi.org/ngsi-ld/errors/InvalidRequest"


def test_chunked_body_without_length_is_411(api: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"id": "urn:ngsi-ld:Sensor:chunked", '
        yield b'"type": "Sensor"}'

    with httpx.Client(base_url=api, timeout=10) as http:
        response = http.post(
            "/entities", content=chunks(), headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 411


def test_data_survives_restart(tmp_path: Path) -> None:
    with running_server(data_dir=tmp_path) as url, httpx.Client(base_url=url, timeout=10) as http:
        assert http.post("/entities", json=_entity(42)).status_code == 201
    with running_server(data_dir=tmp_path) as url, httpx.Client(base_url=url, timeout=10) as http:
        got = http.get("/entities/urn:ngsi-ld:Sensor:P42")
    assert got.status_code == 200
    assert got.json()["temperature"]["value"] == 62
    assert (tmp_path / "ngsi-ld.sqlite3").exists()
