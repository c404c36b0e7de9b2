"""The command line through typer's runner (and a real subprocess where it matters)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from appraise import __version__
from appraise.atomic import OutputError, write_text_atomic
from conftest import CASES, REPO, Run

SMALL = CASES / "valid" / "small"
RunCli = Callable[..., Run]


def test_help_lists_every_command(run_cli: RunCli) -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    for command in ("validate", "score", "init", "sheet", "schema"):
        assert command in result.stdout


@pytest.mark.parametrize("command", ["validate", "score", "init", "sheet", "schema"])
def test_every_command_has_help_with_an_example(run_cli: RunCli, command: str) -> None:
    result = run_cli(command, "-h")
    assert result.exit_code == 0
    assert "Example" in result.stdout


def test_version(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"appraise {__version__}\n"


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "no/such/folder"],
        ["validate", ".", "--format", "xml"],
        ["validate", ".", "--nope"],
        ["frobnicate"],
        ["schema", "everything"],
        ["sheet", "--name", "x", "--role", "y"],
    ],
)
def test_usage_errors_exit_2(run_cli: RunCli, args: list[str], folder: Path) -> None:
    result = run_cli(*args, cwd=folder)
    assert result.exit_code == 2, result
    assert "Traceback" not in result.stderr


def test_validate_text_to_stderr(run_cli: RunCli) -> None:
    result = run_cli("validate", str(SMALL))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.endswith(
        "valid: 0 errors, 0 warnings (4 criteria, 4 options, 2 panel members, status moderated)\n"
    )


def test_validate_defaults_to_the_current_folder(run_cli: RunCli) -> None:
    assert run_cli("validate", cwd=SMALL).exit_code == 0


def test_validate_json(run_cli: RunCli) -> None:
    result = run_cli("validate", ".", "--format", "json", cwd=CASES / "invalid" / "score-off-scale")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["valid"] is False
    assert payload["errors"] == 2
    assert payload["warnings"] == 0
    first = payload["issues"][0]
    assert first == {
        "severity": "error",
        "code": "score-off-scale",
        "file": "scores/ann.yaml",
        "line": 12,
        "column": 19,
        "where": "scores.HUB.RISK.score",
        "cell": None,
        "message": "score 12 is outside the scale 0–10 in steps of 1 (criterion RISK)",
        "hint": "use a score from 0 to 10",
    }
    assert payload["appraisal"]["criteria"] == 4


def test_validate_json_when_valid_carries_facts(run_cli: RunCli) -> None:
    payload = json.loads(run_cli("validate", str(SMALL), "-f", "json").stdout)
    assert payload["valid"] is True
    assert payload["appraisal"] == {
        "title": "Small test appraisal",
        "status": "moderated",
        "illustrative": False,
        "criteria": 4,
        "options": 4,
        "discounted": 1,
        "panel": 2,
        "moderated": True,
    }


def test_validate_github_annotations(run_cli: RunCli) -> None:
    result = run_cli("validate", ".", "--format", "github", cwd=CASES / "invalid" / "missing-score")
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=scores/bob.yaml,line=13,col=3,title=appraise missing-score::"
        "BOB has no score for SPOKE × STAFF%0Ahint: add a score and rationale for each\n"
    )


def test_github_escapes_properties_and_newlines() -> None:
    from appraise.errors import Issue, Severity
    from appraise.files.diagnostics import format_github

    issue = Issue(Severity.WARNING, "x", "50% done\nnext", "a,b:c", Path("a,b:c.yaml"), 1, 2)
    assert format_github([issue]) == (
        "::warning file=a%2Cb%3Ac.yaml,line=1,col=2,title=appraise x::"
        "50%25 done%0Anext%0Ahint: a,b:c\n"
    )


def test_strict(run_cli: RunCli, folder: Path) -> None:
    path = folder / "scores" / "bob.yaml"
    path.write_text(path.read_text().replace('"Simple project"', '""'))
    assert run_cli("validate", str(folder)).exit_code == 0
    result = run_cli("validate", str(folder), "--strict")
    assert result.exit_code == 1
    assert ": error: BOB's score for HUB × RISK has no rationale" in result.stderr


def test_init_creates_an_appraisal_that_validates(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "new"
    result = run_cli("init", str(target))
    assert result.exit_code == 0, result
    assert (target / "schema" / "scores.schema.json").is_file()
    check = run_cli("validate", str(target), "--strict")
    assert check.exit_code == 0, check
    assert "0 errors, 0 warnings" in check.stderr


def test_init_refuses_a_folder_with_files(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    result = run_cli("init", str(target))
    assert result.exit_code == 1
    assert "already exists and is not an empty folder" in result.stderr
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def test_init_into_an_empty_folder(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    assert run_cli("init", str(target)).exit_code == 0
    assert run_cli("validate", str(target)).exit_code == 0


def test_sheet_lists_every_cell_and_then_fails_until_filled(run_cli: RunCli, folder: Path) -> None:
    result = run_cli("sheet", str(folder), "--id", "CAL", "--name", "Cal", "--role", "GP")
    assert result.exit_code == 0, result
    text = (folder / "scores" / "CAL.yaml").read_text()
    assert text.count("      score:\n") == 4 * 4
    assert '"NEWBUILD"' not in text
    assert "#      0  Very poor" in text
    check = run_cli("validate", str(folder))
    assert check.exit_code == 1
    assert check.stderr.count("error: CAL's score for ") == 16
    assert check.stderr.count(" is blank\n") == 16


def test_sheet_filled_in_validates(run_cli: RunCli, folder: Path) -> None:
    """Filling every blank with Ann's scores and a reason makes the appraisal valid."""
    import re

    run_cli("sheet", str(folder), "--id", "CAL", "--name", "Cal", "--role", "GP")
    path = folder / "scores" / "CAL.yaml"
    ann = re.findall(r"score: (\d+)", (folder / "scores" / "ann.yaml").read_text())
    text = path.read_text()
    for i, score in enumerate(ann):
        text = text.replace("      score:\n", f"      score: {score}\n", 1)
        text = text.replace('rationale: ""', f'rationale: "Reason {i}"', 1)
    path.write_text(text)
    result = run_cli("validate", str(folder), "--strict")
    assert result.exit_code == 0, result


