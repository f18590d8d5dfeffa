"""Regular expressions of ``~=``/``!~=`` (clause 4.9: "as mandated by IEEE 1003.2").

Patterns are compiled with Python's ``re`` after translating POSIX bracket classes
(``[:alpha:]``...). A length limit and a nested-quantifier heuristic (``(a+)+``) guard against
catastrophic backtracking; both raise TooComplexQuery.
"""

from __future__ import annotations

import re
import warnings

from reference_server.ngsild.qlang._scan import MAX_REGEX_LENGTH, too_complex

__all__ = ["PatternError", "compile_pattern", "pattern_end"]

_POSIX_CLASSES = {
    "[:alpha:]": "a-zA-Z",
    "[:digit:]": "0-9",
    "[:alnum:]": "a-zA-Z0-9",
    "[:upper:]": "A-Z",
    "[:lower:]": "a-z",
    "[:space:]": r"\s",
    "[:blank:]": r" \t",
    "[:xdigit:]": "0-9A-Fa-f",
    "[:punct:]": r"!-/:-@\[-`{-~",
    "[:cntrl:]": r"\x00-\x1f\x7f",
    "[:print:]": r"\x20-\x7e",
    "[:graph:]": r"\x21-\x7e",
}


class PatternError(ValueError):
    """A pattern Python cannot compile; ``offset`` is the position in the pattern, if known."""

    def __init__(self, message: str, offset: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile ``pattern`` or raise PatternError (invalid) / TooComplexQuery (too costly)."""
    if len(pattern) > MAX_REGEX_LENGTH:
        too_complex("q", f"regular expression longer than {MAX_REGEX_LENGTH} characters")
    if _nested_quantifier(pattern):
        too_complex("q", f"nested quantifiers in regular expression {pattern!r}")
    translated = _translate_posix(pattern)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            return re.compile(translated)
    except re.error as exc:
        exact = translated == pattern and exc.pos is not None
        raise PatternError(
            f"invalid regular expression ({exc.msg})", exc.pos if exact else None
        ) from exc
    except (OverflowError, RecursionError) as exc:
        raise PatternError(f"regular expression too large to compile ({exc})", None) from exc


def pattern_end(text: str, index: int) -> int:
    """Index of the first top-level ``;``, ``|`` or unmatched ``)`` from ``index`` on."""
    depth = 0
    while index < len(text):
        char = text[index]
        if char == "[":
            index = _class_end(text, index)
            continue
        if depth == 0 and char in ";|)":
            return index
        depth += {"(": 1, ")": -1}.get(char, 0)
        index += 2 if char == "\\" else 1
    return len(text)


def _nested_quantifier(pattern: str) -> bool:
    """Whether a group holding an unbounded quantifier is itself repeated, as in ``(a+)*``."""
    open_groups: list[bool] = []
    closed_hot = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "[":
            index, closed_hot = _class_end(pattern, index), False
            continue
        if char in "*+" or (char == "{" and pattern[index + 1 : index + 2].isdigit()):
            if closed_hot:
                return True
            open_groups = [True] * len(open_groups)
        hot = char == ")" and bool(open_groups) and open_groups.pop()
        if hot and open_groups:
            open_groups[-1] = True
        if char == "(":
            open_groups.append(False)
        closed_hot = hot
        index += 2 if char == "\\" else 1
    return False


def _class_end(pattern: str, index: int) -> int:
    """Index just past the bracket expression starting at ``index``."""
    index += 2 if pattern.startswith("^", index + 1) else 1
    index += 1 if pattern.startswith("]", index) else 0
    while index < len(pattern) and pattern[index] != "]":
        index += 2 if pattern[index] == "\\" else 1
    return index + 1


def _translate_posix(pattern: str) -> str:
    """Replace POSIX bracket classes (IEEE 1003.2), which Python's ``re`` lacks."""
    for posix, python in _POSIX_CLASSES.items():
        pattern = pattern.replace(posix, python)
    return pattern
