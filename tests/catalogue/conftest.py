"""Catalogue tests run with the network blocked and an empty, private user catalogue."""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import httpx
import pytest

from mim_suite.catalogue import Catalogue
from mim_suite.resources import data_dir


class NetworkUsed(AssertionError):
    pass


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise NetworkUsed(f"network access attempted: {args[:2]!r}")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any socket connection, urllib or real httpx transport use fails the test."""
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(urllib.request, "urlopen", _refuse)
    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", _refuse)


@pytest.fixture(autouse=True)
def models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty user catalogue, also set as ``$MIM_MODELS_DIR``."""
    folder = tmp_path / "models"
    monkeypatch.setenv("MIM_MODELS_DIR", str(folder))
    yield folder


@pytest.fixture
def fresh() -> Catalogue:
    """A bundled catalogue built inside the test (so under the network block), not cached."""
    return Catalogue(data_dir("sdm"), data_dir("contexts"), None)
