"""Provisional results: before status moderated, a panel with sheets still out gets a
ranking on the cells that are there, marked PROVISIONAL in every output, with what is
missing listed; from status moderated on, a missing or blank score is an error again."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CASES, Run, copy_example

RunCli = Callable[..., Run]
DRAFT = CASES / "valid" / "draft-incomplete-sheets"


def _status(folder: Path, status: str) -> None:
    path = folder / "appraisal.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"status: \w+", f"status: {status}", text, count=1), "utf-8")


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    """``small`` at status draft before moderation: Bob left HUB × QUAL blank (and its
    rationale empty), and neither Ann nor Bob has scored SPOKE × STAFF."""
    target = tmp_path / "draft"
    shutil.copytree(DRAFT, target)
    (target / "expected.txt").unlink()
    return target


def test_draft_with_a_new_blank_sheet_validates_with_warnings_at_each_blank(
    run_cli: RunCli, folder: Path
) -> None:
    _status(folder, "draft")
    made = run_cli("sheet", str(folder), "--id", "CAL", "--name", "Cal", "--role", "GP")
    assert made.exit_code == 0, made
    result = run_cli("validate", ".", cwd=folder)
    assert result.exit_code == 0, result
    assert ": error: " not in result.stderr
    # the first blank `score:` of the sheet, at its line and column
    lines = (folder / "scores" / "CAL.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.strip() == "score:")
    column = lines[line - 1].index("score:") + 1
    assert (
        f"scores/CAL.yaml:{line}:{column}: warning: CAL's score for BAU × QUAL is blank\n"
        "  hint: enter a score from 0 to 10 and its rationale; until then results are "
        "PROVISIONAL (the cell is left out)\n"
    ) in result.stderr
    assert result.stderr.count("is blank") == 16
    assert "no-rationale" not in result.stderr
    assert "has no rationale" not in result.stderr
    assert "status draft" in result.stderr


def test_score_ranks_on_the_cells_there_and_says_provisional(run_cli: RunCli, draft: Path) -> None:
    result = run_cli("score", ".", cwd=draft)
    assert result.exit_code == 0, result
    out = result.stdout
    assert "PROVISIONAL: 2 of 2 panel members' sheets are incomplete; 3 cells missing" in out
    assert "Missing scores (PROVISIONAL)" in out
    assert re.search(r"ANN\s+SPOKE × STAFF\s+1\s+16", out), out
    assert re.search(r"BOB\s+HUB × QUAL, SPOKE × STAFF\s+2\s+16", out), out
    # by hand: HUB's QUAL is Ann's 7 alone (Bob's is blank); the rest are the medians
    # of Ann and Bob. Global weights QUAL 42, ACCESS 18, STAFF 20, RISK 20 on 0-10:
    # 42 × 7 + 18 × 6 + 20 × 6 + 20 × 6.5 = 294 + 108 + 120 + 130 = 652
    assert re.search(r"^ +1 HUB +Community hub +652\.0 ", out, re.M), out
    assert re.search(r"^ +2 BAU +Business as usual \(baseline\) +561\.0 ", out, re.M), out
    assert "nan" not in out.lower().replace("finance", "")


def test_an_option_no_one_has_scored_on_a_criterion_is_not_ranked(
    run_cli: RunCli, draft: Path
) -> None:
    table = run_cli("score", ".", cwd=draft)
    assert re.search(r"^ +– SPOKE +Hub and spokes +$", table.stdout, re.M), table.stdout
    assert "Not yet scored, so not ranked (no panel member's score and no moderated" in (
        " ".join(table.stdout.split())
    )
    result = run_cli("score", ".", "--format", "json", cwd=draft)
    assert result.exit_code == 0, result
    assert "PROVISIONAL" in result.stderr
    data = json.loads(result.stdout)
    spoke = next(o for o in data["options"] if o["id"] == "SPOKE")
    assert spoke["rank"] is None
    assert spoke["total"] is None
    assert data["options"][-1]["id"] == "SPOKE"  # shown after every option ranked or not
    assert data["provisional"]["not_yet_scored"] == [{"option": "SPOKE", "criteria": ["STAFF"]}]
    assert data["provisional"]["cells"] == 3
    assert {"scorer": "BOB", "option": "HUB", "criterion": "QUAL"} in data["provisional"]["missing"]
    for method in ("topsis", "promethee"):
        other = json.loads(run_cli("score", ".", "-m", method, "-f", "json", cwd=draft).stdout)
        ranks = {o["id"]: o["rank"] for o in other["options"]}
        assert ranks["SPOKE"] is None, method
        assert ranks["HUB"] is not None, method
    included = json.loads(run_cli("score", ".", "--include-failed", "-f", "json", cwd=draft).stdout)
    assert {o["id"]: o["rank"] for o in included["options"]}["SPOKE"] is None


def test_sensitivity_runs_on_what_is_there(run_cli: RunCli, draft: Path) -> None:
    result = run_cli("sensitivity", ".", "--samples", "2000", "--format", "json", cwd=draft)
    assert result.exit_code == 0, result
    data = json.loads(result.stdout)
    assert data["leader"] == "HUB"
    assert data["provisional"]["not_yet_scored"][0]["option"] == "SPOKE"
    assert [o["id"] for o in data["monte_carlo"]["options"]] == ["BAU", "HUB"]
    table = run_cli("sensitivity", ".", "--samples", "2000", cwd=draft)
    assert table.exit_code == 0, table
    assert "PROVISIONAL" in table.stdout
    assert "Missing scores" in table.stdout
    assert "not yet scored" in table.stdout


def test_a_member_who_has_scored_nothing_has_no_scenario_of_their_own(
    run_cli: RunCli, draft: Path
) -> None:
    assert (
        run_cli("sheet", str(draft), "--id", "CAL", "--name", "Cal", "--role", "GP").exit_code == 0
    )
    result = run_cli("sensitivity", ".", "--samples", "0", "--format", "json", cwd=draft)
    assert result.exit_code == 0, result
    labels = [s["label"] for s in json.loads(result.stdout)["scenarios"]]
    assert not any("CAL" in label for label in labels)
    assert "BOB's scores alone (the panel's where missing)" in labels


@pytest.mark.parametrize("status", ["moderated", "final"])
def test_from_moderated_on_a_blank_or_missing_score_is_an_error(
    run_cli: RunCli, draft: Path, status: str
) -> None:
    _status(draft, status)
    result = run_cli("validate", ".", cwd=draft)
    assert result.exit_code == 1, result
    assert (
        "scores/bob.yaml:9:12: error: BOB's score for HUB × QUAL is blank\n"
        "  hint: enter a score from 0 to 10 and its rationale: from status moderated every "
        "cell needs a score\n"
    ) in result.stderr
    assert "scores/bob.yaml:13:3: error: BOB has no score for SPOKE × STAFF\n" in result.stderr
    scored = run_cli("score", ".", cwd=draft)
    assert scored.exit_code == 1
    assert "PROVISIONAL" not in scored.stdout + scored.stderr


def test_report_and_exports_say_provisional(run_cli: RunCli, draft: Path, tmp_path: Path) -> None:
    html = tmp_path / "paper.html"
    result = run_cli("report", ".", "-o", str(html), "--samples", "500", "--no-charts", cwd=draft)
    assert result.exit_code == 0, result
    assert "PROVISIONAL" in result.stderr
    page = html.read_text(encoding="utf-8")
    assert '<p class="banner provisional" role="note">PROVISIONAL: 2 of 2 panel' in page
    assert "Missing scores (PROVISIONAL)" in page
    assert 'content: "PROVISIONAL"' in page  # every printed page's margin
    assert ">nan<" not in page.lower()

    out = tmp_path / "tables.json"
    assert run_cli("export", ".", "-o", str(out), "--samples", "500", cwd=draft).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["provisional"].startswith("PROVISIONAL: ")
    assert data["tables"][0]["key"] == "missing"
    assert len(data["provenance"]["missing_scores"]) == 3
    assert {"scorer": "ANN", "option": "SPOKE", "criterion": "STAFF"} in data["provenance"][
        "missing_scores"
    ]

    csv = tmp_path / "ranking.csv"
    assert run_cli("export", ".", "-o", str(csv), "--samples", "0", cwd=draft).exit_code == 0
    sidecar = json.loads((tmp_path / "ranking.provenance.json").read_text(encoding="utf-8"))
    assert sidecar["provisional"].startswith("PROVISIONAL: ")
    assert "SPOKE,Hub and spokes,,," in csv.read_text(encoding="utf-8")

    md = tmp_path / "tables.md"
    assert run_cli("export", ".", "-o", str(md), "--samples", "0", cwd=draft).exit_code == 0
    assert "> **PROVISIONAL: 2 of 2 panel" in md.read_text(encoding="utf-8")


def test_a_complete_appraisal_is_not_provisional(run_cli: RunCli, folder: Path) -> None:
    result = run_cli("score", ".", "--format", "json", cwd=folder)
    assert result.exit_code == 0, result
    assert "provisional" not in json.loads(result.stdout)
    assert "PROVISIONAL" not in result.stderr
    assert "PROVISIONAL" not in run_cli("score", ".", cwd=folder).stdout


def test_the_example_with_a_blank_sheet_summarises_it(run_cli: RunCli, tmp_path: Path) -> None:
    """The bundled example at status draft with P3's sheet entirely blank: P3 is one
    line, not 88."""
    folder = copy_example(tmp_path)
    _status(folder, "draft")
    sheet = next((folder / "scores").glob("p3-*.yaml"))
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(re.sub(r"^(\s+score:) [0-9.]+$", r"\1", text, flags=re.M), "utf-8")
    result = run_cli("score", ".", cwd=folder)
    assert result.exit_code == 0, result
    assert "PROVISIONAL: 1 of 5 panel members' sheets is incomplete; 88 cells missing" in (
        result.stdout
    )
    assert re.search(r"P3 +all 88 cells +88 +88", result.stdout), result.stdout
    assert "Not yet scored" not in result.stdout  # every cell has other members' scores
