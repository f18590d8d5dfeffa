"""``mim validate``: check NGSI-LD entities against NGSI-LD structure and their data models.

Thin: parses options, reads the inputs, delegates to
:func:`mim_suite.validation.validate_entities` and renders the reports. Exit codes (documented
in docs/validate.md and tested): 0 every entity valid, 1 some entity invalid, 2 usage error or
unreadable input (input errors win over invalid entities; the readable entities are still
validated and reported).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Final

import typer
from rich.console import Console

__all__ = ["ExitCode", "validate_command"]

_FORMATS: Final = ("table", "json", "junit")


class ExitCode:
    OK = 0
    INVALID = 1
    USAGE = 2


def _fail(message: str) -> typer.Exit:
    Console(stderr=True).print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(ExitCode.USAGE)


def validate_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            help="Entity files (.json, .jsonld, .ndjson), directories, or - for stdin.",
        ),
    ],
    model: Annotated[
        str | None, typer.Option("--model", help="Check every entity against this type's model.")
    ] = None,
    schema: Annotated[
        Path | None, typer.Option("--schema", help="Check every entity against this JSON Schema.")
    ] = None,
    shacl: Annotated[
        bool, typer.Option("--shacl", help="Also validate with SHACL shapes (RDF).")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="table, json or junit.")] = "table",
    output: Annotated[
        Path | None, typer.Option("--output", help="Write the report here, not to stdout.")
    ] = None,
) -> None:
    """Validate NGSI-LD entities (normalized, concise or keyValues) against their data models.

    Exit codes: 0 all valid, 1 some entity invalid, 2 usage error or unreadable input.
    """
    from mim_suite.catalogue import Catalogue, UnknownModel
    from mim_suite.validation import SchemaProblem, load_schema, read_inputs, validate_entities

    if fmt not in _FORMATS:
        raise _fail(f"--format must be one of {', '.join(_FORMATS)}, not {fmt!r}")
    if model is not None and schema is not None:
        raise _fail("--model and --schema exclude each other")
    try:
        override = load_schema(schema) if schema is not None else None
        catalogue = Catalogue.load()
        read = read_inputs(paths)
        reports = list(
            validate_entities(
                read.entities,
                catalogue,
                schema_override=override,
                model_override=model,
                shacl=shacl,
            )
        )
    except (UnknownModel, SchemaProblem) as error:
        raise _fail(str(error)) from None
    _emit(fmt, output, reports, read.errors)
    raise typer.Exit(_exit_code(reports, read.errors))


def _exit_code(reports: list[Any], errors: list[Any]) -> int:
    from mim_suite.validation.output import exit_code

    return exit_code(reports, errors)


def _emit(fmt: str, output: Path | None, reports: list[Any], errors: list[Any]) -> None:
    from mim_suite.validation.output import json_report, junit_report, summary_line

    stderr = Console(stderr=True, highlight=False)
    for error in errors:
        stderr.print(f"[red]input error[/red] {error}", markup=True)
    if fmt == "table":
        _table(output, reports, errors)
        return
    if fmt == "json":
        text = json.dumps(json_report(reports, errors), indent=2, ensure_ascii=False) + "\n"
    else:
        text = junit_report(reports, errors)
    if output is None:
        sys.stdout.write(text)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    stderr.print(f"{summary_line(reports, errors)}; report written to {output}")


def _table(output: Path | None, reports: list[Any], errors: list[Any]) -> None:
    from mim_suite.validation.output import findings_tables, summary_line

    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8") if output is not None else _Stdout() as stream:
        console = Console(file=stream, highlight=False, width=160 if output else None)
        for table in findings_tables(reports):
            console.print(table)
        console.print(summary_line(reports, errors))


class _Stdout:
    """``sys.stdout`` for a ``with`` statement, left open."""

    def __enter__(self) -> Any:
        return sys.stdout

    def __exit__(self, *args: object) -> None:
        sys.stdout.flush()
