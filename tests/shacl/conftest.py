"""SHACL tests: network blocked, the bundled catalogue only, one validator per session."""

from __future__ import annotations

import socket
import urllib.request
from typing import Any, NoReturn

import pytest
import rdflib.parser

from mim_suite.catalogue import Catalogue
from mim_suite.resources import data_dir
from mim_suite.validation.shacl import ShaclValidator


class NetworkUsed(AssertionError):
    pass


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise NetworkUsed(f"network access attempted: {args[:2]!r}")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sockets, urllib and rdflib's own URL opener all fail the test if used."""
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(urllib.request, "urlopen", _refuse)
    monkeypatch.setattr(rdflib.parser, "_urlopen", _refuse)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The bundled catalogue, without any user directory."""
    return Catalogue(data_dir("sdm"), data_dir("contexts"), None)


@pytest.fixture(scope="session")
def validator(catalogue: Catalogue) -> ShaclValidator:
    return ShaclValidator(catalogue)
