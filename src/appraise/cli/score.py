"""``appraise score``: rank the options and show where each total comes from."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from appraise.cli.app import command, provisional_note, stdout
from appraise.cli.options import (
    AggregateChoice,
    AggregateOption,
    DirArgument,
    IncludeFailedOption,
)
from appraise.errors import RequestError

if TYPE_CHECKING:
    from appraise.analysis.whatif import WhatIf
    from appraise.paper.model import Paper


class ScoreFormat(enum.StrEnum):
    """Output formats of ``appraise score``."""

    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class MethodChoice(enum.StrEnum):
    """Aggregation methods."""

    wsm = "wsm"
    topsis = "topsis"
    promethee = "promethee"


@command()
def score(
    folder: DirArgument = Path("."),
    method: Annotated[
        MethodChoice,
        typer.Option(
            "--method",
            "-m",
            help="wsm (weighted sum: the default, and what UK guidance uses), topsis, or "
            "promethee (PROMETHEE II with each criterion's `preference`).",
        ),
    ] = MethodChoice.wsm,
    aggregate: AggregateOption = AggregateChoice.moderated,
    weights: Annotated[
        str,
        typer.Option(
            "--weights",
            "-w",
            help="Weight set: 'tree' (the value tree's weights), a set's id, or 'all' "
            "(every set side by side).",
        ),
    ] = "tree",
    scorer: Annotated[
        str | None, typer.Option("--scorer", help="Rank on one panel member's scores alone.")
    ] = None,
    include_failed: IncludeFailedOption = False,
    costs: Annotated[
        bool,
        typer.Option(
            "--costs",
            help="Also show the costs: before and after optimism bias and risk, every line "
            "by year with the discount factors and undiscounted totals, the uplifts, the "
            "risks and affordability.",
        ),
    ] = False,
    set_weight: Annotated[
        list[str] | None,
        typer.Option(
            "--set-weight",
            metavar="ID=WEIGHT",
            help="What if: set a criterion's or group's weight (of the total), every "
            "other weight rescaled in proportion (repeat).",
        ),
    ] = None,
    set_score: Annotated[
        list[str] | None,
        typer.Option(
            "--set-score",
            metavar="OPTION.CRITERION=SCORE",
            help="What if: set the score that counts in one cell (repeat).",
        ),
    ] = None,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain", metavar="OPTION", help="Show where one option's total comes from."
        ),
    ] = None,
    compare: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--compare",
            metavar="A B",
            help="Show where option A gains or loses against option B.",
        ),
    ] = None,
    output_format: Annotated[
        ScoreFormat,
        typer.Option(
            "--format",
            "-f",
            help="table (terminal), json (every number, unrounded), csv (the ranking) or "
            "md (every table).",
        ),
    ] = ScoreFormat.table,
) -> None:
    """Rank the options by weighted sum and show where each total comes from.

    The appraisal must validate first. Options failing a hurdle are shown but not ranked.

    Example:

        appraise score --weights staff_side --format md

        appraise score --costs

        appraise score --set-weight VFM=30 --set-score SE.ACC=6

        appraise score --compare CFT SE
    """
    from appraise import api
    from appraise.paper import documents
    from appraise.paper.formats import csv
    from appraise.paper.formats.json import dumps
    from appraise.paper.tables.score import ranking_table, weight_sets_long_table

    appraisal = api.load(folder)
    asked = [
        flag
        for flag, given in (
            ("--set-weight", set_weight),
            ("--set-score", set_score),
            ("--explain", explain),
            ("--compare", compare),
        )
        if given
    ]
    if weights == "all" and asked:
        raise RequestError(
            f"{asked[0]} needs one weight set, not --weights all",
            hint="give --weights tree or a set's id",
        )
    tables = bool(set_weight or set_score) + bool(explain) + bool(compare)
    if output_format is ScoreFormat.csv and tables > 1:
        raise RequestError(
            "--format csv holds one table: give one of --explain, --compare and the "
            "what-ifs at a time",
            hint="or use --format json or md for all of them",
        )
    if weights == "all":
        results = api.score_weight_sets(
            appraisal,
            method=method.value,
            aggregate=aggregate.value,
            scorer=scorer,
            include_failed=include_failed,
        )
        if output_format in (ScoreFormat.json, ScoreFormat.csv):
            provisional_note(results[0].problem)
        if output_format is ScoreFormat.json:
            stdout(dumps({"weight_sets": [r.as_dict() for r in results]}))
        elif output_format is ScoreFormat.csv:
            stdout(csv.table_text(weight_sets_long_table(results)))
        else:
            _show(documents.weight_sets_paper(results), output_format)
        return
    if set_weight or set_score or explain or compare:
        w = api.what_if(
            appraisal,
            weights=set_weight or [],
            scores=set_score or [],
            method=method.value,
            aggregate=aggregate.value,
            weight_set=weights,
            scorer=scorer,
            include_failed=include_failed,
        )
        _what_if(w, explain, compare, output_format)
        return
    result = api.score(
        appraisal,
        method=method.value,
        aggregate=aggregate.value,
        weights=weights,
        scorer=scorer,
        include_failed=include_failed,
    )
    if output_format in (ScoreFormat.json, ScoreFormat.csv):
        provisional_note(result.problem)
    if output_format is ScoreFormat.json:
        stdout(dumps(result.as_dict()))
    elif output_format is ScoreFormat.csv:
        stdout(csv.table_text(ranking_table(result)))
    else:
        _show(documents.score_paper(result, costs=costs), output_format)


def _what_if(
    w: WhatIf,
    explain: str | None,
    compare: tuple[str, str] | None,
    output_format: ScoreFormat,
) -> None:
    """Show the what-ifs, ``--explain`` and ``--compare``."""
    from appraise.paper import documents
    from appraise.paper.formats import csv
    from appraise.paper.formats.json import dumps
    from appraise.paper.tables.whatif import compare_table, explain_table, what_if_table

    result = w.changed
    extra = []
    if explain:
        extra.append(explain_table(result, explain))
    if compare:
        extra.append(compare_table(result, *compare))
    if output_format in (ScoreFormat.json, ScoreFormat.csv):
        provisional_note(result.problem)
    changed = bool(w.weights or w.scores)
    if output_format is ScoreFormat.json:
        from appraise.paper.formats.json import table_dict

        data = w.as_dict() if changed else result.as_dict()
        if extra:
            data["explained"] = [table_dict(t) for t in extra]
        stdout(dumps(data))
    elif output_format is ScoreFormat.csv:
        stdout(csv.table_text(what_if_table(w) if changed else extra[0]))
    elif changed:
        _show(documents.what_if_paper(w, extra), output_format)
    else:
        _show(documents.tables_paper(result, extra), output_format)


def _show(paper: Paper, output_format: ScoreFormat) -> None:
    from appraise.paper.formats import markdown
    from appraise.terminal.render import console, render_paper

    if output_format is ScoreFormat.md:
        stdout(markdown.text(paper))
        return
    out = console()
    out.print(render_paper(paper, out.width))
