"""Terminal rendering of a run: the progress bar and the summary tables (rich)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from mim_suite.checks import Check
from mim_suite.model import CheckResult, Outcome

__all__ = ["catalogue_table", "failures_table", "progress_bar", "summary_table"]

_STYLE = {"pass": "green", "fail": "red", "skip": "yellow", "error": "magenta"}


@contextmanager
def progress_bar(console: Console, total: int) -> Iterator[Callable[[CheckResult], None]]:
    with Progress(
        TextColumn("[bold]checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[last]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("checks", total=total, last="")

        def advance(result: CheckResult) -> None:
            bar.update(task, advance=1, last=f"{result.info.id} {result.outcome}")

        yield advance


def summary_table(results: list[CheckResult]) -> Table:
    """Outcomes per MIM and area."""
    table = Table(title="Conformance summary", show_lines=False)
    table.add_column("MIM")
    table.add_column("area")
    for outcome in Outcome:
        table.add_column(outcome.value, justify="right", style=_STYLE[outcome.value])
    groups: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for result in results:
        groups[(result.info.mim, result.info.area)][str(result.outcome)] += 1
    total: Counter[str] = Counter()
    for (mim, area), counts in sorted(groups.items()):
        total.update(counts)
        table.add_row(mim, area, *(str(counts.get(o.value, 0)) for o in Outcome))
    table.add_section()
    table.add_row("all", "", *(str(total.get(o.value, 0)) for o in Outcome))
    return table


def failures_table(results: list[CheckResult]) -> Table:
    """Every non-pass, non-skip result with its reason."""
    table = Table(title="Failures and errors", show_lines=True)
    for name in ("check", "strength", "clause", "outcome", "why"):
        table.add_column(name)
    for r in results:
        if r.outcome in (Outcome.FAIL, Outcome.ERROR):
            table.add_row(
                r.info.id,
                str(r.info.strength),
                r.info.source.clause,
                f"[{_STYLE[str(r.outcome)]}]{r.outcome}",
                r.reason or "",
            )
    return table


def catalogue_table(checks: list[Check]) -> Table:
    table = Table(title=f"{len(checks)} checks")
    for name in ("id", "strength", "clause", "feature", "writes", "requirement"):
        table.add_column(name)
    for c in checks:
        i = c.info
        table.add_row(
            i.id,
            str(i.strength),
            i.source.clause,
            i.feature or "",
            "yes" if i.writes else "",
            i.requirement,
        )
    return table
