"""The ``mim`` command line.

The CLI parses and delegates; it is the only place that configures logging. ``mim serve``
starts the reference platform as its own process (``python -m reference_server``): the
harness never imports the server.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from mim_suite import __version__

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
