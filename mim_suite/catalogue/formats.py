"""Format assertion for JSON Schema ``format`` (Draft 2020-12, section 7.3) without extras.

jsonschema checks ``date-time``, ``time`` and ``uri`` only when optional packages are
installed; the harness adds its own checkers for these three so that format checking is the
same everywhere and needs nothing beyond the standard library:

* ``date-time``: RFC 3339 section 5.6, ``full-date "T" full-time``: the time offset (``Z`` or
  ``+hh:mm``) is required and every field's range is checked (no hour 24);
* ``time``: RFC 3339 ``partial-time`` with an *optional* offset. Draft 2020-12 asks for
  ``full-time`` (offset required), but Smart Data Models use ``format: time`` for local
  opening hours (``"opens": "07:00:00"``) and jsonschema's own ``FormatChecker()`` accepts
  them too; requiring the offset would reject every official opening-hours example;
* ``uri``: RFC 3986 section 3, an absolute URI: a scheme, then only characters RFC 3986
  allows, with well-formed percent-encodings; ``uri-reference`` is the same without the
  scheme requirement.

:data:`FORMAT_CHECKER` (used by the validators) asserts ``date-time`` and ``time`` but leaves
``uri``/``uri-reference`` unasserted, as jsonschema does without its optional packages, so
that verdicts match the catalogue's documented ones (``mim_suite/data/sdm/SOURCES.md``).
:data:`STRICT_FORMAT_CHECKER` asserts them too; the catalogue lint uses it to report official
examples whose values are not URIs where the schema says ``format: uri``.

Every other format is checked as jsonschema's Draft 2020-12 checker does (``date``,
``email``, ``ipv4``, ``ipv6``, ``uuid``, ``regex``...); unknown formats pass, as the
specification requires of annotation-only formats.
"""

from __future__ import annotations

import datetime
import re

from jsonschema import Draft202012Validator, FormatChecker

__all__ = [
    "FORMAT_CHECKER",
    "STRICT_FORMAT_CHECKER",
    "is_date_time",
    "is_time",
    "is_uri",
    "is_uri_reference",
]

_PARTIAL = r"(\d{2}):(\d{2}):(\d{2})(\.\d+)?"
_OFFSET = r"([Zz]|[+-](\d{2}):(\d{2}))"
_DATE_TIME_RE = re.compile(rf"(\d{{4}})-(\d{{2}})-(\d{{2}})[Tt]{_PARTIAL}{_OFFSET}")
_TIME_RE = re.compile(rf"{_PARTIAL}{_OFFSET}?")
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_URI_CHARS_RE = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")

# Fast path: ASCII digits only, every range in the pattern (month 01-12, day 01-31, hour
# 00-23, minute 00-59, second 00-60, offset hour 00-23 and minute 00-59); only days 29-31
# need the calendar, and year 0000 (which ``datetime.date`` rejects) is excluded. A string
# that does not match and is not ASCII goes to the ``\d`` path above, which also accepts
# other Unicode decimal digits (``int`` reads them); verdicts are the same either way
# (``tests/catalogue/test_formats_fast.py``).
_FAST_PARTIAL = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\.[0-9]+)?"
_FAST_OFFSET = r"(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
_FAST_DATE_TIME = re.compile(
    r"(?!0000)([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]"
    rf"{_FAST_PARTIAL}{_FAST_OFFSET}"
).fullmatch
_FAST_TIME = re.compile(rf"{_FAST_PARTIAL}{_FAST_OFFSET}?").fullmatch
_MONTH_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _time_ok(groups: tuple[str | None, ...]) -> bool:
    hour, minute, second = (int(g or 0) for g in groups[:3])
    off_hour, off_minute = (int(g or 0) for g in groups[5:7])
    return hour <= 23 and minute <= 59 and second <= 60 and off_hour <= 23 and off_minute <= 59


def _unicode_date_time(value: str) -> bool:
    match = _DATE_TIME_RE.fullmatch(value)
    if match is None:
        return False
    year, month, day = (int(g) for g in match.groups()[:3])
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return _time_ok(match.groups()[3:])


def is_date_time(value: object) -> bool:
    """RFC 3339 ``date-time``; non-strings pass (``format`` only applies to strings)."""
    if not isinstance(value, str):
        return True
    match = _FAST_DATE_TIME(value)
    if match is None:
        return not value.isascii() and _unicode_date_time(value)
    day = match[3]
    if day <= "28":
        return True
    month = int(match[2])
    if int(day) > _MONTH_DAYS[month]:
        return False
    if month != 2 or day != "29":
        return True
    year = int(match[1])
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def is_time(value: object) -> bool:
    """RFC 3339 ``partial-time``, optionally followed by a time offset."""
    if not isinstance(value, str):
        return True
    if _FAST_TIME(value) is not None:
        return True
    if value.isascii():
        return False
    match = _TIME_RE.fullmatch(value)
    return match is not None and _time_ok(match.groups())


def is_uri_reference(value: object) -> bool:
    """RFC 3986 URI-reference: only allowed characters and valid percent-encodings."""
    if not isinstance(value, str):
        return True
    return _URI_CHARS_RE.fullmatch(value) is not None and value.count("#") <= 1


def is_uri(value: object) -> bool:
    """RFC 3986 absolute URI: a scheme followed by a valid URI-reference tail."""
    if not isinstance(value, str):
        return True
    return _SCHEME_RE.match(value) is not None and is_uri_reference(value)


def _checker(*, uri: bool) -> FormatChecker:
    checker = FormatChecker()
    checker.checkers = dict(Draft202012Validator.FORMAT_CHECKER.checkers)
    checker.checks("date-time")(is_date_time)
    checker.checks("time")(is_time)
    if uri:
        checker.checks("uri")(is_uri)
        checker.checks("uri-reference")(is_uri_reference)
    return checker


FORMAT_CHECKER = _checker(uri=False)
STRICT_FORMAT_CHECKER = _checker(uri=True)
