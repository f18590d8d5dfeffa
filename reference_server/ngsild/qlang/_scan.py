"""Shared scanning machinery: positions in error messages, size limits and name syntax.

Names follow clause 4.6.2 (``unicodeLetter *(unicodeLetter / unicodeNumber / "_")``, optionally
``prefix:name``); a full IRI (``scheme:...``) is accepted wherever a name is. Error positions are
0-based character offsets into the text the caller passed (already URL-decoded).
"""

from __future__ import annotations

import re
from typing import NoReturn

from reference_server.ngsild.errors import BadRequestData, TooComplexQuery

__all__ = [
    "MAX_DEPTH",
    "MAX_REGEX_LENGTH",
    "MAX_TERMS",
    "MAX_TEXT_LENGTH",
    "NAME_RE",
    "Scanner",
    "is_name",
    "too_complex",
]

MAX_TEXT_LENGTH = 4096
"""Longest expression (characters) accepted by any parser here; longer ones: TooComplexQuery."""
MAX_DEPTH = 64
"""Deepest nesting of parentheses and braces; deeper ones: TooComplexQuery."""
MAX_TERMS = 256
"""Most query terms in one ``q`` expression; more: TooComplexQuery."""
MAX_REGEX_LENGTH = 256
"""Longest regular expression after ``~=``/``!~=``; longer ones: TooComplexQuery."""

NAME_RE = re.compile(r"[^\W\d_]\w*")
"""A plain name as per clause 4.6.2 (Unicode letters, numbers and underscore)."""
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_SNIPPET = 24


def is_name(token: str) -> bool:
    """Whether ``token`` is a clause 4.6.2 name, a compact IRI ``prefix:name`` or an IRI."""
    if NAME_RE.fullmatch(token):
        return True
    scheme = _SCHEME_RE.match(token)
    return scheme is not None and scheme.end() < len(token) and not any(c.isspace() for c in token)


def too_complex(param: str, why: str) -> NoReturn:
    """Raise TooComplexQuery (clause 5.5.2) for ``param``."""
    raise TooComplexQuery(f"{param} is too complex: {why}")


class Scanner:
    """A cursor over ``text`` that reports errors with their character position."""

    __slots__ = ("param", "pos", "text")

    def __init__(self, text: str, param: str) -> None:
        if len(text) > MAX_TEXT_LENGTH:
            too_complex(param, f"longer than {MAX_TEXT_LENGTH} characters")
        self.text = text
        self.param = param
        self.pos = 0

    def error(self, what: str, pos: int | None = None) -> NoReturn:
        """Raise BadRequestData saying ``what`` is wrong at ``pos`` (default: the cursor)."""
        at = self.pos if pos is None else pos
        raise BadRequestData(f"Invalid {self.param}: {what} at position {at} ({self._near(at)})")

    def _near(self, at: int) -> str:
        if at >= len(self.text):
            return "end of input"
        tail = self.text[at : at + _SNIPPET]
        return f"near {tail!r}" + ("..." if at + _SNIPPET < len(self.text) else "")

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self, size: int = 1) -> str:
        """The next ``size`` characters ('' at the end of the text)."""
        return self.text[self.pos : self.pos + size]

    def skip_ws(self) -> None:
        """Skip whitespace (tolerated between tokens, e.g. from a URL-decoded ``+``)."""
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def expect(self, char: str, what: str) -> None:
        """Consume ``char`` or fail saying ``what`` was expected."""
        self.skip_ws()
        if self.peek() != char:
            self.error(f"expected {what}")
        self.pos += 1

    def unexpected(self) -> NoReturn:
        """Fail on the character under the cursor."""
        if self.at_end():
            self.error("unexpected end of input")
        self.error(f"unexpected {self.peek()!r}")

    def match(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """``pattern`` matched at the cursor (the cursor does not move)."""
        return pattern.match(self.text, self.pos)
