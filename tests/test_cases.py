"""``appraise validate`` on every case folder, against its expected output.

``tests/cases/valid/<name>/`` must exit 0; ``tests/cases/invalid/<defect>/`` holds one
defect each and must exit 1. Each folder's ``expected.txt`` is the exact text printed
(file:line:column, message, hint), so a changed message or position fails the test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CASES, Run

VALID = sorted(p for p in (CASES / "valid").iterdir() if p.is_dir())
INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", VALID, ids=[p.name for p in VALID])
def test_valid_case(
    case: Path, run_cli: Callable[..., Run], golden: Callable[[Path, str], None]
) -> None:
    result = run_cli("validate", ".", cwd=case)
    assert result.exit_code == 0, result
    golden(case / "expected.txt", result.stderr)


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_case(
    case: Path, run_cli: Callable[..., Run], golden: Callable[[Path, str], None]
) -> None:
    result = run_cli("validate", ".", cwd=case)
    assert result.exit_code == 1, result
    assert "Traceback" not in result.stderr
    assert ": error: " in result.stderr
    golden(case / "expected.txt", result.stderr)


def test_there_are_at_least_thirty_defects() -> None:
    assert len(INVALID) >= 30


def test_every_error_line_names_file_line_and_column() -> None:
    """Every error in the invalid cases points at a line (folder-level ones excepted)."""
    folder_level = {"missing-folder", "empty-folder"}
    for case in INVALID:
        expected = (case / "expected.txt").read_text(encoding="utf-8")
        for line in expected.splitlines():
            if ": error: " in line and case.name not in folder_level:
                location = line.split(": error: ")[0]
                parts = location.split(":")
                assert len(parts) == 3, (case.name, line)
                assert parts[1].isdigit(), (case.name, line)
                assert parts[2].isdigit(), (case.name, line)
