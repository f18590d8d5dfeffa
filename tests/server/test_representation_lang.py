"""Language selection for the ``lang`` parameter (clause 4.15, RFC 9110 priority lists)."""

from __future__ import annotations

import pytest

from reference_server.ngsild.representation_lang import select_language

MAP = {"en": "colour", "en-US": "color", "fr": "couleur", "fr-CH": "couleur suisse"}

CASES: list[tuple[str, dict[str, str], str, str]] = [
    ("exact", MAP, "fr", "fr"),
    ("case-insensitive", MAP, "EN-us", "en-US"),
    ("list order", MAP, "de,fr-CH,en", "fr-CH"),
    ("q ranking", MAP, "en;q=0.2,fr;q=0.9", "fr"),
    ("default q is 1", MAP, "fr;q=0.9,en-US", "en-US"),
    ("q=0 is not acceptable", MAP, "fr;q=0,en", "en"),
    ("prefix match", {"de": "Farbe", "fr-CH": "couleur"}, "fr", "fr-CH"),
    ("truncation", {"de": "Farbe", "fr": "couleur"}, "fr-CH", "fr"),
    ("wildcard prefers @none", {"de": "Farbe", "@none": "color"}, "*", "@none"),
    ("no match falls back to @none", {"de": "Farbe", "@none": "color"}, "pt", "@none"),
    ("no match falls back to the first", {"de": "Farbe", "it": "colore"}, "pt", "de"),
    ("blank and malformed weights", {"de": "Farbe", "it": "colore"}, " , it;q=abc", "it"),
]


@pytest.mark.parametrize(
    ("language_map", "lang", "tag"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_select_language(language_map: dict[str, str], lang: str, tag: str) -> None:
    assert select_language(language_map, lang) == (tag, language_map[tag])


def test_empty_map_selects_nothing() -> None:
    assert select_language({}, "en") is None
