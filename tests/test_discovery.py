"""Which files are read: suffixes, dot-files, sub-folders, links, cycles, each file once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from appraise.files.loading import discover
from appraise.files.validation import validate
from conftest import CASES

SMALL = CASES / "valid" / "small"


def names(folder: Path) -> list[str]:
    found, issues = discover(folder)
    assert issues == []
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
    assert names(folder)[4:] == ["scores/bob.YML", "scores/moderated.yaml", "scores/round2/ann.yml"]
    assert validate(folder).valid


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
