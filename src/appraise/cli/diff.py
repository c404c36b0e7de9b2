"""``appraise diff``: what changed between two versions, and whether the ranking moved."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from appraise.cli.app import command, stderr, stdout
from appraise.cli.options import AggregateChoice, AggregateOption, WeightsOption


class DiffFormat(enum.StrEnum):
    """Output formats of ``appraise diff``."""

    table = "table"
    json = "json"
    md = "md"


@command()
def diff(
    before: Annotated[
        str,
        typer.Argument(
            help="The earlier version: a folder, or a git revision (HEAD~1, main, a tag).",
            show_default=False,
        ),
    ],
    after: Annotated[
        str | None,
        typer.Argument(
            help="The later version: a folder or a git revision. Default: the appraisal "
            "folder's files on disk (-C).",
            show_default=False,
        ),
    ] = None,
    folder: Annotated[
        Path,
        typer.Option(
            "--dir",
            "-C",
            help="The appraisal folder in the git repository, for revisions.",
            exists=True,
            file_okay=False,
        ),
    ] = Path("."),
    weights: WeightsOption = "tree",
    aggregate: AggregateOption = AggregateChoice.moderated,
    output_format: Annotated[
        DiffFormat,
        typer.Option("--format", "-f", help="table (terminal), json, or md (a PR comment)."),
    ] = DiffFormat.table,
    fail_on_rank_change: Annotated[
        bool,
        typer.Option(
            "--fail-on-rank-change",
            help="Exit 1 when the ranking differs (for CI); otherwise exit 0 either way.",
        ),
    ] = False,
) -> None:
    """What changed between two versions of an appraisal, and whether the ranking moved.

    Each side is a folder or a git revision of the appraisal folder (read
    from git's stored files; the working tree is not touched). Things are
    matched by id, so moving or renaming files is not a change. Shows the
    ranking before and after, the leader's margin, switching values that
    moved, and every change to settings, options, their risk-adjusted net
    present costs (with each workbook a cost is read from whose SHA-256
    differs), criteria, hurdles, weights, elicitation records, scores and
    rationale, and moderated scores, with whose they are.

    Examples:

        appraise diff HEAD~1 HEAD

        appraise diff main feature-branch --format md --fail-on-rank-change
    """
    from appraise import api
    from appraise.errors import RevisionError

    try:
        result = api.diff(before, after, folder=folder, weights=weights, aggregate=aggregate.value)
    except RevisionError as exc:
        if not exc.hint:
            exc.hint = "give a folder, or a revision git knows (git log --oneline)"
        raise
    if output_format is DiffFormat.json:
        from appraise.paper.formats.json import dumps

        stdout(dumps(result.as_dict()))
    else:
        from appraise.paper.tables.diff import diff_paper

        paper = diff_paper(result, result.title, result.names, result.illustrative)
        if output_format is DiffFormat.md:
            from appraise.paper.formats.markdown import text

            stdout(text(paper))
        else:
            from appraise.terminal.render import console, render_paper

            out = console()
            out.print(render_paper(paper, out.width))
    if fail_on_rank_change and result.effect is not None and result.effect.rank_changed:
        stderr("appraise: the ranking changed\n")
        raise typer.Exit(1)
