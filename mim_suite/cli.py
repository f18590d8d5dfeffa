"""The ``mim`` command line.

The CLI parses and delegates; it is the only place that configures logging. ``mim serve``
starts the reference platform as its own process (``python -m reference_server``): the
harness never imports the server.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit, urlunsplit

import typer
from rich.console import Console

from mim_suite import __version__
from mim_suite.runner import RunSettings

if TYPE_CHECKING:
    from mim_suite.probe import Target

__all__ = ["app", "main"]

app = typer.Typer(
    name="mim",
    help="Conformance toolkit for the OASC Minimal Interoperability Mechanisms (MIMs).",
    no_args_is_help=True,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mim-suite {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log debug detail.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


def server_command(host: str, port: int, data_dir: Path | None, in_memory: bool) -> list[str]:
    """The argv that runs the reference platform in a new process."""
    argv = [sys.executable, "-m", "reference_server", "--host", host, "--port", str(port)]
    if data_dir is not None:
        argv += ["--data-dir", str(data_dir)]
    if in_memory:
        argv.append("--in-memory")
    return argv


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.")] = 1026,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir", envvar="MIM_DATA_DIR", help="Directory of the SQLite store (./data)."
        ),
    ] = None,
    in_memory: Annotated[
        bool, typer.Option("--in-memory", help="Keep data in memory only.")
    ] = False,
) -> None:
    """Run the reference NGSI-LD platform (MIM1) on HOST:PORT."""
    argv = server_command(host, port, data_dir, in_memory)
    os.execv(argv[0], argv)


def main() -> None:
    """Entry point of the ``mim`` console script."""
    app()


checks_app = typer.Typer(help="The check catalogue.", no_args_is_help=True)
app.add_typer(checks_app, name="checks")

from mim_suite.cli_models import models_app  # noqa: E402

app.add_typer(models_app, name="models")

from mim_suite.cli_validate import validate_command  # noqa: E402

app.command("validate")(validate_command)

from mim_suite.cli_shapes import shapes_app  # noqa: E402

app.add_typer(shapes_app, name="shapes")


class ExitCode:
    """``mim check`` exit codes (documented in docs/cli.md and tested)."""

    OK = 0
    FAILED = 1
    USAGE = 2


def normalise_url(url: str) -> str:
    """The NGSI-LD API root: a bare host (or host:port) gets ``/ngsi-ld/v1`` added."""
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if not parts.netloc:
        raise typer.BadParameter(f"{url!r} is not a URL")
    if parts.path in ("", "/"):
        return urlunsplit((parts.scheme, parts.netloc, "/ngsi-ld/v1", "", ""))
    return url.rstrip("/")


def _headers(values: list[str]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for value in values:
        name, sep, content = value.partition(":")
        if not sep or not name.strip():
            raise typer.BadParameter(f"--header {value!r} is not NAME: VALUE")
        headers[name.strip()] = content.strip()
    return headers


@checks_app.command("list")
def list_checks(
    mim: Annotated[str | None, typer.Option(help="Only this MIM (e.g. MIM1).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or md.")] = "table",
) -> None:
    """List the checks with their requirement, clause and strength."""
    from mim_suite.checks import catalogue
    from mim_suite.console import catalogue_table
    from mim_suite.docs import checks_json, checks_markdown

    checks = [c for c in catalogue() if mim is None or c.info.mim == mim]
    if fmt == "json":
        typer.echo(checks_json(checks))
    elif fmt == "md":
        typer.echo(checks_markdown(checks), nl=False)
    elif fmt == "table":
        Console().print(catalogue_table(checks))
    else:
        raise typer.BadParameter(f"--format must be table, json or md, not {fmt!r}")


@app.command()
def check(
    url: Annotated[str, typer.Argument(help="NGSI-LD API root, e.g. http://host:1026/ngsi-ld/v1")],
    profile: Annotated[str, typer.Option(help="full (default) or read-only.")] = "full",
    only: Annotated[list[str], typer.Option(help="Check id glob or MIM; repeatable.")] = [],  # noqa: B006
    skip: Annotated[list[str], typer.Option(help="Check id glob or MIM to leave out.")] = [],  # noqa: B006
    report: Annotated[Path | None, typer.Option(help="Write the JSON report here.")] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=64)] = 8,
    timeout: Annotated[float, typer.Option(help="Per-request timeout, seconds.")] = 10.0,
    check_timeout: Annotated[float, typer.Option(help="Per-check deadline, seconds.")] = 30.0,
    deadline: Annotated[float, typer.Option(help="Whole-run deadline, seconds.")] = 900.0,
    token: Annotated[str | None, typer.Option(envvar="MIM_TOKEN", help="Bearer token.")] = None,
    api_key_header: Annotated[str | None, typer.Option(help="API key header name.")] = None,
    api_key: Annotated[str | None, typer.Option(envvar="MIM_API_KEY")] = None,
    oauth2_token_url: Annotated[str | None, typer.Option(help="OAuth2 token endpoint.")] = None,
    client_id: Annotated[str | None, typer.Option(envvar="MIM_CLIENT_ID")] = None,
    client_secret: Annotated[str | None, typer.Option(envvar="MIM_CLIENT_SECRET")] = None,
    oauth2_scope: Annotated[str | None, typer.Option(help="OAuth2 scope to request.")] = None,
    header: Annotated[list[str], typer.Option(help="Extra header NAME: VALUE.")] = [],  # noqa: B006
    tenant: Annotated[str | None, typer.Option(help="NGSILD-Tenant for every request.")] = None,
    ca_bundle: Annotated[Path | None, typer.Option(help="CA bundle to verify TLS.")] = None,
    insecure: Annotated[bool, typer.Option(help="Do not verify TLS (not recommended).")] = False,
) -> None:
    """Check a platform's conformance and print a verdict per requirement."""
    from mim_suite.probe import Auth, Target

    if profile not in ("full", "read-only"):
        raise typer.BadParameter(f"--profile must be full or read-only, not {profile!r}")
    for name, seconds in (("timeout", timeout), ("check-timeout", check_timeout)):
        if not seconds > 0:
            raise typer.BadParameter(f"--{name} must be a positive number of seconds")
    if not deadline > 0:
        raise typer.BadParameter("--deadline must be a positive number of seconds")
    if report is not None and report.is_dir():
        # Found out now, not after the run: the report could not be written there.
        raise typer.BadParameter(f"--report {report} is a directory, not a file")
    if bool(api_key) != bool(api_key_header):
        raise typer.BadParameter("--api-key and --api-key-header go together")
    if oauth2_token_url and not (client_id and client_secret):
        raise typer.BadParameter("--oauth2-token-url needs --client-id and --client-secret")
    if (client_id or client_secret or oauth2_scope) and not oauth2_token_url:
        raise typer.BadParameter("OAuth2 client credentials need --oauth2-token-url")
    auth = Auth(
        bearer_token=token,
        api_key_header=api_key_header,
        api_key=api_key,
        oauth2_token_url=oauth2_token_url,
        oauth2_client_id=client_id,
        oauth2_client_secret=client_secret,
        oauth2_scope=oauth2_scope,
    )
    verify: bool | str = False if insecure else (str(ca_bundle) if ca_bundle else True)
    target = Target(
        api_root=normalise_url(url),
        headers=_headers(header),
        tenant=tenant,
        auth=auth,
        verify=verify,
        timeout_s=timeout,
        read_only=profile == "read-only",
    )
    settings = RunSettings(
        profile=profile,
        concurrency=concurrency,
        check_timeout_s=check_timeout,
        run_deadline_s=deadline,
    )
    code = asyncio.run(_check(target, settings, only, skip, report))
    raise typer.Exit(code)


