"""JSON-LD context ``Link`` headers (CIM 009 V1.8.1 6.3.5; JSON-LD 1.1 6.2; RFC 8288).

Clause 6.3.5 takes the request ``@context`` from the ``Link`` header whose relation type
is ``http://www.w3.org/ns/json-ld#context``. A request may carry several ``Link`` headers,
and one header may hold several comma-separated links. Targets are read between ``<`` and
``>``, so commas and semicolons inside a URL are safe; parameter values may be quoted.
Relation types are compared case-insensitively (RFC 8288 2.1.2) and only the first ``rel``
parameter of a link counts (RFC 8288 3.3). More than one JSON-LD context link is an error
(JSON-LD 1.1 API "multiple context link headers"; CIM 009 annex C, "Link header
utilization clarifications": only one such header).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .errors import InvalidContext

__all__ = ["JSONLD_CONTEXT_REL", "format_link_header", "parse_link_header"]

JSONLD_CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"
_WHITESPACE = " \t\r\n"


@dataclass(frozen=True, slots=True)
class _Link:
    target: str
    params: dict[str, str]


class _Scanner:
    """A cursor over one ``Link`` header value."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip(self, chars: str) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in chars:
            self.pos += 1

    def until(self, stops: str) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in stops:
            self.pos += 1
        return self.text[start : self.pos]

    def fail(self, what: str) -> InvalidContext:
        return InvalidContext(f"malformed Link header ({what} at {self.pos}): {self.text!r}")


def _target(scan: _Scanner) -> str:
    if scan.peek() != "<":
        raise scan.fail("expected '<'")
    end = scan.text.find(">", scan.pos + 1)
    if end < 0:
        raise scan.fail("unterminated '<'")
    target = scan.text[scan.pos + 1 : end].strip()
    scan.pos = end + 1
    return target


def _quoted(scan: _Scanner) -> str:
    scan.pos += 1
    chars: list[str] = []
    while not scan.at_end():
        char = scan.peek()
        scan.pos += 1
        if char == '"':
            return "".join(chars)
        if char == "\\" and not scan.at_end():
            char = scan.peek()
            scan.pos += 1
        chars.append(char)
    raise scan.fail("unterminated quoted string")


def _param(scan: _Scanner) -> tuple[str, str]:
    scan.pos += 1  # the ';'
    scan.skip(_WHITESPACE)
    name = scan.until("=;," + _WHITESPACE).lower()
    scan.skip(_WHITESPACE)
    if scan.peek() != "=":
        return name, ""
    scan.pos += 1
    scan.skip(_WHITESPACE)
    if scan.peek() == '"':
        return name, _quoted(scan)
    return name, scan.until(";,").strip()


def _link(scan: _Scanner) -> _Link:
    target = _target(scan)
    params: dict[str, str] = {}
    while True:
        scan.skip(_WHITESPACE)
        if scan.at_end() or scan.peek() == ",":
            return _Link(target, params)
        if scan.peek() != ";":
            raise scan.fail("expected ';' or ','")
        name, value = _param(scan)
        params.setdefault(name, value)


def _links(value: str) -> list[_Link]:
    scan = _Scanner(value)
    links: list[_Link] = []
    while True:
        scan.skip(_WHITESPACE + ",")
        if scan.at_end():
            return links
        links.append(_link(scan))


def _is_context_link(link: _Link) -> bool:
    rels = link.params.get("rel", "").lower().split()
    return JSONLD_CONTEXT_REL in rels


def parse_link_header(values: Iterable[str]) -> str | None:
    """The target of the single JSON-LD context link among ``Link`` header ``values``.

    ``None`` if there is none; :class:`InvalidContext` if there are several or a header is
    malformed.
    """
    found = [link.target for value in values for link in _links(value) if _is_context_link(link)]
    if len(found) > 1:
        raise InvalidContext(f"more than one JSON-LD context Link header: {found}")
    return found[0] if found else None


def format_link_header(url: str) -> str:
    """A ``Link`` header value pointing to the JSON-LD ``@context`` at ``url``."""
    if "<" in url or ">" in url:
        raise ValueError(f"not a URL: {url!r}")
    return f'<{url}>; rel="{JSONLD_CONTEXT_REL}"; type="application/ld+json"'
