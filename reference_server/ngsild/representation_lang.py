"""Language selection for LanguageProperties (ETSI GS CIM 009 V1.8.1, clause 4.15).

The ``lang`` query parameter is a priority list in the syntax of the HTTP Accept-Language
header (RFC 9110 clause 12.5.4): ``fr-CH,fr;q=0.9,en;q=0.8,*;q=0.5``. Ranges are ranked by
their ``q`` weight (default 1, list order breaking ties; ``q=0`` means "not acceptable").
For each range in turn, tags of the languageMap match case-insensitively (RFC 5646): first an
exact tag, then a longer tag extending the range (``fr`` -> ``fr-CH``), then the range
truncated subtag by subtag (``fr-CH`` -> ``fr``). When nothing matches, or for ``*``, clause
4.15 asks for "any supported language": ``@none`` if present, else the first entry.

Limitations:

* Malformed weights (``q=abc``) are treated as ``q=1`` rather than rejected; the API layer
  owns the validation of query parameters.
"""

from __future__ import annotations

from typing import Any

__all__ = ["select_language"]


def select_language(language_map: dict[str, Any], lang: str) -> tuple[str, Any] | None:
    """Return ``(tag, text)`` chosen from ``language_map`` for the priority list ``lang``."""
    if not language_map:
        return None
    for tag in _ranked_ranges(lang):
        found = _match(language_map, tag)
        if found is not None:
            return found, language_map[found]
    fallback = "@none" if "@none" in language_map else next(iter(language_map))
    return fallback, language_map[fallback]


def _ranked_ranges(lang: str) -> list[str]:
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(lang.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = _weight(params)
        if tag.strip() and tag.strip() != "*" and weight > 0:
            ranked.append((-weight, position, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


def _weight(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 1.0
    return 1.0


def _match(language_map: dict[str, Any], wanted: str) -> str | None:
    tags = {tag.lower(): tag for tag in language_map if tag != "@none"}
    key = wanted.lower()
    if key in tags:
        return tags[key]
    for lowered, tag in tags.items():
        if lowered.startswith(key + "-"):
            return tag
    while "-" in key:
        key = key.rsplit("-", 1)[0]
        if key in tags:
            return tags[key]
    return None
