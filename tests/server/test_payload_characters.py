"""The ASCII fast path of the URI/name character check agrees with the general rule."""

from __future__ import annotations

import random

from reference_server.ngsild.payload_checks import _has_bad_characters

FORBIDDEN = frozenset('<>"{}|\\^`')


def general_rule(text: str, forbidden: frozenset[str]) -> bool:
    return any(c.isspace() or not c.isprintable() or c in forbidden for c in text)


def test_fast_path_matches_the_general_rule_on_ascii() -> None:
    rng = random.Random(7)
    alphabet = [chr(i) for i in range(128)]
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert _has_bad_characters(text, FORBIDDEN) == general_rule(text, FORBIDDEN), repr(text)


def test_non_ascii_uses_the_general_rule() -> None:
    for text in ("urn:ngsi-ld:Škola:1", "urn:x:a\u00a0b", "urn:x:\u200b", "urn:x:日本"):
        assert _has_bad_characters(text, FORBIDDEN) == general_rule(text, FORBIDDEN)
