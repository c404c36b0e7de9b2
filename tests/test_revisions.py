"""``appraise diff`` compares what was committed: revisions read from git objects, not
archives (real repositories with hostile attributes, links, submodules and names)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run
from test_diff import _commit, _copy_example, _git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _repo(tmp_path: Path, folder: str = "appraisal") -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _copy_example(root / folder)
    _commit(root, "example as bundled")
    return root


def _diff(run_cli: Callable[..., Run], folder: Path, *revs: str) -> dict:  # type: ignore[type-arg]
    result = run_cli("diff", *revs, "-C", str(folder), "--format", "json")
    assert result.exit_code == 0, result
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_export_attributes_do_not_change_what_is_compared(
    run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    root = _repo(tmp_path)
    sheet = root / "appraisal" / "scores" / "p1-community-nursing.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "# $Format:%H$\n", encoding="utf-8")
    (root / ".gitattributes").write_text(
        "appraisal/scores/*.yaml export-subst\nappraisal/criteria/weight-sets.yaml export-ignore\n"
    )
    _commit(root, "attributes")
    clean = _diff(run_cli, root / "appraisal", "HEAD~1", "HEAD")
    assert clean["changes"] == []
    against_disk = _diff(run_cli, root / "appraisal", "HEAD", ".")
    assert against_disk["changes"] == []


def test_an_absolute_link_elsewhere_does_not_block_the_diff(
    run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    root = _repo(tmp_path)
    (root / "docs").mkdir()
    (root / "docs" / "abs-link").symlink_to("/etc/passwd")
    _commit(root, "a link outside")
    assert _diff(run_cli, root / "appraisal", "HEAD~1", "HEAD")["changes"] == []


def test_a_link_out_of_the_folder_in_a_revision_is_named_as_written(
    run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    """A committed link from scores/ to a file beside the appraisal is reported as the
    working tree's would be (leaving the folder), by what the link says, not by the
    temporary folder the revision was read into."""
    root = _repo(tmp_path)
    (root / "other").mkdir()
    (root / "other" / "p9.yaml").write_text("scorer: {id: P9, name: A, role: B}\n")
    (root / "appraisal" / "scores" / "p9.yaml").symlink_to("../../other/p9.yaml")
    _commit(root, "a link out of the folder")
    result = run_cli("diff", "HEAD~1", "HEAD", "-C", str(root / "appraisal"))
    assert result.exit_code == 1
    assert (
        "HEAD:scores/p9.yaml: error: a link to ../../other/p9.yaml, outside the appraisal folder"
        in result.stderr
    )
    assert "/tmp" not in result.stderr.replace(str(tmp_path), "")
    assert "Traceback" not in result.stderr


def test_a_submodule_in_the_folder_is_said(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    root = _repo(tmp_path)
    head = _git(root, "rev-parse", "HEAD").strip()
    _git(root, "update-index", "--add", "--cacheinfo", f"160000,{head},appraisal/scores/p9")
    _git(root, "commit", "-q", "-m", "a submodule")
    data = _diff(run_cli, root / "appraisal", "HEAD~1", "HEAD")
    assert any("scores/p9 is a git submodule in HEAD" in n for n in data["notes"])
    shown = run_cli("diff", "HEAD~1", "HEAD", "-C", str(root / "appraisal"))
    assert "scores/p9 is a git submodule" in " ".join(shown.stdout.split())


@pytest.mark.parametrize("folder", [" lead", ":(top)", "a b/-x"])
def test_awkward_folder_names(run_cli: Callable[..., Run], tmp_path: Path, folder: str) -> None:
    root = _repo(tmp_path, folder)
    sheet = root / folder / "scores" / "p1-community-nursing.yaml"
    sheet.write_text(
        sheet.read_text(encoding="utf-8").replace("score: 6", "score: 7", 1), encoding="utf-8"
    )
    _commit(root, "one score")
    data = _diff(run_cli, root / folder, "HEAD~1", "HEAD")
    assert [c["area"] for c in data["changes"]] == ["score"]


def test_only_the_appraisal_folder_is_read(
    run_cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from appraise.analysis import revisions

    root = _repo(tmp_path)
    (root / "big.bin").write_bytes(b"\0" * 5_000_000)
    _commit(root, "a big file outside")
    read: list[str] = []
    real = revisions._blob

    def spy(batch, oid, limit, handle=None):  # type: ignore[no-untyped-def]
        read.append(oid)
        return real(batch, oid, limit, handle)

    monkeypatch.setattr(revisions, "_blob", spy)
    _diff(run_cli, root / "appraisal", "HEAD~1", "HEAD")
    big = _git(root, "rev-parse", "HEAD:big.bin").strip()
    assert read
    assert big not in read
