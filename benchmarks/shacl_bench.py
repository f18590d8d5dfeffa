"""SHACL throughput on the catalogue's normalized examples (``python -m benchmarks.shacl_bench``).

Replicates every NGSI-LD normalized example (``example-normalized.jsonld``) with distinct ids
up to ``--entities`` entities and times :meth:`ShaclValidator.validate` on them, after the
shapes are compiled (reported separately). :func:`shacl_throughput` is what
``benchmarks/validation_throughput.py`` calls for its ``--shacl`` column.
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from typing import Any

from mim_suite.catalogue import Catalogue
from mim_suite.validation.findings import EntityInput
from mim_suite.validation.representation import detect_representation
from mim_suite.validation.shacl import ShaclValidator


def normalized_examples(catalogue: Catalogue) -> list[dict[str, Any]]:
    """Every NGSI-LD normalized example entity of the catalogue."""
    entities: list[dict[str, Any]] = []
    for model in catalogue.models():
        for path in model.examples:
            if path.name == "example-normalized.jsonld":
                document = json.loads(path.read_text(encoding="utf-8"))
                entities += document if isinstance(document, list) else [document]
    return entities


def replicate(entities: list[dict[str, Any]], count: int) -> list[EntityInput]:
    """``count`` inputs cycling through ``entities``, each with its own id."""
    inputs = []
    for n in range(count):
        entity = copy.deepcopy(entities[n % len(entities)])
        entity["id"] = f"urn:ngsi-ld:{entity.get('type', 'Thing')}:bench-{n}"
        inputs.append(EntityInput("bench", n, entity, detect_representation(entity)))
    return inputs


def warm_up(catalogue: Catalogue, validator: ShaclValidator) -> float:
    """Seconds to load and compile the shapes of every example type (one pass over them)."""
    start = time.perf_counter()
    examples = normalized_examples(catalogue)
    validator.validate(replicate(examples, len(examples)))
    return time.perf_counter() - start


def shacl_throughput(count: int, validator: ShaclValidator | None = None) -> float:
    """Entities per second through :meth:`ShaclValidator.validate`, shapes already loaded."""
    catalogue = Catalogue.load()
    if validator is None:
        validator = ShaclValidator(catalogue)
        warm_up(catalogue, validator)
    inputs = replicate(normalized_examples(catalogue), count)
    start = time.perf_counter()
    validator.validate(inputs)
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=5000)
    args = parser.parse_args()
    catalogue = Catalogue.load()
    validator = ShaclValidator(catalogue, batch_size=args.batch_size)
    print(f"shapes of the example types loaded in {warm_up(catalogue, validator):.2f} s")
    rate = shacl_throughput(args.entities, validator)
    print(f"SHACL: {args.entities} normalized entities, {rate:,.0f} entities/s")


if __name__ == "__main__":
    main()