def test_sheet_to_stdout_and_never_overwrites(run_cli: RunCli, folder: Path) -> None:
    result = run_cli(
        "sheet", str(folder), "--id", "CAL", "--name", "Cal", "--role", "GP", "-o", "-"
    )
    assert result.exit_code == 0
    assert result.stdout.startswith("# yaml-language-server: $schema=../schema/scores.schema.json")
    before = (folder / "scores" / "ann.yaml").read_bytes()
    clash = run_cli(
        "sheet",
        str(folder),
        "--id",
        "CAL",
        "--name",
        "C",
        "--role",
        "R",
        "-o",
        str(folder / "scores" / "ann.yaml"),
    )
    assert clash.exit_code == 1
    assert (folder / "scores" / "ann.yaml").read_bytes() == before


def test_sheet_refuses_an_existing_scorer_and_bad_ids(run_cli: RunCli, folder: Path) -> None:
    result = run_cli("sheet", str(folder), "--id", "ANN", "--name", "A", "--role", "R")
    assert result.exit_code == 1
    assert "already has a score sheet" in result.stderr
    assert (
        run_cli(
            "sheet",
            str(folder),
            "--id",
            "a b",
            "--name",
            "A",
            "--role",
            "R",
        ).exit_code
        == 2
    )


def test_sheet_on_a_broken_appraisal(run_cli: RunCli) -> None:
    result = run_cli(
        "sheet",
        str(CASES / "invalid" / "yaml-tag-env"),
        "--id",
        "Z",
        "--name",
        "Z",
        "--role",
        "Z",
        "-o",
        "-",
    )
    assert result.exit_code == 1
    assert "YAML tag !env is not allowed" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("kind", ["appraisal", "criteria", "options", "scores", "moderation"])
def test_schema_prints_json(run_cli: RunCli, kind: str) -> None:
    result = run_cli("schema", kind)
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False


