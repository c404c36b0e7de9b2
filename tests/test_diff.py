"""``appraise diff``: real git history built in a temporary repository, and folders.

The example appraisal is copied into a new repository and changed commit by commit the
way an appraisal team would: a panel member revises a score, the moderated scores move
the leader, a file is renamed, an option is added. The effect is checked against
``appraise score --format json`` run on each version on its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, Run, dump_yaml

PARTS = ("appraisal.yaml", "criteria", "options", "scores")
GIT_ENV = {
    "GIT_AUTHOR_EMAIL": "a@example.org",
    "GIT_COMMITTER_NAME": "CI",
    "GIT_COMMITTER_EMAIL": "ci@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(repo: Path, *args: str, author: str = "Analyst") -> str:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_NAME": author}
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def _copy_example(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for part in PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, dest / part)
        else:
            shutil.copy2(source, dest / part)
    return dest


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose folder ``appraisal/`` holds the example, committed."""
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _copy_example(root / "appraisal")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "example as bundled")
    return root


def _edit(path: Path, change: Callable[[Any], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(dump_yaml(data), encoding="utf-8")


def _commit(repo: Path, message: str, author: str = "Analyst") -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message, author=author)


def _score_json(run_cli: Callable[..., Run], folder: Path) -> dict[str, Any]:
    result = run_cli("score", str(folder), "--format", "json")
    assert result.exit_code == 0, result
    return dict(json.loads(result.stdout))


def _diff_json(run_cli: Callable[..., Run], *args: str, cwd: Path) -> dict[str, Any]:
    result = run_cli("diff", *args, "--format", "json", cwd=cwd)
    assert result.exit_code == 0, result
    assert "Traceback" not in result.stderr
    return dict(json.loads(result.stdout))


def _checkout(repo: Path, rev: str, dest: Path) -> Path:
    """The appraisal folder at ``rev``, for scoring it independently of diff."""
    dest.mkdir()
    archive = subprocess.run(
        ["git", "archive", rev, "appraisal"], cwd=repo, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest / "appraisal"


def test_two_identical_folders_show_nothing_changed(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    a = _copy_example(tmp_path / "a")
    b = _copy_example(tmp_path / "b")
    result = run_cli("diff", str(a), str(b))
    assert result.exit_code == 0, result
    assert "Nothing changed" in result.stdout
    assert "The ranking did not change" in result.stdout
    payload = _diff_json(run_cli, str(a), str(b), cwd=tmp_path)
    assert payload["changes"] == []
    assert payload["rank_changed"] is False
    assert payload["effect"]["switching_values_moved"] == []


def test_a_revised_score_that_does_not_move_the_leader(
    repo: Path, tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    sheet = repo / "appraisal" / "scores" / "p2-staff-side.yaml"

    def revise(data: Any) -> None:
        cell = data["scores"]["SE"]["ACC"]
        assert cell["score"] == 1
        cell["score"] = 2
        cell["rationale"] = "Revised after the pensions letter of 5 January 2009."

    _edit(sheet, revise)
    _commit(repo, "P2 revises SE on ACC", author="Staff-side secretary")
    folder = repo / "appraisal"
    payload = _diff_json(run_cli, "HEAD~1", "HEAD", "--dir", str(folder), cwd=tmp_path)
    changes = payload["changes"]
    assert {(c["area"], c["subject"], c["field"]) for c in changes} == {
        ("score", "P2 · SE · ACC", "score"),
        ("score", "P2 · SE · ACC", "rationale"),
    }
    score = next(c for c in changes if c["field"] == "score")
    assert (score["before"], score["after"]) == (1, 2)
    assert score["who"] == "P2, Staff-side secretary"
    assert score["file"] == "scores/p2-staff-side.yaml"
    assert payload["authors"] == {"scores/p2-staff-side.yaml": ["Staff-side secretary"]}
    # the moderated score stands, so nothing that counts moved
    assert payload["rank_changed"] is False
    assert payload["leader_changed"] is False
    assert all(r["moved"] == 0 for r in payload["effect"]["ranking"])
    # the CI switch exits 0 when the ranking holds
    ok = run_cli("diff", "HEAD~1", "HEAD", "-C", str(folder), "--fail-on-rank-change", cwd=tmp_path)
    assert ok.exit_code == 0, ok
    assert "The ranking did not change" in ok.stdout


def test_moderated_scores_that_move_the_leader(
    repo: Path, tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    moderated = repo / "appraisal" / "scores" / "moderated.yaml"

    def lift_se(data: Any) -> None:
        row = data["scores"]["SE"]
        for criterion in ("ACC", "GOV", "VFM"):
            row[criterion]["score"] += 2
            row[criterion]["note"] = "Re-moderated on new evidence (test)."

    _edit(moderated, lift_se)
    _commit(repo, "re-moderation", author="Chair")
    folder = repo / "appraisal"
    payload = _diff_json(run_cli, "HEAD~1", "HEAD", "-C", str(folder), cwd=tmp_path)
    assert payload["leader_changed"] is True
    assert payload["rank_changed"] is True
    effect = payload["effect"]
    assert effect["leader_before"] == ["CFT"]
    assert effect["leader_after"] == ["SE"]
    # independently: score each version on its own
    before = _score_json(run_cli, _checkout(repo, "HEAD~1", tmp_path / "v1"))
    after = _score_json(run_cli, _checkout(repo, "HEAD", tmp_path / "v2"))
    totals_b = {o["id"]: o["total"] for o in before["options"]}
    totals_a = {o["id"]: o["total"] for o in after["options"]}
    for row in effect["ranking"]:
        assert row["total_before"] == pytest.approx(totals_b[row["id"]], abs=1e-9)
        assert row["total_after"] == pytest.approx(totals_a[row["id"]], abs=1e-9)
        assert row["moved"] == pytest.approx(totals_a[row["id"]] - totals_b[row["id"]])
    # only SE's total moved: 2 points on each of ACC, GOV, VFM times their global weights
    weights = {c["id"]: c["weight"] for c in after["criteria"]}
    expected = 2 * (weights["ACC"] + weights["GOV"] + weights["VFM"])
    moved = {r["id"]: r["moved"] for r in effect["ranking"]}
    assert moved["SE"] == pytest.approx(expected)
    assert all(v == 0 for k, v in moved.items() if k != "SE")
    ranks_after = [o["id"] for o in after["options"] if o["rank"] == 1]
    assert ranks_after == ["SE"]
    assert effect["margin_after"] == pytest.approx(totals_a["SE"] - totals_a["CFT"])
    # the weight switching values moved, and who leads at them changed
    assert effect["switching_values_moved"]
    notes = [c for c in payload["changes"] if c["area"] == "moderation"]
    assert {c["subject"] for c in notes} == {"SE · ACC", "SE · GOV", "SE · VFM"}
    assert all(c["who"] == "moderation, Chair" for c in notes)
    # CI: the switch fails the run, and the table and Markdown say so
    failed = run_cli(
        "diff", "HEAD~1", "HEAD", "-C", str(folder), "--fail-on-rank-change", cwd=tmp_path
    )
    assert failed.exit_code == 1
    assert "The leader changed: Social enterprise now has" in failed.stdout
    assert "the ranking changed" in failed.stderr
    md = run_cli("diff", "HEAD~1", "HEAD", "-C", str(folder), "--format", "md", cwd=tmp_path)
    assert md.exit_code == 0
    assert "| Social enterprise (SE) | 2 | 1 |" in md.stdout
    assert "Moderated scores (6)" in md.stdout


def test_a_renamed_file_is_not_a_change(
    repo: Path, tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    scores = repo / "appraisal" / "scores"
    _git(repo, "mv", str(scores / "p3-ppi-forum.yaml"), str(scores / "panel-p3.yaml"))
    _git(repo, "mv", str(repo / "appraisal" / "options"), str(repo / "appraisal" / "opts"))
    (repo / "appraisal" / "options").mkdir()
    _git(
        repo,
        "mv",
        str(repo / "appraisal" / "opts" / "shortlist.yaml"),
        str(repo / "appraisal" / "options"),
    )
    _git(
        repo,
        "mv",
        str(repo / "appraisal" / "opts" / "discounted.yaml"),
        str(repo / "appraisal" / "options"),
    )
    _commit(repo, "rename a sheet")
    payload = _diff_json(run_cli, "HEAD~1", "HEAD", "-C", str(repo / "appraisal"), cwd=tmp_path)
    assert payload["changes"] == []
    assert payload["rank_changed"] is False


def test_an_added_option_and_a_changed_weight_set(
    repo: Path, tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    folder = repo / "appraisal"

    def add_option(data: Any) -> None:
        copy = dict(next(o for o in data["options"] if o["id"] == "CT"))
        copy.update(id="CT2", name="Care trust (adult and children's)", baseline=False)
        data["options"].append(copy)

    _edit(folder / "options" / "shortlist.yaml", add_option)
    for sheet in (folder / "scores").glob("*.yaml"):
        _edit(sheet, lambda d: d["scores"].__setitem__("CT2", dict(d["scores"]["CT"])))

    def staff(data: Any) -> None:
        ws = next(w for w in data["weight_sets"] if w["id"] == "staff_side")
        ws["weights"]["ACC"], ws["weights"]["PAT"] = 20, 22

    _edit(folder / "criteria" / "weight-sets.yaml", staff)
    _commit(repo, "add CT2; staff side reweighs")
    payload = _diff_json(run_cli, "HEAD~1", "HEAD", "-C", str(folder), cwd=tmp_path)
    added = [c for c in payload["changes"] if c["kind"] == "added" and c["area"] == "option"]
    assert [(c["subject"], c["after"]) for c in added] == [
        ("CT2", "Care trust (adult and children's)")
    ]
    rows = {r["id"]: r for r in payload["effect"]["ranking"]}
    assert rows["CT2"]["rank_before"] is None
    assert rows["CT2"]["total_before"] is None
    # a copy of CT scores what CT scores, so they tie
    assert rows["CT2"]["total_after"] == pytest.approx(rows["CT"]["total_after"])
    assert rows["CT2"]["rank_after"] == rows["CT"]["rank_after"] == "4="
    assert payload["rank_changed"] is True
    assert payload["leader_changed"] is False
    # the weight set: ACC 22 -> 20 and PAT 20 -> 22 locally (enable 60 of 100 globally)
    moved = {c["field"]: c for c in payload["changes"] if c["area"] == "weights"}
    assert set(moved) == {"ACC", "PAT"}
    assert moved["ACC"]["before"] == {"local": 22.0, "global": pytest.approx(13.2)}
    assert moved["ACC"]["after"] == {"local": 20.0, "global": pytest.approx(12.0)}
    assert all(c["subject"] == "staff_side" for c in moved.values())
    table = run_cli("diff", "HEAD~1", "HEAD", "-C", str(folder), cwd=tmp_path)
    assert "[new]" in table.stdout
    assert "The order changed below the leader" in table.stdout


def test_the_working_tree_against_the_last_commit(
    repo: Path, tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    folder = repo / "appraisal"
    _edit(folder / "appraisal.yaml", lambda d: d["appraisal"].__setitem__("status", "final"))
    payload = _diff_json(run_cli, "HEAD", str(folder), "-C", str(folder), cwd=tmp_path)
    assert [(c["area"], c["field"], c["before"], c["after"]) for c in payload["changes"]] == [
        ("settings", "appraisal.status", "moderated", "final")
    ]
    # B defaults to the appraisal folder on disk (-C), wherever diff runs from
    default = _diff_json(run_cli, "HEAD", "-C", str(folder), cwd=tmp_path)
    assert default["changes"] == payload["changes"]
    # diff never touches the working tree
    assert "final" in (folder / "appraisal.yaml").read_text(encoding="utf-8")
    assert _git(repo, "status", "--porcelain").strip() == "M appraisal/appraisal.yaml"


def test_bad_sides_are_one_clear_error(
    repo: Path, tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    folder = repo / "appraisal"
    unknown = run_cli("diff", "no-such-rev", "HEAD", "-C", str(folder), cwd=tmp_path)
    assert unknown.exit_code == 1
    assert "`no-such-rev` is neither a folder nor a revision" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    outside = run_cli("diff", "HEAD~1", ".", cwd=tmp_path)
    assert outside.exit_code == 1
    assert "not in a git repository" in outside.stderr
    # an invalid version: its errors, labelled with the revision, and nothing else
    (folder / "criteria" / "broken.yaml").write_text("criteria: [\n", encoding="utf-8")
    _commit(repo, "break it")
    broken = run_cli("diff", "HEAD~1", "HEAD", "-C", str(folder), cwd=tmp_path)
    assert broken.exit_code == 1
    assert "HEAD:criteria/broken.yaml:" in broken.stderr
    assert "HEAD (" in broken.stderr
    assert "is not a valid appraisal" in broken.stderr
    assert broken.stdout == ""
    missing = run_cli(
        "diff", "HEAD~1", "HEAD~1", "--weights", "nope", "-C", str(folder), cwd=tmp_path
    )
    assert missing.exit_code == 1
