"""``mim shapes``: the SHACL shapes ``mim validate --shacl`` uses (see docs/shacl.md).

``mim shapes generate`` writes one Turtle file per bundled catalogue model under
``shapes/generated/<Domain>/<Type>.ttl``; with ``--check`` it only compares. Exit codes: 0 done
or in sync; 1 ``--check`` found files that differ from a fresh generation; 2 usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

__all__ = ["shapes_app"]

shapes_app = typer.Typer(help="SHACL shapes for `mim validate --shacl`.", no_args_is_help=True)

DRIFT = 1
USAGE = 2


@shapes_app.command("generate")
def generate_command(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output directory (default: the bundled shapes/generated)."),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if a file is out of date.")
    ] = False,
) -> None:
    """Generate the data models' SHACL shapes from their JSON Schemas."""
    from mim_suite.catalogue import Catalogue
    from mim_suite.resources import bundled_dir, data_dir
    from mim_suite.shapesgen import check as compare
    from mim_suite.shapesgen import generate, write

    target = out if out is not None else bundled_dir("shapes") / "generated"
    if target.exists() and not target.is_dir():
        Console(stderr=True).print(f"[red]error:[/red] --out {target} is not a directory")
        raise typer.Exit(USAGE)
    bundled_only = Catalogue(data_dir("sdm"), data_dir("contexts"), None)
    files = generate(bundled_only)
    console = Console(highlight=False)
    if check:
        drift = compare(target, files)
        for item in drift:
            console.print(f"{item.kind}: {item.path}")
        if drift:
            Console(stderr=True).print(
                f"[red]{len(drift)} shape file(s) out of date in {target}[/red];"
                " run `mim shapes generate`"
            )
            raise typer.Exit(DRIFT)
        console.print(f"{len(files)} shape files in {target} are up to date")
        return
    written = write(target, files)
    console.print(f"{len(files)} shape files in {target}: {len(written)} written")
