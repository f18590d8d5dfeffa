"""Lexical rules for NGSI-LD values (ETSI GS CIM 009 V1.8.1).

* :func:`is_uri` - entity ids (4.5.1), Relationship objects (4.5.3), ``datasetId`` (4.5.5):
  an absolute URI (RFC 3986) or IRI (RFC 3987): a scheme, a colon, then at least one
  character, none of them whitespace, control characters or ``<>"{}|\\^```.
* :func:`is_name` - Entity Type and attribute names (4.6.2):
  ``name = unicodeLetter *(unicodeLetter / unicodeNumber / "_")``, optionally prefixed
  ``prefix:name``; a full URI is accepted too (it is the expanded form of a name).
* :func:`is_date_time`, :func:`is_date`, :func:`is_time` - 4.6.3: ``YYYY-MM-DDThh:mm:ssZ``
  with an optional fraction (``.`` or ``,``, 1 to 6 digits) and a mandatory ``Z``: no offset;
  ``YYYY-MM-DD``; ``hh:mm:ss[.ffffff]Z``. Calendar and clock ranges are checked.
* :func:`is_language_tag` - languageMap keys (4.6.5): the shape of a BCP 47 (RFC 5646) tag,
  ``@none`` allowed.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Final

__all__ = [
    "NGSI_LD_NULL",
    "is_date",
    "is_date_time",
    "is_language_tag",
    "is_name",
    "is_time",
    "is_uri",
    "known_name",
]

NGSI_LD_NULL: Final = "urn:ngsi-ld:null"
"""The NGSI-LD Null (5.2.1): only allowed in partial updates and merges, never in entities."""

_URI: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]+")
_TIME: Final = r"(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,6}))?"
_DATE_TIME: Final = re.compile(rf"(\d{{4}})-(\d{{2}})-(\d{{2}})T{_TIME}Z")
_DATE: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME_Z: Final = re.compile(rf"{_TIME}Z")
_LANGUAGE: Final = re.compile(r"(?:[A-Za-z]{2,8}|[xXiI])(?:-[A-Za-z0-9]{1,8})*")
_SHORT: Final = r"[^\W\d_]\w*"
_NAME: Final = re.compile(rf"{_SHORT}(?::{_SHORT})?")


def is_uri(value: Any) -> bool:
    return isinstance(value, str) and _URI.fullmatch(value) is not None


_NAMES: Final[dict[str, bool]] = {}
known_name = _NAMES.get
"""The remembered verdict of :func:`is_name` for a string, or None: a fast path for loops."""


def is_name(value: Any) -> bool:
    """An entity type or attribute name per 4.6.2 (``\\w`` is Unicode letters, digits and
    ``_``), or a URI. Verdicts are remembered: a vocabulary of names is small."""
    if not isinstance(value, str):
        return False
    known = _NAMES.get(value)
    if known is None:
        known = _NAME.fullmatch(value) is not None or is_uri(value)
        if len(_NAMES) < 65536:
            _NAMES[value] = known
    return known


def _clock_ok(hour: str, minute: str, second: str) -> bool:
    return int(hour) <= 23 and int(minute) <= 59 and int(second) <= 59


def _date_ok(year: str, month: str, day: str) -> bool:
    try:
        datetime.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def is_date_time(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    match = _DATE_TIME.fullmatch(value)
    return (
        match is not None and _date_ok(*match.group(1, 2, 3)) and _clock_ok(*match.group(4, 5, 6))
    )


def is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    match = _DATE.fullmatch(value)
    return match is not None and _date_ok(*match.group(1, 2, 3))


def is_time(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    match = _TIME_Z.fullmatch(value)
    return match is not None and _clock_ok(*match.group(1, 2, 3))


def is_language_tag(value: Any) -> bool:
    return value == "@none" or (isinstance(value, str) and _LANGUAGE.fullmatch(value) is not None)
