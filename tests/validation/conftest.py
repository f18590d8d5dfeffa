"""Validation tests: network blocked, an empty private user catalogue, one catalogue per run."""

from __future__ import annotations

import os
import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from mim_suite.catalogue import Catalogue


class NetworkUsed(AssertionError):
    pass


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise NetworkUsed(f"network access attempted: {args[:2]!r}")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(urllib.request, "urlopen", _refuse)


@pytest.fixture(scope="session", autouse=True)
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An empty user catalogue as ``$MIM_MODELS_DIR`` for the whole run (the CLI reads it)."""
    folder = tmp_path_factory.mktemp("models")
    previous = os.environ.get("MIM_MODELS_DIR")
    os.environ["MIM_MODELS_DIR"] = str(folder)
    yield folder
    if previous is None:
        del os.environ["MIM_MODELS_DIR"]
    else:
        os.environ["MIM_MODELS_DIR"] = previous


@pytest.fixture(scope="session")
def catalogue(models_dir: Path) -> Catalogue:
    return Catalogue.load(models_dir)
