"""The README stays true: its key reference, its codes, its commands and its CI command."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from appraise.files.schema import markdown_reference
from conftest import REPO

README = REPO / "README.md"
SRC = REPO / "src" / "appraise"


def test_key_reference_matches_the_models(
    golden: Callable[[Path, str], None], tmp_path: Path
) -> None:
    """Regenerate with ``pytest --update-golden`` after changing a model."""
    text = README.read_text(encoding="utf-8")
    start, end = "<!-- keys:start -->\n", "<!-- keys:end -->"
    before, rest = text.split(start)
    _, after = rest.split(end)
    updated = before + start + markdown_reference() + end + after
    golden(README, updated)


def test_every_issue_code_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    sources = "".join(path.read_text() for path in sorted((SRC / "files").rglob("*.py")))
    codes = set(re.findall(r'"([a-z0-9]+(?:-[a-z0-9]+)+)"', sources)) - {"utf-8"}
    assert len(codes) > 50
    missing = sorted(code for code in codes if f"`{code}`" not in text)
    assert missing == []


def test_every_command_is_documented() -> None:
    from appraise.cli import app

    text = README.read_text(encoding="utf-8")
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    assert sorted(names) == [
        "diff",
        "export",
        "import",
        "init",
        "report",
        "schema",
        "score",
        "sensitivity",
        "sheet",
        "validate",
        "weights",
        "workshop",
    ]
    for name in names:
        assert f"`appraise {name}" in text, name


def test_ci_runs_the_readme_test_command() -> None:
    text = README.read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.+?)\n```", text)
    assert len(commands) >= 2
    assert "appraise score ." in commands[0]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert f"{commands[1]} || exit 1" in ci
    assert ".venv/bin/appraise validate . || exit 1" in ci


def test_files_the_readme_promises_exist() -> None:
    text = README.read_text(encoding="utf-8")
    for path in re.findall(r"`((?:tests/cases|docs)/[^`]+|\.pre-commit-hooks\.yaml)`", text):
        if "<" not in path:
            assert (REPO / path).exists(), path


def test_console_examples_are_real_output(
    golden: Callable[[Path, str], None], run_cli: Callable[..., object]
) -> None:
    """Every ``$ appraise validate …`` block in the README is what the command prints."""
    from conftest import Run

    text = README.read_text(encoding="utf-8")
    pattern = re.compile(r"```console\n\$ appraise ((?:validate|score)[^\n]*)\n(.*?)```", re.S)

    def render(match: re.Match[str]) -> str:
        args = match.group(1).split()
        result = run_cli(*args, cwd=REPO)
        assert isinstance(result, Run)
        shown = result.stderr if args[0] == "validate" else result.stdout
        return f"```console\n$ appraise {match.group(1)}\n{shown}```"

    updated, count = pattern.subn(render, text)
    assert count >= 3
    golden(README, updated)


def test_the_python_example_runs(tmp_path: Path) -> None:
    """The README's "From Python" block runs as written, on a copy of the example kept
    in git (it diffs against the previous commit)."""
    import shutil
    import subprocess
    import sys

    text = README.read_text(encoding="utf-8")
    section = text[text.index("## From Python") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    folder = tmp_path / "example"
    folder.mkdir()
    for part in ("appraisal.yaml", "criteria", "options", "scores"):
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, folder / part)
        else:
            shutil.copy(source, folder / part)
    (folder / "board").mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    subprocess.run([*git, "add", "."], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-qm", "two", "--allow-empty"], cwd=folder, check=True)
    out = subprocess.run(
        [sys.executable, "-c", code.group(1)],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0].startswith("NHS community foundation trust")
    assert {p.name for p in (folder / "board").iterdir()} == {
        "tables.xlsx",
        "ranking.csv",
        "ranking.provenance.json",
        "option-appraisal.docx",
    }
