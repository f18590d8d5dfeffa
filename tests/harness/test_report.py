"""The JSON report: it validates against schemas/report.schema.json, a failure carries its
evidence, and the summary adds up.

``validate_report`` checks formats for real: jsonschema checks ``date-time`` and ``uri`` only
when optional packages are installed, so both are checked here without them.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from jsonschema import Draft202012Validator, FormatChecker

from mim_suite.checks import catalogue, select
from mim_suite.model import Outcome
from mim_suite.probe import Probe, Target
from mim_suite.report import REPORT_SCHEMA_VERSION, build_report, summary, write_report
from mim_suite.runner import RunResult, RunSettings, run_checks
from tests.harness.breakage import Breakage, broken
from tests.harness.conftest import API_ROOT, reference_app

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))

_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")


def _formats() -> FormatChecker:
    formats = FormatChecker()

    @formats.checks("date-time", raises=ValueError)
    def date_time(value: object) -> bool:  # RFC 3339
        if not isinstance(value, str):
            return True
        if not _DATE_TIME.fullmatch(value):
            return False
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))  # a real date and time
        return True

    @formats.checks("uri")
    def uri(value: object) -> bool:  # RFC 3986, absolute
        return not isinstance(value, str) or bool(_URI.fullmatch(value))

    return formats


VALIDATOR = Draft202012Validator(SCHEMA, format_checker=_formats())


def validate_report(report: Any) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``report`` is a valid report (formats too)."""
    Draft202012Validator.check_schema(SCHEMA)
    VALIDATOR.validate(json.loads(json.dumps(report)))


async def run_against(app: Any, patterns: list[str], run_id: str) -> RunResult:
    probe = Probe(Target(api_root=API_ROOT), transport=httpx.ASGITransport(app=app))
    try:
        return await run_checks(select(catalogue(), patterns), probe, RunSettings(run_id=run_id))
    finally:
        await probe.aclose()


def report_of(run: RunResult, profile: str = "full") -> dict[str, Any]:
    return build_report(run, url=API_ROOT, profile=profile, tenant=None)


# -- the schema --------------------------------------------------------------------------------


async def test_a_report_of_a_run_against_the_reference_platform_is_valid(probe: Probe) -> None:
    checks = select(catalogue(), ["MIM1.ENT.*", "MIM1.DISC.*"])
    run = await run_checks(checks, probe, RunSettings(run_id="feed0001"))
    report = report_of(run)

    validate_report(report)
    assert report["schema_version"] == REPORT_SCHEMA_VERSION
    assert report["target"] == {"url": API_ROOT, "profile": "full", "tenant": None}
    assert report["run_id"] == "feed0001"
    assert [c["id"] for c in report["checks"]] == [c.info.id for c in checks]
    assert report["cleanup_failures"] == []


async def test_a_read_only_report_is_valid(read_only_probe: Probe) -> None:
    checks = select(catalogue(), ["MIM1.ENT.*"])
    run = await run_checks(checks, read_only_probe, RunSettings(profile="read-only"))
    report = report_of(run, "read-only")
    validate_report(report)
    skipped = [c for c in report["checks"] if c["writes"]]
    assert skipped
    assert all(c["outcome"] == "skip" and "read-only" in c["reason"] for c in skipped)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("started",), "yesterday"),
        (("finished",), "2024-13-45T99:00:00Z"),
        (("target", "url"), "not a url"),
        (("run_id",), "NOT-HEX"),
        (("summary", "pass"), -1),
        (("checks", 0, "outcome"), "maybe"),
        (("checks", 0, "strength"), "MUST"),
    ],
)
async def test_the_schema_rejects_what_it_should(
    probe: Probe, path: tuple[str | int, ...], value: object
) -> None:
    run = await run_checks(select(catalogue(), ["MIM1.ENT.CREATE.201"]), probe, RunSettings())
    report = report_of(run)
    validate_report(report)
    node: Any = report
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        validate_report(report)


# -- failures carry evidence -------------------------------------------------------------------


async def test_a_failed_check_carries_evidence_in_the_report() -> None:
    app = broken(reference_app(), Breakage(method="POST", path="/entities$", status=200))
    run = await run_against(app, ["MIM1.ENT.CREATE.201"], "feed0002")
    report = report_of(run)
    validate_report(report)

    (entry,) = report["checks"]
    assert entry["outcome"] == "fail"
    assert entry["strength"] == "SHALL"
    assert entry["reason"]
    evidence = entry["evidence"]
    assert "201" in evidence["expected"]
    assert evidence["received"].startswith("200")
    assert evidence["exchanges"], "the exchange that shows the failure"
    exchange = evidence["exchanges"][-1]
    assert exchange["request"]["method"] == "POST"
    assert exchange["request"]["url"] == f"{API_ROOT}/entities"
    assert exchange["request"]["body"]
    assert exchange["response"]["status"] == 200
    assert exchange["curl"].startswith("curl -i -X POST ")
    assert f"{API_ROOT}/entities" in exchange["curl"]
    assert "--data-binary" in exchange["curl"]


async def test_write_report_round_trips(tmp_path: Path) -> None:
    app = broken(reference_app(), Breakage(method="GET", path="/entities/.+", status=400))
    run = await run_against(app, ["MIM1.ENT.*"], "feed0003")
    report = report_of(run)
    target = tmp_path / "nested" / "dir" / "report.json"
    write_report(report, target)
    loaded = json.loads(target.read_text(encoding="utf-8"))
    assert loaded == json.loads(json.dumps(report))
    validate_report(loaded)


# -- the summary -------------------------------------------------------------------------------


async def test_the_summary_adds_up() -> None:
    app = broken(
        reference_app(),
        Breakage(method="POST", path="/entities$", status=200),
        Breakage(method="GET", path="/entities/.+", status=500),
    )
    run = await run_against(app, ["MIM1.ENT.*"], "feed0004")
    report = report_of(run)
    validate_report(report)

    counts = report["summary"]
    assert set(counts) == {"pass", "fail", "skip", "error", "total"}
    assert counts["total"] == len(report["checks"]) == len(run.results)
    assert counts["pass"] + counts["fail"] + counts["skip"] + counts["error"] == counts["total"]
    for outcome in Outcome:
        listed = sum(1 for c in report["checks"] if c["outcome"] == outcome.value)
        assert counts[outcome.value] == listed
    assert counts["fail"] > 0
    assert counts["pass"] > 0


def test_the_summary_of_nothing_is_zero() -> None:
    assert summary([]) == {"pass": 0, "fail": 0, "skip": 0, "error": 0, "total": 0}
