"""The catalogue is well-formed and docs/checks.md is in sync with it."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from mim_suite.checks import catalogue
from mim_suite.docs import checks_markdown

ROOT = Path(__file__).resolve().parents[2]
ID = re.compile(r"^MIM[0-9]+(\.[A-Z0-9_]+)+$")
CLAUSE = re.compile(r"^([0-9]|R[0-9])")


def test_docs_checks_md_is_generated_from_the_catalogue() -> None:
    expected = checks_markdown(catalogue())
    actual = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    assert actual == expected, "run: .venv/bin/mim checks list --format md > docs/checks.md"


def test_every_check_is_well_formed() -> None:
    checks = catalogue()
    assert checks
    counts = Counter(c.info.id for c in checks)
    assert [i for i, n in counts.items() if n > 1] == []
    for c in checks:
        info = c.info
        assert ID.match(info.id), info.id
        assert info.id.startswith(info.mim + "."), info.id
        assert info.requirement.endswith("."), info.id
        # An ETSI clause (6.3.4) or an OASC MIM requirement (R2a).
        assert CLAUSE.match(info.source.clause), info.id
        assert c.run.__doc__ is None or isinstance(c.run.__doc__, str)


def test_mim1_has_at_least_150_checks() -> None:
    assert sum(1 for c in catalogue() if c.info.mim == "MIM1") >= 150
