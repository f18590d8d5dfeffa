"""``make demo``: start the reference platform on its SQLite store, exercise it, check it.

Seeds a handful of city entities that follow the Smart Data Models Vehicle and
OffStreetParking models (idempotently, with batch upsert), shows a few queries and
the type catalogue, runs the whole conformance suite (``mim check``) against the platform and
writes the report to ``conformance_reports/``, then stops the server. The data directory keeps
the seeded entities afterwards; the harness deletes everything it created.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from benchmarks.serverproc import running_server

CONTEXT_LINK = (
    "<https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld>; "
    'rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'
)


def _parking(n: int) -> dict[str, Any]:
    return {
        "id": f"urn:ngsi-ld:OffStreetParking:demo-{n}",
        "type": "OffStreetParking",
        "name": {"type": "Property", "value": f"Demo car park {n}"},
        "availableSpotNumber": {
            "type": "Property",
            "value": 20 * n,
            "observedAt": "2026-12-01T12:00:00Z",
        },
        "totalSpotNumber": {"type": "Property", "value": 200},
        "location": {
            "type": "GeoProperty",
            "value": {"type": "Point", "coordinates": [-8.6 + n / 100, 41.15]},
        },
    }


def _vehicle(n: int) -> dict[str, Any]:
    return {
        "id": f"urn:ngsi-ld:Vehicle:demo-{n}",
        "type": "Vehicle",
        "vehicleType": {"type": "Property", "value": "car"},
        "category": {"type": "Property", "value": ["municipalServices"]},
        "speed": {"type": "Property", "value": 30 + 10 * n, "unitCode": "KMH"},
        "location": {
            "type": "GeoProperty",
            "value": {"type": "Point", "coordinates": [-8.61 + n / 100, 41.15]},
        },
        "isParked": {"type": "Relationship", "object": f"urn:ngsi-ld:OffStreetParking:demo-{n}"},
    }


def _show(title: str, response: httpx.Response) -> None:
    print(
        f"\n== {title}: {response.request.method} {response.request.url} -> {response.status_code}"
    )
    if response.content:
        print(json.dumps(response.json(), indent=2)[:1500])


def run(port: int, data_dir: Path, report: Path) -> int:
    with running_server(port=port, data_dir=data_dir) as url:
        print(f"reference platform up at {url} (store: {data_dir})")
        headers = {"Link": CONTEXT_LINK}
        with httpx.Client(base_url=url, headers=headers, timeout=10) as client:
            seed = [_parking(n) for n in range(1, 4)] + [_vehicle(n) for n in range(1, 4)]
            _show("seed (batch upsert)", client.post("/entityOperations/upsert", json=seed))
            _show(
                "car parks with more than 30 free spots",
                client.get(
                    "/entities",
                    params={
                        "type": "OffStreetParking",
                        "q": "availableSpotNumber>30",
                        "options": "keyValues",
                    },
                ),
            )
            _show("one vehicle", client.get("/entities/urn:ngsi-ld:Vehicle:demo-2"))
            _show("entity types", client.get("/types"))
            response = client.get("/entities", params={"type": "Vehicle", "count": "true"})
            print(f"\nvehicles stored: {response.headers.get('NGSILD-Results-Count')}")
        return _conformance(url, report)


def _conformance(url: str, report: Path) -> int:
    """Run ``mim check`` against the platform; its exit code is the demo's."""
    print(f"\n== conformance suite against {url}")
    argv = [sys.executable, "-m", "mim_suite", "check", url, "--report", str(report)]
    return subprocess.run(argv, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=1026)
    parser.add_argument("--data-dir", type=Path, default=Path("data/demo"))
    parser.add_argument(
        "--report", type=Path, default=Path("conformance_reports/reference-platform.json")
    )
    args = parser.parse_args(argv)
    return run(args.port, args.data_dir, args.report)


if __name__ == "__main__":
    sys.exit(main())
