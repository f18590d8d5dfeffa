"""Differential test: the fast ``date-time``/``time`` checkers give the reference verdicts.

``_ref_is_date_time`` and ``_ref_is_time`` are a verbatim copy of the original
implementation of :mod:`mim_suite.catalogue.formats` (two ``\\d`` regexes, ``int`` range
checks and :class:`datetime.date` for the calendar); the fast versions must agree with them
on every string, including non-ASCII digits that ``\\d`` and ``int`` accept.
"""

from __future__ import annotations

import datetime
import random
import re

import pytest

from mim_suite.catalogue.formats import FORMAT_CHECKER, is_date_time, is_time

_PARTIAL = r"(\d{2}):(\d{2}):(\d{2})(\.\d+)?"
_OFFSET = r"([Zz]|[+-](\d{2}):(\d{2}))"
_REF_DATE_TIME_RE = re.compile(rf"(\d{{4}})-(\d{{2}})-(\d{{2}})[Tt]{_PARTIAL}{_OFFSET}")
_REF_TIME_RE = re.compile(rf"{_PARTIAL}{_OFFSET}?")


def _ref_time_ok(groups: tuple[str | None, ...]) -> bool:
    hour, minute, second = (int(g or 0) for g in groups[:3])
    off_hour, off_minute = (int(g or 0) for g in groups[5:7])
    return hour <= 23 and minute <= 59 and second <= 60 and off_hour <= 23 and off_minute <= 59


def _ref_is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    match = _REF_DATE_TIME_RE.fullmatch(value)
    if match is None:
        return False
    year, month, day = (int(g) for g in match.groups()[:3])
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return _ref_time_ok(match.groups()[3:])


def _ref_is_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    match = _REF_TIME_RE.fullmatch(value)
    return match is not None and _ref_time_ok(match.groups())


_YEARS = ["0000", "0001", "1900", "1999", "2000", "2004", "2023", "2024", "2100", "9999"]
_MONTHS = ["00", "01", "02", "04", "06", "09", "11", "12", "13", "99"]
_DAYS = ["00", "01", "09", "10", "19", "28", "29", "30", "31", "32", "39", "40", "99"]
_HOURS = ["00", "09", "10", "19", "20", "23", "24", "25", "29", "30", "99"]
_MINUTES = ["00", "09", "59", "60", "61", "99"]
_SECONDS = ["00", "30", "59", "60", "61", "69", "70", "99"]
_FRACTIONS = ["", ".0", ".5", ".123", ".123456789", ".", ".a", ",5", ".5.5"]
_OFFSETS = [
    "Z", "z", "", "+00:00", "-00:00", "+01:00", "-01:30", "+14:00", "-12:00", "+23:59",
    "-23:59", "+24:00", "-24:00", "+05:60", "+05:99", "+0500", "+05", "05:00", "ZZ", "Z ",
    " Z", "UTC", "+5:00", "+05:0", "\u00b105:00",
]  # fmt: skip
_SEPARATORS = ["T", "t", " ", "_", "", "TT"]
# Digits that ``\d`` and ``int`` accept outside ASCII: fullwidth, Arabic-Indic, Devanagari.
_FOREIGN_DIGITS = ["\uff10", "\u0660", "\u0966"]
_FIXED = [
    "", "T", "Z", "2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z", "2024-02-30T00:00:00Z",
    "2000-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2024-04-31T00:00:00Z",
    "2024-06-30T23:59:60Z", "2024-12-31T24:00:00Z", "2024-01-01T00:00:00+14:00",
    "2024-01-01T00:00:00-12:00", "2024-01-01t00:00:00z", "2024-01-01T00:00:00.000001Z",
    "2024-01-01T00:00:00Z\n", "\n2024-01-01T00:00:00Z", " 2024-01-01T00:00:00Z",
    "2024-01-01", "2024-01-01T00:00Z", "2024-01-01T00:00:00", "24-01-01T00:00:00Z",
    "+2024-01-01T00:00:00Z", "20240101T000000Z", "2024-1-1T0:0:0Z", "12:00:00", "23:59:60",
    "24:00:00", "00:00:00z", "00:00:00.5+01:00", "00:00:00+24:00", "12:00", "12:00:00.",
    "\uff12\uff10\uff12\uff14-\uff10\uff12-\uff12\uff19T\uff11\uff12:\uff10\uff10:\uff10\uff10Z",
    "\uff11\uff12:\uff10\uff10:\uff10\uff10", "\uff12\uff14:\uff10\uff10:\uff10\uff10",
    "2024-01-01T00:00:00\u00e9", "caf\u00e9", "12:00:00\u00e9",
]  # fmt: skip


