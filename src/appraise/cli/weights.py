"""``appraise weights``: where the weights come from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from appraise.cli.app import command, stdout
from appraise.cli.options import DirArgument, TableFormat


@command()
def weights(
    folder: DirArgument = Path("."),
    weight_set: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            "-s",
            help="Show only these weight sets (repeat; a set brings its participants).",
        ),
    ] = None,
    output_format: Annotated[
        TableFormat,
        typer.Option("--format", "-f", help="table (terminal) or json (every number, unrounded)."),
    ] = TableFormat.table,
) -> None:
    """Where the weights come from: per level of the tree, local and global weights.

    Every weight set side by side (global weights), then each recorded elicitation
    level by level: what was recorded (swings, points, ranks or AHP comparisons), each
    participant's weights, the combination, the weights used, and AHP consistency
    ratios against the declared random-index table.

    Example:

        appraise weights --set clinical
    """
    from appraise import api

    view = api.weights(folder, sets=weight_set)
    if output_format is TableFormat.json:
        from appraise.paper.formats.json import dumps

        stdout(dumps(view.as_dict()))
        return
    from appraise.paper.tables.weights import weights_paper
    from appraise.terminal.render import console, render_paper

    out = console()
    out.print(render_paper(weights_paper(view), out.width))
