"""Reports of ``mim validate``: JSON (the source of truth), JUnit XML and a terminal table.

The JSON report's shape is fixed by ``schemas/validate-report.schema.json``
(:data:`REPORT_SCHEMA_VERSION`); a test validates generated reports against it. JUnit XML has
one ``testcase`` per entity (a ``failure`` listing its error findings) and one per input
error (an ``error``), so CI systems show validation results like test results.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any, Final

from rich.table import Table
from rich.text import Text

from mim_suite import __version__
from mim_suite.validation.findings import EntityReport, Finding, Severity
from mim_suite.validation.inputs import InputError

__all__ = [
    "REPORT_SCHEMA_VERSION",
    "exit_code",
    "findings_tables",
    "json_report",
    "junit_report",
    "summary",
    "summary_line",
]

REPORT_SCHEMA_VERSION: Final = "1.0"
_STYLE: Final = {"error": "red", "warning": "yellow", "info": "cyan"}


def exit_code(reports: Sequence[EntityReport], errors: Sequence[InputError]) -> int:
    """0 all valid, 1 some entity invalid, 2 some input could not be read."""
    if errors:
        return 2
    return 0 if all(r.valid for r in reports) else 1


def summary(reports: Sequence[EntityReport], errors: Sequence[InputError]) -> dict[str, int]:
    severities = Counter(f.severity.value for r in reports for f in r.findings)
    valid = sum(1 for r in reports if r.valid)
    return {
        "entities": len(reports),
        "valid": valid,
        "invalid": len(reports) - valid,
        "errors": severities.get("error", 0),
        "warnings": severities.get("warning", 0),
        "infos": severities.get("info", 0),
        "input_errors": len(errors),
    }


def json_report(reports: Sequence[EntityReport], errors: Sequence[InputError]) -> dict[str, Any]:
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "tool": {"name": "mim-suite", "version": __version__},
        "entities": [r.as_dict() for r in reports],
        "input_errors": [e.as_dict() for e in errors],
        "summary": summary(reports, errors),
    }


def summary_line(reports: Sequence[EntityReport], errors: Sequence[InputError]) -> str:
    counts = summary(reports, errors)
    line = (
        f"{counts['entities']} entities: {counts['valid']} valid, {counts['invalid']} invalid; "
        f"{counts['errors']} errors, {counts['warnings']} warnings"
    )
    if errors:
        line += f"; {len(errors)} input errors"
    return line


def findings_tables(reports: Sequence[EntityReport]) -> Iterator[Table]:
    """One table per entity with findings (titled with its file, index and id), one row per
    finding, in input order."""
    for report in reports:
        if not report.findings:
            continue
        title = f"{report.file} [{report.index}] {report.id or '(no id)'}"
        table = Table(title=title, title_justify="left", expand=True)
        table.add_column("pointer", overflow="fold", ratio=2)
        table.add_column("rule", overflow="fold", ratio=2)
        table.add_column("severity", no_wrap=True)
        table.add_column("message", overflow="fold", ratio=4)
        for finding in report.findings:
            severity = finding.severity.value
            table.add_row(
                finding.pointer or "/",
                finding.rule,
                Text(severity, style=_STYLE[severity]),
                finding.message,
            )
        yield table


def junit_report(reports: Sequence[EntityReport], errors: Sequence[InputError]) -> str:
    failures = sum(1 for r in reports if not r.valid)
    attributes = {
        "name": "mim validate",
        "tests": str(len(reports) + len(errors)),
        "failures": str(failures),
        "errors": str(len(errors)),
    }
    root = ET.Element("testsuites", attributes)
    suite = ET.SubElement(root, "testsuite", attributes)
    for report in reports:
        _testcase(suite, report)
    for error in errors:
        name = "input" if error.line is None else f"input line {error.line}"
        case = ET.SubElement(suite, "testcase", {"classname": error.file, "name": name})
        ET.SubElement(case, "error", {"message": error.message, "type": "input"})
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _testcase(suite: ET.Element, report: EntityReport) -> None:
    name = f"[{report.index}] {report.id or '(no id)'}"
    case = ET.SubElement(suite, "testcase", {"classname": report.file, "name": name})
    failing = [f for f in report.findings if f.severity is Severity.ERROR]
    if failing:
        message = (
            f"{len(failing)} error(s), first: {failing[0].rule} at {failing[0].pointer or '/'}"
        )
        failure = ET.SubElement(case, "failure", {"message": message, "type": failing[0].rule})
        failure.text = "\n".join(_line(f) for f in failing)
    notes = [f for f in report.findings if f.severity is not Severity.ERROR]
    if notes:
        ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in notes)


def _line(finding: Finding) -> str:
    return f"{finding.severity.value} {finding.pointer or '/'} {finding.rule}: {finding.message}"
