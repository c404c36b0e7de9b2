"""Which files are read: suffixes, dot-files, sub-folders, links, cycles, each file once."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from appraise.files.loading import discover
from appraise.files.validation import validate
from conftest import CASES, Run

SMALL = CASES / "valid" / "small"


def names(folder: Path, *, not_read: tuple[str, ...] = ()) -> list[str]:
    """The files read; every other file (but dot-files) named by a warning."""
    found, issues = discover(folder)
    assert [i for i in issues if i.code != "file-not-read"] == []
    assert sorted(i.path.name for i in issues if i.path is not None) == sorted(not_read)
    return [shown.relative_to(folder).as_posix() for _, _, shown in found]


def test_reads_the_three_folders_in_name_order(folder: Path) -> None:
    assert names(folder) == [
        "appraisal.yaml",
        "criteria/extras.yaml",
        "criteria/tree.yaml",
        "options/options.yaml",
        "scores/ann.yaml",
        "scores/bob.yaml",
        "scores/moderated.yaml",
    ]


def test_suffixes_subfolders_and_dotfiles(folder: Path) -> None:
    (folder / "scores" / "bob.yaml").rename(folder / "scores" / "bob.YML")
    (folder / "scores" / "round2").mkdir()
    (folder / "scores" / "ann.yaml").rename(folder / "scores" / "round2" / "ann.yml")
    (folder / "scores" / ".draft.yaml").write_text("this: [is not read\n")
    (folder / "scores" / ".hidden").mkdir()
    (folder / "scores" / ".hidden" / "x.yaml").write_text("broken: [\n")
    (folder / "scores" / "notes.md").write_text("# not YAML\n")
    (folder / "scores" / "ann.yaml.bak").write_text("broken: [\n")
    read = names(folder, not_read=("ann.yaml.bak", "notes.md"))
    assert read[4:] == ["scores/bob.YML", "scores/moderated.yaml", "scores/round2/ann.yml"]
    result = validate(folder)
    assert result.valid
    assert sorted(i.code for i in result.issues) == ["file-not-read", "file-not-read"]


def test_a_sheet_saved_with_txt_is_named_not_dropped(
    folder: Path, run_cli: Callable[..., Run]
) -> None:
    """A sheet saved as P3.yaml.txt (Windows hides the .txt) used to vanish: validate said
    valid with one panel member fewer. Now it is named, with the rename that fixes it;
    an xlsx left in options/ is named too. Both are warnings: the rest still loads."""
    (folder / "scores" / "bob.yaml").rename(folder / "scores" / "bob.yaml.txt")
    (folder / "options" / "Panel scores.xlsx").write_bytes(b"PK\x03\x04")
    result = run_cli("validate", str(folder))
    assert result.exit_code == 0, result
    lines = result.stderr.splitlines()
    bob = str(folder / "scores" / "bob.yaml.txt")
    assert f"{bob}: warning: bob.yaml.txt is not read: only .yaml and .yml files are" in lines
    assert "  hint: rename it bob.yaml (Windows may hide the .txt at the end of its name)" in lines
    xlsx = str(folder / "options" / "Panel scores.xlsx")
    assert f"{xlsx}: warning: Panel scores.xlsx is not read: only .yaml and .yml files are" in lines
    assert "1 panel members" in lines[-1]
    assert run_cli("score", str(folder)).exit_code == 0


def test_a_folder_that_is_not_an_appraisal_points_to_one(
    folder: Path, run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    """Run from inside scores/, validate names the appraisal above; run from the folder
    holding appraisals, it names those below; elsewhere it says how to make one. One
    error each, not "create criteria/, options/ and scores/"."""
    inside = run_cli("validate", ".", cwd=folder / "scores")
    assert inside.exit_code == 1
    assert inside.stderr.splitlines() == [
        ".: error: . is not an appraisal folder: it has no appraisal.yaml, criteria/, "
        "options/ or scores/",
        "  hint: the appraisal is ..: run appraise validate ..",
        "appraise: .: invalid: 1 error, 0 warnings",
    ]
    above = run_cli("validate", ".", cwd=tmp_path)
    assert above.exit_code == 1
    assert "  hint: an appraisal is below it: appraisal (appraise validate appraisal)" in (
        above.stderr.splitlines()
    )
    lone = tmp_path / "lone"
    lone.mkdir()
    nowhere = run_cli("validate", ".", cwd=lone)
    assert "  hint: give the appraisal's folder, or create one with appraise init DIR" in (
        nowhere.stderr.splitlines()
    )


def test_init_dot_fills_the_empty_folder_it_is_run_in(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    """`appraise init .` in an empty folder (it used to fail: "cannot create .: Invalid
    argument"); the folder itself is kept, as a shell stands in it."""
    here = tmp_path / "new"
    here.mkdir()
    inode = here.stat().st_ino
    result = run_cli("init", ".", cwd=here)
    assert result.exit_code == 0, result
    assert here.stat().st_ino == inode
    assert sorted(p.name for p in here.iterdir()) == [
        "appraisal.yaml",
        "criteria",
        "options",
        "schema",
        "scores",
    ]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert run_cli("validate", ".", cwd=here).exit_code == 0
    again = run_cli("init", ".", cwd=here)
    assert again.exit_code == 1
    assert "already exists and is not an empty folder" in again.stderr


def test_appraisal_yml_is_accepted_but_not_both(folder: Path) -> None:
    (folder / "appraisal.yaml").rename(folder / "appraisal.yml")
    assert names(folder)[0] == "appraisal.yml"
    shutil.copy(folder / "appraisal.yml", folder / "appraisal.yaml")
    _, issues = discover(folder)
    assert [i.code for i in issues] == ["two-appraisal-files"]


def test_other_top_level_yaml_files_are_ignored(folder: Path) -> None:
    (folder / ".pre-commit-config.yaml").write_text("repos: [\n")
    (folder / "mkdocs.yml").write_text("site_name: x\n")
    assert validate(folder).valid


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_link_leaving_the_folder_is_refused(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    shutil.copy(folder / "scores" / "bob.yaml", outside)
    (folder / "scores" / "bob.yaml").unlink()
    (folder / "scores" / "bob.yaml").symlink_to(outside)
    result = validate(folder)
    assert not result.valid
    assert [i.code for i in result.issues] == ["link-outside"]
    assert result.issues[0].path == folder / "scores" / "bob.yaml"


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_link_inside_the_folder_is_read_once(folder: Path) -> None:
    (folder / "scores" / "again.yaml").symlink_to(folder / "scores" / "ann.yaml")
    (folder / "scores" / "copy").symlink_to(folder / "scores", target_is_directory=True)
    assert names(folder)[4:] == ["scores/ann.yaml", "scores/bob.yaml", "scores/moderated.yaml"]
    assert validate(folder).valid


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_link_cycle_ends(folder: Path) -> None:
    (folder / "criteria" / "loop").symlink_to(folder / "criteria", target_is_directory=True)
    (folder / "criteria" / "up").symlink_to(folder, target_is_directory=True)
    assert names(folder)[1:3] == ["criteria/extras.yaml", "criteria/tree.yaml"]


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_broken_link_is_reported(folder: Path) -> None:
    (folder / "options" / "gone.yaml").symlink_to(folder / "nowhere.yaml")
    _, issues = discover(folder)
    assert [i.code for i in issues] == ["broken-link"]


def test_missing_and_empty_folders(folder: Path) -> None:
    shutil.rmtree(folder / "options")
    for f in (folder / "scores").iterdir():
        f.unlink()
    result = validate(folder)
    codes = sorted(i.code for i in result.issues)
    assert codes == ["empty-folder", "missing-folder"]


def test_not_a_folder(tmp_path: Path) -> None:
    _, issues = discover(tmp_path / "nope")
    assert [i.code for i in issues] == ["no-folder"]


def test_files_are_never_modified(folder: Path) -> None:
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    stats = {p: p.stat().st_mtime_ns for p in before}
    validate(folder)
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert {p: p.stat().st_mtime_ns for p in before} == stats
