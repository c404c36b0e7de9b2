"""``appraise validate``: check every file and report every problem in one run."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from appraise.cli.app import command, stderr, stdout
from appraise.cli.options import DirArgument


class IssueFormat(enum.StrEnum):
    """Output formats of ``appraise validate``."""

    text = "text"
    json = "json"
    github = "github"


@command()
def validate(
    folder: DirArgument = Path("."),
    output_format: Annotated[
        IssueFormat,
        typer.Option(
            "--format", "-f", help="text (people), json (tools) or github (Actions annotations)."
        ),
    ] = IssueFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Check every file of an appraisal and report every problem in one run.

    Exit code 0 when valid (warnings allowed unless --strict), 1 when not.

    Example:

        appraise validate examples/pct --format github
    """
    from appraise import api
    from appraise.files.diagnostics import format_github, format_json, format_text, summary_line

    result = api.validate(folder, strict=strict)
    facts = result.facts()
    if output_format is IssueFormat.json:
        stdout(format_json(result.issues, facts))
    elif output_format is IssueFormat.github:
        stdout(format_github(result.issues))
        stderr(f"appraise: {summary_line(result.issues)}\n")
    else:
        stderr(format_text(result.issues))
        what = ""
        if facts is not None:
            what = (
                f"{facts['criteria']} criteria, {facts['options']} options, "
                f"{facts['panel']} panel members, status {facts['status']}"
            )
        stderr(f"appraise: {folder}: {summary_line(result.issues, what=what)}\n")
    raise typer.Exit(0 if result.valid else 1)
