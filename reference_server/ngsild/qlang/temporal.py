"""DateTime, Date and Time values (clause 4.6.3) as they appear in queries and in entities.

Query literals and target values are recognised with the same patterns, so the evaluator can
compare them chronologically. ISO 8601 extended forms are accepted with ``Z`` or a numeric
offset; a value without an offset is taken as UTC. A space in place of the ``+`` of an offset is
accepted too, because an unencoded ``+`` in a URL query string decodes to a space.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from functools import lru_cache

__all__ = [
    "DATETIME_RE",
    "DATE_RE",
    "TIME_RE",
    "canonical",
    "parse_date",
    "parse_datetime",
    "parse_time",
]

_CLOCK = r"\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+\- ]\d{2}(?::?\d{2})?)?"
DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}T" + _CLOCK)
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME_RE = re.compile(_CLOCK)
_OFFSET_SPACE = re.compile(r" (?=\d{2}(?::?\d{2})?$)")
_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")
_ANCHOR = date(2000, 1, 1)


def canonical(text: str) -> str:
    """``text`` with a space-for-``+`` offset and a decimal comma repaired."""
    return _OFFSET_SPACE.sub("+", text).replace(",", ".")


def _iso(text: str) -> str:
    return _LONG_FRACTION.sub(r"\1", canonical(text))


@lru_cache(maxsize=4096)
def parse_datetime(text: str) -> datetime | None:
    """The instant ``text`` denotes (timezone-aware), or None if it is not a DateTime."""
    if not DATETIME_RE.fullmatch(text):
        return None
    try:
        value = datetime.fromisoformat(_iso(text))
    except ValueError:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


@lru_cache(maxsize=1024)
def parse_date(text: str) -> date | None:
    """The calendar date ``text`` denotes, or None if it is not a Date."""
    if not DATE_RE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@lru_cache(maxsize=1024)
def parse_time(text: str) -> time | None:
    """The UTC time of day ``text`` denotes (naive), or None if it is not a Time."""
    if not TIME_RE.fullmatch(text):
        return None
    try:
        value = time.fromisoformat(_iso(text))
    except ValueError:
        return None
    if value.tzinfo is None:
        return value
    return datetime.combine(_ANCHOR, value).astimezone(UTC).time()