def test_schema_write(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("schema", "--write", str(tmp_path)).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "appraisal.schema.json",
        "criteria.schema.json",
        "moderation.schema.json",
        "options.schema.json",
        "panel.schema.json",
        "scores.schema.json",
    ]
    assert run_cli("schema", "--write", str(tmp_path / "nope")).exit_code == 1


def test_atomic_write_leaves_old_file_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.yaml"
    target.write_text("old\n")

    def explode(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", explode)
    with pytest.raises(OutputError, match="disk full"):  # the error contract: not OSError
        write_text_atomic(target, "new\n", overwrite=True)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]
    with pytest.raises(OutputError):
        write_text_atomic(target, "new\n")


def _python(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )


def test_python_dash_m_and_exit_codes_in_a_real_process() -> None:
    ok = _python("-m", "appraise", "validate", str(SMALL))
    assert ok.returncode == 0, ok.stderr
    bad = _python("-m", "appraise", "validate", str(CASES / "invalid" / "yaml-tag-python"))
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    usage = _python("-m", "appraise", "validate", "--format", "nope")
    assert usage.returncode == 2


def test_help_and_validate_do_not_import_numpy() -> None:
    code = (
        "import sys, runpy\n"
        "sys.argv = ['appraise'] + sys.argv[1:]\n"
        "try:\n    runpy.run_module('appraise', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('numpy', 'matplotlib', 'openpyxl', 'docx')"
        " if m in sys.modules)\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    for args in (["--help"], ["validate", str(REPO)]):
        result = _python("-c", code, *args)
        assert result.stdout.strip().splitlines()[-1] == "HEAVY=", result.stdout


def test_user_text_is_printed_as_written_not_as_rich_markup(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    """An option named with Rich markup or emoji codes prints literally in every table."""
    import shutil

    folder = tmp_path / "case"
    shutil.copytree(SMALL, folder)
    options = next((folder / "options").glob("*.yaml"))
    text = options.read_text(encoding="utf-8")
    assert 'name: "Community hub"' in text
    hostile = "Community [bold]hub[/bold] :warning: [link=http://x]y[/link]"
    options.write_text(text.replace('"Community hub"', f'"{hostile}"'), encoding="utf-8")
    result = run_cli("score", str(folder))
    assert result.exit_code == 0, result
    flat = " ".join(result.stdout.split())
    assert "[bold]hub[/bold] :warning: [link=http://x]y[/link]" in flat  # the summary
    assert result.stdout.count(":warning:") >= 2  # and the ranking table
    assert result.stdout.count("[bold]") >= 2
    weights = run_cli("weights", str(folder))
    assert weights.exit_code == 0, weights


def test_sheets_for_the_whole_panel_before_any_is_filled_in(run_cli: RunCli, folder: Path) -> None:
    """With scores/ empty, the first sheet can be made; with it still blank, the next
    (both used to fail: "the appraisal's files must read cleanly"). A sheet's id is
    taken once a file of that name is in scores/, filled in or not."""
    for path in (folder / "scores").iterdir():
        path.unlink()
    first = run_cli("sheet", str(folder), "--id", "P1", "--name", "Ann", "--role", "Nurse")
    assert first.exit_code == 0, first
    second = run_cli("sheet", str(folder), "--id", "P2", "--name", "Bob", "--role", "Staff side")
    assert second.exit_code == 0, second
    assert sorted(p.name for p in (folder / "scores").iterdir()) == ["P1.yaml", "P2.yaml"]
    again = run_cli("sheet", str(folder), "--id", "P1", "--name", "Ann", "--role", "Nurse")
    assert again.exit_code == 1
    assert "panel member P1 already has a score sheet" in again.stderr
    # a broken criteria file still stops it, and says so
    (folder / "criteria" / "tree.yaml").write_text("criteria: [\n", encoding="utf-8")
    broken = run_cli("sheet", str(folder), "--id", "P3", "--name", "Cy", "--role", "LINk")
    assert broken.exit_code == 1
    assert "criteria and options must read cleanly" in broken.stderr
    assert not (folder / "scores" / "P3.yaml").exists()


def _add_option_and_criterion(folder: Path) -> None:
    with (folder / "options" / "options.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "  - id: MOBILE\n"
            '    name: "Mobile unit"\n'
            '    description: "A van that visits villages"\n'
            "    cost: {amount: 250}\n"
            "    hurdles:\n"
            '      H1: {result: pass, reason: "Within envelope"}\n'
        )
    tree = folder / "criteria" / "tree.yaml"
    text = tree.read_text(encoding="utf-8")
    old = '      - {id: ACCESS, name: "Access", definition: "Ease of getting care", weight: 30}'
    assert text.count(old) == 1
    tree.write_text(
        text.replace(
            old,
            old.replace("30}", "20}")
            + '\n      - {id: EQUITY, name: "Equity", definition: "Reaching those in need", '
            "weight: 10}",
        ),
        encoding="utf-8",
    )


def test_sheet_update_adds_the_blank_cells_of_new_options_and_criteria(
    run_cli: RunCli, folder: Path
) -> None:
    """An option and a criterion added after the sheets went out: --update gives each
    sheet a blank block for every cell it lacks, in the appraisal's order, and keeps
    every line that was there; a second run finds nothing to add."""
    before = {p.name: p.read_text(encoding="utf-8") for p in (folder / "scores").iterdir()}
    _add_option_and_criterion(folder)
    result = run_cli("sheet", str(folder), "--update")
    assert result.exit_code == 0, result
    # 4 options gain EQUITY, and MOBILE comes with all 5 criteria
    assert "scores/ann.yaml: added 9 blank cells (BAU, HUB, MOBILE, OUT, SPOKE)" in result.stderr
    assert "scores/bob.yaml: added 9 blank cells" in result.stderr
    ann = (folder / "scores" / "ann.yaml").read_text(encoding="utf-8")
    assert before["moderated.yaml"] == (folder / "scores" / "moderated.yaml").read_text("utf-8")
    kept = iter(ann.splitlines())
    assert all(line in kept for line in before["ann.yaml"].splitlines())  # in order
    assert ann.count('    "EQUITY":  # Equity — Reaching those in need\n      score:\n') == 5
    assert '  "MOBILE":  # Mobile unit\n    "QUAL":  # Quality of care' in ann
    check = run_cli("validate", str(folder))
    assert check.stderr.count(" is blank\n") == 2 * 9
    again = run_cli("sheet", str(folder), "--update", "--id", "ANN")
    assert again.exit_code == 0
    assert "scores/ann.yaml: up to date" in again.stderr


def test_sheet_update_refuses_what_it_cannot_change_and_writes_nothing(
    run_cli: RunCli, folder: Path
) -> None:
    """An option written on one line cannot take a block: the error names the file and
    line, and no sheet is changed (not even the ones it could have changed)."""
    _add_option_and_criterion(folder)
    bob = folder / "scores" / "bob.yaml"
    text = bob.read_text(encoding="utf-8")
    flow = re.sub(r"  HUB:\n((?:    .*\n)+)", '  HUB: {QUAL: {score: 6, rationale: "x"}}\n', text)
    assert flow != text
    bob.write_text(flow, encoding="utf-8")
    before = {p: p.read_bytes() for p in (folder / "scores").iterdir()}
    result = run_cli("sheet", str(folder), "--update")
    assert result.exit_code == 1
    assert (
        f"{bob}: error: cannot add blank cells: line 8: option `HUB` is written on one line "
        "({…})" in result.stderr.splitlines()
    )
    assert "  hint: write the option's cells one per line, as appraise sheet does" in (
        result.stderr.splitlines()
    )
    assert "no sheet was changed" in result.stderr
    assert {p: p.read_bytes() for p in (folder / "scores").iterdir()} == before
    assert run_cli("sheet", str(folder), "--update", "--name", "X").exit_code == 2
    nobody = run_cli("sheet", str(folder), "--update", "--id", "NOPE")
    assert nobody.exit_code == 1
    assert "no score sheet for panel member NOPE" in nobody.stderr
    assert run_cli("sheet", str(folder)).exit_code == 2  # a new sheet needs --id and more
