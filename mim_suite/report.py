"""The JSON conformance report: the one source every other format is rendered from.

Its shape is fixed by ``schemas/report.schema.json`` (``REPORT_SCHEMA_VERSION``); a test
validates generated reports against it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from mim_suite import __version__
from mim_suite.model import CheckResult, Outcome, Strength
from mim_suite.runner import RunResult

__all__ = ["REPORT_SCHEMA_VERSION", "build_report", "failed_required", "summary", "write_report"]

REPORT_SCHEMA_VERSION = "1.0"


def summary(results: list[CheckResult]) -> dict[str, int]:
    counts = Counter(str(r.outcome) for r in results)
    return {o.value: counts.get(o.value, 0) for o in Outcome} | {"total": len(results)}


def failed_required(results: list[CheckResult]) -> list[CheckResult]:
    """The failed checks whose requirement is a SHALL."""
    return [r for r in results if r.outcome is Outcome.FAIL and r.info.strength is Strength.SHALL]


def build_report(run: RunResult, *, url: str, profile: str, tenant: str | None) -> dict[str, Any]:
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "tool": {"name": "mim-suite", "version": __version__},
        "target": {"url": url, "profile": profile, "tenant": tenant},
        "run_id": run.run_id,
        "started": run.started,
        "finished": run.finished,
        "summary": summary(run.results),
        "checks": [r.as_dict() for r in run.results],
        "cleanup_failures": run.cleanup_failures,
    }


def write_report(report: dict[str, Any], path: Path) -> None:
    """Write the report as UTF-8 JSON, creating the parent directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
