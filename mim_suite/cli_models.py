"""``mim models``: the offline data-model catalogue (list, show, add, lint).

Exit codes: 0 success; 1 ``lint`` found an error-level defect; 2 usage error (unknown entity
type, bad option) or a model that ``add`` refuses (documented in docs/models.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    import httpx

    from mim_suite.catalogue.describe import Description
    from mim_suite.catalogue.lint import Defect

__all__ = ["models_app"]

models_app = typer.Typer(help="The offline data-model catalogue (MIM2).", no_args_is_help=True)

USAGE = 2
_DESCRIPTION_WIDTH = 80

ModelsDir = Annotated[
    Path | None,
    typer.Option(
        "--models-dir",
        envvar="MIM_MODELS_DIR",
        help="User catalogue directory (default ~/.local/share/mim-suite/models).",
    ),
]
Format = Annotated[str, typer.Option("--format", help="table or json.")]


def _format(fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        raise typer.BadParameter(f"--format must be {' or '.join(allowed)}, not {fmt!r}")
    return fmt


def _fail(message: str) -> typer.Exit:
    Console(stderr=True).print(f"[red]error:[/red] {message}", soft_wrap=True, highlight=False)
    return typer.Exit(USAGE)


@models_app.command("list")
def list_models(
    domain: Annotated[str | None, typer.Option(help="Only this domain.")] = None,
    fmt: Format = "table",
    models_dir: ModelsDir = None,
) -> None:
    """List the models: entity type, domain, keyValues examples, origin."""
    from mim_suite.catalogue import Catalogue, key_values_examples

    _format(fmt, ("table", "json"))
    catalogue = Catalogue.load(models_dir)
    models = [m for m in catalogue.models() if domain is None or m.domain == domain]
    rows = [
        {
            "type": m.type,
            "domain": m.domain,
            "examples": len(key_values_examples(m)),
            "origin": m.origin,
        }
        for m in models
    ]
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{len(rows)} data models")
    for column in ("type", "domain", "examples", "origin"):
        table.add_column(column, justify="right" if column == "examples" else "left")
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    Console().print(table)


@models_app.command()
def show(
    type_name: Annotated[str, typer.Argument(metavar="TYPE", help="Entity type.")],
    fmt: Format = "table",
    models_dir: ModelsDir = None,
) -> None:
    """Show a model: schema, required and declared attributes, examples, @context."""
    from mim_suite.catalogue import Catalogue, UnknownModel
    from mim_suite.catalogue.describe import describe

    _format(fmt, ("table", "json"))
    catalogue = Catalogue.load(models_dir)
    try:
        model = catalogue.model(type_name)
    except UnknownModel as error:
        raise _fail(str(error)) from None
    description = describe(catalogue, model)
    if fmt == "json":
        typer.echo(json.dumps(description.as_dict(), indent=2))
    else:
        _print_description(description)


def _truncate(text: str) -> str:
    return text if len(text) <= _DESCRIPTION_WIDTH else text[: _DESCRIPTION_WIDTH - 1] + "…"


def _print_description(description: Description) -> None:
    m = description.model
    console = Console()
    lines = [
        f"[bold]{m.type}[/bold] ({m.domain}, {m.origin})",
        f"schema $id: {m.schema_id}",
        f"schema file: {m.schema_path}",
        f"@context: {description.context_url or '-'}",
        f"required: {', '.join(description.required) or '-'}",
    ]
    for line in lines:
        console.print(line, soft_wrap=True, highlight=False)
    table = Table(title=f"{len(description.attributes)} attributes")
    for column in ("name", "type", "required", "description"):
        table.add_column(column)
    for a in description.attributes:
        table.add_row(a.name, a.type, "yes" if a.required else "", _truncate(a.description))
    console.print(table)
    for example in m.examples:
        console.print(f"example: {example}", soft_wrap=True, highlight=False)


@models_app.command()
def add(
    source: Annotated[str, typer.Argument(metavar="PATH|URL", help="schema.json, dir or URL.")],
    type_name: Annotated[str | None, typer.Option("--type", help="Entity type name.")] = None,
    allow_unresolved: Annotated[
        bool, typer.Option("--allow-unresolved", help="Add even if some $ref do not resolve.")
    ] = False,
    models_dir: ModelsDir = None,
) -> None:
    """Add a model (schema + sibling context.jsonld, examples/) to the user catalogue."""
    add_source(source, models_dir, type_name=type_name, allow_unresolved=allow_unresolved)


def add_source(
    source: str,
    models_dir: Path | None,
    *,
    type_name: str | None = None,
    allow_unresolved: bool = False,
    transport: httpx.BaseTransport | None = None,
) -> Path:
    """``mim models add``: the transport is for tests (``httpx.MockTransport``)."""
    from mim_suite.catalogue import Catalogue, default_user_dir
    from mim_suite.catalogue.user import AddError, add_model, read_source

    user_dir = models_dir or default_user_dir()
    catalogue = Catalogue.load(user_dir)
    try:
        read = read_source(source, transport=transport)
        target, unresolved = add_model(
            read,
            user_dir,
            catalogue.registry,
            type_name=type_name,
            allow_unresolved=allow_unresolved,
        )
    except AddError as error:
        raise _fail(str(error)) from None
    console = Console(stderr=True)
    for ref in unresolved:
        console.print(f"[yellow]unresolved $ref[/yellow] {ref}", highlight=False)
    model = Catalogue.load(user_dir).model(target.name)
    console.print(f"added {model.type} to {target}", highlight=False)
    return target


@models_app.command("lint")
def lint_command(
    types: Annotated[list[str] | None, typer.Argument(metavar="[TYPE]...")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or md.")] = "table",
    bundled_only: Annotated[
        bool, typer.Option("--bundled-only", help="Ignore the user catalogue.")
    ] = False,
    show_info: Annotated[bool, typer.Option("--info", help="Also list info findings.")] = False,
    models_dir: ModelsDir = None,
) -> None:
    """Report catalogue defects; exit 1 if any is an error."""
    from mim_suite.catalogue import Catalogue, UnknownModel
    from mim_suite.catalogue.lint import lint, summary_markdown

    _format(fmt, ("table", "json", "md"))
    catalogue = Catalogue.bundled() if bundled_only else Catalogue.load(models_dir)
    try:
        defects = lint(catalogue, types or [])
    except UnknownModel as error:
        raise _fail(str(error)) from None
    if fmt == "json":
        typer.echo(json.dumps([d.as_dict() for d in defects], indent=2))
    elif fmt == "md":
        typer.echo(summary_markdown(defects), nl=False)
    else:
        _print_defects(defects, show_info)
    if any(d.severity == "error" for d in defects):
        raise typer.Exit(1)


_SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "blue"}


def _print_defects(defects: list[Defect], show_info: bool) -> None:
    """One line per defect, ``file#pointer`` locating it, grouped by model."""
    console = Console()
    current = None
    for d in defects:
        if d.severity == "info" and not show_info:
            continue
        if d.model != current:
            current = d.model
            console.print(f"[bold]{d.model}[/bold]")
        style = _SEVERITY_STYLE[d.severity]
        console.print(
            f"  [{style}]{d.severity}[/{style}] {d.rule} {d.file}#{d.pointer}: {d.message}",
            soft_wrap=True,
            highlight=False,
        )
    counts = {s: sum(1 for d in defects if d.severity == s) for s in _SEVERITY_STYLE}
    note = "" if show_info or not counts["info"] else " (not shown; --info lists them)"
    console.print(
        f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info{note}"
    )
