"""``mim check`` and ``mim checks list``: exit codes, the report file, URL handling, listings.

Exit codes (docs/cli.md): 0 no SHALL check failed, 1 at least one did, 2 usage or configuration
error or target unreachable. The targets are real servers on free loopback ports: the
reference platform as its own process, and a broken copy of it served by uvicorn in a thread.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
import uvicorn
from click.testing import Result
from starlette.types import ASGIApp
from typer.testing import CliRunner

from benchmarks.serverproc import free_port, running_server
from mim_suite.checks import catalogue, select
from mim_suite.cli import ExitCode, app, normalise_url
from mim_suite.docs import checks_json, checks_markdown
from tests.harness.breakage import Breakage, broken
from tests.harness.conftest import reference_app
from tests.harness.test_report import validate_report

ENTITIES = "MIM1.ENT.*"
FAST = ["--timeout", "5", "--check-timeout", "10", "--deadline", "60"]


def mim(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@contextlib.contextmanager
def serving(asgi: ASGIApp) -> Iterator[str]:
    """Serve ``asgi`` with uvicorn in a background thread; yields the API root URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(asgi, log_level="warning", lifespan="off", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        stop = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > stop or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}/ngsi-ld/v1"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="module")
def reference_url() -> Iterator[str]:
    """The reference platform as a real process (``python -m reference_server``)."""
    with running_server() as url:
        yield url


def closed_port_url() -> str:
    return f"http://127.0.0.1:{free_port()}/ngsi-ld/v1"


# -- mim check: exit codes ---------------------------------------------------------------------


@pytest.mark.process
def test_exit_0_against_the_reference_platform_and_the_report_validates(
    reference_url: str, tmp_path: Path
) -> None:
    report = tmp_path / "out" / "report.json"
    result = mim("check", reference_url, "--only", ENTITIES, "--report", str(report), *FAST)

    assert result.exit_code == ExitCode.OK, result.output
    assert "Conformance summary" in result.stdout
    body = json.loads(report.read_text(encoding="utf-8"))
    validate_report(body)
    expected = [c.info.id for c in select(catalogue(), [ENTITIES])]
    assert [c["id"] for c in body["checks"]] == expected
    assert body["summary"]["fail"] == 0
    assert body["target"]["url"] == reference_url
    assert body["cleanup_failures"] == []


@pytest.mark.process
def test_a_bare_host_and_port_reaches_the_api_root(reference_url: str) -> None:
    host_port = reference_url.removeprefix("http://").removesuffix("/ngsi-ld/v1")
    result = mim("check", host_port, "--only", "MIM1.ENT.RETRIEVE.404", *FAST)
    assert result.exit_code == ExitCode.OK, result.output


def test_exit_1_when_a_shall_check_fails(tmp_path: Path) -> None:
    platform = broken(reference_app(), Breakage(method="POST", path="/entities$", status=200))
    report = tmp_path / "report.json"
    with serving(platform) as url:
        result = mim("check", url, "--only", ENTITIES, "--report", str(report), *FAST)

    assert result.exit_code == ExitCode.FAILED, result.output
    assert "MIM1.ENT.CREATE.201" in result.stdout
    body = json.loads(report.read_text(encoding="utf-8"))
    validate_report(body)
    failed = {c["id"]: c for c in body["checks"] if c["outcome"] == "fail"}
    assert "MIM1.ENT.CREATE.201" in failed
    assert failed["MIM1.ENT.CREATE.201"]["strength"] == "SHALL"
    assert failed["MIM1.ENT.CREATE.201"]["evidence"]["exchanges"]


def test_exit_2_when_the_target_is_unreachable(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = mim("check", closed_port_url(), "--only", ENTITIES, "--report", str(report))
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "unreachable" in result.stderr
    assert not report.exists(), "no verdict, no report"


@pytest.mark.parametrize(
    "args",
    [
        ["--profile", "bogus"],
        ["--only", "MIM9.NOTHING.*"],
        ["--only", ENTITIES, "--skip", "MIM1"],
        ["--header", "X-No-Colon"],
        ["--header", ": no name"],
        ["--timeout", "0"],
        ["--concurrency", "0"],
        ["--api-key", "k3y"],
        ["--oauth2-token-url", "http://auth.test/token", "--client-id", "mim"],
        ["--client-id", "mim", "--client-secret", "s3cret"],
    ],
    ids=[
        "bogus-profile",
        "only-matches-nothing",
        "skip-removes-everything",
        "header-without-colon",
        "header-without-name",
        "zero-timeout",
        "zero-concurrency",
        "api-key-without-header",
        "oauth2-without-secret",
        "client-credentials-without-token-url",
    ],
)
def test_exit_2_on_a_usage_error(args: list[str]) -> None:
    result = mim("check", closed_port_url(), *args)
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "unreachable" not in result.output, "refused before any connection is tried"


def test_exit_2_when_the_report_path_is_a_directory(tmp_path: Path) -> None:
    result = mim("check", closed_port_url(), "--report", str(tmp_path))
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "unreachable" not in result.output, "refused before any connection is tried"


# -- URLs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("localhost:1026", "http://localhost:1026/ngsi-ld/v1"),
        ("127.0.0.1:9090", "http://127.0.0.1:9090/ngsi-ld/v1"),
        ("broker.example.org", "http://broker.example.org/ngsi-ld/v1"),
        ("http://localhost:1026", "http://localhost:1026/ngsi-ld/v1"),
        ("https://broker.example.org/", "https://broker.example.org/ngsi-ld/v1"),
        ("http://localhost:1026/ngsi-ld/v1/", "http://localhost:1026/ngsi-ld/v1"),
        ("https://gw.example.org/city/ngsi-ld/v1", "https://gw.example.org/city/ngsi-ld/v1"),
    ],
)
def test_normalise_url(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


@pytest.mark.parametrize("given", ["", "http://", "http:///ngsi-ld/v1"])
def test_normalise_url_refuses_what_is_no_url(given: str) -> None:
    with pytest.raises(typer.BadParameter):
        normalise_url(given)


# -- mim checks list ---------------------------------------------------------------------------


def test_checks_list_json_has_one_entry_per_check() -> None:
    result = mim("checks", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    checks = catalogue()
    assert [entry["id"] for entry in listed] == [c.info.id for c in checks]
    assert listed == json.loads(checks_json(checks))
    for entry in listed:
        assert {"id", "mim", "requirement", "source", "strength", "writes"} <= set(entry)


def test_checks_list_md_is_the_docs_generator() -> None:
    result = mim("checks", "list", "--format", "md")
    assert result.exit_code == 0, result.output
    assert result.stdout == checks_markdown(catalogue())


def test_checks_list_filters_by_mim() -> None:
    mim1 = json.loads(mim("checks", "list", "--format", "json", "--mim", "MIM1").stdout)
    assert len(mim1) == sum(1 for c in catalogue() if c.info.mim == "MIM1")
    assert json.loads(mim("checks", "list", "--format", "json", "--mim", "MIM9").stdout) == []


def test_checks_list_table_and_a_bad_format() -> None:
    assert mim("checks", "list").exit_code == 0
    assert mim("checks", "list", "--format", "yaml").exit_code == ExitCode.USAGE
