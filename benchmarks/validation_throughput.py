"""Throughput of data-model validation (MIM2), side by side in one single-process run.

Entities are the bundled official examples - keyValues ``example.json`` and NGSI-LD normalized
``example-normalized.jsonld`` of the 42 models - replicated with distinct ids (``--entities``
of each). Rows, all on one core:

* naive: ``jsonschema.validate(entity, schema)`` per entity, the schema read from disk and
  its ``$ref`` registry built each time (what validators that fetch or load schemas per call
  do, minus the network); measured on ``--naive`` entities, reported as a rate;
* ours, JSON Schema: keyValues projection + compiled check (+ jsonschema's errors for the
  invalid ones) through :class:`~mim_suite.validation.DataModelChecker`;
* ours, full: :func:`~mim_suite.validation.validate_entities` - representation detection,
  NGSI-LD structure checks, projection, JSON Schema, reports - on keyValues and on normalized;
* SHACL: :class:`~mim_suite.validation.shacl.ShaclValidator` on the normalized entities
  (``--shacl`` of them), shapes parsed before timing ("n/a" if unavailable).

Each figure is entities per CPU-second of this process (``time.process_time``), best and
median of ``--repeat`` runs: on a shared virtual machine the same run varies by a factor of
two, and the best run is the least disturbed one. JSON parsing is not timed:
entities are in memory. The catalogue is loaded and every model compiled before timing; that
one-off cost is reported on its own line.
``--markdown FILE`` replaces the "## Data-model validation (MIM2)" section of FILE (other
sections are left alone).

    python -m benchmarks.validation_throughput [--entities 5000] [--shacl 1000] \\
        [--markdown docs/performance.md]
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from mim_suite.catalogue import Catalogue
from mim_suite.catalogue.formats import FORMAT_CHECKER
from mim_suite.catalogue.registry import shared_urls
from mim_suite.resources import data_dir
from mim_suite.validation import (
    DataModelChecker,
    EntityInput,
    detect_representation,
    to_key_values,
    validate_entities,
)

HEADING = "## Data-model validation (MIM2)"
TARGET_KEY_VALUES = 20_000
TARGET_SHACL = 1_000
NOTES = [
    "Best and median differ because the benchmark machine is a shared virtual machine whose",
    "speed varies from run to run; the best run is the least disturbed. The JSON Schema path",
    "compiles each schema to Python functions (verdicts proven equal to jsonschema's by",
    "`tests/validation/test_compiled.py`) and calls jsonschema only for the failing members of",
    "invalid entities: 1 of the 42 keyValues examples (CityWork) and 9 of the 42 normalized ones",
    "fail their schema upstream, and an invalid entity costs about three valid ones. The full",
    "path adds representation detection and the NGSI-LD structure checks (GeoJSON validity by",
    "shapely for lines and polygons). The naive path reads and meta-validates the schema for",
    "every entity.",
    "",
]


def replicate(examples: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """``count`` copies of the examples, round robin, each with its own id."""
    out = []
    for n in range(count):
        entity = copy.deepcopy(examples[n % len(examples)])
        entity["id"] = f"urn:ngsi-ld:{entity['type']}:bench-{n}"
        out.append(entity)
    return out


def load_examples(catalogue: Catalogue, name: str) -> list[dict[str, Any]]:
    found = []
    for model in catalogue.models():
        for path in model.examples:
            if path.name == name:
                found.append(json.loads(path.read_text(encoding="utf-8")))
    return found


def rates(run: Callable[[], Any], count: int, repeat: int) -> str:
    """``best / median`` entities per CPU-second over ``repeat`` runs."""
    seconds = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        seconds.append(time.process_time() - start)
    return f"{count / min(seconds):,.0f} / {count / statistics.median(seconds):,.0f}"


def naive(entities: list[dict[str, Any]], catalogue: Catalogue) -> None:
    """Per entity: read the schema and the shared schemas from disk, build the registry,
    ``jsonschema.validate`` (which also checks the schema against its meta-schema)."""
    common = sorted((data_dir("sdm") / "_common").glob("*.json"))
    for entity in entities:
        model = catalogue.model(entity["type"])
        schema = json.loads(model.schema_path.read_text(encoding="utf-8"))
        resources = []
        for path in common:
            document = json.loads(path.read_text(encoding="utf-8"))
            resource = DRAFT202012.create_resource(document)
            resources += [(url, resource) for url in shared_urls(document["$id"])]
        registry: Registry[Any] = Registry().with_resources(resources)
        with contextlib.suppress(jsonschema.ValidationError):
            jsonschema.validate(entity, schema, registry=registry, format_checker=FORMAT_CHECKER)


def json_schema_only(entities: list[EntityInput], checker: DataModelChecker) -> None:
    for entity in entities:
        document = entity.document
        projection, mapping = to_key_values(document, entity.representation)
        checker.check(document["id"], document["type"], projection, mapping)


def full(documents: list[dict[str, Any]], catalogue: Catalogue) -> None:
    inputs = [EntityInput("bench", i, d, detect_representation(d)) for i, d in enumerate(documents)]
    for _ in validate_entities(inputs, catalogue):
        pass


def as_inputs(documents: list[dict[str, Any]]) -> list[EntityInput]:
    return [EntityInput("bench", i, d, detect_representation(d)) for i, d in enumerate(documents)]


def shacl_rate(normalized: list[dict[str, Any]], catalogue: Catalogue, repeat: int) -> str:
    try:
        from mim_suite.validation.shacl import ShaclValidator
    except ImportError as error:
        print(f"SHACL path unavailable: {error}", file=sys.stderr)
        return "n/a"
    validator = ShaclValidator(catalogue)
    inputs = as_inputs(normalized)
    validator.validate(inputs[:50])
    return rates(lambda: validator.validate(inputs), len(inputs), repeat)


def measure(args: argparse.Namespace) -> list[tuple[str, str, str]]:
    started = time.perf_counter()
    catalogue = Catalogue.load()
    key_values = replicate(load_examples(catalogue, "example.json"), args.entities)
    normalized = replicate(load_examples(catalogue, "example-normalized.jsonld"), args.entities)
    checker = DataModelChecker(catalogue)
    json_schema_only(as_inputs(key_values[:100] + normalized[:100]), checker)
    setup = time.perf_counter() - started
    kv_inputs, normalized_inputs = as_inputs(key_values), as_inputs(normalized)
    n, r = args.entities, args.repeat
    sample = key_values[: args.naive]
    return [
        ("naive `jsonschema.validate`, schema loaded per entity", "keyValues",
         rates(lambda: naive(sample, catalogue), len(sample), 1)),
        ("ours, JSON Schema (projection + compiled check)", "keyValues",
         rates(lambda: json_schema_only(kv_inputs, checker), n, r)),
        ("ours, JSON Schema (projection + compiled check)", "normalized",
         rates(lambda: json_schema_only(normalized_inputs, checker), n, r)),
        ("ours, full (detection + structure + JSON Schema)", "keyValues",
         rates(lambda: full(key_values, catalogue), n, r)),
        ("ours, full (detection + structure + JSON Schema)", "normalized",
         rates(lambda: full(normalized, catalogue), n, r)),
        ("SHACL (JSON-LD to RDF + pyshacl, one batched graph)", "normalized",
         shacl_rate(normalized[: args.shacl], catalogue, min(r, 2))),
        ("one-off: load catalogue, compile every model used", "-", f"{setup:.2f} s"),
    ]  # fmt: skip


def markdown(rows: list[tuple[str, str, str]], args: argparse.Namespace) -> str:
    machine = (
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}"
    )
    lines = [
        HEADING,
        "",
        f"`python -m benchmarks.validation_throughput --entities {args.entities} "
        f"--shacl {args.shacl}` ({machine}, one process; CPU time, best and median of "
        f"{args.repeat} runs, SHACL {min(args.repeat, 2)}). "
        f"Entities: the 42 official keyValues and NGSI-LD normalized examples replicated to "
        f"{args.entities} each with distinct ids; targets: {TARGET_KEY_VALUES:,} keyValues "
        f"entities/s for JSON Schema, {TARGET_SHACL:,} normalized entities/s for SHACL.",
        "",
        "| path | input | entities/s, one core: best / median |",
        "|---|---|---:|",
        *(f"| {path} | {kind} | {rate} |" for path, kind, rate in rows),
        "",
        *NOTES,
    ]
    return "\n".join(lines)


def replace_section(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    start = text.find(HEADING)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        following = text.find("\n## ", start + len(HEADING))
        tail = text[following + 1 :] if following >= 0 else ""
        text = text[:start] + section + ("\n" + tail if tail else "")
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--entities", type=int, default=5000, help="of each representation")
    parser.add_argument("--naive", type=int, default=200, help="entities for the naive path")
    parser.add_argument("--shacl", type=int, default=1000, help="entities for the SHACL path")
    parser.add_argument("--repeat", type=int, default=10, help="runs per row (SHACL: at most 2)")
    parser.add_argument("--markdown", type=Path, help="replace the MIM2 section of this file")
    args = parser.parse_args(argv)
    rows = measure(args)
    width = max(len(p) for p, _, _ in rows)
    for path, kind, rate in rows:
        print(f"{path:<{width}}  {kind:<10}  {rate:>10}")
    if args.markdown is not None:
        replace_section(args.markdown, markdown(rows, args))
        print(f"figures written to {args.markdown}")


if __name__ == "__main__":
    main()
