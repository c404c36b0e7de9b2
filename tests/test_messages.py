"""Messages a reader can act on: look-alike and invisible characters named, a full-width
digit, an unclosed quote pointed at where it opened (``appraise validate`` on real
folders)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, Run


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "appraisal"
    root.mkdir()
    for name in ("criteria", "options", "scores"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "appraisal.yaml", root / "appraisal.yaml")
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _validate(run_cli: Callable[..., Run], root: Path) -> str:
    result = run_cli("validate", str(root))
    assert result.exit_code == 1, result
    assert "Traceback" not in result.stderr
    return result.stderr


def test_a_look_alike_letter_is_named(run_cli: Callable[..., Run], example: Path) -> None:
    _edit(example / "options" / "shortlist.yaml", "  - id: SE\n", "  - id: \u0405E\n")
    err = _validate(run_cli, example)
    assert "U+0405 CYRILLIC CAPITAL LETTER DZE" in err
    line = 1 + (example / "options" / "shortlist.yaml").read_text(encoding="utf-8").split(
        "\u0405E"
    )[0].count("\n")
    assert f"options/shortlist.yaml:{line}:" in err


def test_an_invisible_character_is_named_and_shown(
    run_cli: Callable[..., Run], example: Path
) -> None:
    _edit(example / "options" / "shortlist.yaml", "  - id: SE\n", "  - id: S\u200bE\n")
    err = _validate(run_cli, example)
    assert "U+200B ZERO WIDTH SPACE" in err
    assert "\u200b" not in err
    assert "S\\u200bE" in err


def test_a_full_width_digit_is_not_called_quoted(
    run_cli: Callable[..., Run], example: Path
) -> None:
    sheet = example / "scores" / "p1-community-nursing.yaml"
    _edit(sheet, "    ACC:\n      score: 6\n", "    ACC:\n      score: \uff16\n")
    err = _validate(run_cli, example)
    assert "scores/p1-community-nursing.yaml:11:" in err
    assert "U+FF16 FULLWIDTH DIGIT SIX" in err
    assert "in quotes" not in err


def test_an_unclosed_quote_points_where_it_opened(
    run_cli: Callable[..., Run], example: Path
) -> None:
    sheet = example / "scores" / "p1-community-nursing.yaml"
    _edit(sheet, 'robust, so not higher."\n', "robust, so not higher.\n")
    err = _validate(run_cli, example)
    assert "scores/p1-community-nursing.yaml:12:18:" in err
    assert "the quote opened at line 12 column 18 is not closed on its line" in err
    assert "runs on to line 15" in err


def test_a_quote_open_at_the_end_of_the_file(run_cli: Callable[..., Run], example: Path) -> None:
    sheet = example / "scores" / "p1-community-nursing.yaml"
    text = sheet.read_text(encoding="utf-8").rstrip("\n")
    assert text.endswith('"')
    sheet.write_text(text[:-1] + "\n", encoding="utf-8")
    err = _validate(run_cli, example)
    assert "is never closed" in err