async def _check(
    target: Target, settings: RunSettings, only: list[str], skip: list[str], report: Path | None
) -> int:
    from mim_suite.checks import catalogue, select
    from mim_suite.console import failures_table, progress_bar, summary_table
    from mim_suite.probe import Probe
    from mim_suite.report import build_report, failed_required, write_report
    from mim_suite.runner import preflight, run_checks

    console = Console(stderr=True)
    checks = select(catalogue(), only, skip)
    if not checks:
        console.print("[red]no check matches --only/--skip")
        return ExitCode.USAGE
    probe = Probe(target)
    try:
        trouble = await preflight(probe)
        if trouble is not None:
            console.print(f"[red]target unreachable[/red] at {target.api_root}: {trouble}")
            return ExitCode.USAGE
        with progress_bar(console, len(checks)) as advance:
            run = await run_checks(checks, probe, settings, advance)
    finally:
        await probe.aclose()
    out = Console()
    out.print(summary_table(run.results))
    if any(r.outcome in ("fail", "error") for r in run.results):
        out.print(failures_table(run.results))
    if run.cleanup_failures:
        console.print(f"[yellow]{len(run.cleanup_failures)} test entities were not deleted")
    if report is not None:
        url, tenant = target.api_root, target.tenant
        body = build_report(run, url=url, profile=settings.profile, tenant=tenant)
        try:
            write_report(body, report)
        except OSError as exc:
            console.print(f"[red]could not write the report to {report}: {exc}")
            return ExitCode.USAGE
        console.print(f"report written to {report}")
    return ExitCode.FAILED if failed_required(run.results) else ExitCode.OK