def _date_time(rng: random.Random) -> str:
    return "".join(
        [
            rng.choice(_YEARS),
            "-",
            rng.choice(_MONTHS),
            "-",
            rng.choice(_DAYS),
            rng.choice(_SEPARATORS),
            _time(rng),
        ]
    )


def _time(rng: random.Random) -> str:
    return "".join(
        [
            rng.choice(_HOURS),
            ":",
            rng.choice(_MINUTES),
            ":",
            rng.choice(_SECONDS),
            rng.choice(_FRACTIONS),
            rng.choice(_OFFSETS),
        ]
    )


def _mutate(rng: random.Random, text: str) -> str:
    """Drop, duplicate or replace one character, or swap in a non-ASCII digit."""
    if not text:
        return text
    i = rng.randrange(len(text))
    action = rng.randrange(5)
    if action == 0:
        return text[:i] + text[i + 1 :]
    if action == 1:
        return text[:i] + text[i] + text[i:]
    if action == 2:
        return text[:i] + rng.choice("0123456789:-+.TtZz x\u00e9") + text[i + 1 :]
    if action == 3 and text[i].isdigit() and text[i].isascii():
        return text[:i] + chr(ord(rng.choice(_FOREIGN_DIGITS)) + int(text[i])) + text[i + 1 :]
    return text[:i]


def _valid_date_times(rng: random.Random, count: int) -> list[str]:
    start = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)
    out = []
    for _ in range(count):
        moment = start + datetime.timedelta(seconds=rng.randrange(9998 * 365 * 86400))
        text = moment.isoformat(timespec=rng.choice(["seconds", "milliseconds", "microseconds"]))
        out.append(text.replace("+00:00", rng.choice(["Z", "z", "+00:00", "-11:45", "+14:00"])))
    return out


def _corpus() -> list[str]:
    rng = random.Random(20240229)
    strings = list(_FIXED)
    strings += [_date_time(rng) for _ in range(4000)]
    strings += [_time(rng) for _ in range(2000)]
    valid = _valid_date_times(rng, 1500)
    strings += valid
    strings += [text.split("T", 1)[1] for text in valid[:500]]
    strings += [text.split("T", 1)[1][:8] for text in valid[500:800]]
    strings += [_mutate(rng, rng.choice(strings)) for _ in range(3000)]
    # Every calendar day around leap years, all day numbers 28-31 in every month.
    for year in ("1900", "2000", "2023", "2024", "2100"):
        for month in range(1, 13):
            for day in range(27, 33):
                strings.append(f"{year}-{month:02d}-{day:02d}T12:00:00Z")
    return strings


CORPUS = _corpus()


def test_corpus_covers_both_verdicts() -> None:
    verdicts = [_ref_is_date_time(s) for s in CORPUS]
    assert sum(verdicts) > 1000
    assert len(verdicts) - sum(verdicts) > 1000
    assert sum(_ref_is_time(s) for s in CORPUS) > 300


def test_date_time_matches_reference() -> None:
    diffs = [s for s in CORPUS if is_date_time(s) != _ref_is_date_time(s)]
    assert diffs == []


def test_time_matches_reference() -> None:
    diffs = [s for s in CORPUS if is_time(s) != _ref_is_time(s)]
    assert diffs == []


@pytest.mark.parametrize("value", [None, 0, 1.5, True, [], {}, b"2024-01-01T00:00:00Z"])
def test_non_strings_pass(value: object) -> None:
    assert is_date_time(value) is True
    assert is_time(value) is True


def test_str_subclass() -> None:
    class Text(str):
        pass

    assert is_date_time(Text("2024-02-29T00:00:00Z")) is True
    assert is_date_time(Text("2023-02-29T00:00:00Z")) is False
    assert is_time(Text("24:00:00")) is False


def test_format_checker_uses_fast_checks() -> None:
    assert FORMAT_CHECKER.conforms("2024-02-29T23:59:60.5z", "date-time")
    assert not FORMAT_CHECKER.conforms("2023-02-29T00:00:00Z", "date-time")
    assert FORMAT_CHECKER.conforms("07:00:00", "time")
    assert not FORMAT_CHECKER.conforms("24:00:00", "time")
