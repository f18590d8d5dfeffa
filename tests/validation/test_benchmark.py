"""The throughput benchmark runs end to end on a few entities and owns only its doc section."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.validation_throughput import HEADING, main, replace_section


def test_replace_section_keeps_the_other_sections(tmp_path: Path) -> None:
    path = tmp_path / "performance.md"
    path.write_text(f"# Performance\n\n## Server\n\nfast\n\n{HEADING}\n\nold\n\n## Later\n\nx\n")
    replace_section(path, f"{HEADING}\n\nnew\n")
    assert path.read_text() == (
        f"# Performance\n\n## Server\n\nfast\n\n{HEADING}\n\nnew\n\n## Later\n\nx\n"
    )
    replace_section(tmp_path / "new.md", f"{HEADING}\n\nfirst\n")
    assert (tmp_path / "new.md").read_text() == f"# Performance\n\n{HEADING}\n\nfirst\n"


def test_small_run_writes_every_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "performance.md"
    main(
        [
            "--entities",
            "84",
            "--naive",
            "3",
            "--shacl",
            "5",
            "--repeat",
            "1",
            "--markdown",
            str(target),
        ]
    )
    printed = capsys.readouterr().out
    assert "naive" in printed and "SHACL" in printed
    text = target.read_text()
    assert text.startswith("# Performance") and text.count("| ours,") == 4
